// claimgraph explorer: the page's router, its home and a node's page, on the public GraphQL
// API. Plain ES modules, no build step: client.js holds the urql client (Graphcache, a
// normalised cache keyed by __typename and id), dom.js the helpers that put every value into
// the DOM as text, and each view its own module (search, claims, chain, network, map,
// timeline, paths, live updates, editors' forms).

import { gql } from '@urql/core';
import { client } from './client.js';
import { ANNIVERSARY_FIELDS, MOTIVE_FIELDS, NODE_LABEL } from './fragments.js';
import { h, kindOf, label, link, navigate, nodeHref } from './dom.js';
import { closeSearch } from './search.js';
import { anniversariesSection, claimItem, claimsSections, motivesSection } from './claims.js';
import { renderChain } from './chain.js';
import { networkSection } from './network.js';
import { mapSection, renderMapPage } from './map.js';
import { renderTimelinePage } from './timeline.js';
import { renderPathsPage } from './paths.js';
import { watchNode } from './live.js';
import { decorateForEditors, mountEditorControls } from './editor.js';

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
        anniversaries { dayGap ...AnniversaryFields }
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
  ${MOTIVE_FIELDS}
  ${ANNIVERSARY_FIELDS}
`;

// ---------------------------------------------------------------------------------------
// Routing (History API): /explore and /explore/node/<id>.

const main = document.getElementById('main');
let renderToken = 0;

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-route]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href') || a.getAttribute('xlink:href');
  if (!href || !href.startsWith('/explore')) return;
  e.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', () => route());
// The skip link moves focus, not the route: following "#main" would otherwise fire popstate.
document.querySelector('a.skip')?.addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('explore:navigate', () => route());

// What a view needs from the router: whether it is still the page shown, how to show itself,
// and a place to register what to undo (a subscription, a drawing) when the page changes.
function context(token) {
  const cleanups = [];
  leaving = cleanups;
  return {
    main,
    isCurrent: () => token === renderToken,
    show,
    focusHeading,
    onLeave: (fn) => cleanups.push(fn),
  };
}

let leaving = [];

function leave() {
  for (const fn of leaving.splice(0)) {
    try {
      fn();
    } catch (e) {
      console.warn('explorer: cleanup failed', e);
    }
  }
}

// Pages other than a node's and the home page: /explore/<name>.
const PAGES = {
  map: renderMapPage,
  timeline: renderTimelinePage,
  paths: renderPathsPage,
};

async function route() {
  const token = ++renderToken;
  leave();
  const ctx = context(token);
  const path = window.location.pathname.replace(/\/+$/, '');
  closeSearch();
  markNav(path);
  const m = path.match(/^\/explore\/node\/(.+)$/);
  const p = path.match(/^\/explore\/([a-z]+)$/);
  try {
    if (m) await renderNode(decodeURIComponent(m[1]), ctx);
    else if (p && PAGES[p[1]]) await PAGES[p[1]](ctx);
    else await renderHome(ctx);
  } catch (e) {
    if (ctx.isCurrent()) showError(e);
  }
}

// The header's links say which page is open (aria-current), for screen readers too.
function markNav(path) {
  for (const a of document.querySelectorAll('nav.views a')) {
    if (a.getAttribute('href') === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
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

async function renderHome(ctx) {
  document.title = 'claimgraph — Explorer';
  const result = await client.query(STARTS_QUERY, { ids: STARTS.map(([id]) => id) }).toPromise();
  if (!ctx.isCurrent()) return;
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
// A node's page

// `fresh` (live updates) asks the server again instead of the cache and keeps the reader's
// place: no loading notice, no focus move, the same scroll position.
async function renderNode(id, ctx, { fresh = false } = {}) {
  if (!fresh) show(h('p', { class: 'loading' }, 'Loading…'));
  const result = await client.query(NODE_PAGE, { id }, fresh ? { requestPolicy: 'network-only' } : undefined).toPromise();
  if (!ctx.isCurrent()) return;
  if (result.error) throw result.error;
  const node = result.data.node;
  if (!node) {
    document.title = 'Not found — claimgraph explorer';
    show(h('h1', {}, 'Not found'), h('p', {}, `No node has the id “${id}”.`));
    focusHeading();
    return;
  }
  document.title = `${label(node)} — claimgraph explorer`;
  const nodeCtx = { ...ctx, node, refresh: () => renderNode(id, ctx, { fresh: true }) };
  const parts = [header(node)];
  if (node.__typename === 'Event') parts.push(h('section', { id: 'chain', class: 'chain', 'aria-labelledby': 'chain-h' }, h('h2', { id: 'chain-h' }, 'Chain'), h('p', { class: 'loading' }, 'Drawing the chain…')));
  if (node.__typename === 'Claim') parts.push(h('h2', {}, 'The claim'), h('ul', { class: 'claims' }, claimItem(node, node.id, { full: true })));
  if (node.__typename === 'Stance') parts.push(h('h2', {}, 'The claim it concerns'), h('ul', { class: 'claims' }, claimItem(node.claim, node.id)));
  if (node.motives && node.motives.edges.length) parts.push(motivesSection(node));
  if (node.anniversaries && node.anniversaries.length) parts.push(anniversariesSection(node));
  parts.push(mapSection(node, nodeCtx), networkSection(node, nodeCtx));
  if (node.claims) parts.push(claimsSections(node));
  const y = window.scrollY;
  show(parts);
  main.dataset.node = node.id;
  decorateForEditors(node, nodeCtx);
  if (fresh) window.scrollTo(0, y);
  else {
    focusHeading();
    watchNode(node, nodeCtx);
  }
  if (node.__typename === 'Event') await renderChain(node.id, ctx.isCurrent, fresh);
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

mountEditorControls(document.getElementById('editor-controls'));
route();
