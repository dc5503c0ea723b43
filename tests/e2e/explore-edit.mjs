// End-to-end check of the explorer's live updates and editors' forms (/explore), in headless
// Chromium with no network access beyond claimgraph itself.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 CLAIMGRAPH_TOKEN=<editor token> node tests/e2e/explore-edit.mjs
//
// It writes only nodes of its own: it creates throwaway actors from outside first, so that
// the seed's claims (which tests/e2e/explore.mjs reads, before this check, on the same
// server) stay as they are. Then:
//   (a) live: on a new actor's page, once the header's dot says "live", a claim asserted
//       from outside (a POST with the token) appears in the page, marked new and announced,
//       without a reload;
//   (b) sign-in: a wrong token is refused at the field; the right one is kept in session
//       storage and never in local storage;
//   (c) dispute: an empty reason is refused at the reason field; with a reason the claim's
//       badge turns "disputed", and the server agrees;
//   (d) assert: a confidence of 150 is refused under the confidence field (the server's
//       message); 75 asserts a claim that appears in the page;
//   (e) merge: one throwaway actor merged into another from the page; its claim moves and
//       its id resolves to the other;
//   (f) a token the server refuses on use signs the editor out with a clear message.
// Fails on any request leaving 127.0.0.1, any page error, console error or failed request.
// Screenshots go to $E2E_OUTPUT_DIR/explore-edit/ (default tests/e2e/output/explore-edit/).
// Prints "explore-edit e2e: 1 passed, 0 failed" and exits 0, or "... 0 passed, 1 failed".

import { checkRun, graphql, serverRoot } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 150_000;
const TOKEN_KEY = 'claimgraph.editorToken';
const SOURCE = 'article-iraq-syria-bases-attacked-2022-01';
const ASSERTER = 'iraqi-officials';
const check = checkRun('explore-edit', OVERALL_TIMEOUT_MS);
const { screenshot, fail } = check;
let session; // the browser, its page and what they recorded (browser.mjs)
let page;

const checkRecorded = (where) => session.check(where, { console: true });

async function createActor(root, token, id, name) {
  await graphql(root, 'mutation A($input: ActorInput!) { createActor(input: $input, reason: "explore-edit e2e") { id } }',
    { input: { id, kind: 'ARMED_GROUP', name } }, token);
}

async function assertFromOutside(root, token, subject, relation, object, confidence) {
  const data = await graphql(root, 'mutation C($input: ClaimInput!) { assertClaim(input: $input, reason: "explore-edit e2e") { id } }',
    { input: { subject, relation, object, assertedBy: ASSERTER, source: SOURCE, confidence } }, token);
  return data.assertClaim.id;
}

async function storage() {
  return page.evaluate((key) => ({
    session: sessionStorage.getItem(key),
    local: Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]),
  }), TOKEN_KEY);
}

// The text of the error shown at a form's field, with the field's ARIA wiring checked.
async function fieldError(form, name) {
  const f = page.locator(`${form} .field[data-field="${name}"]`);
  const err = f.locator('.field-error');
  await err.waitFor({ state: 'visible' });
  const wiring = await f.evaluate((el) => {
    const control = el.querySelector('input, select, textarea');
    const errEl = el.querySelector('.field-error');
    return { invalid: control.getAttribute('aria-invalid'), describedBy: (control.getAttribute('aria-describedby') || '').split(' '), errId: errEl.id };
  });
  if (wiring.invalid !== 'true' || !wiring.describedBy.includes(wiring.errId)) {
    throw new Error(`the ${name} field's error is not tied to it: ${JSON.stringify(wiring)}`);
  }
  return (await err.textContent()).trim();
}

async function openNode(root, id) {
  await page.goto(new URL(`/explore/node/${encodeURIComponent(id)}`, root).href, { waitUntil: 'load' });
  await page.waitForSelector(`main[data-node="${id}"] h1`);
  // The network view loads on its own; a re-draw while it loads supersedes (aborts) its request.
  if (await page.locator('#network').count()) await page.waitForSelector('#network[data-ready="true"]');
}

async function main() {
  const root = serverRoot();
  const token = process.env.CLAIMGRAPH_TOKEN;
  if (!token) throw new Error('CLAIMGRAPH_TOKEN is not set: these checks write with an editor\'s token');

  // Throwaway actors, so that nothing the seed's checks read changes.
  const run = Date.now().toString(36);
  const group = `e2e-edit-${run}-group`;
  const target = `e2e-edit-${run}-target`;
  const keep = `e2e-edit-${run}-keep`;
  const dup = `e2e-edit-${run}-dup`;
  await createActor(root, token, group, `Edit Check Group ${run}`);
  await createActor(root, token, target, `Edit Check Target ${run}`);
  await createActor(root, token, keep, `Edit Check Keeper ${run}`);
  await createActor(root, token, dup, `Edit Check Duplicate ${run}`);

  session = await check.open();
  page = session.page;
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  // Which operation a failed POST carried, for the failure report.
  page.on('requestfailed', (req) => { if (req.method() === 'POST') console.error(`explore-edit e2e: failed POST ${(req.postData() || '').slice(0, 160)}`); });

  // (a) Live: a claim asserted from outside appears without a reload.
  await openNode(root, group);
  await page.waitForSelector('.live-status[data-state="live"]');
  await page.evaluate(() => { window.__e2eSamePage = true; });
  const navigationsBefore = navigations;
  await screenshot('live-waiting');
  // graphql-ws has no acknowledgement of a subscribe message: give it a moment to arrive.
  await page.waitForTimeout(300);
  const liveClaim = await assertFromOutside(root, token, group, 'OPPOSES', target, 60);
  const liveLi = page.locator(`#claims-out li.claim.live-new[data-claim="${liveClaim}"]`);
  await liveLi.waitFor();
  if (navigations !== navigationsBefore || !(await page.evaluate(() => window.__e2eSamePage === true))) {
    throw new Error('the page reloaded to show the new claim');
  }
  const liveText = await liveLi.textContent();
  for (const want of [`Edit Check Target ${run}`, 'opposes', 'Iraqi officials', '60%']) {
    if (!liveText.includes(want)) throw new Error(`the live claim does not show ${JSON.stringify(want)}: ${liveText}`);
  }
  const said = await page.textContent('#live-announcer');
  if (!said.includes(`New claim: Edit Check Group ${run} opposes Edit Check Target ${run}, asserted by Iraqi officials`)) {
    throw new Error(`the live region announced ${JSON.stringify(said)}`);
  }
  if ((await page.getAttribute('#live-announcer', 'aria-live')) !== 'polite') throw new Error('the announcer is not a polite live region');
  await screenshot('live-new', { fullPage: true });
  checkRecorded('live');

  // (b) Sign-in: a wrong token is refused; the right one stays in session storage only.
  await page.click('#editor-controls button.editor-signin');
  await page.waitForSelector('dialog.editor-dialog[open]');
  await page.fill('dialog.editor-dialog input[type="password"]', 'not-the-token-0123456789');
  await page.click('dialog.editor-dialog button[type="submit"]');
  const refusedAtSignIn = await fieldError('dialog.editor-dialog form', 'token');
  if (!/refused/.test(refusedAtSignIn) || !/UNAUTHENTICATED/.test(refusedAtSignIn)) throw new Error(`a wrong token is answered with ${JSON.stringify(refusedAtSignIn)}`);
  if ((await storage()).session) throw new Error('a refused token was kept');
  await screenshot('signin-refused');
  await page.fill('dialog.editor-dialog input[type="password"]', token);
  await page.click('dialog.editor-dialog button[type="submit"]');
  await page.waitForSelector('#editor-controls .editor-badge');
  await page.waitForSelector('dialog.editor-dialog:not([open])', { state: 'attached' });
  const kept = await storage();
  if (kept.session !== token) throw new Error(`session storage holds ${JSON.stringify(kept.session)}, not the token`);
  if (kept.local.some(([k, v]) => v === token || k === TOKEN_KEY)) throw new Error('the token went into local storage');
  const signedIn = (await page.textContent('#editor-controls')).replace(/\s+/g, ' ').trim();
  if (!signedIn.startsWith('Editor ✓ · Sign out')) throw new Error(`the header reads ${JSON.stringify(signedIn)} once signed in`);
  await page.waitForSelector(`li.claim[data-claim="${liveClaim}"] .editor-buttons button[data-status="DISPUTED"]`);
  await screenshot('signed-in');
  checkRecorded('sign-in');

  // (c) Dispute in the page: the reason is required, at its field.
  const claimLi = `#claims-out li.claim[data-claim="${liveClaim}"]`;
  await page.click(`${claimLi} .editor-buttons button[data-status="DISPUTED"]`);
  const disputeForm = `${claimLi} form.status-form`;
  await page.waitForSelector(disputeForm);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
  if (focused !== 'reason') throw new Error(`opening the form focused ${focused}, not its reason`);
  await page.click(`${disputeForm} button[type="submit"]`);
  const noReason = await fieldError(disputeForm, 'reason');
  if (!/reason/i.test(noReason)) throw new Error(`an empty reason is answered with ${JSON.stringify(noReason)}`);
  await screenshot('dispute-no-reason', { element: claimLi });
  await page.fill(`${disputeForm} textarea[name="reason"]`, 'explore-edit e2e: another source contradicts it');
  await page.click(`${disputeForm} button[type="submit"]`);
  // The page re-draws after the change, and once more when the live notice of it arrives.
  await page.waitForSelector(`${claimLi}.live-changed .badge.status-DISPUTED`);
  const badge = (await page.textContent(`${claimLi} .badge.status-DISPUTED`)).trim();
  if (badge !== 'disputed') throw new Error(`the disputed claim's badge reads ${JSON.stringify(badge)}`);
  const serverSays = await graphql(root, 'query S($id: ID!) { claim(id: $id) { status } }', { id: liveClaim });
  if (serverSays.claim.status !== 'DISPUTED') throw new Error(`the server has the claim ${serverSays.claim.status}`);
  await screenshot('disputed', { element: claimLi });
  checkRecorded('dispute');

  // Another editor changes the claim while the form is open: what was typed survives the
  // live re-draw, the submit meets CONFLICT, and "Reload the claim" lets it through.
  await page.click(`${claimLi} .editor-buttons button[data-status="CONFIRMED"]`);
  const confirmReason = 'explore-edit e2e: a second source confirms it';
  await page.fill(`${disputeForm} textarea[name="reason"]`, confirmReason);
  const { claim: before } = await graphql(root, 'query V($id: ID!) { claim(id: $id) { version } }', { id: liveClaim });
  await graphql(root, 'mutation R($id: ID!, $v: Int!) { setClaimStatus(id: $id, version: $v, status: REFUTED, reason: "explore-edit e2e: another editor") { id } }',
    { id: liveClaim, v: before.version }, token);
  await page.waitForSelector(`${claimLi}.live-changed .badge.status-REFUTED`);
  if ((await page.inputValue(`${disputeForm} textarea[name="reason"]`)) !== confirmReason) throw new Error('the live re-draw lost the reason being typed');
  await page.click(`${disputeForm} button[type="submit"]`);
  const conflict = page.locator(`${disputeForm} .form-error:not([hidden])`);
  await conflict.waitFor();
  if (!/changed this claim/.test(await conflict.textContent())) throw new Error(`a stale version is answered with ${JSON.stringify(await conflict.textContent())}`);
  await screenshot('conflict', { element: claimLi });
  await page.click(`${disputeForm} .form-error button`);
  await page.waitForSelector(`${disputeForm} .form-error[hidden]`, { state: 'attached' });
  await page.click(`${disputeForm} button[type="submit"]`);
  await page.waitForSelector(`${claimLi}.live-changed .badge.status-CONFIRMED`);
  checkRecorded('conflict');

  // (d) Assert a claim with the form: the server's message for a confidence of 150 shows
  // under the confidence field; 75 asserts it, and it appears.
  const form = '#assert form';
  await page.selectOption(`${form} select[name="input.relation"]`, 'ALIGNED_WITH');
  await page.click(`${form} input[name="input.object"]`);
  await page.keyboard.type(`Edit Check Target ${run}`, { delay: 15 });
  await page.waitForSelector(`${form} .field[data-field="input.object"] li[role="option"][data-id="${target}"]`);
  await screenshot('assert-search', { element: '#assert' });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  if ((await page.inputValue(`${form} input[name="input.object"]`)) !== target) throw new Error('choosing the hit did not fill in its id');
  await page.fill(`${form} input[name="input.assertedBy"]`, ASSERTER);
  await page.fill(`${form} input[name="input.source"]`, SOURCE);
  await page.fill(`${form} input[name="input.confidence"]`, '150');
  await page.fill(`${form} textarea[name="input.note"]`, 'explore-edit e2e');
  await page.click(`${form} button[type="submit"]`);
  const badConfidence = await fieldError(form, 'input.confidence');
  if (!/confidence/.test(badConfidence) || !/100/.test(badConfidence)) throw new Error(`a confidence of 150 is answered with ${JSON.stringify(badConfidence)}`);
  await screenshot('assert-bad-confidence', { element: '#assert' });
  await page.fill(`${form} input[name="input.confidence"]`, '75');
  await page.click(`${form} button[type="submit"]`);
  const doneLink = page.locator(`${form} .form-done a`);
  await doneLink.waitFor();
  const assertedId = decodeURIComponent((await doneLink.getAttribute('href')).replace('/explore/node/', ''));
  const asserted = page.locator(`#claims-out li.claim.live-new[data-claim="${assertedId}"]`);
  await asserted.waitFor();
  if (!(await asserted.textContent()).includes('75%')) throw new Error('the asserted claim does not show 75%');
  if ((await page.locator(`${form} [aria-invalid="true"]`).count()) !== 0) throw new Error('the form still marks a field invalid after asserting');
  await screenshot('asserted', { fullPage: true });
  checkRecorded('assert');

  // A phone-width screen: the forms fit.
  await page.setViewportSize({ width: 390, height: 844 });
  await openNode(root, group);
  await page.click(`${claimLi} .editor-buttons button[data-status="DISPUTED"]`);
  await page.waitForSelector(disputeForm);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`at phone width the editor's page scrolls sideways by ${overflow}px`);
  await screenshot('phone', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // (e) Merge one throwaway actor into another from the keeper's page.
  const dupClaim = await assertFromOutside(root, token, dup, 'OPPOSES', target, 40);
  await openNode(root, keep);
  await page.waitForSelector('#merge form');
  await page.fill('#merge input[name="id"]', dup);
  await page.fill('#merge textarea[name="reason"]', 'explore-edit e2e: two ids for one group');
  await page.click('#merge button[type="submit"]');
  await page.waitForSelector('#merge .form-done:not(:empty)');
  const merged = await page.textContent('#merge .form-done');
  if (!merged.includes('Merged') || !merged.includes(dup)) throw new Error(`the merge reports ${JSON.stringify(merged)}`);
  await page.waitForSelector(`#claims-out li.claim.live-changed[data-claim="${dupClaim}"]`);
  const resolved = await graphql(root, 'query M($id: ID!) { actor(id: $id) { id aliases } }', { id: dup });
  if (resolved.actor.id !== keep) throw new Error(`after the merge ${dup} resolves to ${resolved.actor.id}`);
  await screenshot('merged', { fullPage: true });
  checkRecorded('merge');

  // (f) A token the server refuses on use: the editor is signed out, and told why.
  await page.evaluate((key) => sessionStorage.setItem(key, 'revoked-token-0123456789'), TOKEN_KEY);
  await openNode(root, group);
  const li = `#claims-out li.claim[data-claim="${assertedId}"]`;
  await page.click(`${li} .editor-buttons button[data-status="REFUTED"]`);
  await page.fill(`${li} form.status-form textarea[name="reason"]`, 'explore-edit e2e: with a revoked token');
  await page.click(`${li} form.status-form button[type="submit"]`);
  const note = page.locator('#editor-controls .editor-note');
  await note.waitFor();
  const noteText = await note.textContent();
  if (!/refused your editor token/.test(noteText) || !/UNAUTHENTICATED/.test(noteText)) throw new Error(`a refused token is reported as ${JSON.stringify(noteText)}`);
  if ((await storage()).session) throw new Error('the refused token was not cleared');
  await page.waitForSelector('#editor-controls button.editor-signin');
  await page.waitForSelector('.editor-buttons, #assert', { state: 'detached' });
  await screenshot('token-refused');
  const status = await graphql(root, 'query S($id: ID!) { claim(id: $id) { status } }', { id: assertedId });
  if (status.claim.status !== 'ASSERTED') throw new Error(`a refused token changed the claim to ${status.claim.status}`);

  // Leaving the page closes the socket quietly.
  await page.click('a.brand');
  await page.waitForSelector('main[data-ready="true"] .intro');
  await page.waitForTimeout(300);
  checkRecorded('leaving');

  await check.pass();
}


main().catch((e) => fail(e && e.message ? e.message : String(e)));
