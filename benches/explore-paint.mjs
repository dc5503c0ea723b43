// Benchmark: how soon the explorer paints, and how soon each view has its data, on the seed,
// in headless Chromium. Not a test: it prints a table for benches/RESULTS.md.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node benches/explore-paint.mjs [runs]
//
// Each run opens a fresh page (urql starts with an empty cache; the browser keeps its HTTP
// cache across runs, as for a returning reader, so the first run is the cold one) at every address
// below and records first contentful paint (the browser's own paint timing) and the time
// until the view marks itself ready (`data-ready="true"` on the element named), both from
// the start of navigation. Prints the median and the worst of `runs` (default 9) per view.

import { openBrowser, serverRoot } from '../tests/e2e/browser.mjs';

const VIEWS = [
  ['home', '/explore', 'main[data-ready="true"] h1'],
  ['node page (attack)', '/explore/node/ayn-al-assad-rocket-attack-2022-01-05', 'main[data-node] h1'],
  ['chain drawn', '/explore/node/ayn-al-assad-rocket-attack-2022-01-05', '#chain[data-ready="true"]'],
  ['network drawn', '/explore/node/ayn-al-assad-rocket-attack-2022-01-05', '#network[data-ready="true"]'],
  ['map page', '/explore/map', '[data-ready="true"][data-outline-paths]'],
  ['timeline page', '/explore/timeline', '[data-ready="true"][data-events]'],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function measure(session, path, selector) {
  const page = await session.context.newPage();
  try {
    await page.goto(new URL(path, serverRoot()).href, { waitUntil: 'commit' });
    await page.waitForSelector(selector, { timeout: 30_000 });
    return await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { fcp: fcp ? fcp.startTime : NaN, ready: performance.now() };
    });
  } finally {
    await page.close();
  }
}

async function main() {
  const runs = Number(process.argv[2] || 9);
  const session = await openBrowser();
  const rows = [];
  try {
    for (const [name, path, selector] of VIEWS) {
      const fcps = [];
      const readies = [];
      for (let i = 0; i < runs; i += 1) {
        const { fcp, ready } = await measure(session, path, selector);
        fcps.push(fcp);
        readies.push(ready);
      }
      rows.push([name, path, median(fcps), Math.max(...fcps), median(readies), Math.max(...readies)]);
    }
  } finally {
    await session.close();
  }
  const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : 'n/a');
  console.log(`| view | address | first paint (median) | first paint (worst) | ready (median) | ready (worst) |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const [name, path, f, fw, r, rw] of rows) {
    console.log(`| ${name} | \`${path}\` | ${ms(f)} | ${ms(fw)} | ${ms(r)} | ${ms(rw)} |`);
  }
  console.log(`\n${runs} runs per view, each in a fresh page.`);
}

main().catch((e) => {
  console.error(`explore-paint: ${e.stack || e}`);
  process.exit(1);
});
