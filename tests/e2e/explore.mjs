// End-to-end check: the explorer served by claimgraph (/explore) works in headless Chromium
// with no network access beyond claimgraph itself.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/e2e/explore.mjs
//
// Launches headless Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) through playwright-core,
// records every request the page makes and fails if any goes to a host other than 127.0.0.1 /
// localhost / [::1] (data: and blob: are fine), if the console shows an error, or if the page
// throws. It opens /explore, types "Soleimani" into the search box, waits for the hits and
// opens the first (Qassem Soleimani's page); opens the Ayn al-Assad attack's page and reads
// its chain from the DOM (claimant Saraya Qasem al-Jabarin → Major Iran-backed militias →
// Iran; the 2nd anniversary of the 2020-01-03 strike, asserted by The Wall Street Journal, and
// the same anniversary derived by rule); follows a link in the chain and comes back with the
// browser's back button; opens the page of every node of the seed (every type) and checks
// each draws without an error; opens a claim's page and the attack's at phone width. With
// CLAIMGRAPH_TOKEN (an editor's token) it then disputes the militias-backed-by-Iran claim
// with a POST from outside and checks that the chain draws that link red, and creates an
// actor with a very long name to check that no page scrolls sideways at phone width.
//
// Screenshots of each view go to $E2E_OUTPUT_DIR (default tests/e2e/output/explore/), pass or
// fail. Prints "explore e2e: 1 passed, 0 failed" and exits 0, or "explore e2e: 0 passed,
// 1 failed" with the reason and exits 1.

import { join } from 'node:path';
import { checkRun, graphql, serverRoot } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 150_000; // the whole check, launch included
const ATTACK = 'ayn-al-assad-rocket-attack-2022-01-05';
const DISPUTED_CLAIM = 'iran-backed-militias-backed-by-iran'; // disputed by step 6
const check = checkRun('explore', OVERALL_TIMEOUT_MS);
const { screenshot, fail } = check;
let session; // the browser, its page and what they recorded (browser.mjs)
let page;

// Nothing may leave 127.0.0.1, throw, fail or write an error to the console.
const checkRecorded = (where) => session.check(where, { console: true });

async function main() {
  const root = serverRoot();
  session = await check.open();
  page = session.page;
  const { requests } = session;

  // 1. The home page.
  const explore = new URL('/explore', root).href;
  const resp = await page.goto(explore, { waitUntil: 'load' });
  if (!resp || !resp.ok()) throw new Error(`GET ${explore} answered ${resp ? resp.status() : 'nothing'}`);
  const title = await page.title();
  if (title !== 'claimgraph — Explorer') throw new Error(`page title is ${JSON.stringify(title)}`);
  await page.waitForSelector('main[data-ready="true"] h1');
  await screenshot('home');
  checkRecorded('home');

  // 2. Search as you type, then open the hit.
  await page.click('#search-input');
  await page.keyboard.type('Soleimani', { delay: 40 });
  await page.waitForSelector('#search-results li[data-id="qassem-soleimani"]');
  const first = await page.getAttribute('#search-results li[role=option]', 'data-id');
  if (first !== 'qassem-soleimani') throw new Error(`first hit for "Soleimani" is ${first}, expected qassem-soleimani`);
  const marked = await page.textContent('#search-results li[data-id="qassem-soleimani"] mark');
  if (!/Soleimani/.test(marked || '')) throw new Error(`the hit's snippet marks ${JSON.stringify(marked)}, not the match`);
  if (!requests.some((r) => r.method === 'POST' && new URL(r.url).pathname === '/graphql')) {
    throw new Error('the search sent no POST /graphql');
  }
  await screenshot('search');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/explore\/node\/qassem-soleimani$/);
  await page.waitForSelector('main[data-node="qassem-soleimani"] h1');
  const h1 = (await page.textContent('main h1')).trim();
  if (h1 !== 'Qassem Soleimani') throw new Error(`the hit opened a page titled ${JSON.stringify(h1)}`);
  // His page lists claims in, grouped by relation (the strike killed him).
  const killed = await page.locator('#claims-in ul[data-relation="KILLED"] li.claim').count();
  if (killed < 1) throw new Error('Qassem Soleimani\'s page shows no "killed" claim in');
  await screenshot('actor', { fullPage: true });
  checkRecorded('search');

  // 3. The attack's page, by its address: fields, claims, and the chain.
  await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
  await page.waitForSelector(`main[data-node="${ATTACK}"] h1`);
  await page.waitForSelector('#chain[data-ready="true"]');
  const claimant = page.locator('#claims-in ul[data-relation="CLAIMED_RESPONSIBILITY_FOR"] li.claim').first();
  const claimantText = await claimant.textContent();
  for (const want of ['Saraya Qasem al-Jabarin', 'asserted', '90%', 'Military bases holding U.S. forces']) {
    if (!claimantText.includes(want)) throw new Error(`the claimant's claim does not show ${JSON.stringify(want)}: ${claimantText}`);
  }
  if ((await claimant.locator('.badge.status-ASSERTED').count()) !== 1) throw new Error('the claim has no "asserted" status badge');
  if ((await claimant.locator('.badge.self-asserted').count()) !== 1) throw new Error('a group claiming its own attack is not marked self-asserted');
  const barWidth = await claimant.locator('.bar > span').getAttribute('style');
  if (!/width:\s*90%/.test(barWidth || '')) throw new Error(`the confidence bar is ${barWidth}, not 90%`);
  const anniversary = page.locator('#anniversaries li.claim.derived');
  if ((await anniversary.count()) < 1) throw new Error('no derived anniversary on the attack\'s page');
  const annText = await anniversary.first().textContent();
  for (const want of ['same_calendar_day', 'derived', '2020-01-03', 'The Wall Street Journal']) {
    if (!annText.includes(want)) throw new Error(`the derived anniversary does not show ${JSON.stringify(want)}: ${annText}`);
  }

  // The chain, read from the list (the drawing's text alternative) and from the drawing.
  const steps = await page.$$eval('#chain .chain-list li', (lis) =>
    lis.map((li) => ({ ...li.dataset, text: li.textContent })),
  );
  const step = (pred, what) => {
    const found = steps.find(pred);
    if (!found) throw new Error(`the chain lacks ${what}; it lists:\n    ${steps.map((s) => s.text).join('\n    ')}`);
    return found;
  };
  step((s) => s.relation === 'CLAIMED_RESPONSIBILITY_FOR' && s.to === 'saraya-qasem-al-jabarin' && s.text.includes('Saraya Qasem al-Jabarin claimed responsibility for'), 'the claimant Saraya Qasem al-Jabarin');
  step((s) => s.relation === 'FRONT_FOR' && s.from === 'saraya-qasem-al-jabarin' && s.to === 'iran-backed-militias' && s.text.includes('Major Iran-backed militias'), 'Saraya Qasem al-Jabarin → Major Iran-backed militias');
  step((s) => s.relation === 'BACKED_BY' && s.from === 'iran-backed-militias' && s.to === 'iran' && /\bIran\b/.test(s.text), 'Major Iran-backed militias → Iran');
  const motive = step((s) => s.relation === 'MARKED_ANNIVERSARY_OF' && s.to === 'soleimani-strike-2020-01-03', 'the anniversary of the 2020-01-03 strike');
  if (motive.asserter !== 'The Wall Street Journal' || !motive.text.includes('2020-01-03') || !motive.text.includes('2nd anniversary')) {
    throw new Error(`the anniversary step does not say the WSJ asserts the 2nd anniversary of 2020-01-03: ${motive.text}`);
  }
  step((s) => s.relation === 'DERIVED' && s.derived === 'true' && s.to === 'soleimani-strike-2020-01-03' && s.text.includes('same_calendar_day'), 'the derived anniversary (rule same_calendar_day)');

  const drawn = await page.$$eval('#chain svg g.edges g.edge', (gs) => gs.map((g) => ({ ...g.dataset, cls: g.getAttribute('class'), dash: getComputedStyle(g.querySelector('path')).strokeDasharray, width: g.querySelector('path').getAttribute('stroke-width') })));
  const edge = (from, to) => drawn.find((e) => e.from === from && e.to === to);
  for (const [from, to] of [
    [ATTACK, 'saraya-qasem-al-jabarin'],
    ['saraya-qasem-al-jabarin', 'iran-backed-militias'],
    ['iran-backed-militias', 'iran'],
  ]) {
    if (!edge(from, to)) throw new Error(`the drawing has no edge ${from} → ${to}; it has ${JSON.stringify(drawn)}`);
  }
  if (!(Number(edge(ATTACK, 'saraya-qasem-al-jabarin').width) > Number(edge('saraya-qasem-al-jabarin', 'iran-backed-militias').width))) {
    throw new Error('a 90% claim is not drawn wider than a 50% one');
  }
  if (!drawn.some((e) => e.to === 'soleimani-strike-2020-01-03' && e.cls.includes('derived') && e.dash !== 'none')) {
    throw new Error('no dashed (derived) edge to the 2020-01-03 strike');
  }
  const labels = await page.textContent('#chain svg g.labels');
  for (const want of ['Western and Iraqi officials', 'The Wall Street Journal', 'front for', 'backed by']) {
    if (!labels.includes(want)) throw new Error(`the drawing's edge labels lack ${JSON.stringify(want)}`);
  }
  await screenshot('event', { fullPage: true });
  await screenshot('chain', { element: '#chain' });
  checkRecorded('chain');

  // 4. A node in the drawing opens its page; the back button comes back to the attack.
  await page.click('#chain svg a[href="/explore/node/iran"]');
  await page.waitForSelector('main[data-node="iran"] h1');
  await screenshot('iran', { fullPage: false });
  // Graphcache keeps every node once by __typename and id: the attack's page and chain are
  // answered from the cache, with no request.
  const postsBefore = requests.filter((r) => r.method === 'POST').length;
  await page.goBack();
  await page.waitForSelector(`main[data-node="${ATTACK}"] #chain[data-ready="true"]`);
  const postsAfter = requests.filter((r) => r.method === 'POST').length;
  if (postsAfter !== postsBefore) throw new Error(`going back to the attack sent ${postsAfter - postsBefore} request(s); the cache should answer`);

  // 5. Every node of the seed, of every type, has a page that draws without an error.
  const all = await graphql(root, `{
    actors(first: 500) { nodes { id } } events(first: 500) { nodes { id } }
    locations(first: 500) { nodes { id } } sources(first: 500) { nodes { id } }
    statements(first: 500) { nodes { id } } claims(first: 500) { nodes { id } }
    stances(first: 500) { nodes { id } }
  }`);
  const ids = Object.values(all).flatMap((list) => list.nodes.map((n) => n.id));
  if (ids.length < 50) throw new Error(`the seed lists only ${ids.length} nodes`);
  for (const id of ids) {
    await page.goto(new URL(`/explore/node/${encodeURIComponent(id)}`, root).href, { waitUntil: 'load' });
    await page.waitForSelector(`main[data-node="${id}"] h1`);
    // Leaving while a section still loads would cancel its request (a failed request).
    await page.waitForFunction(() => ['#chain', '#map', '#network']
      .map((sel) => document.querySelector(sel))
      .every((el) => !el || el.dataset.ready === 'true'));
    if (await page.locator('main .error').count()) throw new Error(`${id}'s page shows an error: ${await page.textContent('main .error')}`);
    checkRecorded(id);
  }
  console.error(`explore e2e: ${ids.length} node pages drawn`);
  // A source lists the claims it reports (not "in" and "out": it is neither end of them).
  await page.goto(new URL('/explore/node/article-iraq-syria-bases-attacked-2022-01', root).href, { waitUntil: 'load' });
  await page.waitForSelector('main[data-node="article-iraq-syria-bases-attacked-2022-01"] #claims-cited');
  if ((await page.locator('#claims-cited li.claim').count()) < 5) throw new Error('the article\'s page lists fewer than 5 claims it reports');

  // A claim with evidence shows the quote and who said it.
  await page.goto(new URL('/explore/node/harakat-al-nujaba', root).href, { waitUntil: 'load' });
  const quote = page.locator('li.claim[data-claim="harakat-al-nujaba-opposes-us-forces"] blockquote.evidence').first();
  await quote.waitFor();
  const quoteText = (await quote.textContent()) || '';
  if (!quoteText.startsWith('“') || !(await quote.locator('footer').textContent()).startsWith('— ')) {
    throw new Error(`the evidence quote reads ${JSON.stringify(quoteText)}`);
  }
  await screenshot('evidence', { fullPage: true });

  // A claim's own page, and a phone-width screen.
  await page.goto(new URL('/explore/node/saraya-qasem-al-jabarin-front-for-iran-backed-militias', root).href, { waitUntil: 'load' });
  await page.waitForSelector('main[data-node="saraya-qasem-al-jabarin-front-for-iran-backed-militias"] li.claim');
  await screenshot('claim');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
  await page.waitForSelector('#chain[data-ready="true"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`at phone width the page scrolls sideways by ${overflow}px`);
  await screenshot('event-phone', { fullPage: true });
  checkRecorded('phone');

  // 6. With an editor's token: dispute a link of the chain from outside the page; reloaded,
  // the chain draws that link red and the claim's badge says disputed.
  const token = process.env.CLAIMGRAPH_TOKEN;
  if (token) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await disputeClaim(root, token, DISPUTED_CLAIM);
    await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
    await page.waitForSelector('#chain[data-ready="true"]');
    const disputed = await page.$$eval('#chain svg g.edges g.edge', (gs, id) => {
      const g = gs.find((x) => x.dataset.claim === id);
      return g && { cls: g.getAttribute('class'), stroke: getComputedStyle(g.querySelector('path')).stroke };
    }, DISPUTED_CLAIM);
    if (!disputed || !disputed.cls.includes('disputed') || disputed.stroke !== 'rgb(179, 38, 30)') {
      throw new Error(`the disputed claim's edge is not drawn red: ${JSON.stringify(disputed)}`);
    }
    const listed = await page.getAttribute(`#chain .chain-list li[data-to="iran"]`, 'data-status');
    if (listed !== 'DISPUTED') throw new Error(`the chain's list gives the disputed link status ${listed}`);
    await page.goto(new URL('/explore/node/iran', root).href, { waitUntil: 'load' });
    const badge = await page.textContent(`li.claim[data-claim="${DISPUTED_CLAIM}"] .badge.status-DISPUTED`);
    if (badge.trim() !== 'disputed') throw new Error(`the disputed claim's badge reads ${JSON.stringify(badge)}`);
    await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
    await page.waitForSelector('#chain[data-ready="true"]');
    await screenshot('chain-disputed', { element: '#chain' });
    checkRecorded('disputed');

    // A name far longer than any the seed has breaks no layout, even at phone width.
    const long = 'Brigade of the Martyrs of the Long Name Who Test Layouts ' + 'al-'.repeat(20) + 'Supercalifragilisticexpialidociousandthensome';
    await graphql(root, 'mutation Long($input: ActorInput!) { createActor(input: $input) { id } }',
      { input: { id: 'explore-e2e-long-name', kind: 'ARMED_GROUP', name: long, aliases: [long.toUpperCase()] } }, token);
    await graphql(root, `mutation Link($input: ClaimInput!) { assertClaim(input: $input) { id } }`,
      { input: { subject: 'explore-e2e-long-name', relation: 'BACKED_BY', object: 'iran', assertedBy: 'unknown', source: 'article-iraq-syria-bases-attacked-2022-01', confidence: 30 } }, token);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(new URL('/explore/node/explore-e2e-long-name', root).href, { waitUntil: 'load' });
    await page.waitForSelector('main[data-node="explore-e2e-long-name"] li.claim');
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (sideways > 0) throw new Error(`a long name makes the page scroll sideways by ${sideways}px at phone width`);
    await screenshot('long-name-phone', { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    checkRecorded('long name');
  }

  console.error(`explore e2e: ${requests.length} requests, all to ${new URL(root).host} (or data:/blob:):`);
  const byPath = new Map();
  for (const r of requests) {
    const key = `${r.method} ${new URL(r.url).pathname.replace(/^\/explore\/node\/.*/, '/explore/node/…')}`;
    byPath.set(key, (byPath.get(key) || 0) + 1);
  }
  for (const [key, n] of byPath) console.error(`  ${n} × ${key}`);
  await check.pass();
}

// Disputes a claim with a POST from outside the page, as another editor would.
async function disputeClaim(root, token, id) {
  const { claim } = await graphql(root, 'query Version($id: ID!) { claim(id: $id) { version } }', { id });
  await graphql(
    root,
    'mutation Dispute($id: ID!, $version: Int!) { setClaimStatus(id: $id, version: $version, status: DISPUTED, reason: "explore e2e: a disputed link is drawn red") { id status } }',
    { id, version: claim.version },
    token,
  );
}


main().catch((e) => fail(e && e.message ? e.message : String(e)));
