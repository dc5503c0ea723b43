// The paths page, /explore/paths: the shortest paths between two nodes (the `paths` field),
// each drawn as a strip left to right and listed step by step with the claim behind each
// step (who asserts it, in which source, how sure, its status). The two ends are picked by
// searching as you type; the address (?from=…&to=…&hops=…) carries the choice, so that a
// search can be shared, and opening such an address runs it.

import { gql } from '@urql/core';
import { client } from './client.js';
import { CLAIM_FIELDS, NODE_LABEL } from './fragments.js';
import { append, h, label, link, nodeHref, relationWords, s, truncate } from './dom.js';
import { wrap } from './chain.js';
import { confidenceBar, statusBadge } from './claims.js';

const MAX_HOPS = 6;
const DEFAULT_HOPS = 4;
const FIRST = 10;

const SEARCH = gql`
  query ExplorePathEnd($query: String!) {
    search(query: $query, first: 8) { node { ...NodeLabel } }
  }
  ${NODE_LABEL}
`;

const ENDS = gql`
  query ExplorePathEnds($ids: [ID!]!) {
    nodes(ids: $ids) { ...NodeLabel }
  }
  ${NODE_LABEL}
`;

const PATHS = gql`
  query ExplorePaths($from: ID!, $to: ID!, $maxHops: Int!) {
    paths(from: $from, to: $to, maxHops: $maxHops, first: ${FIRST}) {
      hops
      truncated
      paths {
        hops
        confidence
        steps {
          direction
          confidence
          from { ...NodeLabel }
          to { ...NodeLabel }
          claim { ...ClaimFields }
        }
      }
    }
  }
  ${CLAIM_FIELDS}
`;

// The page /explore/paths, with the ends and hops the address names, if any.
export async function renderPathsPage(ctx) {
  document.title = 'Paths — claimgraph explorer';
  const params = new URLSearchParams(window.location.search);
  const wanted = { from: params.get('from') || '', to: params.get('to') || '', hops: clampHops(params.get('hops')) };
  const page = buildPage(ctx, wanted);
  ctx.show(page.parts);
  ctx.focusHeading();
  const ids = [wanted.from, wanted.to].filter(Boolean);
  if (ids.length) {
    const result = await client.query(ENDS, { ids }).toPromise();
    if (!ctx.isCurrent()) return;
    const found = new Map((result.data ? result.data.nodes : []).filter(Boolean).map((n) => [n.id, n]));
    page.from.set(found.get(wanted.from) || null, wanted.from);
    page.to.set(found.get(wanted.to) || null, wanted.to);
  }
  if (wanted.from && wanted.to) await runSearch(ctx, page, wanted);
  else {
    showMessage(page.results, h('p', { class: 'muted' }, 'Pick the two ends, then “Find paths”.'));
    page.results.dataset.ready = 'true';
  }
}

function clampHops(raw) {
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(MAX_HOPS, Math.max(1, n)) : DEFAULT_HOPS;
}

function buildPage(ctx, wanted) {
  const from = picker('from', 'From');
  const to = picker('to', 'To');
  const hops = h('select', { id: 'paths-hops', name: 'hops' },
    Array.from({ length: MAX_HOPS }, (_, i) => h('option', { value: i + 1, selected: i + 1 === wanted.hops }, String(i + 1))));
  const results = h('section', { id: 'paths-results', 'aria-labelledby': 'paths-results-h', 'aria-live': 'polite' });
  const page = { from, to, hops, results };
  const form = h('form', {
    class: 'paths-form', role: 'search', 'aria-label': 'Find paths',
    onsubmit: (e) => { e.preventDefault(); submit(ctx, page); },
  },
    from.field,
    to.field,
    h('div', { class: 'field' }, h('label', { for: 'paths-hops' }, 'At most this many steps'), hops),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'paths-form-submit' }, 'Find paths'),
      h('button', { type: 'button', title: 'Swap the two ends', onclick: () => swap(page) }, '⇄ Swap')));
  page.parts = [
    h('h1', {}, 'Paths'),
    h('p', { class: 'intro muted' }, 'How is one node connected to another, and on whose word? Pick two nodes: the shortest chains of claims between them are listed, most confident first, each step with who asserts it, in which source and how sure. A path’s confidence is the product of its claims’ confidences: how likely every link holds if each claim were right independently of the others.'),
    form,
    results,
  ];
  return page;
}

function swap(page) {
  const a = page.from.get();
  const b = page.to.get();
  page.from.set(b.node, b.id);
  page.to.set(a.node, a.id);
}

async function submit(ctx, page) {
  const wanted = { from: page.from.get().id, to: page.to.get().id, hops: Number(page.hops.value) };
  if (!wanted.from || !wanted.to) {
    const missing = !wanted.from ? page.from : page.to;
    showMessage(page.results, h('p', { class: 'error', role: 'alert' }, `Pick the ${missing.name} node from the list first.`));
    page.results.dataset.ready = 'true';
    missing.input.focus();
    return;
  }
  // The address carries the search, so that it can be shared and the back button returns.
  const href = `/explore/paths?${new URLSearchParams({ from: wanted.from, to: wanted.to, hops: String(wanted.hops) })}`;
  if (href !== window.location.pathname + window.location.search) history.pushState({}, '', href);
  await runSearch(ctx, page, wanted);
}

function showMessage(results, ...children) {
  results.replaceChildren(h('h2', { id: 'paths-results-h' }, 'Paths'), ...children);
}

async function runSearch(ctx, page, wanted) {
  const { results } = page;
  const seq = (page.seq = (page.seq || 0) + 1);
  results.dataset.ready = 'false';
  showMessage(results, h('p', { class: 'loading' }, 'Searching…'));
  const result = await client.query(PATHS, { from: wanted.from, to: wanted.to, maxHops: wanted.hops }).toPromise();
  if (!ctx.isCurrent() || seq !== page.seq) return;
  if (result.error) {
    showMessage(results, h('p', { class: 'error', role: 'alert' }, result.error.message));
  } else {
    renderResults(results, result.data.paths, page, wanted);
  }
  results.dataset.ready = 'true';
}

function renderResults(results, search, page, wanted) {
  const fromName = page.from.get().text || wanted.from;
  const toName = page.to.get().text || wanted.to;
  const found = search.paths;
  results.replaceChildren();
  append(results, [
    h('h2', { id: 'paths-results-h' },
      found.length
        ? `${found.length} shortest ${found.length === 1 ? 'path' : 'paths'} (${search.hops} ${search.hops === 1 ? 'step' : 'steps'}) from ${fromName} to ${toName}`
        : 'No path'),
    search.truncated
      ? h('p', { class: 'network-truncated', role: 'note', dataset: { truncated: 'true' } }, 'The search stopped at one of its bounds: some paths may be missing.')
      : null,
    found.length
      ? h('ol', { class: 'paths-list' }, found.map((p, i) => pathItem(p, i)))
      : h('p', { class: 'muted no-path' }, `No path within ${wanted.hops} ${wanted.hops === 1 ? 'step' : 'steps'} links ${fromName} to ${toName}${wanted.hops < MAX_HOPS ? '; allow more steps to look further' : ''}.`),
  ]);
  results.dataset.paths = String(found.length);
}

function percent(fraction) {
  const p = fraction * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

function pathItem(path, i) {
  return h('li', { class: 'path', dataset: { hops: path.hops, confidence: path.confidence.toFixed(4) } },
    h('h3', {}, `Path ${i + 1}`, h('span', { class: 'muted' }, ` · ${path.hops} ${path.hops === 1 ? 'step' : 'steps'} · confidence ${percent(path.confidence)}`)),
    h('div', { class: 'path-strip-wrap' }, drawStrip(path, i)),
    h('ol', { class: 'steps', 'aria-label': `The steps of path ${i + 1}` }, path.steps.map(stepItem)));
}

// A step reads from the node it leaves to the node it reaches; the arrow points from the
// claim's subject to its object, so that a step taken against the claim points back.
function stepItem(step) {
  const c = step.claim;
  const forward = step.direction === 'FORWARD';
  const rel = h('span', { class: 'rel' }, forward ? `— ${relationWords(c.relation)} →` : `← ${relationWords(c.relation)} —`);
  return h('li', {
    class: `step status-${c.status}`,
    dataset: { claim: c.id, relation: c.relation, direction: step.direction, from: step.from.id, to: step.to.id, status: c.status },
  },
    h('div', { class: 'hop' }, link(step.from), ' ', rel, ' ', link(step.to)),
    h('div', { class: 'meta' },
      statusBadge(c.status),
      confidenceBar(c.confidence),
      h('span', { class: 'asserter' }, 'asserted by ', c.assertedBy ? link(c.assertedBy) : h('em', {}, 'unknown')),
      h('span', { class: 'source' }, 'in ', c.source ? link(c.source) : h('em', {}, 'no source')),
      h('a', { href: nodeHref(c.id), 'data-route': true, class: 'muted', title: 'the claim’s own page' }, 'claim ›')));
}

const BOX_W = 160;
const BOX_H = 54;
const GAP = 140;
const PAD = 8;

// The path as a strip of boxes left to right; the list of steps says the same in words.
function drawStrip(path, i) {
  const nodes = [path.steps[0].from, ...path.steps.map((st) => st.to)];
  const width = PAD * 2 + nodes.length * BOX_W + (nodes.length - 1) * GAP;
  const height = PAD * 2 + BOX_H;
  const y = PAD;
  const titleId = `path-${i + 1}-title`;
  const svg = s('svg', { class: 'path-strip', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-labelledby': titleId },
    s('title', { id: titleId }, `Path ${i + 1}: ${nodes.map((n) => label(n)).join(' — ')}; the steps below give it in words`),
    s('defs', {}, ['plain', 'disputed'].map((k) => s('marker', {
      id: `path-arrow-${i}-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: k === 'disputed' ? '#b3261e' : '#4d5a70' })))));
  path.steps.forEach((st, k) => {
    const x1 = PAD + k * (BOX_W + GAP) + BOX_W;
    const x2 = x1 + GAP;
    const disputed = st.claim.status === 'DISPUTED' || st.claim.status === 'REFUTED';
    const marker = `url(#path-arrow-${i}-${disputed ? 'disputed' : 'plain'})`;
    const forward = st.direction === 'FORWARD';
    const who = st.claim.assertedBy ? st.claim.assertedBy.name : 'unknown asserter';
    svg.append(s('g', { class: `edge${disputed ? ' disputed' : ''}`, dataset: { claim: st.claim.id } },
      s('path', {
        d: `M${x1 + 2},${y + BOX_H / 2} L${x2 - 2},${y + BOX_H / 2}`,
        'stroke-width': (1 + (st.claim.confidence / 100) * 4).toFixed(2),
        'marker-end': forward ? marker : null, 'marker-start': forward ? null : marker,
      }, s('title', {}, `${relationWords(st.claim.relation)} · ${who} · ${st.claim.confidence}% · ${st.claim.status.toLowerCase()}`)),
      s('text', { x: (x1 + x2) / 2, y: y + BOX_H / 2 - 7, 'text-anchor': 'middle' }, truncate(relationWords(st.claim.relation), 28)),
      s('text', { x: (x1 + x2) / 2, y: y + BOX_H / 2 + 15, 'text-anchor': 'middle' }, truncate(who, 28))));
  });
  nodes.forEach((n, k) => {
    const x = PAD + k * (BOX_W + GAP);
    svg.append(s('a', { href: nodeHref(n.id), 'data-route': '', class: `kind-${n.__typename.toUpperCase()}` },
      s('rect', { x, y, width: BOX_W, height: BOX_H, rx: 6 }),
      wrap(label(n)).map((line, j) => s('text', { x: x + 8, y: y + 17 + j * 14 }, line)),
      s('text', { x: x + 8, y: y + 47, class: 'sub' }, n.__typename),
      s('title', {}, label(n))));
  });
  return svg;
}

// ---------------------------------------------------------------------------------------
// A picker: a text box that searches as you type, its hits in a listbox under it (arrows
// and Enter, or a click, choose one), and the chosen node's id kept beside the text.

function picker(name, title) {
  const inputId = `paths-${name}`;
  const listId = `paths-${name}-list`;
  const state = { name: title.toLowerCase(), node: null, id: '', hits: [], active: -1, seq: 0, timer: null };
  const input = h('input', {
    id: inputId, name, type: 'text', autocomplete: 'off', spellcheck: 'false',
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    'aria-describedby': `${inputId}-chosen`, placeholder: 'Type a name, a title, a place…',
  });
  const list = h('ul', { id: listId, class: 'picker-list', role: 'listbox', 'aria-label': `${title}: matches`, hidden: true });
  const chosen = h('div', { id: `${inputId}-chosen`, class: 'chosen' });
  const field = h('div', { class: 'field picker', dataset: { picker: name } }, h('label', { for: inputId }, title), input, list, chosen);
  Object.assign(state, { input, list, chosen, field });

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    state.active = -1;
  };
  const choose = (i) => {
    const hit = state.hits[i];
    if (!hit) return;
    set(hit, hit.id);
    close();
  };
  const set = (node, id) => {
    state.node = node;
    state.id = node ? node.id : id || '';
    input.value = node ? label(node) : id || '';
    field.dataset.id = state.id;
    chosen.textContent = node ? `${node.__typename} · ${node.id}` : id ? `not found: ${id}` : '';
  };
  const renderHits = () => {
    list.replaceChildren(...(state.hits.length
      ? state.hits.map((node, i) => h('li', {
        id: `${listId}-${i}`, role: 'option', 'aria-selected': i === state.active ? 'true' : 'false', dataset: { id: node.id },
        onmousedown: (e) => { e.preventDefault(); choose(i); },
      }, h('span', { class: `type type-${node.__typename}` }, node.__typename), ' ', label(node)))
      : [h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, `Nothing found for “${input.value.trim()}”`)]));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const setActive = (i) => {
    if (!state.hits.length) return;
    if (list.hidden) renderHits();
    state.active = (i + state.hits.length) % state.hits.length;
    for (const li of list.querySelectorAll('li[role=option]')) li.setAttribute('aria-selected', li.id === `${listId}-${state.active}` ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', `${listId}-${state.active}`);
    list.querySelector(`#${listId}-${state.active}`)?.scrollIntoView({ block: 'nearest' });
  };
  const search = async () => {
    const query = input.value.trim();
    const seq = ++state.seq;
    if (!query) { state.hits = []; close(); return; }
    const result = await client.query(SEARCH, { query }).toPromise();
    if (seq !== state.seq || !input.isConnected) return; // a later keystroke won, or the page went
    state.hits = result.data ? result.data.search.map((hit) => hit.node) : [];
    state.active = -1;
    renderHits();
  };

  input.addEventListener('input', () => {
    // Typing again forgets the choice: the id must come from the list, not from stale text.
    state.node = null;
    state.id = '';
    field.dataset.id = '';
    chosen.textContent = '';
    clearTimeout(state.timer);
    state.timer = setTimeout(search, 150);
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden && state.hits.length;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive(state.active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(state.active - 1); }
    else if (e.key === 'Enter' && open) { e.preventDefault(); choose(state.active >= 0 ? state.active : 0); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); close(); }
  });

  state.set = set;
  state.get = () => ({ node: state.node, id: state.id, text: state.node ? label(state.node) : '' });
  return state;
}
