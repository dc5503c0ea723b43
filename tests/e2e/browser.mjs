// What the end-to-end checks share: headless Chromium (/usr/bin/chromium, or $CHROMIUM_PATH)
// through playwright-core, with every request of the page recorded, and any request to a
// host other than 127.0.0.1 / localhost / [::1] (data: and blob: are fine) recorded as
// foreign and refused.

import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STEP_TIMEOUT_MS = 30_000; // every single wait
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLocal(rawUrl) {
  let u;
  try {
    u = new URL(rawUrl);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return LOCAL_HOSTS.has(u.hostname);
}

export function short(url) {
  return url.length > 120 ? `${url.slice(0, 117)}...` : url;
}

// The server's root URL from CLAIMGRAPH_URL, which must be local.
export function serverRoot() {
  const base = process.env.CLAIMGRAPH_URL;
  if (!base) throw new Error('CLAIMGRAPH_URL is not set (e.g. http://127.0.0.1:8080)');
  const root = new URL('/', base).href;
  if (!isLocal(root)) throw new Error(`CLAIMGRAPH_URL must point at 127.0.0.1, localhost or [::1], got ${base}`);
  return root;
}

// A browser with one page (1280×800) whose every request, failure, uncaught error and
// console error is recorded in the returned session.
export async function openBrowser() {
  const session = {
    requests: [], // every request seen: { method, url }
    foreign: [], // requests/websockets to any other host or scheme
    httpErrors: [], // responses >= 400 and failed requests
    pageErrors: [], // uncaught exceptions in the page
    consoleErrors: [], // console.error output
    consoleWarnings: [], // console.warning output, for diagnostics
  };
  session.userDataDir = mkdtempSync(join(tmpdir(), 'claimgraph-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(session.userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    // Starting Chromium is the slowest single step, and slower still while a build shares
    // the machine's two cores: give it three steps' time.
    timeout: 3 * STEP_TIMEOUT_MS,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  session.context = context;
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);

  // Record every request of every page in this context; never let one leave the machine
  // (it is still recorded, and fails the check).
  const record = (method, url) => {
    const entry = { method, url };
    session.requests.push(entry);
    if (!isLocal(url)) session.foreign.push(entry);
  };
  context.on('request', (req) => record(req.method(), req.url()));
  context.on('requestfailed', (req) => {
    const why = req.failure()?.errorText;
    // The browser cancels what a page still loads when the reader leaves it: not a failure.
    if (why === 'net::ERR_ABORTED') return;
    if (isLocal(req.url())) session.httpErrors.push(`${req.method()} ${short(req.url())}: ${why}`);
  });
  context.on('response', (res) => {
    if (res.status() >= 400) session.httpErrors.push(`${res.request().method()} ${short(res.url())}: HTTP ${res.status()}`);
  });
  await context.route(
    (url) => !isLocal(url.href),
    (route) => route.abort('blockedbyclient'),
  );

  const page = context.pages()[0] ?? (await context.newPage());
  session.page = page;
  page.on('websocket', (ws) => record('WEBSOCKET', ws.url()));
  page.on('pageerror', (err) => session.pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') session.consoleErrors.push(msg.text());
    if (msg.type() === 'warning') session.consoleWarnings.push(msg.text());
  });

  session.close = async () => {
    await context.close().catch(() => {});
    rmSync(session.userDataDir, { recursive: true, force: true });
  };
  // Throws if a request left the machine, the page threw, a local request failed, or (with
  // `console: true`) the console showed an error.
  session.check = (where, { console: consoleToo = false } = {}) => {
    if (session.foreign.length) {
      throw new Error(
        `${where}: request(s) to a host other than 127.0.0.1/localhost/[::1]:\n` +
          session.foreign.map((r) => `    ${r.method} ${short(r.url)}`).join('\n'),
      );
    }
    if (session.pageErrors.length) throw new Error(`${where}: uncaught error in the page: ${session.pageErrors[0]}`);
    if (consoleToo && session.consoleErrors.length) throw new Error(`${where}: console error: ${session.consoleErrors[0]}`);
    if (session.httpErrors.length) throw new Error(`${where}: failed request(s):\n    ${session.httpErrors.join('\n    ')}`);
  };
  // Prints what the page asked for, and the console's errors and warnings.
  session.report = (log = console.error) => {
    for (const r of session.requests) log(`  ${r.method} ${short(r.url)}`);
    for (const e of session.consoleErrors) log(`  console.error: ${e}`);
    for (const e of session.consoleWarnings) log(`  console.warning: ${e}`);
  };
  return session;
}

// The frame of one check named `name`: a browser opened by `open()` (after emptying the
// check's screenshot folder, $E2E_OUTPUT_DIR/<name>/ or tests/e2e/output/<name>/), numbered
// screenshots, and its one way to end: `pass()`, or `fail(reason)` with what the page asked
// for and a last screenshot; a check still running after `timeoutMs` fails.
export function checkRun(name, timeoutMs) {
  const output = process.env.E2E_OUTPUT_DIR
    ? join(process.env.E2E_OUTPUT_DIR, name)
    : fileURLToPath(new URL(`output/${name}/`, import.meta.url));
  let finished = false;
  let shots = 0;
  const check = { session: null, output };
  check.open = async () => {
    rmSync(output, { recursive: true, force: true }); // this run's screenshots only
    mkdirSync(output, { recursive: true });
    check.session = await openBrowser();
    return check.session;
  };
  check.screenshot = async (label, options = {}) => {
    shots += 1;
    const path = join(output, `${String(shots).padStart(2, '0')}-${label}.png`);
    const page = check.session.page;
    const target = options.element ? page.locator(options.element) : page;
    await target.screenshot({ path, fullPage: options.element ? undefined : options.fullPage ?? false, timeout: 10_000 });
    console.error(`${name} e2e: screenshot ${path}`);
  };
  check.fail = async (reason) => {
    if (finished) return;
    finished = true;
    console.error(`${name} e2e: FAIL: ${reason}`);
    if (check.session) {
      console.error('requests made by the page:');
      check.session.report();
      try {
        await check.screenshot('failure', { fullPage: true });
      } catch (e) {
        console.error(`(no screenshot: ${e.message.split('\n')[0]})`);
      }
      await check.session.close();
    }
    console.log(`${name} e2e: 0 passed, 1 failed`);
    process.exit(1);
  };
  check.pass = async () => {
    finished = true;
    await check.session.close();
    console.log(`${name} e2e: 1 passed, 0 failed`);
    process.exit(0);
  };
  setTimeout(() => check.fail(`gave up after ${timeoutMs / 1000} s`), timeoutMs);
  return check;
}

// A GraphQL request from outside the page, as another client or editor would send it (with an
// editor's token when given); its data, or an error naming the operation and the errors.
export async function graphql(root, query, variables = {}, token = null) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL('/graphql', root), { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(`${query.trim().split(/[({]/)[0] || 'query'} failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
