// End-to-end check of the explorer's map and timeline (/explore/map, /explore/timeline and the
// map section of a place's page) in headless Chromium, with no network access beyond
// claimgraph itself.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/e2e/explore-map.mjs
//
// Through browser.mjs: every request the page makes is recorded, and the check fails if one
// goes to a host other than 127.0.0.1 / localhost / [::1], if the console shows an error or
// the page throws. It opens /explore/map and checks that the offline base layer drew (country
// paths with data), that Ayn al-Assad has a marker linking to its page and a precision
// circle, and that the text alternative lists it with its coordinates; zooms and drags it; asks "events near
// here" for Ayn al-Assad within 25 km and finds the rocket attack there (listed and
// highlighted), then clicks on the map itself; opens the base's page by clicking its marker
// and checks its map section drew, without fetching the outline again; opens
// /explore/timeline and checks the 2020-01-03 strike and the 2022-01-05 attack are drawn with
// an anniversary arc between them, derived (dashed) and asserted by The Wall Street Journal
// (solid), and said in words; clicks the attack's mark and lands on its page; and draws the
// map and the timeline at phone width without the page scrolling sideways.
//
// Screenshots go to $E2E_OUTPUT_DIR/explore-map (default tests/e2e/output/explore-map/), pass
// or fail. Prints "explore-map e2e: 1 passed, 0 failed" and exits 0, or "explore-map e2e:
// 0 passed, 1 failed" with the reason and exits 1.

import { join } from 'node:path';
import { checkRun, serverRoot } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 120_000; // the whole check, launch included
const BASE = 'ayn-al-assad'; // seed/locations.yaml
const ATTACK = 'ayn-al-assad-rocket-attack-2022-01-05';
const STRIKE = 'soleimani-strike-2020-01-03';
const WSJ = 'The Wall Street Journal';
const DERIVED_STROKE = 'rgb(138, 90, 0)'; // --derived in app.css
const OUTLINE = '/explore/assets/countries-50m.json';
const check = checkRun('explore-map', OVERALL_TIMEOUT_MS);
const { screenshot, fail } = check;
let session; // the browser, its page and what they recorded (browser.mjs)
let page;

// Nothing may leave 127.0.0.1, throw, fail or write an error to the console.
const checkRecorded = (where) => session.check(where, { console: true });

function expect(ok, message) {
  if (!ok) throw new Error(message);
}

const outlineFetches = () => session.requests.filter((r) => new URL(r.url).pathname === OUTLINE).length;

async function main() {
  const root = serverRoot();
  session = await check.open();
  page = session.page;
  await checkMapPage(root);
  await checkEventsNear();
  await checkPlacePage();
  await checkEventPage(root);
  await checkTimeline(root);
  await checkPhone(root);
  report(root);
  await check.pass();
}

// 1. The map page: the outline, Ayn al-Assad's marker and circle, the text alternative.
async function checkMapPage(root) {
  const url = new URL('/explore/map', root).href;
  const resp = await page.goto(url, { waitUntil: 'load' });
  expect(resp && resp.ok(), `GET ${url} answered ${resp ? resp.status() : 'nothing'}`);
  await page.waitForSelector('#map-page[data-ready="true"]');
  expect((await page.textContent('main h1')).trim() === 'Map', 'the map page has no <h1>Map</h1>');
  const data = await page.$eval('#map-page', (el) => ({ ...el.dataset }));
  expect(Number(data.outlinePaths) > 0, `the base layer drew no country (data-outline-paths=${data.outlinePaths})`);
  const paths = await page.$$eval('#map-page svg g.outline path', (ps) => ps.map((p) => (p.getAttribute('d') || '').length));
  expect(paths.length === Number(data.outlinePaths), `data-outline-paths=${data.outlinePaths} but ${paths.length} <path>s are drawn`);
  expect(paths.filter((n) => n > 100).length >= 3, `the outline's paths are (nearly) empty: d lengths ${paths.join(', ')}`);
  const markers = await page.locator('#map-page svg a.marker').count();
  expect(markers > 0 && markers === Number(data.markers), `data-markers=${data.markers} but ${markers} markers are drawn`);
  const svg = await page.$eval('#map-page svg', (el) => ({ role: el.getAttribute('role'), title: el.querySelector('title')?.textContent, viewBox: el.getAttribute('viewBox') }));
  expect(svg.role === 'group' && svg.title && svg.viewBox, `the map's <svg> lacks role=group, a <title> or a viewBox: ${JSON.stringify(svg)}`);
  const base = page.locator(`#map-page svg a.marker.place[data-id="${BASE}"]`);
  expect((await base.count()) === 1, `no marker for ${BASE}`);
  expect((await base.getAttribute('href')) === `/explore/node/${BASE}`, `${BASE}'s marker does not link to its page`);
  expect((await base.getAttribute('data-route')) !== null, `${BASE}'s marker is not routed in the page (data-route)`);
  const circle = await page.$eval(`#map-page svg .precision circle[data-id="${BASE}"]`, (c) => ({ r: Number(c.getAttribute('r')), km: Number(c.dataset.precisionKm) }));
  expect(circle.r > 0 && circle.km === 3, `${BASE}'s precision circle is ${JSON.stringify(circle)}, not 3 km`);
  expect((await page.locator(`#map-page svg a.marker.event[data-id="${ATTACK}"]`).count()) === 1, `no marker for the event ${ATTACK}`);
  const listed = await page.textContent(`.map-list li[data-id="${BASE}"]`);
  expect(/33\.7856, 42\.4412/.test(listed) && /± 3 km/.test(listed), `the text alternative lists ${BASE} as ${JSON.stringify(listed)}`);
  expect((await page.locator(`.map-list li[data-id="${ATTACK}"] a[href="/explore/node/${ATTACK}"]`).count()) === 1, 'the text alternative does not link the attack');
  await screenshot('map', { fullPage: true });
  // Zoom in and back: the viewBox changes, and the outline draws again for the new view.
  const before = await page.getAttribute('#map-page svg', 'viewBox');
  await page.click('#map-page button[aria-label="Zoom in"]');
  const zoomed = await page.getAttribute('#map-page svg', 'viewBox');
  expect(zoomed !== before && Number(zoomed.split(' ')[2]) < Number(before.split(' ')[2]), `zooming in left the viewBox ${zoomed}`);
  expect(Number(await page.getAttribute('#map-page', 'data-outline-paths')) > 0, 'the zoomed map has no outline');
  await page.click('#map-page button[aria-label="Reset the zoom"]');
  expect((await page.getAttribute('#map-page svg', 'viewBox')) === before, 'reset did not restore the first view');
  // A drag moves the view, and is not taken for a click on the map.
  const box = await page.locator('#map-page svg').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + 60, { steps: 5 });
  await page.mouse.up();
  const panned = (await page.getAttribute('#map-page svg', 'viewBox')).split(' ').map(Number);
  const first = before.split(' ').map(Number);
  expect(panned[0] > first[0] && panned[1] < first[1], `dragging left and down did not move the view (${before} → ${panned.join(' ')})`);
  expect((await page.locator('#near-results[data-ready]').count()) === 0, 'a drag was taken for a click on the map');
  await page.click('#map-page button[aria-label="Reset the zoom"]');
  checkRecorded('map page');
}

// 2. Events near Ayn al-Assad (within 25 km), then near a point clicked on the map.
async function checkEventsNear() {
  await page.selectOption('#near-place', BASE);
  await page.selectOption('#near-radius', '25');
  await page.click('#near-form button[type="submit"]');
  const hit = page.locator(`#near-results[data-ready="true"] li[data-id="${ATTACK}"]`);
  await hit.waitFor();
  const text = await hit.textContent();
  expect(text.includes('Five rockets fired near Ayn al-Assad') && /under 1 km|km away/.test(text), `the nearby attack is listed as ${JSON.stringify(text)}`);
  expect((await page.textContent('#near-results h3')).includes('within 25 km of Ayn al-Assad'), 'the results do not say around what and how far');
  const cls = await page.getAttribute(`#map-page svg a.marker.event[data-id="${ATTACK}"]`, 'class');
  expect(cls.includes('near'), `the attack's marker is not highlighted (class ${cls})`);
  expect((await page.locator('#map-page svg .near-ring circle').count()) === 1, 'the searched radius is not drawn');
  await screenshot('map-near', { element: '#map-page' });
  // A click on the map (not on a marker) asks around that point.
  const box = await page.locator('#map-page svg').boundingBox();
  await page.mouse.click(box.x + 12, box.y + box.height - 12);
  await page.waitForSelector('#near-results[data-ready="true"] h3:has-text("of the point")');
  checkRecorded('events near');
}

// 3. The base's marker opens its page (in the page, no reload): its map section draws.
async function checkPlacePage() {
  await page.click(`#map-page svg a.marker.place[data-id="${BASE}"] circle.mk`);
  await page.waitForURL(new RegExp(`/explore/node/${BASE}$`));
  await page.waitForSelector(`main[data-node="${BASE}"] section#map[data-ready="true"]`);
  const data = await page.$eval('section#map', (el) => ({ ...el.dataset }));
  expect(Number(data.outlinePaths) > 0 && Number(data.markers) > 0, `the place's map drew ${JSON.stringify(data)}`);
  expect((await page.locator(`section#map svg .precision circle.focus[data-id="${BASE}"]`).count()) === 1, 'the place\'s own precision circle is not drawn');
  expect((await page.locator(`section#map #near-results li[data-id="${ATTACK}"]`).count()) === 1, 'the place\'s map does not list the attack there');
  expect(outlineFetches() === 1, `the outline was fetched ${outlineFetches()} times, not once`);
  await screenshot('place-map', { element: 'section#map' });
  checkRecorded('place page');
}

// 4. An event's page: its map centres on its place, the event itself marked.
async function checkEventPage(root) {
  await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
  await page.waitForSelector(`main[data-node="${ATTACK}"] section#map[data-ready="true"]`);
  expect((await page.locator(`section#map svg a.marker.event.focus[data-id="${ATTACK}"]`).count()) === 1, 'the event\'s map does not mark the event');
  checkRecorded('event page');
}

// 5. The timeline: the strike and the attack, the anniversary arcs, the words, a click.
async function checkTimeline(root) {
  await page.goto(new URL('/explore/timeline', root).href, { waitUntil: 'load' });
  await page.waitForSelector('#timeline[data-ready="true"]');
  expect((await page.textContent('main h1')).trim() === 'Timeline', 'the timeline page has no <h1>Timeline</h1>');
  const data = await page.$eval('#timeline', (el) => ({ ...el.dataset }));
  expect(Number(data.events) >= 10 && Number(data.links) >= 2, `the timeline drew ${JSON.stringify(data)}`);
  expect(Number(data.events) === (await page.locator('#timeline svg a.mark').count()), 'data-events does not count the marks');
  for (const [id, date] of [[STRIKE, '2020-01-03'], [ATTACK, '2022-01-05']]) {
    const mark = page.locator(`#timeline svg a.mark[data-id="${id}"]`);
    expect((await mark.count()) === 1 && (await mark.getAttribute('data-date')) === date, `no mark for ${id} on ${date}`);
  }
  const links = await page.$$eval(`#timeline svg g.link[data-from="${ATTACK}"][data-to="${STRIKE}"]`, (gs) => gs.map((g) => {
    const p = g.querySelector('path');
    const cs = getComputedStyle(p);
    return { ...g.dataset, dash: cs.strokeDasharray, stroke: cs.stroke, title: p.querySelector('title')?.textContent || '' };
  }));
  const derived = links.find((l) => l.derived === 'true');
  expect(derived && derived.dash !== 'none' && derived.stroke === DERIVED_STROKE && derived.rule === 'same_calendar_day' && derived.years === '2',
    `no dashed, derived-coloured 2nd-anniversary arc from the attack to the strike: ${JSON.stringify(links)}`);
  const asserted = links.find((l) => l.derived === 'false');
  expect(asserted && asserted.asserter === WSJ && asserted.dash === 'none' && asserted.title.includes(WSJ),
    `no solid arc asserted by ${WSJ} from the attack to the strike: ${JSON.stringify(links)}`);
  const labels = await page.textContent('#timeline svg g.links');
  expect(labels.includes('2nd anniversary'), `the arcs are not labelled "2nd anniversary": ${labels}`);
  const words = await page.textContent(`.timeline-list li[data-id="${ATTACK}"] li[data-to="${STRIKE}"]`);
  for (const want of ['falls on the 2nd anniversary of', 'U.S. strike that killed Qassem Soleimani', '2020-01-03', 'same_calendar_day', `asserted by ${WSJ}`]) {
    expect(words.includes(want), `the timeline's list does not say ${JSON.stringify(want)}: ${words}`);
  }
  await screenshot('timeline', { fullPage: true });
  await page.click(`#timeline svg a.mark[data-id="${ATTACK}"] text`);
  await page.waitForURL(new RegExp(`/explore/node/${ATTACK}$`));
  // Its map section fetches the outline (a new page load since the timeline's goto): let it
  // finish before leaving, or the next goto aborts that request.
  await page.waitForSelector(`main[data-node="${ATTACK}"] section#map[data-ready="true"]`);
  checkRecorded('timeline');
}

// 6. Phone width: the drawings fit the screen (the timeline scrolls inside its frame).
async function checkPhone(root) {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, ready, name] of [['/explore/map', '#map-page', 'map-phone'], ['/explore/timeline', '#timeline', 'timeline-phone']]) {
    await page.goto(new URL(path, root).href, { waitUntil: 'load' });
    await page.waitForSelector(`${ready}[data-ready="true"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow <= 0, `${path} at phone width scrolls sideways by ${overflow}px`);
    const width = await page.$eval(`${ready} svg`, (el) => el.parentElement.getBoundingClientRect().width);
    expect(width <= 390, `${path}'s drawing is ${width}px wide at phone width`);
    await screenshot(name, { fullPage: true });
  }
  checkRecorded('phone');
}

function report(root) {
  const { requests } = session;
  console.error(`explore-map e2e: ${requests.length} requests, all to ${new URL(root).host} (or data:/blob:):`);
  const byPath = new Map();
  for (const r of requests) {
    const key = `${r.method} ${new URL(r.url).pathname.replace(/^\/explore\/node\/.*/, '/explore/node/…')}`;
    byPath.set(key, (byPath.get(key) || 0) + 1);
  }
  for (const [key, n] of byPath) console.error(`  ${n} × ${key}`);
}


main().catch((e) => fail(e && e.message ? e.message : String(e)));
