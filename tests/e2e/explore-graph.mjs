// End-to-end check of the explorer's graph views: the network drawn on a node's page
// (network.js, Cytoscape.js) and the paths page /explore/paths (paths.js), in headless
// Chromium with no network access beyond claimgraph itself.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 node tests/e2e/explore-graph.mjs
//
// On the Ayn al-Assad attack's page it waits for the network, checks that Cytoscape drew on
// canvases of nonzero size, that at least 3 nodes are drawn and that the list beneath (the
// drawing's text alternative) names the claimant Saraya Qasem al-Jabarin; raises the hops to
// 2 and checks that more nodes appear; follows one relation only and checks that only its
// edges remain; taps a node on the canvas and checks that its page opens. On
// /explore/paths?from=<the attack>&to=iran it checks that a path reaches Iran through Saraya
// Qasem al-Jabarin and the Iran-backed militias with each step's claim, asserter and
// confidence; then picks both ends with the keyboard alone and finds the path again; and it
// looks at both views at phone width. With CLAIMGRAPH_TOKEN (an editor's token) it then
// disputes the front-for claim from outside and checks that the network draws it red and the
// paths page badges its step disputed. It fails on any request leaving 127.0.0.1, any page
// error, failed request, console error or console warning.
//
// Screenshots go to $E2E_OUTPUT_DIR/explore-graph (default tests/e2e/output/explore-graph/),
// pass or fail. Prints "explore-graph e2e: 1 passed, 0 failed" and exits 0, or
// "explore-graph e2e: 0 passed, 1 failed" with the reason and exits 1.

import { join } from 'node:path';
import { checkRun, graphql, serverRoot } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 150_000; // the whole check, launch included
const ATTACK = 'ayn-al-assad-rocket-attack-2022-01-05';
const CLAIMANT = 'saraya-qasem-al-jabarin';
const MILITIAS = 'iran-backed-militias';
const DISPUTED_CLAIM = 'saraya-qasem-al-jabarin-front-for-iran-backed-militias'; // with a token
const check = checkRun('explore-graph', OVERALL_TIMEOUT_MS);
const { screenshot, fail } = check;
let session; // the browser, its page and what they recorded (browser.mjs)
let page;

// Nothing may leave 127.0.0.1, throw, fail or write an error to the console; nor a warning
// (Cytoscape warns of styles it cannot apply and edges it cannot draw).
function checkRecorded(where) {
  session.check(where, { console: true });
  if (session.consoleWarnings.length) throw new Error(`${where}: console warning: ${session.consoleWarnings[0]}`);
}

// The network section's counters, once it says it is drawn.
async function networkState(extra = '') {
  await page.waitForSelector(`#network[data-ready="true"]${extra}`);
  return page.$eval('#network', (el) => ({
    nodes: Number(el.dataset.nodes),
    edges: Number(el.dataset.edges),
    hops: Number(el.dataset.hops),
    relations: el.dataset.relations,
    truncated: el.dataset.truncated,
  }));
}

// The edges the list under the drawing gives (the drawing's text alternative).
function listedEdges() {
  return page.$$eval('#network .network-list li', (lis) => lis.map((li) => ({ ...li.dataset, text: li.textContent })));
}

// The drawing as Cytoscape holds it: the instance sits on its container (container._cyreg).
function drawnGraph() {
  return page.$eval('#network .network-canvas', (el) => {
    const cy = el._cyreg && el._cyreg.cy;
    if (!cy) return null;
    return {
      nodes: cy.nodes().map((n) => n.id()),
      edges: cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id(), claim: e.data('claim'), width: e.style('width'), color: e.style('line-color') })),
    };
  });
}

async function checkNetwork(root) {
  await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
  await page.waitForSelector(`main[data-node="${ATTACK}"] h1`);
  const first = await networkState();
  if (first.hops !== 1) throw new Error(`the network starts at ${first.hops} hops, not 1`);
  if (!(first.nodes >= 3)) throw new Error(`the network draws ${first.nodes} nodes at 1 hop, expected at least 3`);
  if (first.truncated !== 'false') throw new Error('a 1-hop network of the seed says it is truncated');

  // Cytoscape drew on its canvases, and the drawing holds what the counters say.
  const canvases = await page.$$eval('#network .network-canvas canvas', (cs) => cs.map((c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight })));
  if (!canvases.length) throw new Error('the network has no canvas');
  if (!canvases.every((c) => c.w > 0 && c.h > 0 && c.cw > 0 && c.ch > 0)) throw new Error(`a network canvas has no size: ${JSON.stringify(canvases)}`);
  const graph = await drawnGraph();
  if (!graph) throw new Error('no Cytoscape instance on the network canvas');
  if (graph.nodes.length !== first.nodes || graph.edges.length !== first.edges) {
    throw new Error(`the drawing holds ${graph.nodes.length} nodes and ${graph.edges.length} edges, the section says ${first.nodes} and ${first.edges}`);
  }
  const painted = await page.$eval('#network .network-canvas', (el) => {
    // Some canvas pixel is not blank: the nodes were painted, not only placed.
    for (const c of el.querySelectorAll('canvas')) {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    }
    return false;
  });
  if (!painted) throw new Error('the network canvases are blank');
  const role = await page.getAttribute('#network .network-canvas', 'role');
  const aria = await page.getAttribute('#network .network-canvas', 'aria-label');
  if (role !== 'img' || !aria) throw new Error(`the drawing is not described to screen readers (role ${role}, label ${aria})`);

  // The list names the claimant, with the claim's asserter and confidence.
  const listed = await listedEdges();
  if (listed.length !== first.edges) throw new Error(`the list gives ${listed.length} edges, the drawing ${first.edges}`);
  const claimed = listed.find((e) => e.source === CLAIMANT && e.target === ATTACK && e.relation === 'CLAIMED_RESPONSIBILITY_FOR');
  if (!claimed) throw new Error(`the network's list lacks the claimant ${CLAIMANT}: ${listed.map((e) => e.text).join(' | ')}`);
  for (const want of ['Saraya Qasem al-Jabarin', 'claimed responsibility for', 'asserted by', '90%']) {
    if (!claimed.text.includes(want)) throw new Error(`the claimant's line does not say ${JSON.stringify(want)}: ${claimed.text}`);
  }
  if (!(await page.locator(`#network .network-list li[data-claim="${claimed.claim}"] a[href="/explore/node/${CLAIMANT}"]`).count())) {
    throw new Error('the claimant is not a link in the network\'s list');
  }
  const pathsLink = await page.getAttribute('#network a.network-paths', 'href');
  if (pathsLink !== `/explore/paths?from=${ATTACK}`) throw new Error(`"Find paths from here" links to ${pathsLink}`);
  await screenshot('network-1-hop', { element: '#network' });
  checkRecorded('network, 1 hop');

  // Two hops: more nodes, among them the militias the claimant is a front for.
  await page.selectOption('#network-hops', '2');
  const second = await networkState('[data-hops="2"]');
  if (!(second.nodes > first.nodes)) throw new Error(`2 hops draw ${second.nodes} nodes, no more than 1 hop's ${first.nodes}`);
  const graph2 = await drawnGraph();
  if (!graph2.nodes.includes(MILITIAS)) throw new Error(`2 hops do not reach ${MILITIAS}: ${graph2.nodes.join(', ')}`);
  // A surer claim is drawn wider: the 90% claim of responsibility against the 50% front-for.
  const widthOf = (source, target) => parseFloat(graph2.edges.find((e) => e.source === source && e.target === target)?.width);
  if (!(widthOf(CLAIMANT, ATTACK) > widthOf(CLAIMANT, MILITIAS))) {
    throw new Error(`a 90% claim is not drawn wider than a 50% one: ${JSON.stringify(graph2.edges)}`);
  }
  await screenshot('network-2-hops', { element: '#network' });

  // A confidence floor leaves out the less sure claims (the 50% front-for and 60% targeted).
  await page.selectOption('#network-confidence', '75');
  const sure = await networkState('[data-min-confidence="75"]');
  const sureListed = await listedEdges();
  if (!(sure.edges < second.edges) || sureListed.some((e) => Number(e.confidence) < 75)) {
    throw new Error(`at 75% or more the list gives ${sureListed.map((e) => `${e.relation} ${e.confidence}%`).join(', ')}`);
  }
  await page.selectOption('#network-confidence', '0');
  await networkState('[data-min-confidence="0"]');

  // One relation only: None, then tick "claimed responsibility for".
  const relations = await page.$$eval('#network .network-relations input[type=checkbox]', (bs) => bs.map((b) => b.value));
  if (!relations.includes('CLAIMED_RESPONSIBILITY_FOR') || relations.length < 3) throw new Error(`the relation filter offers ${relations.join(', ')}`);
  await page.click('#network button[data-action="none"]');
  const none = await networkState('[data-relations=""]');
  if (none.edges !== 0 || none.nodes !== 1) throw new Error(`with no relation ticked the network still draws ${none.nodes} nodes and ${none.edges} edges`);
  await page.check('#network .network-relations input[value="CLAIMED_RESPONSIBILITY_FOR"]');
  await networkState('[data-relations="CLAIMED_RESPONSIBILITY_FOR"]');
  const onlyListed = await listedEdges();
  const graph3 = await drawnGraph();
  if (!onlyListed.length || onlyListed.some((e) => e.relation !== 'CLAIMED_RESPONSIBILITY_FOR')) {
    throw new Error(`following only "claimed responsibility for", the list gives: ${onlyListed.map((e) => e.relation).join(', ') || 'nothing'}`);
  }
  if (graph3.edges.length !== onlyListed.length || graph3.edges.some((e) => !onlyListed.some((l) => l.claim === e.claim))) {
    throw new Error('the drawing holds other edges than the filtered list');
  }
  await screenshot('network-one-relation', { element: '#network' });
  await page.click('#network button[data-action="all"]');
  const all = await networkState('[data-relations="all"]');
  if (all.nodes !== second.nodes || all.edges !== second.edges) throw new Error(`"All" gives ${all.nodes}/${all.edges}, not the ${second.nodes}/${second.edges} of before`);
  checkRecorded('network, filters');

  // A tap on a node of the canvas opens the node's page.
  const box = await page.locator('#network .network-canvas').boundingBox();
  const at = await page.$eval('#network .network-canvas', (el, id) => el._cyreg.cy.$id(id).renderedPosition(), CLAIMANT);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.waitForSelector(`main[data-node="${CLAIMANT}"] h1`);
  if (!page.url().endsWith(`/explore/node/${CLAIMANT}`)) throw new Error(`tapping the claimant opened ${page.url()}`);
  await networkState();
  checkRecorded('network, tap');

  // "Find paths from here" opens the paths page with this node as the start.
  await page.click('#network a.network-paths');
  await page.waitForURL(new RegExp(`/explore/paths\\?from=${CLAIMANT}$`));
  await page.waitForSelector(`#paths-results[data-ready="true"] >> xpath=..//div[@data-picker="from"][@data-id="${CLAIMANT}"]`);
  const fromText = await page.inputValue('#paths-from');
  if (fromText !== 'Saraya Qasem al-Jabarin') throw new Error(`"Find paths from here" fills the start with ${JSON.stringify(fromText)}`);
  checkRecorded('network, paths link');
}

// The paths listed on the page, each with its steps, as the DOM's data attributes say.
function listedPaths() {
  return page.$$eval('#paths-results li.path', (lis) => lis.map((li) => ({
    hops: Number(li.dataset.hops),
    strip: li.querySelectorAll('svg.path-strip a').length,
    steps: [...li.querySelectorAll('li.step')].map((st) => ({ ...st.dataset, text: st.textContent, bar: st.querySelector('.bar > span')?.getAttribute('style') || '' })),
  })));
}

// The path the article supports: the attack ← claimed by the front group → front for the
// militias → backed by Iran, each step with its claim, asserter and confidence.
async function checkAttackToIran() {
  const paths = await listedPaths();
  const want = [
    { claim: 'saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack', relation: 'CLAIMED_RESPONSIBILITY_FOR', direction: 'BACKWARD', from: ATTACK, to: CLAIMANT, says: ['claimed responsibility for', 'Saraya Qasem al-Jabarin', '90%'] },
    { claim: 'saraya-qasem-al-jabarin-front-for-iran-backed-militias', relation: 'FRONT_FOR', direction: 'FORWARD', from: CLAIMANT, to: MILITIAS, says: ['front for', 'Western and Iraqi officials', '50%'] },
    { claim: 'iran-backed-militias-backed-by-iran', relation: 'BACKED_BY', direction: 'FORWARD', from: MILITIAS, to: 'iran', says: ['backed by', 'Western and Iraqi officials', '80%'] },
  ];
  const match = paths.find((p) => p.hops === 3 && p.steps.length === 3 && want.every((w, i) => Object.keys(w).every((k) => k === 'says' || p.steps[i][k] === w[k])));
  if (!match) throw new Error(`no path attack → ${CLAIMANT} → ${MILITIAS} → iran; listed: ${JSON.stringify(paths.map((p) => p.steps.map((s) => `${s.from} ${s.relation} ${s.direction} ${s.to}`)))}`);
  want.forEach((w, i) => {
    const st = match.steps[i];
    for (const s of [...w.says, 'asserted']) if (!st.text.includes(s)) throw new Error(`the step ${w.claim} does not say ${JSON.stringify(s)}: ${st.text}`);
    if (!st.bar.includes(`width:${w.says[2]}`)) throw new Error(`the step ${w.claim}'s confidence bar is ${st.bar}`);
  });
  if (match.strip !== 4) throw new Error(`the path's strip draws ${match.strip} linked nodes, not 4`);
  const arrows = await page.$$eval('#paths-results li.path li.step .hop .rel', (els) => els.map((e) => e.textContent));
  if (!arrows[0].startsWith('←') || !arrows[1].endsWith('→')) throw new Error(`the steps' arrows read ${JSON.stringify(arrows)}`);
  const heading = await page.textContent('#paths-results h2');
  if (!/from Five rockets fired near Ayn al-Assad to Iran/.test(heading)) throw new Error(`the results are headed ${JSON.stringify(heading)}`);
}

async function checkPaths(root) {
  // By address: the search runs on opening.
  await page.goto(new URL(`/explore/paths?from=${ATTACK}&to=iran`, root).href, { waitUntil: 'load' });
  await page.waitForSelector('#paths-results[data-ready="true"] li.path');
  if ((await page.textContent('main h1')).trim() !== 'Paths') throw new Error('the paths page has no "Paths" heading');
  if ((await page.inputValue('#paths-to')) !== 'Iran') throw new Error(`the "To" box reads ${await page.inputValue('#paths-to')}`);
  await checkAttackToIran();
  await screenshot('paths', { fullPage: true });
  checkRecorded('paths by address');

  // Fewer hops than the shortest path: "no path", and the address says so.
  await page.selectOption('#paths-hops', '2');
  await page.click('#paths-form-submit');
  await page.waitForURL(/hops=2$/);
  await page.waitForSelector('#paths-results[data-ready="true"] .no-path');
  const none = await page.textContent('#paths-results .no-path');
  if (!none.includes('No path within 2 steps')) throw new Error(`with 2 hops the page says ${JSON.stringify(none)}`);
  if ((await page.locator('#paths-results li.path').count()) !== 0) throw new Error('with 2 hops a path is still listed');
  checkRecorded('no path');

  // The pickers by keyboard alone: type, arrow down, Enter; Tab on; Enter finds.
  await page.goto(new URL('/explore/paths', root).href, { waitUntil: 'load' });
  await page.waitForSelector('#paths-results[data-ready="true"]');
  await page.focus('#paths-from');
  await page.keyboard.type('Five rockets', { delay: 30 });
  await page.waitForSelector(`#paths-from-list li[role=option][data-id="${ATTACK}"]`);
  await page.keyboard.press('ArrowDown');
  const active = await page.getAttribute('#paths-from', 'aria-activedescendant');
  if (!active || (await page.getAttribute(`#${active}`, 'aria-selected')) !== 'true') throw new Error('ArrowDown marks no option of the "From" list');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-picker="from"][data-id="${ATTACK}"]`);
  await page.keyboard.press('Tab');
  if ((await page.evaluate(() => document.activeElement.id)) !== 'paths-to') throw new Error('Tab from "From" does not reach "To"');
  await page.keyboard.type('Iran', { delay: 30 });
  await page.waitForSelector('#paths-to-list li[role=option][data-id="iran"]');
  await screenshot('paths-picker');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-picker="to"][data-id="iran"]');
  await page.keyboard.press('Enter'); // the list is closed: Enter submits the form
  await page.waitForURL(new RegExp(`/explore/paths\\?from=${ATTACK}&to=iran&hops=4$`));
  await page.waitForSelector('#paths-results[data-ready="true"] li.path');
  await checkAttackToIran();
  checkRecorded('pickers by keyboard');

  // A step's link opens the node's page.
  await page.click('#paths-results li.step[data-relation="FRONT_FOR"] .hop a[href="/explore/node/iran-backed-militias"]');
  await page.waitForSelector(`main[data-node="${MILITIAS}"] h1`);
  await networkState();
  checkRecorded('paths, a step\'s link');
}

// Both views at phone width: nothing scrolls sideways, and the drawing still draws.
async function checkPhone(root) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(new URL(`/explore/node/${ATTACK}`, root).href, { waitUntil: 'load' });
  const phone = await networkState();
  if (!(phone.nodes >= 3)) throw new Error(`at phone width the network draws ${phone.nodes} nodes`);
  const size = await page.$eval('#network .network-canvas', (el) => ({ w: el.clientWidth, h: el.clientHeight }));
  if (size.w < 300 || size.w > 390 || size.h < 300) throw new Error(`at phone width the network's canvas is ${size.w}×${size.h}`);
  await sideways('the network page');
  await screenshot('network-phone', { element: '#network' });
  await page.goto(new URL(`/explore/paths?from=${ATTACK}&to=iran`, root).href, { waitUntil: 'load' });
  await page.waitForSelector('#paths-results[data-ready="true"] li.path');
  await sideways('the paths page');
  await screenshot('paths-phone', { fullPage: true });
  checkRecorded('phone');
}

// With an editor's token: dispute a link from outside the page; the network draws it red
// and the paths page badges the step disputed.
async function checkDisputed(root, token) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await disputeClaim(root, token, DISPUTED_CLAIM);
  await page.goto(new URL(`/explore/node/${CLAIMANT}`, root).href, { waitUntil: 'load' });
  await networkState();
  const edge = await page.$eval('#network .network-canvas', (el, id) => {
    const e = el._cyreg.cy.edges().filter((x) => x.data('claim') === id)[0];
    return e && { color: e.style('line-color'), classes: e.classes() };
  }, DISPUTED_CLAIM);
  if (!edge || edge.color !== 'rgb(179,38,30)') throw new Error(`the disputed claim's edge is not drawn red: ${JSON.stringify(edge)}`);
  const listed = await page.getAttribute(`#network .network-list li[data-claim="${DISPUTED_CLAIM}"]`, 'data-status');
  if (listed !== 'DISPUTED') throw new Error(`the network's list gives the disputed claim status ${listed}`);
  await screenshot('network-disputed', { element: '#network' });
  await page.goto(new URL(`/explore/paths?from=${ATTACK}&to=iran`, root).href, { waitUntil: 'load' });
  await page.waitForSelector('#paths-results[data-ready="true"] li.path');
  const badge = await page.textContent(`#paths-results li.step[data-claim="${DISPUTED_CLAIM}"] .badge.status-DISPUTED`);
  if (badge.trim() !== 'disputed') throw new Error(`the disputed step's badge reads ${JSON.stringify(badge)}`);
  const stroke = await page.$eval(`#paths-results svg.path-strip g.edge[data-claim="${DISPUTED_CLAIM}"] path`, (p) => getComputedStyle(p).stroke);
  if (stroke !== 'rgb(179, 38, 30)') throw new Error(`the disputed step is drawn ${stroke} in the strip`);
  checkRecorded('disputed');
}

// Disputes a claim with a POST from outside the page, as another editor would.
async function disputeClaim(root, token, id) {
  const { claim } = await graphql(root, 'query Version($id: ID!) { claim(id: $id) { version } }', { id });
  await graphql(
    root,
    'mutation Dispute($id: ID!, $version: Int!) { setClaimStatus(id: $id, version: $version, status: DISPUTED, reason: "explore-graph e2e: a disputed link is drawn red") { id status } }',
    { id, version: claim.version },
    token,
  );
}

async function sideways(where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`at phone width ${where} scrolls sideways by ${overflow}px`);
}

async function main() {
  const root = serverRoot();
  session = await check.open();
  page = session.page;

  await checkNetwork(root);
  await checkPaths(root);
  await checkPhone(root);
  if (process.env.CLAIMGRAPH_TOKEN) await checkDisputed(root, process.env.CLAIMGRAPH_TOKEN);

  await check.pass();
}


main().catch((e) => fail(e && e.message ? e.message : String(e)));
