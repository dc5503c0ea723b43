// End-to-end check: the GraphiQL page served by claimgraph works with no
// network access beyond claimgraph itself.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/e2e/graphiql.mjs
//
// Launches headless Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) through
// playwright-core, records every request the page makes and fails if any goes
// to a host other than 127.0.0.1 / localhost / [::1] (data: and blob: are
// fine). Loads "/", runs `{ actor(id: "iran") { name } }` through the GraphiQL
// UI and waits for "Iran" in the result pane. Then, when CLAIMGRAPH_TOKEN holds an
// editor's token, runs a `claimChanged` subscription in GraphiQL (over its WebSocket),
// asserts a claim with a POST from outside the page, and waits for that claim's id in
// the result pane.
//
// Prints "graphiql e2e: 1 passed, 0 failed" and exits 0, or prints
// "graphiql e2e: 0 passed, 1 failed" with the reason, saves a screenshot to
// tests/e2e/failure.png and exits 1. Set GRAPHIQL_E2E_SCREENSHOT=path to also
// save a screenshot when the check passes.

import { fileURLToPath } from 'node:url';
import { STEP_TIMEOUT_MS, openBrowser, serverRoot, short } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 120_000; // the whole check, launch included
const QUERY = 'query Check { actor(id: "iran") { name } }';
const SUBSCRIPTION = 'subscription Watch { claimChanged(subject: "harakat-al-nujaba") { action claim { id } } }';
const CLAIM_ID = `e2e-claim-${Date.now()}`;
const EXPECTED = '"Iran"';
const TITLE = 'claimgraph — GraphiQL';
const FAILURE_PNG = fileURLToPath(new URL('failure.png', import.meta.url));

let session; // the browser, its page and what they recorded (browser.mjs)
let page;
let finished = false;

async function fail(reason) {
  if (finished) return;
  finished = true;
  console.error(`graphiql e2e: FAIL: ${reason}`);
  if (session) {
    console.error('requests made by the page:');
    session.report();
  }
  if (page) {
    try {
      await page.screenshot({ path: FAILURE_PNG, fullPage: true, timeout: 10_000 });
      console.error(`screenshot: ${FAILURE_PNG}`);
    } catch (e) {
      console.error(`(no screenshot: ${e.message.split('\n')[0]})`);
    }
  }
  if (session) await session.close();
  console.log('graphiql e2e: 0 passed, 1 failed');
  process.exit(1);
}

async function main() {
  const root = serverRoot();
  session = await openBrowser();
  page = session.page;
  const { requests } = session;
  const checkRecorded = () => session.check('graphiql');

  const resp = await page.goto(root, { waitUntil: 'load' });
  if (!resp || !resp.ok()) throw new Error(`GET ${root} answered ${resp ? resp.status() : 'nothing'}`);
  const title = await page.title();
  if (title !== TITLE) throw new Error(`page title is ${JSON.stringify(title)}, expected ${JSON.stringify(TITLE)}`);

  // The query editor is a CodeMirror 5 instance inside GraphiQL 3.
  const editorSel = '.graphiql-query-editor .CodeMirror';
  await page.waitForSelector(editorSel, { state: 'visible' });
  await page.waitForFunction((sel) => !!document.querySelector(sel)?.CodeMirror, editorSel);
  const initial = await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), editorSel);
  if (!initial.includes('query Headline')) {
    throw new Error(`query editor does not start with the headline query; it holds: ${short(JSON.stringify(initial))}`);
  }

  await run(editorSel, QUERY);
  await resultShows(EXPECTED);
  if (!requests.some((r) => r.method === 'POST' && new URL(r.url).pathname === '/graphql')) {
    throw new Error('no POST /graphql was recorded');
  }
  checkRecorded();

  const token = process.env.CLAIMGRAPH_TOKEN;
  if (token) {
    await run(editorSel, SUBSCRIPTION);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!session.requests.some((r) => r.method === 'WEBSOCKET' && new URL(r.url).pathname === '/graphql')) {
      if (Date.now() > deadline) throw new Error('GraphiQL opened no WebSocket to /graphql for the subscription');
      await page.waitForTimeout(100);
    }
    // The socket is open; give GraphiQL a moment to send `subscribe` before the claim is written.
    await page.waitForTimeout(1000);
    await assertClaim(root, token);
    await resultShows(CLAIM_ID);
    checkRecorded();
  }

  if (process.env.GRAPHIQL_E2E_SCREENSHOT) {
    await page.screenshot({ path: process.env.GRAPHIQL_E2E_SCREENSHOT });
  }
  console.error(`graphiql e2e: ${requests.length} requests, all to ${new URL(root).host} (or data:/blob:)`);
  session.report();
  finished = true;
  await session.close();
  console.log('graphiql e2e: 1 passed, 0 failed');
  process.exit(0);
}

// Types `text` into the query editor as a person would (select all, then insert), so that
// GraphiQL sees the edit, and runs it.
async function run(editorSel, text) {
  await page.click(`${editorSel} .CodeMirror-lines`);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.waitForFunction(([sel, q]) => document.querySelector(sel).CodeMirror.getValue() === q, [editorSel, text]);
  // GraphiQL debounces edits (about 150 ms) before it recomputes which operation to send;
  // clicking sooner would send the previous operation's name. Not a timing assertion: a settle.
  await page.waitForTimeout(1000);
  await page.click('.graphiql-execute-button');
}

// Waits until the result pane shows `expected`.
async function resultShows(expected) {
  const shown = () =>
    page
      .evaluate(() => {
        const cm = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror;
        return cm ? cm.getValue() : document.querySelector('.result-window')?.textContent ?? '(no result pane)';
      })
      .catch(() => '(page gone)');
  try {
    await page.waitForFunction((want) => {
      const cm = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror;
      const text = cm ? cm.getValue() : document.querySelector('.result-window')?.textContent ?? '';
      return text.includes(want);
    }, expected);
  } catch (e) {
    throw new Error(`result pane never showed ${expected} (${e.message.split('\n')[0]}); it shows: ${short(JSON.stringify(await shown()))}`);
  }
}

// Asserts a claim about Harakat al-Nujaba with a POST from outside the page, as another editor would.
async function assertClaim(root, token) {
  const response = await fetch(new URL('/graphql', root), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation($input: ClaimInput!) { assertClaim(input: $input) { id } }`,
      variables: {
        input: {
          id: CLAIM_ID, subject: 'harakat-al-nujaba', relation: 'BACKED_BY', object: 'iran',
          assertedBy: 'unknown', source: 'article-iraq-syria-bases-attacked-2022-01', confidence: 60,
        },
      },
    }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`assertClaim failed: ${JSON.stringify(body.errors)}`);
}

setTimeout(() => fail(`gave up after ${OVERALL_TIMEOUT_MS / 1000} s`), OVERALL_TIMEOUT_MS);

main().catch((e) => fail(e && e.message ? e.message : String(e)));
