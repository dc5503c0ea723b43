// Search as you type: the `search` field's hits with their snippets in a listbox under the
// box; arrows and Enter (or a click) open a hit. "/" anywhere focuses the box.

import { gql } from '@urql/core';
import { client } from './client.js';
import { NODE_LABEL } from './fragments.js';
import { h, label, navigate, nodeHref } from './dom.js';

const SEARCH = gql`
  query ExploreSearch($query: String!) {
    search(query: $query, first: 10) {
      score
      matchedBy
      matchedName
      snippet
      node { ...NodeLabel }
    }
  }
  ${NODE_LABEL}
`;

const input = document.getElementById('search-input');
const list = document.getElementById('search-results');
let searchSeq = 0;
let searchTimer = null;
let hits = [];
let active = -1;

export function closeSearch() {
  list.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}

// The snippet marks matches with <mark>…</mark>; everything else in it is text.
function snippetNodes(snippet) {
  const out = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  let m;
  while ((m = re.exec(snippet))) {
    if (m.index > last) out.push(snippet.slice(last, m.index));
    out.push(h('mark', {}, m[1]));
    last = re.lastIndex;
  }
  if (last < snippet.length) out.push(snippet.slice(last));
  return out;
}

function renderHits(query) {
  list.replaceChildren();
  if (!hits.length) {
    list.append(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, `Nothing found for “${query}”`));
  }
  hits.forEach((hit, i) => {
    const node = hit.node;
    list.append(
      h('li', {
        id: `hit-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
        dataset: { id: node.id, type: node.__typename },
        onmousedown: (e) => { e.preventDefault(); openHit(i); },
      },
        h('div', { class: 'hit-title' }, h('span', { class: `type type-${node.__typename}` }, node.__typename), ' ', label(node)),
        h('div', { class: 'hit-snippet' }, snippetNodes(hit.snippet), ` · ${hit.matchedBy.toLowerCase()}`,
          hit.matchedName && hit.matchedName !== label(node) ? ` “${hit.matchedName}”` : ''),
      ),
    );
  });
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
}

function setActive(i) {
  if (!hits.length) return;
  active = (i + hits.length) % hits.length;
  for (const li of list.querySelectorAll('li[role=option]')) {
    li.setAttribute('aria-selected', li.id === `hit-${active}` ? 'true' : 'false');
  }
  input.setAttribute('aria-activedescendant', `hit-${active}`);
  list.querySelector(`#hit-${active}`)?.scrollIntoView({ block: 'nearest' });
}

function openHit(i) {
  const hit = hits[i];
  if (!hit) return;
  closeSearch();
  input.blur();
  navigate(nodeHref(hit.node.id));
}

async function runSearch() {
  const query = input.value.trim();
  const seq = ++searchSeq;
  if (!query) {
    hits = [];
    closeSearch();
    return;
  }
  const result = await client.query(SEARCH, { query }).toPromise();
  if (seq !== searchSeq) return; // a later keystroke won
  if (result.error) {
    hits = [];
    list.replaceChildren(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, result.error.message));
    list.hidden = false;
    return;
  }
  hits = result.data.search;
  active = -1;
  renderHits(query);
}

input.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 150);
});
input.addEventListener('focus', () => { if (hits.length && input.value.trim()) renderHits(input.value.trim()); });
input.addEventListener('blur', () => setTimeout(closeSearch, 100));
input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden && hits.length) renderHits(input.value.trim()); setActive(active + 1); }
  else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(active - 1); }
  else if (e.key === 'Enter') { e.preventDefault(); openHit(active >= 0 ? active : 0); }
  else if (e.key === 'Escape') { closeSearch(); }
});
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && document.activeElement !== input && !/input|textarea/i.test(document.activeElement?.tagName || '')) {
    e.preventDefault();
    input.focus();
  }
});
