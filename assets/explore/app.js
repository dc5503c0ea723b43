// claimgraph explorer: search, a node's page and an event's chain, on the public GraphQL API.
//
// Plain ES module, no build step. urql's client with Graphcache (a normalised cache keyed by
// __typename and id) talks to /graphql on this page's own origin; subscriptions (graphql-ws)
// are wired but open a socket only when a subscription runs. Every piece of data reaches the
// DOM as text (textContent), never as HTML; a search snippet's <mark> tags are the one markup
// the server sends, and they are rebuilt as elements, not parsed.

import { Client, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';

const NODE_TYPES = ['Actor', 'Location', 'Event', 'Source', 'Statement', 'Claim', 'Stance'];

const endpoint = new URL('/graphql', window.location.href);
const socketUrl = new URL(endpoint);
socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// lazy (graphql-ws's default): no socket until a subscription starts.
const ws = createWsClient({ url: socketUrl.href, lazy: true });

export const client = new Client({
  url: endpoint.href,
  exchanges: [
    cacheExchange({
      // Node is the one interface: telling Graphcache its types lets fragments on Actor,
      // Event… match without a schema download. Wrappers without an id (edges, search hits,
      // patron chains) are kept inside their parent, as the schema intends.
      possibleTypes: { Node: NODE_TYPES },
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query || '' }, sink) }),
      }),
    }),
  ],
  preferGetMethod: false,
});

// ---------------------------------------------------------------------------------------
// Documents

const NODE_LABEL = gql`
  fragment NodeLabel on Node {
    __typename
    id
    ... on Actor { name actorKind: kind }
    ... on Event { title occurredOn eventKind: kind }
    ... on Location { name locationKind: kind }
    ... on Source { title }
    ... on Statement { text saidOn }
    ... on Claim { relation }
    ... on Stance { position }
  }
`;

const CLAIM_FIELDS = gql`
  fragment ClaimFields on Claim {
    id
    relation
    confidence
    status
    validFrom
    validTo
    note
    asserterUnknown
    subject { ...NodeLabel }
    object { ...NodeLabel }
    value { text amount unit approximate }
    assertedBy { id name }
    source { id title published publisher { id name } }
    evidence { id text saidOn speaker { id name } }
    qualifiers { years role }
    stances { id position actor { id name } }
    corroboration { corroborated selfAsserted sourceCount independentSourceCount }
  }
  ${NODE_LABEL}
`;

const MOTIVE_FIELDS = gql`
  fragment MotiveFields on MotiveEdge {
    kind
    years
    via
    through { ...NodeLabel }
    claim { ...ClaimFields }
    node { id title occurredOn }
  }
  ${CLAIM_FIELDS}
`;

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

const CLAIMS_PAGE = 200;

const NODE_PAGE = gql`
  query ExploreNode($id: ID!) {
    node(id: $id) {
      ...NodeLabel
      ... on Actor {
        aliases
        description
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
        motives(first: 50) { edges { ...MotiveFields } }
      }
      ... on Event {
        description
        endedOn
        location { id name }
        campaign { id title }
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
        motives(first: 50) { edges { ...MotiveFields } }
        anniversaries {
          years
          anniversaryOn
          dayGap
          derived
          rule
          basis
          event { id title occurredOn }
          assertedBy { id assertedBy { id name } source { id title } }
        }
      }
      ... on Location {
        aliases
        description
        coordinates { lat lon precisionKm }
        parent { id name }
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
      }
      ... on Source {
        sourceKind: kind
        url
        published
        reliability
        description
        publisher { id name }
        via { id title }
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
      }
      ... on Statement {
        description
        speaker { id name }
        source { id title }
        event { id title }
        location { id name }
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
      }
      ... on Claim {
        ...ClaimFields
        corroboration {
          sources { id title }
          asserters { id name }
        }
      }
      ... on Stance {
        confidence
        date
        note
        actor { id name }
        assertedBy { id name }
        source { id title }
        claim { ...ClaimFields }
        claims(first: ${CLAIMS_PAGE}) { totalCount nodes { ...ClaimFields } }
      }
    }
  }
  ${CLAIM_FIELDS}
  ${MOTIVE_FIELDS}
`;

const CHAIN = gql`
  query ExploreChain($id: ID!) {
    event(id: $id) {
      id
      title
      occurredOn
      claimants { edges { claim { ...ClaimFields } node { ...ChainActor } } }
      attributions { edges { claim { ...ClaimFields } node { ...ChainActor } } }
      perpetrators { edges { claim { ...ClaimFields } node { ...ChainActor } } }
      motives(first: 50) { edges { ...MotiveFields } }
      anniversaries {
        years
        anniversaryOn
        derived
        rule
        basis
        event { id title occurredOn }
        assertedBy { id }
      }
    }
  }
  fragment ChainActor on Actor {
    id
    name
    patronChain {
      truncated
      top { id name }
      steps {
        depth
        client { id name }
        patron { id name }
        claim { ...ClaimFields }
      }
    }
  }
  ${MOTIVE_FIELDS}
`;

// ---------------------------------------------------------------------------------------
// DOM helpers: every value goes in as text.

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function nodeHref(id) {
  return `/explore/node/${encodeURIComponent(id)}`;
}

function label(node) {
  if (!node) return '(nothing)';
  switch (node.__typename) {
    case 'Actor':
    case 'Location':
      return node.name;
    case 'Event':
    case 'Source':
      return node.title;
    case 'Statement':
      return `“${truncate(node.text, 90)}”`;
    case 'Claim':
      return node.subject && node.relation
        ? `${label(node.subject)} ${relationWords(node.relation)} ${node.object ? label(node.object) : (node.value && node.value.text) || '…'}`
        : `claim ${node.id}`;
    case 'Stance':
      return `stance ${node.id}`;
    default:
      return node.name || node.title || node.id;
  }
}

function truncate(text, n) {
  if (!text) return '';
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function link(node, text) {
  if (!node) return h('span', { class: 'muted' }, 'unknown');
  return h('a', { href: nodeHref(node.id), 'data-route': true }, text ?? label(node));
}

function relationWords(relation) {
  return relation.toLowerCase().replaceAll('_', ' ');
}

function ordinal(n) {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th'}`;
}

function kindOf(node) {
  return node.actorKind || node.eventKind || node.locationKind || node.sourceKind || null;
}

// ---------------------------------------------------------------------------------------
// Routing (History API): /explore and /explore/node/<id>.

const main = document.getElementById('main');
let renderToken = 0;

function navigate(href) {
  const url = new URL(href, window.location.href);
  if (url.href !== window.location.href) history.pushState({}, '', url.pathname + url.search);
  route();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-route]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href') || a.getAttribute('xlink:href');
  if (!href || !href.startsWith('/explore')) return;
  e.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', () => route());

async function route() {
  const token = ++renderToken;
  const path = window.location.pathname.replace(/\/+$/, '');
  closeSearch();
  const m = path.match(/^\/explore\/node\/(.+)$/);
  try {
    if (m) await renderNode(decodeURIComponent(m[1]), token);
    else await renderHome(token);
  } catch (e) {
    if (token === renderToken) showError(e);
  }
}

function show(...children) {
  main.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  main.dataset.ready = 'true';
}

function showError(e) {
  show(h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e)));
}

function focusHeading() {
  const h1 = main.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: false });
  }
}

// ---------------------------------------------------------------------------------------
// Home

// Places to start on the seed; those the served graph does not hold are left out.
const STARTS = [
  ['ayn-al-assad-rocket-attack-2022-01-05', 'its chain: claimant → patrons → motive'],
  ['saraya-qasem-al-jabarin', 'claimed the attack'],
  ['soleimani-strike-2020-01-03', 'the strike of 2020-01-03'],
];

const STARTS_QUERY = gql`
  query ExploreStarts($ids: [ID!]!) {
    nodes(ids: $ids) { ...NodeLabel }
  }
  ${NODE_LABEL}
`;

async function renderHome(token) {
  document.title = 'claimgraph — Explorer';
  const result = await client.query(STARTS_QUERY, { ids: STARTS.map(([id]) => id) }).toPromise();
  if (token !== renderToken) return;
  const found = result.data ? result.data.nodes.filter(Boolean) : [];
  const why = new Map(STARTS);
  show(
    h('section', { class: 'intro' },
      h('h1', {}, 'Explore what reporting says about armed conflict'),
      h('p', {}, 'Search for an actor, event, place or source above. Each node’s page lists the claims that link it to others, with who asserts each link, in which source, how sure, and whether it is disputed; an event’s page draws its chain from attack to claimants, suspected patrons and motives.'),
    ),
    found.length
      ? [h('h2', {}, 'Start here'),
        h('ul', { class: 'starts' }, found.map((node) =>
          h('li', {}, h('a', { href: nodeHref(node.id), 'data-route': true },
            h('div', { class: 'card' }, h('span', { class: `type type-${node.__typename}` }, node.__typename), ' ',
              h('strong', {}, label(node)), h('div', { class: 'muted' }, why.get(node.id)))))))]
      : null,
  );
  focusHeading();
}

// ---------------------------------------------------------------------------------------
// Search as you type

const input = document.getElementById('search-input');
const list = document.getElementById('search-results');
let searchSeq = 0;
let searchTimer = null;
let hits = [];
let active = -1;

function closeSearch() {
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

// ---------------------------------------------------------------------------------------
// A node's page

async function renderNode(id, token) {
  show(h('p', { class: 'loading' }, 'Loading…'));
  const result = await client.query(NODE_PAGE, { id }).toPromise();
  if (token !== renderToken) return;
  if (result.error) throw result.error;
  const node = result.data.node;
  if (!node) {
    document.title = 'Not found — claimgraph explorer';
    show(h('h1', {}, 'Not found'), h('p', {}, `No node has the id “${id}”.`));
    focusHeading();
    return;
  }
  document.title = `${label(node)} — claimgraph explorer`;
  const parts = [header(node)];
  if (node.__typename === 'Event') parts.push(h('section', { id: 'chain', class: 'chain', 'aria-labelledby': 'chain-h' }, h('h2', { id: 'chain-h' }, 'Chain'), h('p', { class: 'loading' }, 'Drawing the chain…')));
  if (node.__typename === 'Claim') parts.push(h('h2', {}, 'The claim'), h('ul', { class: 'claims' }, claimItem(node, node.id, { full: true })));
  if (node.__typename === 'Stance') parts.push(h('h2', {}, 'The claim it concerns'), h('ul', { class: 'claims' }, claimItem(node.claim, node.id)));
  if (node.motives && node.motives.edges.length) parts.push(motivesSection(node));
  if (node.anniversaries && node.anniversaries.length) parts.push(anniversariesSection(node));
  if (node.claims) parts.push(claimsSections(node));
  show(parts);
  main.dataset.node = node.id;
  focusHeading();
  if (node.__typename === 'Event') await renderChain(node.id, token);
}

function header(node) {
  const rows = [];
  const row = (k, ...v) => { if (v.some((x) => x !== null && x !== undefined && x !== '')) rows.push(h('dt', {}, k), h('dd', {}, v)); };
  row('id', h('code', {}, node.id));
  row('kind', kindOf(node));
  if (node.aliases && node.aliases.length) row('also called', node.aliases.join(' · '));
  switch (node.__typename) {
    case 'Event':
      row('when', [node.occurredOn, node.endedOn && ` – ${node.endedOn}`]);
      row('where', node.location && link(node.location));
      row('part of', node.campaign && link(node.campaign));
      break;
    case 'Location':
      row('coordinates', node.coordinates && `${node.coordinates.lat.toFixed(4)}, ${node.coordinates.lon.toFixed(4)}${node.coordinates.precisionKm ? ` (± ${node.coordinates.precisionKm} km)` : ''}`);
      row('inside', node.parent && link(node.parent));
      break;
    case 'Source':
      row('publisher', node.publisher && link(node.publisher));
      row('published', node.published);
      row('reliability', node.reliability);
      row('reported via', node.via && link(node.via));
      row('address', node.url && h('a', { href: node.url, rel: 'noopener noreferrer external' }, node.url));
      break;
    case 'Statement':
      row('said by', node.speaker && link(node.speaker));
      row('said on', node.saidOn);
      row('in', node.source && link(node.source));
      row('about the event', node.event && link(node.event));
      row('where', node.location && link(node.location));
      break;
    case 'Stance':
      row('position', node.position && h('span', { class: 'badge' }, node.position.toLowerCase().replaceAll('_', ' ')));
      row('taken by', node.actor && link(node.actor));
      row('reported by', node.assertedBy ? link(node.assertedBy) : 'unknown');
      row('source', node.source && link(node.source));
      row('date', node.date);
      row('confidence', `${node.confidence}%`);
      row('note', node.note);
      break;
    default:
      break;
  }
  const title = node.__typename === 'Statement' ? `“${node.text}”` : label(node);
  return h('section', { class: 'card head' },
    h('span', { class: `type type-${node.__typename}` }, node.__typename),
    h('h1', {}, title),
    node.description ? h('p', {}, node.description) : null,
    h('dl', { class: 'fields' }, rows),
  );
}

function confidenceBar(confidence) {
  return h('span', { class: 'confidence', title: `confidence ${confidence}%` },
    h('span', { class: 'bar', role: 'img', 'aria-label': `confidence ${confidence} of 100` }, h('span', { style: `width:${Math.max(0, Math.min(100, confidence))}%` })),
    `${confidence}%`);
}

function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status.toLowerCase());
}

function corroborationBadge(c) {
  if (!c) return null;
  if (c.selfAsserted) return h('span', { class: 'badge self-asserted', title: 'only the party the claim is about asserts it' }, 'self-asserted');
  if (c.corroborated) return h('span', { class: 'badge corroborated', title: `${c.independentSourceCount} independent sources` }, `corroborated · ${c.independentSourceCount} sources`);
  return h('span', { class: 'badge single-source', title: `${c.sourceCount} source(s), ${c.independentSourceCount} independent` }, 'single source');
}

function validity(claim) {
  if (claim.validFrom || claim.validTo) return `valid ${claim.validFrom || '…'} – ${claim.validTo || '…'}`;
  return 'validity not stated';
}

function end(node, here) {
  if (!node) return h('span', { class: 'muted' }, '(a value)');
  if (node.id === here) return h('span', { class: 'here' }, label(node));
  return link(node);
}

function objectOf(claim, here) {
  if (claim.object) return end(claim.object, here);
  const v = claim.value;
  if (!v) return h('span', { class: 'muted' }, '(nothing)');
  return h('span', {}, v.text || `${v.approximate ? 'about ' : ''}${v.amount ?? ''} ${v.unit ?? ''}`.trim());
}

// One claim, as a link: who says so, where, how sure, its status and its evidence.
function claimItem(claim, here, opts = {}) {
  const c = claim.corroboration;
  const li = h('li', {
    class: `claim status-${claim.status}${c && c.selfAsserted ? ' self' : ''}${c && c.corroborated ? ' corroborated' : ''}`,
    dataset: { claim: claim.id, relation: claim.relation, status: claim.status },
  },
    h('div', { class: 'triple' },
      end(claim.subject, here), ' ', h('span', { class: 'rel' }, relationWords(claim.relation)), ' ', objectOf(claim, here),
      claim.qualifiers && claim.qualifiers.years ? h('span', { class: 'rel' }, ` (${ordinal(claim.qualifiers.years)} anniversary)`) : null),
    h('div', { class: 'meta' },
      statusBadge(claim.status),
      corroborationBadge(c),
      confidenceBar(claim.confidence),
      h('span', { class: 'asserter' }, 'asserted by ', claim.assertedBy ? link(claim.assertedBy) : h('em', {}, 'unknown')),
      h('span', { class: 'source' }, 'in ', claim.source ? link(claim.source) : h('em', {}, 'no source')),
      h('span', { class: 'validity muted' }, validity(claim)),
      h('a', { href: nodeHref(claim.id), 'data-route': true, class: 'muted', title: 'the claim’s own page' }, 'claim ›'),
    ),
    claim.stances && claim.stances.length
      ? h('div', { class: 'meta stances' }, claim.stances.map((st) => h('span', {}, h('span', { class: 'badge' }, st.position.toLowerCase().replaceAll('_', ' ')), ' by ', link(st.actor))))
      : null,
    claim.evidence.map((st) => h('blockquote', { class: 'evidence' }, `“${st.text}”`,
      h('footer', {}, '— ', st.speaker ? st.speaker.name : 'unattributed', st.saidOn ? `, ${st.saidOn}` : ''))),
    claim.note ? h('p', { class: 'muted' }, claim.note) : null,
    opts.full && c && c.sources ? h('p', { class: 'muted' }, `Sources: ${c.sources.map((x) => x.title).join('; ')}`) : null,
  );
  return li;
}

function groupBy(items, key) {
  const groups = new Map();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(item);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function claimsSections(node) {
  const claims = node.claims.nodes;
  const out = claims.filter((c) => c.subject && c.subject.id === node.id);
  const inn = claims.filter((c) => !(c.subject && c.subject.id === node.id));
  const section = (title, id, items) => h('section', { id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, `${title} (${items.length})`),
    items.length
      ? groupBy(items, (c) => c.relation).map(([rel, cs]) => [
        h('h3', {}, relationWords(rel)),
        h('ul', { class: 'claims', dataset: { relation: rel } }, cs.map((c) => claimItem(c, node.id))),
      ])
      : h('p', { class: 'muted' }, 'None.'));
  const more = node.claims.totalCount > claims.length ? h('p', { class: 'muted' }, `Showing ${claims.length} of ${node.claims.totalCount} claims.`) : null;
  // A source's claims are those it reports, a statement's those citing it as evidence.
  if (node.__typename === 'Source') return [section('Claims it reports', 'claims-cited', claims), more];
  if (node.__typename === 'Statement') return [section('Claims citing it as evidence', 'claims-cited', claims), more];
  return [
    section('Claims out (it is the subject)', 'claims-out', out),
    section('Claims in (it is the object)', 'claims-in', inn),
    more,
  ];
}

function motivesSection(node) {
  return h('section', { id: 'motives', 'aria-labelledby': 'motives-h' },
    h('h2', { id: 'motives-h' }, 'Motives'),
    h('ul', { class: 'claims' }, node.motives.edges.map((m) => {
      const li = claimItem(m.claim, node.id);
      const inherited = m.via !== 'EVENT' && m.through && m.through.id !== node.id;
      if (inherited) {
        li.classList.add('derived');
        li.querySelector('.meta').prepend(
          h('span', { class: 'badge derived', title: `asserted for ${label(m.through)}, applied to this ${node.__typename.toLowerCase()}` }, `derived · via ${m.via.toLowerCase()}`),
          h('span', {}, 'asserted for ', link(m.through)));
      }
      return li;
    })));
}

function anniversariesSection(node) {
  return h('section', { id: 'anniversaries', 'aria-labelledby': 'anniversaries-h' },
    h('h2', { id: 'anniversaries-h' }, 'Anniversaries (derived)'),
    h('ul', { class: 'claims' }, node.anniversaries.map((a) => h('li', { class: 'claim derived', dataset: { derived: 'true', rule: a.rule } },
      h('div', { class: 'triple' }, label(node), ' ', h('span', { class: 'rel' }, `falls on the ${ordinal(a.years)} anniversary of`), ' ', link(a.event), ` (${a.event.occurredOn})`),
      h('div', { class: 'meta' },
        h('span', { class: 'badge derived' }, 'derived'),
        h('span', {}, 'rule ', h('code', {}, a.rule)),
        h('span', { class: 'muted' }, a.basis),
        a.assertedBy.length
          ? h('span', {}, 'also asserted: ', a.assertedBy.map((c, i) => [i ? ', ' : '', link(c, c.assertedBy ? `${c.assertedBy.name}` : c.id), c.source ? ` in ${c.source.title}` : '']))
          : h('span', { class: 'muted' }, 'asserted by nobody')),
    ))));
}

// ---------------------------------------------------------------------------------------
// The chain: attack → claimants (and attributions, perpetrators) → patrons → motives.

async function renderChain(id, token) {
  const section = document.getElementById('chain');
  const result = await client.query(CHAIN, { id }).toPromise();
  if (token !== renderToken || !section.isConnected) return;
  if (result.error) {
    section.replaceChildren();
    append(section, [h('h2', { id: 'chain-h' }, 'Chain'), h('p', { class: 'error', role: 'alert' }, result.error.message)]);
    return;
  }
  const chain = buildChain(result.data.event);
  section.replaceChildren();
  append(section, [
    h('h2', { id: 'chain-h' }, 'Chain'),
    chain.edges.length
      ? [
        h('div', { class: 'chain-wrap' }, drawChain(chain)),
        h('p', { class: 'legend' }, 'Read left to right. Each arrow is a claim, labelled by its relation and who asserts it; thicker is surer, dashed is derived (not asserted for this event itself), red is disputed. The list below says the same in words.'),
        h('h3', {}, 'The chain as a list'),
        chainList(chain),
      ]
      : h('p', { class: 'muted' }, 'Nobody is reported to have claimed, carried out or been blamed for this event, and no motive is recorded.'),
  ]);
  section.dataset.ready = 'true';
}

// Columns of nodes and the edges between them.
function buildChain(event) {
  const nodes = new Map(); // id -> { id, label, sub, col, kind }
  const edges = [];
  const put = (id, text, sub, col, kind) => {
    const known = nodes.get(id);
    if (known) { known.col = Math.max(known.col, col); return known; }
    const n = { id, label: text, sub, col, kind };
    nodes.set(id, n);
    return n;
  };
  put(event.id, event.title, event.occurredOn, 0, 'event').centre = true;
  const actorLinks = [
    ['claimants', 'claimed by'],
    ['attributions', 'attributed to'],
    ['perpetrators', 'carried out by'],
  ];
  let maxDepth = 0;
  const seenClaims = new Set();
  for (const [field, words] of actorLinks) {
    for (const edge of event[field].edges) {
      const actor = edge.node;
      put(actor.id, actor.name, null, 1, 'actor');
      if (!seenClaims.has(edge.claim.id)) {
        seenClaims.add(edge.claim.id);
        edges.push({ from: event.id, to: actor.id, words, claim: edge.claim, derived: false });
      }
      for (const step of actor.patronChain.steps) {
        maxDepth = Math.max(maxDepth, step.depth);
        put(step.client.id, step.client.name, null, step.depth, 'actor');
        put(step.patron.id, step.patron.name, null, step.depth + 1, 'actor');
        if (!seenClaims.has(step.claim.id)) {
          seenClaims.add(step.claim.id);
          edges.push({ from: step.client.id, to: step.patron.id, words: relationWords(step.claim.relation), claim: step.claim, derived: false });
        }
      }
    }
  }
  // Motives and anniversaries sit in a band below the chain, one column right of the node
  // they start from, so that their arrows do not cross the chain's boxes.
  const motiveNode = (target, fromId) => {
    const from = nodes.get(fromId);
    const n = put(target.id, target.title, target.occurredOn, from.col + 1, 'event');
    if (!n.centre && n.kind === 'event') n.band = 'motive';
    return n;
  };
  for (const m of event.motives.edges) {
    const inherited = m.via !== 'EVENT' && m.through && m.through.id !== event.id;
    const from = m.via === 'ACTOR' && nodes.has(m.through.id) ? m.through.id : event.id;
    motiveNode(m.node, from);
    const words = m.kind === 'ANNIVERSARY' ? `marked the ${m.years ? `${ordinal(m.years)} ` : ''}anniversary of` : 'motivated by';
    edges.push({ from, to: m.node.id, words, claim: m.claim, derived: inherited, via: inherited ? m.through : null, motive: true });
  }
  for (const a of event.anniversaries) {
    motiveNode(a.event, event.id);
    edges.push({ from: event.id, to: a.event.id, words: `on the ${ordinal(a.years)} anniversary of`, claim: null, derived: true, rule: a.rule, basis: a.basis });
  }
  return { event, nodes: [...nodes.values()], edges, maxDepth };
}

const BOX_W = 160;
const BOX_H = 58;
const COL_GAP = 170;
const ROW_GAP = 36;
const BAND_GAP = 70;
const PAD = 16;
const LINE_CHARS = 24;

// A name in at most two lines of about LINE_CHARS characters, the second cut with an ellipsis.
function wrap(text) {
  const lines = [];
  let cur = '';
  for (const w of String(text).split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > LINE_CHARS) {
      lines.push(cur);
      cur = w;
    } else {
      cur = cur ? `${cur} ${w}` : w;
    }
  }
  if (cur) lines.push(cur);
  if (lines.length <= 2) return lines.map((l) => truncate(l, LINE_CHARS));
  return [truncate(lines[0], LINE_CHARS), truncate(lines.slice(1).join(' '), LINE_CHARS)];
}

function drawChain(chain) {
  // Columns per band; each band's columns are centred on the band's tallest column.
  const bands = { chain: new Map(), motive: new Map() };
  for (const n of chain.nodes) {
    const band = bands[n.band || 'chain'];
    if (!band.has(n.col)) band.set(n.col, []);
    band.get(n.col).push(n);
  }
  const rows = (band) => Math.max(0, ...[...band.values()].map((ns) => ns.length));
  const bandHeight = (k) => (k ? k * BOX_H + (k - 1) * ROW_GAP : 0);
  const topH = bandHeight(rows(bands.chain));
  const lowH = bandHeight(rows(bands.motive));
  const height = PAD * 2 + topH + (lowH ? BAND_GAP + lowH : 0);
  const maxCol = Math.max(0, ...chain.nodes.map((n) => n.col));
  const width = PAD * 2 + (maxCol + 1) * BOX_W + maxCol * COL_GAP;
  const place = (band, top, h) => {
    for (const [col, ns] of band) {
      const block = bandHeight(ns.length);
      ns.forEach((n, i) => {
        n.x = PAD + col * (BOX_W + COL_GAP);
        n.y = top + (h - block) / 2 + i * (BOX_H + ROW_GAP);
      });
    }
  };
  place(bands.chain, PAD, topH);
  place(bands.motive, PAD + topH + BAND_GAP, lowH);
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  // Parallel edges between the same two nodes bend apart, symmetrically.
  const pairs = new Map();
  for (const e of chain.edges) pairs.set(`${e.from}|${e.to}`, (pairs.get(`${e.from}|${e.to}`) || 0) + 1);
  const pairSeen = new Map();
  const svg = s('svg', {
    width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': 'chain-title', 'data-edges': chain.edges.length,
  }, s('title', { id: 'chain-title' }, `Chain of ${chain.event.title}; the list below gives it in words`),
  s('defs', {},
    ['plain', 'disputed', 'derived'].map((k) => s('marker', {
      id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: k === 'disputed' ? '#b3261e' : k === 'derived' ? '#8a5a00' : '#4d5a70' })))));
  const edgeLayer = s('g', { class: 'edges' });
  const labelLayer = s('g', { class: 'labels' });
  for (const e of chain.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    const key = `${e.from}|${e.to}`;
    const k = pairSeen.get(key) || 0;
    pairSeen.set(key, k + 1);
    const bend = (k - (pairs.get(key) - 1) / 2) * 30;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2 + bend / 3;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2 + bend / 3;
    const dx = Math.max(40, (x2 - x1) / 2);
    const d = `M${x1},${y1} C${x1 + dx},${y1 + bend * 1.3} ${x2 - dx},${y2 + bend * 1.3} ${x2 - 2},${y2}`;
    const disputed = e.claim && (e.claim.status === 'DISPUTED' || e.claim.status === 'REFUTED');
    const kind = disputed ? 'disputed' : e.derived ? 'derived' : 'plain';
    const confidence = e.claim ? e.claim.confidence : 40;
    const who = e.claim ? (e.claim.assertedBy ? e.claim.assertedBy.name : 'unknown asserter') : `derived: ${e.rule}`;
    const cls = `edge${disputed ? ' disputed' : ''}${e.derived ? ' derived' : ''}`;
    edgeLayer.append(s('g', { class: cls, dataset: { from: e.from, to: e.to, claim: e.claim ? e.claim.id : '' } },
      s('path', { d, 'stroke-width': (1 + (confidence / 100) * 5).toFixed(2), 'marker-end': `url(#arrow-${kind})` },
        s('title', {}, `${e.words} · ${who}${e.claim ? ` · ${e.claim.confidence}% · ${e.claim.status.toLowerCase()}` : ''}`))));
    // The label sits on the curve's midpoint (t = 0.5 of the cubic).
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2 + bend * 1.3 * 0.75;
    labelLayer.append(s('g', { class: cls },
      s('text', { x: mx, y: my - 4, 'text-anchor': 'middle' }, truncate(e.words, 31)),
      s('text', { x: mx, y: my + 9, 'text-anchor': 'middle' }, truncate(who, 31))));
  }
  const nodeLayer = s('g', { class: 'nodes' });
  for (const n of chain.nodes) {
    const lines = wrap(n.label);
    const lineY = n.sub ? [18, 32] : lines.length > 1 ? [25, 39] : [33];
    const g = s('g', { class: `node kind-${n.kind}${n.centre ? ' centre' : ''}`, dataset: { id: n.id } },
      s('rect', { x: n.x, y: n.y, width: BOX_W, height: BOX_H, rx: 6 }),
      lines.map((l, i) => s('text', { x: n.x + 9, y: n.y + lineY[i] }, l)),
      n.sub ? s('text', { class: 'sub', x: n.x + 9, y: n.y + 49 }, n.sub) : null,
      s('title', {}, n.label));
    if (n.centre) nodeLayer.append(g);
    else nodeLayer.append(s('a', { href: nodeHref(n.id), 'data-route': '' }, g));
  }
  append(svg, [edgeLayer, nodeLayer, labelLayer]);
  svg.style.maxWidth = `${width}px`;
  return svg;
}

// The same chain in words: the text alternative of the drawing.
function chainList(chain) {
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  const nodeLink = (id) => h('a', { href: nodeHref(id), 'data-route': true }, byId.get(id)?.label ?? id);
  return h('ol', { class: 'chain-list' }, chain.edges.map((e) => {
    const c = e.claim;
    let text;
    if (e.motive || !c) text = [nodeLink(e.from), ` ${e.words} `, nodeLink(e.to), byId.get(e.to)?.sub ? ` (${byId.get(e.to).sub})` : ''];
    else if (c.subject && c.subject.id === e.to) text = [nodeLink(e.to), ` ${relationWords(c.relation)} `, nodeLink(e.from)];
    else text = [nodeLink(e.from), ` ${relationWords(c.relation)} `, nodeLink(e.to)];
    return h('li', {
      dataset: {
        from: e.from, to: e.to, relation: c ? c.relation : 'DERIVED', asserter: c && c.assertedBy ? c.assertedBy.name : '',
        derived: e.derived ? 'true' : 'false', status: c ? c.status : '',
      },
    },
      text,
      h('span', { class: 'how' }, ' — ',
        c
          ? [
            'asserted by ', c.assertedBy ? c.assertedBy.name : 'an unknown asserter',
            c.source ? [' in ', link(c.source)] : '',
            `, confidence ${c.confidence}%, ${c.status.toLowerCase()}`,
            e.derived && e.via ? `; derived: asserted for ${label(e.via)}` : '',
          ]
          : ['derived, not asserted: rule ', h('code', {}, e.rule), `; ${e.basis}`]));
  }));
}

route();
