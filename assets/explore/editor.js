// Editors' actions in the explorer: signing in with a token (kept in this tab's session
// storage only), disputing, confirming or refuting a claim, asserting a claim about the open
// node, and merging another actor into the open one. Every form reports the server's errors
// at the field they name (`extensions.field`), the rest at the form's top.

import { gql } from '@urql/core';
import { client, editorToken, setEditorToken } from './client.js';
import { NODE_LABEL } from './fragments.js';
import { h, label, link, relationWords } from './dom.js';
import { describeClaim, refreshPage } from './live.js';

const SET_STATUS = gql`
  mutation ExploreSetStatus($id: ID!, $version: Int!, $status: ClaimStatus!, $reason: String!) {
    setClaimStatus(id: $id, version: $version, status: $status, reason: $reason) { id version status }
  }
`;

const ASSERT = gql`
  mutation ExploreAssert($input: ClaimInput!, $reason: String) {
    assertClaim(input: $input, reason: $reason) {
      id version relation status
      subject { ...NodeLabel } object { ...NodeLabel }
      value { text amount unit approximate }
      assertedBy { id name }
    }
  }
  ${NODE_LABEL}
`;

const MERGE = gql`
  mutation ExploreMerge($id: ID!, $version: Int!, $into: ID!, $intoVersion: Int!, $reason: String!) {
    mergeActor(id: $id, version: $version, into: $into, intoVersion: $intoVersion, reason: $reason) { id version name aliases }
  }
`;

const VERSIONS = gql`
  query ExploreVersions($ids: [ID!]!) {
    nodes(ids: $ids) { ...NodeLabel ... on Actor { version } }
  }
  ${NODE_LABEL}
`;

const RELATIONS = gql`
  query ExploreRelations { relations { relation subjects objects takesValue meaning } }
`;

const PICK = gql`
  query ExplorePick($query: String!) {
    search(query: $query, first: 8) { node { ...NodeLabel } }
  }
  ${NODE_LABEL}
`;

// `viewer` says whether a token may edit (and why not) without attempting a write.
const TOKEN_PROBE = 'query ExploreViewer { viewer { canEdit editor whyNot code } }';

const STATUS_VERBS = { DISPUTED: 'Dispute', CONFIRMED: 'Confirm', REFUTED: 'Refute', ASSERTED: 'Restore' };
const STATUS_HINTS = {
  DISPUTED: 'e.g. which source contradicts it',
  CONFIRMED: 'e.g. which independent evidence confirms it',
  REFUTED: 'e.g. what shows it to be false',
  ASSERTED: 'e.g. why the earlier change was wrong',
};

// ---------------------------------------------------------------------------------------
// Errors

// A failed request's errors as { message, code, field, currentVersion }.
function errorsOf(result) {
  const e = result.error;
  if (!e) return [];
  if (e.graphQLErrors && e.graphQLErrors.length) {
    return e.graphQLErrors.map((g) => ({
      message: g.message,
      code: g.extensions && g.extensions.code,
      field: g.extensions && g.extensions.field,
      currentVersion: g.extensions && g.extensions.currentVersion,
    }));
  }
  return [{ message: e.networkError ? `The server could not be reached: ${e.networkError.message}` : e.message }];
}

// A token refused on use: forget it and say so in the header, which outlives the page.
function refusedToken(errors) {
  const refused = errors.find((e) => e.code === 'UNAUTHENTICATED');
  if (!refused) return false;
  header.note = `The server refused your editor token, so you are signed out (${refused.code}: ${refused.message}). Sign in again with a valid token.`;
  setEditorToken('');
  return true;
}

// ---------------------------------------------------------------------------------------
// Form parts

let uid = 0;
const nextId = (p) => `ed-${p}-${++uid}`;

// A labelled control with room for a hint and an error, both tied to it by aria-describedby.
function field({ name, text, control, hint, required = false }) {
  const id = control.id || nextId('f');
  control.id = id;
  control.name = name;
  if (required) control.setAttribute('aria-required', 'true');
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, text, required ? h('span', { class: 'req' }, ' (required)') : null),
    control, hintEl, err);
}

function formTop() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true });
}

function clearErrors(form) {
  for (const f of form.querySelectorAll('.field')) {
    const control = f.querySelector('input, select, textarea');
    const err = f.querySelector('.field-error');
    err.hidden = true;
    err.textContent = '';
    control.removeAttribute('aria-invalid');
    const hint = f.querySelector('.hint');
    if (hint) control.setAttribute('aria-describedby', hint.id);
    else control.removeAttribute('aria-describedby');
  }
  const top = form.querySelector('.form-error');
  top.hidden = true;
  top.replaceChildren();
  const done = form.querySelector('.form-done');
  if (done) done.replaceChildren();
}

function fieldError(form, name, message) {
  const f = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
  if (!f) return false;
  const control = f.querySelector('input, select, textarea');
  const err = f.querySelector('.field-error');
  err.append(err.textContent ? ' ' : '', message);
  err.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', [err.id, f.querySelector('.hint')?.id].filter(Boolean).join(' '));
  return true;
}

function topError(form, ...content) {
  const top = form.querySelector('.form-error');
  top.append(h('p', {}, content));
  top.hidden = false;
}

// The server's errors at the fields they name (`fields` maps a name to a field of this
// form); the rest, and those of no field, at the top. Focus goes to the first problem.
function showErrors(form, errors, fields = (f) => f) {
  for (const e of errors) {
    const target = e.field && fields(e.field);
    if (!target || !fieldError(form, target, e.message)) topError(form, e.message);
  }
  const first = form.querySelector('[aria-invalid="true"]') || form.querySelector('.form-error:not([hidden])');
  if (first) {
    if (!first.matches('input, select, textarea')) first.setAttribute('tabindex', '-1');
    first.focus();
  }
}

function done(form, ...content) {
  const el = form.querySelector('.form-done');
  el.replaceChildren(...content);
}

function blank(form, names) {
  let missing = false;
  for (const [name, message] of names) {
    const control = form.elements[name];
    if (control && !control.value.trim()) {
      fieldError(form, name, message);
      missing = true;
    }
  }
  return missing;
}

function busy(form, on) {
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  for (const b of form.querySelectorAll('button')) b.disabled = on;
}

// ---------------------------------------------------------------------------------------
// A node picker: an id box with search as you type; the hits are only those `allowed` takes.

function picker({ name, text, hint, types, required = true, extra = null }) {
  const listId = nextId('list');
  const input = h('input', {
    type: 'text', autocomplete: 'off', spellcheck: 'false', role: 'combobox',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    placeholder: 'type a name or an id',
  });
  const list = h('ul', { class: 'pick-list', id: listId, role: 'listbox', hidden: true });
  const picked = h('p', { class: 'picked muted', 'aria-live': 'polite' });
  let hits = [];
  let active = -1;
  let seq = 0;
  let timer = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (i) => {
    const node = hits[i];
    if (!node) return;
    input.value = node.id;
    picked.textContent = `→ ${label(node)} (${node.__typename})`;
    close();
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const setActive = (i) => {
    if (!hits.length) return;
    active = (i + hits.length) % hits.length;
    for (const li of list.children) li.setAttribute('aria-selected', li.id === `${listId}-${active}` ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', `${listId}-${active}`);
  };
  const render = () => {
    list.replaceChildren(...hits.map((node, i) => h('li', {
      id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', dataset: { id: node.id, type: node.__typename },
      onmousedown: (e) => { e.preventDefault(); choose(i); },
    }, h('span', { class: `type type-${node.__typename}` }, node.__typename), ' ', label(node), ' ', h('code', {}, node.id))));
    if (!hits.length) list.append(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, 'No match of a fitting kind'));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const search = async () => {
    const query = input.value.trim();
    const mine = ++seq;
    if (query.length < 2) { hits = []; close(); return; }
    // Asked afresh: an actor created a moment ago must be found.
    const result = await client.query(PICK, { query }, { requestPolicy: 'network-only' }).toPromise();
    if (mine !== seq || document.activeElement !== input) return;
    const allowed = types();
    hits = result.data ? result.data.search.map((s) => s.node).filter((n) => allowed.includes(n.__typename.toUpperCase())) : [];
    active = -1;
    render();
  };
  input.addEventListener('input', () => {
    picked.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(active - 1); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(active); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  const wrap = field({ name, text, control: input, hint, required });
  wrap.classList.add('picker');
  // The list hangs under the box, whatever the label and hint above it take.
  const box = h('div', { class: 'pick-box' });
  input.replaceWith(box);
  box.append(input, list);
  wrap.append(picked);
  if (extra) box.after(extra);
  return wrap;
}

// ---------------------------------------------------------------------------------------
// The header: sign in, sign out

const header = { el: null, note: '' };

async function probeToken(token) {
  const response = await fetch(new URL('/graphql', window.location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TOKEN_PROBE }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) return body.errors[0].message;
  const viewer = body.data && body.data.viewer;
  if (!viewer) return 'the server gave no answer about this token';
  return viewer.canEdit ? null : `${viewer.code}: ${viewer.whyNot}`;
}

function signInDialog() {
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', autofocus: true });
  const form = h('form', { class: 'editor-form', novalidate: true },
    h('h2', { id: 'signin-h' }, 'Editor sign-in'),
    h('p', { class: 'muted' }, 'Your token stays in this tab only (session storage) and goes with each change you make.'),
    formTop(),
    field({ name: 'token', text: 'Editor token', control: input, required: true }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
      h('button', { type: 'button', class: 'cancel' }, 'Cancel')));
  const dialog = h('dialog', { class: 'editor-dialog', 'aria-labelledby': 'signin-h' }, form);
  form.querySelector('.cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const token = input.value.trim();
    if (!token) { showErrors(form, [{ field: 'token', message: 'Enter your editor token.' }]); return; }
    busy(form, true);
    let refused;
    try {
      refused = await probeToken(token);
    } catch (err) {
      refused = `the server could not be reached (${err.message})`;
    }
    busy(form, false);
    if (refused) { showErrors(form, [{ field: 'token', message: `The server refused this token — ${refused}` }]); return; }
    input.value = '';
    header.note = '';
    dialog.close();
    setEditorToken(token);
  });
  return dialog;
}

function renderHeader() {
  const el = header.el;
  if (!el) return;
  const dialog = el.querySelector('dialog') || signInDialog();
  // A notice floats under the header, so that a long server message does not make the
  // sticky header tall; it stays until dismissed or the editor signs in again.
  const note = header.note
    ? h('div', { class: 'editor-note', role: 'alert' }, h('p', {}, header.note),
      h('button', { type: 'button', class: 'small', onclick: () => { header.note = ''; renderHeader(); } }, 'Dismiss'))
    : null;
  if (editorToken()) {
    el.replaceChildren(h('span', { class: 'editor-badge' }, 'Editor ✓'), ' · ',
      h('button', { type: 'button', class: 'editor-signout', onclick: () => { header.note = ''; setEditorToken(''); } }, 'Sign out'), dialog);
  } else {
    el.replaceChildren(...[h('button', { type: 'button', class: 'editor-signin', 'aria-haspopup': 'dialog', onclick: () => dialog.showModal() }, 'Editor sign-in'), note, dialog].filter(Boolean));
  }
}

// The header's editor control (token entry) in `el`.
export function mountEditorControls(el) {
  if (!el) return;
  header.el = el;
  renderHeader();
  window.addEventListener('explore:token', () => {
    const hadFocus = el.contains(document.activeElement) || document.activeElement === document.body;
    renderHeader();
    // Signing in or out replaced the button the editor used: keep them in the header.
    if (hadFocus) el.querySelector(':scope > button')?.focus();
    forms.clear();
    // Signed out, the actions go at once, before the page is read again.
    if (!editorToken()) for (const x of document.querySelectorAll('#main .editor-actions, #main .editor-area')) x.remove();
    if (page && page.ctx.isCurrent()) refreshPage(page.ctx);
  });
}

// ---------------------------------------------------------------------------------------
// A node's page

let page = null; // { node, ctx } of the page last decorated
// The page's open forms, kept across re-renders (a live change re-draws the page) so that
// what an editor typed survives; keyed by the page visit.
const forms = {
  visit: null,
  status: new Map(), // "claim id@section id" -> its open status form (a claim can be listed twice)
  sections: null, // the assert and merge sections
  clear() { this.visit = null; this.status.clear(); this.sections = null; },
};
let lastFocus = null;

document.addEventListener('focusin', (e) => {
  lastFocus = e.target.closest && e.target.closest('.editor-form') ? e.target : null;
});
// A re-render removes the focused field without moving the focus anywhere; only a field
// still in the page that lost the focus was left on purpose.
document.addEventListener('focusout', (e) => {
  const left = e.target;
  setTimeout(() => { if (lastFocus === left && left.isConnected && document.activeElement !== left) lastFocus = null; });
});

// Adds editors' actions to a node's page.
export function decorateForEditors(node, ctx) {
  page = { node, ctx };
  if (!editorToken()) return;
  if (forms.visit !== ctx.isCurrent) {
    forms.clear();
    forms.visit = ctx.isCurrent;
  }
  const claims = claimsOf(node);
  for (const li of ctx.main.querySelectorAll('li.claim[data-claim]')) {
    const claim = claims.get(li.dataset.claim);
    if (claim) li.append(statusActions(claim, li, ctx));
  }
  const sections = editorSections(node, ctx);
  if (sections) ctx.main.append(sections);
  // A re-render dropped the focus to <body>; give it back to the field the editor was in.
  if (lastFocus && lastFocus.isConnected && (document.activeElement === document.body || !document.activeElement)) {
    lastFocus.focus({ preventScroll: true });
  }
}

function claimsOf(node) {
  const all = new Map();
  const add = (c) => { if (c && c.id && c.version !== undefined) all.set(c.id, c); };
  if (node.__typename === 'Claim') add(node);
  if (node.claim) add(node.claim);
  for (const c of node.claims ? node.claims.nodes : []) add(c);
  for (const m of node.motives ? node.motives.edges : []) add(m.claim);
  return all;
}

// ---------------------------------------------------------------------------------------
// Dispute, confirm, refute

function statusActions(claim, li, ctx) {
  const key = `${claim.id}@${li.closest('section')?.id || ''}`;
  const wrap = h('div', { class: 'editor-actions' });
  const buttons = h('div', { class: 'editor-buttons', role: 'group', 'aria-label': 'Editor actions on this claim' });
  for (const status of ['DISPUTED', 'CONFIRMED', 'REFUTED', 'ASSERTED']) {
    if (status === claim.status) continue;
    buttons.append(h('button', {
      type: 'button', class: 'small', dataset: { status }, 'aria-expanded': 'false',
      onclick: (e) => openStatusForm(wrap, key, claim, status, ctx, e.currentTarget),
    }, `${STATUS_VERBS[status]}…`));
  }
  wrap.append(buttons);
  const open = forms.status.get(key);
  if (open) {
    if (open.rebase) { open.version = claim.version; open.rebase = false; }
    wrap.append(open.form);
    buttons.querySelector(`[data-status="${open.status}"]`)?.setAttribute('aria-expanded', 'true');
  }
  return wrap;
}

function openStatusForm(wrap, key, claim, status, ctx, button) {
  const existing = forms.status.get(key);
  const reasonText = existing ? existing.form.elements.reason.value : '';
  if (existing) existing.form.remove();
  for (const b of wrap.querySelectorAll('.editor-buttons button')) b.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-expanded', 'true');
  const state = { status, version: claim.version, rebase: false, form: null };
  state.form = statusForm(claim, state, key, ctx);
  state.form.elements.reason.value = reasonText;
  forms.status.set(key, state);
  wrap.append(state.form);
  state.form.elements.reason.focus();
}

function statusForm(claim, state, key, ctx) {
  const verb = STATUS_VERBS[state.status];
  const reason = h('textarea', { rows: 3 });
  const form = h('form', { class: 'editor-form status-form', novalidate: true, dataset: { status: state.status } },
    h('p', { class: 'form-title' }, `${verb} this claim`),
    formTop(),
    field({ name: 'reason', text: 'Reason', control: reason, hint: STATUS_HINTS[state.status], required: true }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, verb),
      h('button', { type: 'button', onclick: () => closeStatusForm(key, form) }, 'Cancel')),
    h('p', { class: 'form-done', role: 'status' }));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeStatusForm(key, form); });
  form.addEventListener('submit', (e) => { e.preventDefault(); submitStatus(form, claim, state, key, ctx); });
  return form;
}

// The re-drawn page has a new line for the claim: the editor carries on from its buttons.
function focusClaim(key) {
  const [id, sectionId] = key.split('@');
  const lis = [...document.querySelectorAll(`#main li.claim[data-claim="${CSS.escape(id)}"]`)];
  const li = lis.find((x) => (x.closest('section')?.id || '') === sectionId) || lis[0];
  const button = li && li.querySelector('.editor-buttons button');
  if (button) button.focus({ preventScroll: true });
}

function closeStatusForm(key, form) {
  const wrap = form.closest('.editor-actions');
  forms.status.delete(key);
  form.remove();
  const button = wrap && wrap.querySelector('button[aria-expanded="true"]');
  if (button) { button.setAttribute('aria-expanded', 'false'); button.focus(); }
}

async function submitStatus(form, claim, state, key, ctx) {
  clearErrors(form);
  if (blank(form, [['reason', 'Say why: a reason is required, and the claim’s history keeps it.']])) {
    showErrors(form, []);
    return;
  }
  busy(form, true);
  const result = await client.mutation(SET_STATUS, {
    id: claim.id, version: state.version, status: state.status, reason: form.elements.reason.value.trim(),
  }).toPromise();
  busy(form, false);
  const errors = errorsOf(result);
  if (!errors.length) {
    forms.status.delete(key);
    form.replaceChildren(h('p', { class: 'form-done', role: 'status' }, `Done: the claim is now ${result.data.setClaimStatus.status.toLowerCase()}.`));
    await refreshPage(ctx);
    focusClaim(key);
    return;
  }
  if (refusedToken(errors)) return;
  const conflict = errors.find((x) => x.code === 'CONFLICT');
  if (conflict) {
    topError(form, `Someone changed this claim since you opened it (it is now at version ${conflict.currentVersion}). Reload it, check it still says what you mean to ${STATUS_VERBS[state.status].toLowerCase()}, and submit again. `,
      h('button', { type: 'button', class: 'small', onclick: () => reloadClaim(form, state, ctx) }, 'Reload the claim'));
    showErrors(form, errors.filter((x) => x !== conflict));
    return;
  }
  showErrors(form, errors);
}

// The form stays, with its reason, and takes the claim's version as it is now.
async function reloadClaim(form, state, ctx) {
  state.rebase = true;
  await refreshPage(ctx);
  clearErrors(form);
  form.elements.reason.focus();
}

// ---------------------------------------------------------------------------------------
// Assert a claim, merge an actor

let relationsPromise = null;
function relations() {
  if (!relationsPromise) {
    relationsPromise = client.query(RELATIONS, {}).toPromise().then((r) => {
      if (r.error) { relationsPromise = null; throw r.error; }
      return r.data.relations;
    });
  }
  return relationsPromise;
}

function editorSections(node, ctx) {
  if (!forms.sections) {
    const parts = [];
    if (['Actor', 'Event', 'Location', 'Statement'].includes(node.__typename)) parts.push(assertSection(node, ctx));
    if (node.__typename === 'Actor') parts.push(mergeSection(node, ctx));
    forms.sections = parts.length ? h('div', { class: 'editor-area' }, parts) : null;
  }
  return forms.sections;
}

const ASSERT_FIELDS = ['input.relation', 'input.object', 'input.assertedBy', 'input.source', 'input.confidence', 'input.note', 'reason'];

// `input.evidence[0]` and the like belong to no field of this form; they go to its top.
const assertField = (f) => (ASSERT_FIELDS.includes(f) ? f : null);

function assertSection(node, ctx) {
  const kind = node.__typename.toUpperCase();
  const select = h('select', {}, h('option', { value: '' }, 'Loading relations…'));
  let vocabulary = [];
  const chosen = () => vocabulary.find((r) => r.relation === select.value);
  const meaning = h('p', { class: 'hint', id: nextId('meaning') });
  relations().then((all) => {
    vocabulary = all.filter((r) => !r.takesValue && r.subjects.includes(kind));
    select.replaceChildren(h('option', { value: '' }, 'Choose a relation'),
      ...vocabulary.map((r) => h('option', { value: r.relation }, relationWords(r.relation))));
  }, (e) => select.replaceChildren(h('option', { value: '' }, `Relations could not be read: ${e.message}`)));
  select.addEventListener('change', () => { meaning.textContent = chosen() ? chosen().meaning : ''; });

  const unknownButton = h('button', { type: 'button', class: 'small link-like' }, 'unknown asserter');
  const form = h('form', { class: 'editor-form assert-form', novalidate: true },
    h('p', { class: 'muted' }, 'Subject: ', h('strong', {}, label(node)), ` (${node.id})`),
    formTop(),
    field({ name: 'input.relation', text: 'Relation', control: select, required: true }),
    meaning,
    picker({ name: 'input.object', text: 'Object', hint: 'The node at the other end; search by name, or type its id.', types: () => (chosen() ? chosen().objects : ['ACTOR', 'EVENT', 'LOCATION']) }),
    picker({ name: 'input.assertedBy', text: 'Asserted by', hint: 'The actor who says so, or “unknown”.', types: () => ['ACTOR'], extra: unknownButton }),
    picker({ name: 'input.source', text: 'Source', hint: 'The document it is asserted in.', types: () => ['SOURCE'] }),
    field({ name: 'input.confidence', text: 'Confidence (0–100)', control: h('input', { type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric' }), required: true }),
    field({ name: 'input.note', text: 'Note', hint: 'Optional: the source’s wording or your remark.', control: h('textarea', { rows: 2 }) }),
    field({ name: 'reason', text: 'Reason', hint: 'Optional: why you add it; the history keeps it.', control: h('textarea', { rows: 2 }) }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Assert the claim')),
    h('p', { class: 'form-done', role: 'status' }));
  // The relation's meaning sits under its select, described by it.
  form.querySelector('.field[data-field="input.relation"]').append(meaning);
  select.setAttribute('aria-describedby', meaning.id);
  unknownButton.addEventListener('click', () => { form.elements['input.assertedBy'].value = 'unknown'; });
  form.addEventListener('submit', (e) => { e.preventDefault(); submitAssert(form, node, ctx); });
  return h('section', { id: 'assert', class: 'editor-section', 'aria-labelledby': 'assert-h' },
    h('h2', { id: 'assert-h' }, 'Assert a claim'), form);
}

function assertInput(form, node) {
  const value = (name) => form.elements[name].value.trim();
  const input = {
    subject: node.id,
    relation: value('input.relation'),
    object: value('input.object'),
    assertedBy: value('input.assertedBy'),
    source: value('input.source'),
    confidence: Number(value('input.confidence')),
  };
  if (value('input.note')) input.note = value('input.note');
  return input;
}

async function submitAssert(form, node, ctx) {
  clearErrors(form);
  const missing = blank(form, [
    ['input.relation', 'Choose a relation.'],
    ['input.object', 'Name the node at the other end.'],
    ['input.assertedBy', 'Say who asserts it, or “unknown”.'],
    ['input.source', 'Name the source it is asserted in.'],
    ['input.confidence', 'Say how sure, as a whole number from 0 to 100.'],
  ]);
  const confidence = form.elements['input.confidence'].value.trim();
  if (confidence && !/^-?\d+$/.test(confidence)) fieldError(form, 'input.confidence', 'A whole number from 0 to 100.');
  if (missing || form.querySelector('[aria-invalid="true"]')) { showErrors(form, []); return; }
  busy(form, true);
  const reason = form.elements.reason.value.trim();
  const result = await client.mutation(ASSERT, { input: assertInput(form, node), reason: reason || null }).toPromise();
  busy(form, false);
  const errors = errorsOf(result);
  if (refusedToken(errors)) return;
  if (errors.length) { showErrors(form, errors, assertField); return; }
  const claim = result.data.assertClaim;
  for (const name of ['input.object', 'input.note', 'reason']) form.elements[name].value = '';
  for (const p of form.querySelectorAll('.picked')) if (p.closest('[data-field="input.object"]')) p.textContent = '';
  done(form, 'Asserted: ', link(claim, describeClaim(claim)), '.');
  await refreshPage(ctx);
}

function mergeSection(node, ctx) {
  const form = h('form', { class: 'editor-form merge-form', novalidate: true },
    h('p', { class: 'muted' }, 'When two ids name one actor: the other actor’s names, sources and claims move to ', h('strong', {}, label(node)), ', and its id leads here from then on. Nothing is deleted.'),
    formTop(),
    picker({ name: 'id', text: 'The other actor (it goes away)', hint: 'Search by name, or type its id.', types: () => ['ACTOR'] }),
    field({ name: 'reason', text: 'Reason', hint: 'Why the two ids name one actor; both histories keep it.', control: h('textarea', { rows: 2 }), required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Merge into this actor')),
    h('p', { class: 'form-done', role: 'status' }));
  form.addEventListener('submit', (e) => { e.preventDefault(); submitMerge(form, node, ctx); });
  return h('section', { id: 'merge', class: 'editor-section', 'aria-labelledby': 'merge-h' },
    h('h2', { id: 'merge-h' }, 'Merge another actor into this one'), form);
}

const mergeField = (f) => (f === 'id' || f === 'version' ? 'id' : f === 'reason' ? 'reason' : null);

// Both actors' versions as they are now, or the errors that say why not.
async function versionsFor(other, into) {
  const result = await client.query(VERSIONS, { ids: [other, into] }, { requestPolicy: 'network-only' }).toPromise();
  const errors = errorsOf(result);
  if (errors.length) return { errors };
  const [a, b] = result.data.nodes;
  if (!a || a.__typename !== 'Actor') return { errors: [{ field: 'id', message: `No actor has the id “${other}”.` }] };
  if (a.id === b.id) return { errors: [{ field: 'id', message: 'That is this actor (or an id already merged into it); choose another.' }] };
  return { other: a, into: b };
}

async function submitMerge(form, node, ctx) {
  clearErrors(form);
  if (blank(form, [['id', 'Name the actor to merge into this one.'], ['reason', 'Say why the two ids name one actor.']])) {
    showErrors(form, []);
    return;
  }
  busy(form, true);
  const found = await versionsFor(form.elements.id.value.trim(), node.id);
  if (found.errors) { busy(form, false); showErrors(form, found.errors, mergeField); return; }
  const result = await client.mutation(MERGE, {
    id: found.other.id, version: found.other.version, into: found.into.id, intoVersion: found.into.version,
    reason: form.elements.reason.value.trim(),
  }).toPromise();
  busy(form, false);
  const errors = errorsOf(result);
  if (refusedToken(errors)) return;
  if (errors.length) { showErrors(form, errors, mergeField); return; }
  const merged = result.data.mergeActor;
  form.elements.id.value = '';
  form.elements.reason.value = '';
  form.querySelector('.picked').textContent = '';
  done(form, `Merged “${found.other.name}” (${found.other.id}) into “${merged.name}”: its id now leads here. Also called: ${merged.aliases.join(' · ') || '—'}.`);
  await refreshPage(ctx);
}
