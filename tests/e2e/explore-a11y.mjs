// End-to-end check: every view of the explorer passes axe-core's WCAG 2.x A and AA rules, at
// desktop and phone width, and can be worked from the keyboard.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/e2e/explore-a11y.mjs
//
// axe-core (Deque's accessibility engine, from npm, pinned in package-lock.json) is injected
// into each page by the check itself, so the page loads nothing extra from the network. A
// violation of impact "serious" or "critical" fails the check; lesser ones are printed. Then
// the keyboard: "/" focuses the search, the arrow keys and Enter open a hit, Tab reaches the
// network's list, and the skip link (the first stop) moves focus to the content.
//
// Prints "explore-a11y e2e: 1 passed, 0 failed" and exits 0, or the violations and exits 1.
// Screenshots go to $E2E_OUTPUT_DIR/explore-a11y/ (default tests/e2e/output/explore-a11y/).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkRun, serverRoot } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 180_000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Each view: its address and the element that says it has drawn.
const VIEWS = [
  ['home', '/explore', 'main[data-ready="true"] h1'],
  ['actor', '/explore/node/saraya-qasem-al-jabarin', '#network[data-ready="true"]'],
  ['event', '/explore/node/ayn-al-assad-rocket-attack-2022-01-05', '#chain[data-ready="true"]'],
  ['location', '/explore/node/ayn-al-assad', '#map[data-ready="true"]'],
  ['claim', '/explore/node/saraya-qasem-al-jabarin-front-for-iran-backed-militias', 'main[data-node] li.claim'],
  ['source', '/explore/node/article-iraq-syria-bases-attacked-2022-01', '#claims-cited'],
  ['map', '/explore/map', '[data-ready="true"][data-outline-paths]'],
  ['timeline', '/explore/timeline', '#timeline[data-ready="true"]'],
  ['paths', '/explore/paths?from=ayn-al-assad-rocket-attack-2022-01-05&to=iran', 'li.path'],
];
const BLOCKING = new Set(['serious', 'critical']);

const check = checkRun('explore-a11y', OVERALL_TIMEOUT_MS);
const { screenshot, fail } = check;
let session; // the browser, its page and what they recorded (browser.mjs)
let page;

// Every section of the page has finished loading (none is marked not ready).
async function settled() {
  await page.waitForFunction(() => ['#chain', '#map', '#network', '#timeline', '#paths-results']
    .map((sel) => document.querySelector(sel))
    .every((el) => !el || el.dataset.ready !== 'false'));
}

// axe's violations of this page, as lines: all of them, and those that fail the check.
async function audit(name) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join('; ').trim()})` : ''}`),
      count: v.nodes.length,
    }));
  });
  const line = (v) => `${name}: [${v.impact}] ${v.id} × ${v.count}: ${v.help}\n      ${v.targets.join('\n      ')}`;
  return { lines: violations.map(line), blocking: violations.filter((v) => BLOCKING.has(v.impact)).map(line) };
}

async function main() {
  const root = serverRoot();
  session = await check.open();
  page = session.page;
  const blocking = [];
  for (const [width, height, tag] of [[1280, 800, 'desktop'], [390, 844, 'phone']]) {
    await page.setViewportSize({ width, height });
    for (const [name, path, ready] of VIEWS) {
      await page.goto(new URL(path, root).href, { waitUntil: 'load' });
      await page.waitForSelector(ready);
      await settled();
      const { lines, blocking: bad } = await audit(`${tag} ${name}`);
      for (const line of lines) console.error(`  ${line}`);
      blocking.push(...bad);
      await screenshot(`${tag}-${name}`);
      session.check(`${tag} ${name}`, { console: true });
    }
  }
  if (blocking.length) throw new Error(`serious or critical accessibility violations:\n  ${blocking.join('\n  ')}`);

  // The keyboard alone: the skip link, "/" and the search's arrows and Enter.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(new URL('/explore', root).href, { waitUntil: 'load' });
  await page.waitForSelector('main[data-ready="true"] h1');
  // The page moves focus to its heading on every route; the skip link is the first stop
  // from the top of the document, and shows itself when focused.
  await page.focus('a.skip');
  const shown = await page.evaluate(() => document.querySelector('a.skip').getBoundingClientRect().left >= 0);
  if (!shown) throw new Error('the skip link stays off screen when focused');
  const first = await page.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .find((el) => el.tabIndex >= 0 && !el.closest('[hidden]'))?.className);
  if (first !== 'skip') throw new Error(`the first stop of the Tab order is ${JSON.stringify(first)}, not the skip link`);
  await page.keyboard.press('Enter');
  const afterSkip = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (afterSkip !== 'main') throw new Error(`the skip link moved focus to ${JSON.stringify(afterSkip)}, not the content`);
  await page.keyboard.press('/');
  await page.keyboard.type('Jabarin', { delay: 30 });
  await page.waitForSelector('#search-results li[data-id="saraya-qasem-al-jabarin"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('main[data-node="saraya-qasem-al-jabarin"] #network[data-ready="true"]');
  // Tab through the page until a link of the network's list has focus: the drawing's
  // text alternative is reachable without a mouse.
  let reached = false;
  for (let i = 0; i < 80 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => !!document.activeElement?.closest('#network') && document.activeElement.tagName === 'A');
  }
  if (!reached) throw new Error('Tab never reaches a link of the network\'s list');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.pathname.endsWith('/saraya-qasem-al-jabarin'));
  session.check('keyboard', { console: true });

  await check.pass();
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
