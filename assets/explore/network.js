// The network view of a node's page: the node's neighbourhood (the `neighborhood` field)
// drawn with Cytoscape.js, with controls for hops, relations, confidence and refuted claims,
// and beneath the drawing the same edges as a list of links (its text alternative and the
// keyboard's way through it).

import { gql } from '@urql/core';
import { client } from './client.js';
import { h, label, link, navigate, nodeHref, relationWords, s, section, truncate } from './dom.js';

const LIMIT = 150;
const MAX_HOPS = 4;
const MAX_FAN = (2 * Math.PI) / 3; // the angle a few children of a node spread over
const FAN_PER_NODE = 0.3; // radians per node below, for a node with many
const BIG = 12; // more nodes than this get a taller canvas

const NEIGHBORHOOD = gql`
  query ExploreNeighborhood($id: ID!, $hops: Int!, $relations: [Relation!], $minConfidence: Int!, $includeRefuted: Boolean!) {
    neighborhood(id: $id, hops: $hops, relations: $relations, minConfidence: $minConfidence, includeRefuted: $includeRefuted, limit: ${LIMIT}) {
      truncated
      nodes { nodeId type kind label distance }
      edges {
        claimId
        relation
        source
        target
        confidence
        claim { id status confidence assertedBy { id name } source { id title } }
      }
    }
  }
`;

// Colour and shape per node type: the shape says the type too, for readers who cannot tell
// the colours apart. Colours follow app.css's .type-* badges, deepened for the border.
const NODE_STYLE = {
  ACTOR: { name: 'Actor', fill: '#dce9ff', stroke: '#4b74b8', shape: 'ellipse' },
  EVENT: { name: 'Event', fill: '#ffe3d6', stroke: '#c46a3c', shape: 'diamond' },
  LOCATION: { name: 'Location', fill: '#dcf5e3', stroke: '#2f8a4c', shape: 'triangle' },
  SOURCE: { name: 'Source', fill: '#efe3ff', stroke: '#7a4fb8', shape: 'rectangle' },
  STATEMENT: { name: 'Statement', fill: '#fff3c4', stroke: '#a88a00', shape: 'round-rectangle' },
  CLAIM: { name: 'Claim', fill: '#e6e6e6', stroke: '#777777', shape: 'hexagon' },
  STANCE: { name: 'Stance', fill: '#e6e6e6', stroke: '#777777', shape: 'octagon' },
};

// Claims and stances are links themselves: their neighbourhood is only themselves, and their
// page already shows both ends.
const DRAWN_TYPES = new Set(['Actor', 'Event', 'Location', 'Source', 'Statement']);

// Only one network is on screen at a time; a live refresh of the page builds a new section,
// and the drawing of the old one must go with it.
let shown = null;

// The section for `node`'s page (null for claims and stances), filled once the
// neighbourhood arrives.
export function networkSection(node, ctx) {
  if (!DRAWN_TYPES.has(node.__typename)) return null;
  // The same node again is a live update: keep the reader's settings, and ask the server.
  const previous = shown && shown.node.id === node.id ? shown : null;
  dropShown();
  const view = {
    node,
    ctx,
    settings: previous ? { ...previous.settings } : { hops: 1, minConfidence: 0, includeRefuted: false, relations: null },
    known: new Set(previous ? previous.known : []), // every relation seen, so that a filtered-out one can come back
    fresh: Boolean(previous),
    seq: 0,
    cy: null,
  };
  shown = view;
  ctx.onLeave(() => { if (shown === view) dropShown(); });
  view.status = h('p', { class: 'loading', role: 'status' }, 'Drawing the network…');
  view.canvas = h('div', {
    class: 'network-canvas', role: 'img',
    'aria-label': `Network of claims around ${label(node)}; the list below gives every link in words`,
  });
  view.relationsBox = h('div', { class: 'network-relations' });
  view.notice = h('p', { class: 'network-truncated', role: 'note', hidden: true });
  view.list = h('div', { class: 'network-list-wrap' });
  view.controls = controls(view);
  view.el = section('network', 'Network',
    view.intro = h('p', { class: 'network-intro muted' },
      'The claims around this node, hop by hop. Each arrow is a claim from its subject to its object, labelled with its relation and who asserts it; thicker is surer, red is disputed or refuted. Select a node to open its page. ',
      h('a', { href: `/explore/paths?from=${encodeURIComponent(node.id)}`, 'data-route': true, class: 'network-paths' }, 'Find paths from here ›')),
    view.controls,
    view.notice,
    view.stage = h('div', { class: 'network-stage' }, zoomButtons(view), view.canvas, legend()),
    view.status,
    view.list);
  view.el.classList.add('network');
  load(view);
  return view.el;
}

function dropShown() {
  if (shown && shown.cy) shown.cy.destroy();
  if (shown) shown.cy = null;
  shown = null;
}

// ---------------------------------------------------------------------------------------
// Controls

function controls(view) {
  const hops = h('select', { id: 'network-hops', name: 'hops', onchange: (e) => change(view, { hops: Number(e.target.value) }) },
    Array.from({ length: MAX_HOPS }, (_, i) => h('option', { value: i + 1, selected: i + 1 === view.settings.hops }, String(i + 1))));
  const confidence = h('select', { id: 'network-confidence', name: 'minConfidence', onchange: (e) => change(view, { minConfidence: Number(e.target.value) }) },
    [[0, 'any'], [25, '25% or more'], [50, '50% or more'], [75, '75% or more'], [90, '90% or more']].map(([v, t]) => h('option', { value: v, selected: v === view.settings.minConfidence }, t)));
  const refuted = h('input', { type: 'checkbox', id: 'network-refuted', name: 'includeRefuted', checked: view.settings.includeRefuted, onchange: (e) => change(view, { includeRefuted: e.target.checked }) });
  return h('form', { class: 'network-controls', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'network-row' },
      h('label', { for: 'network-hops' }, 'Hops ', hops),
      h('label', { for: 'network-confidence' }, 'Confidence ', confidence),
      h('label', { for: 'network-refuted', class: 'check' }, refuted, ' include refuted claims')),
    h('fieldset', { class: 'network-relations-set' },
      h('legend', {}, 'Relations followed'),
      h('div', { class: 'network-relation-buttons' },
        h('button', { type: 'button', 'data-action': 'all', onclick: () => setAllRelations(view, true) }, 'All'),
        h('button', { type: 'button', 'data-action': 'none', onclick: () => setAllRelations(view, false) }, 'None')),
      view.relationsBox));
}

function change(view, patch) {
  Object.assign(view.settings, patch);
  load(view);
}

function relationBoxes(view) {
  return [...view.relationsBox.querySelectorAll('input[type=checkbox]')];
}

// The filter from the boxes: null (every relation, new ones included) when all are ticked.
function relationsFromBoxes(view) {
  const boxes = relationBoxes(view);
  const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
  return ticked.length === boxes.length ? null : ticked;
}

function setAllRelations(view, on) {
  for (const b of relationBoxes(view)) b.checked = on;
  change(view, { relations: relationsFromBoxes(view) });
}

// One box per relation seen so far, with how many edges of it are drawn now.
function renderRelationBoxes(view, edges) {
  const counts = new Map();
  for (const e of edges) counts.set(e.relation, (counts.get(e.relation) || 0) + 1);
  const filter = view.settings.relations;
  const rows = [...view.known].sort().map((rel) => h('label', { class: 'check', dataset: { relation: rel } },
    h('input', {
      type: 'checkbox', name: 'relation', value: rel, checked: !filter || filter.includes(rel),
      onchange: () => change(view, { relations: relationsFromBoxes(view) }),
    }),
    ` ${relationWords(rel)} `, h('span', { class: 'muted' }, `(${counts.get(rel) || 0})`)));
  view.relationsBox.replaceChildren(...(rows.length ? rows : [h('span', { class: 'muted' }, 'No claims yet.')]));
}

function zoomButtons(view) {
  const zoom = (factor) => {
    const cy = view.cy;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };
  return h('div', { class: 'network-zoom' },
    h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', onclick: () => zoom(1.25) }, '+'),
    h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', onclick: () => zoom(0.8) }, '−'),
    h('button', { type: 'button', title: 'Fit the whole network', onclick: () => view.cy && fitDrawing(view.cy) }, 'Fit'));
}

function legend() {
  const swatch = (st) => s('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, shapeIcon(st));
  return h('ul', { class: 'network-legend', 'aria-label': 'Legend' },
    Object.entries(NODE_STYLE).filter(([t]) => DRAWN_TYPES.has(NODE_STYLE[t].name)).map(([, st]) => h('li', {}, swatch(st), st.name)),
    h('li', {}, s('svg', { width: 28, height: 12, 'aria-hidden': 'true' }, s('line', { x1: 1, y1: 6, x2: 27, y2: 6, stroke: '#4d5a70', 'stroke-width': 3 })), 'asserted'),
    h('li', {}, s('svg', { width: 28, height: 12, 'aria-hidden': 'true' }, s('line', { x1: 1, y1: 6, x2: 27, y2: 6, stroke: '#b3261e', 'stroke-width': 3 })), 'disputed or refuted'));
}

function shapeIcon(st) {
  const a = { fill: st.fill, stroke: st.stroke, 'stroke-width': 1.5 };
  switch (st.shape) {
    case 'diamond': return s('polygon', { points: '8,1 15,8 8,15 1,8', ...a });
    case 'triangle': return s('polygon', { points: '8,2 15,14 1,14', ...a });
    case 'rectangle': return s('rect', { x: 2, y: 3, width: 12, height: 10, ...a });
    case 'round-rectangle': return s('rect', { x: 2, y: 3, width: 12, height: 10, rx: 3, ...a });
    default: return s('circle', { cx: 8, cy: 8, r: 6.5, ...a });
  }
}

// ---------------------------------------------------------------------------------------
// Loading and drawing

// Cytoscape (440 kB) is fetched and parsed when the first network is drawn, in parallel with
// the neighbourhood's query, so that no page's first paint waits for it.
let cytoscape = null;
let cytoscapeLoading = null;

function loadCytoscape() {
  cytoscapeLoading ??= import('cytoscape').then(
    (module) => {
      cytoscape = module.default;
    },
    (e) => {
      cytoscapeLoading = null; // the next drawing tries again
      throw e;
    },
  );
  return cytoscapeLoading;
}

async function load(view) {
  const seq = ++view.seq;
  const { el, ctx, node, settings } = view;
  el.dataset.ready = 'false';
  view.status.hidden = false;
  view.status.className = 'loading';
  view.status.setAttribute('role', 'status');
  view.status.textContent = 'Drawing the network…';
  // The API reads an empty list as "every relation"; with no box ticked, only the centre.
  if (settings.relations && !settings.relations.length) {
    await loadCytoscape().catch(() => {});
    if (cytoscape && ctx.isCurrent() && seq === view.seq && shown === view) draw(view, centreOnly(node));
    return;
  }
  const policy = view.fresh ? { requestPolicy: 'network-only' } : undefined;
  view.fresh = false;
  let result;
  try {
    [result] = await Promise.all([
      client.query(NEIGHBORHOOD, { id: node.id, ...settings }, policy).toPromise(),
      loadCytoscape(),
    ]);
  } catch (e) {
    result = { error: new Error(`the network could not be drawn: its drawing library did not load (${e.message}); the claims are listed below`) };
  }
  if (!ctx.isCurrent() || seq !== view.seq || shown !== view) return;
  if (!el.isConnected) await nextFrame();
  if (!ctx.isCurrent() || seq !== view.seq || shown !== view || !el.isConnected) return;
  if (result.error) {
    view.status.className = 'error';
    view.status.setAttribute('role', 'alert');
    view.status.textContent = result.error.message;
    return;
  }
  draw(view, result.data.neighborhood);
}

function centreOnly(node) {
  const centre = { nodeId: node.id, type: node.__typename.toUpperCase(), kind: '', label: label(node), distance: 0 };
  return { truncated: false, nodes: [centre], edges: [] };
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function draw(view, hood) {
  const { el, settings } = view;
  for (const e of hood.edges) view.known.add(e.relation);
  renderRelationBoxes(view, hood.edges);
  const names = new Map(hood.nodes.map((n) => [n.nodeId, n.label]));
  const edges = hood.edges.filter((e) => names.has(e.source) && names.has(e.target));
  view.notice.hidden = !hood.truncated;
  view.notice.textContent = hood.truncated
    ? `Not everything is drawn: at most the nearest ${LIMIT} nodes, within the search's bounds. Fewer hops or fewer relations give a complete picture.`
    : '';
  // A lone node is no drawing: the list says that nothing links it. When nothing does even
  // at the start (a source is seldom a claim's subject or object), no control would help.
  view.stage.hidden = !edges.length;
  view.canvas.classList.toggle('big', hood.nodes.length > BIG);
  if (!view.drawn && !edges.length && settings.hops === 1 && !settings.relations) {
    view.intro.hidden = true;
    view.controls.hidden = true;
    view.alone = true;
  }
  view.drawn = true;
  renderCy(view, hood.nodes, edges);
  view.list.replaceChildren(...[edgeList(view.node.id, names, edges, view.alone)].flat());
  view.status.hidden = true;
  Object.assign(el.dataset, {
    nodes: String(hood.nodes.length),
    edges: String(edges.length),
    hops: String(settings.hops),
    relations: settings.relations ? settings.relations.join(',') : 'all',
    minConfidence: String(settings.minConfidence),
    truncated: hood.truncated ? 'true' : 'false',
    ready: 'true',
  });
}

// Claims are drawn from subject to object; confidence sets the width, a dispute the colour.
function elements(centreId, nodes, edges, positions) {
  return [
    ...nodes.map((n) => ({
      group: 'nodes',
      position: { ...(positions.get(n.nodeId) || { x: 0, y: 0 }) },
      data: { id: n.nodeId, label: truncate(n.label, 36), full: n.label, type: n.type, distance: n.distance },
      classes: [`t-${n.type}`, n.nodeId === centreId ? 'centre' : ''].filter(Boolean),
    })),
    ...edges.map((e) => {
      const lines = [relationWords(e.relation), asserterName(e.claim)];
      return {
        group: 'edges',
        data: {
          id: `claim:${e.claimId}`, source: e.source, target: e.target, claim: e.claimId,
          label: lines.join('\n'),
          width: 1 + (e.confidence / 100) * 5,
          // Half the label's width (about 5 px a character at 9 px) and a gap.
          shift: Math.max(...lines.map((l) => l.length)) * 2.5 + 8,
        },
        classes: [isDisputed(e.claim) ? 'disputed' : '', steep(positions, e) ? 'steep' : ''].filter(Boolean),
      };
    }),
  ];
}

// Whether an edge runs more up and down than across: its label, turned along it, would
// read sideways, so it stays level beside the line instead.
function steep(positions, e) {
  const a = positions.get(e.source);
  const b = positions.get(e.target);
  return Boolean(a && b) && Math.abs(b.y - a.y) > Math.abs(b.x - a.x) * 1.5;
}

function isDisputed(claim) {
  return claim.status === 'DISPUTED' || claim.status === 'REFUTED';
}

function asserterName(claim) {
  return claim.assertedBy ? claim.assertedBy.name : 'unknown asserter';
}

function stylesheet() {
  const byType = Object.entries(NODE_STYLE).map(([type, st]) => ({
    selector: `node.t-${type}`,
    style: { 'background-color': st.fill, 'border-color': st.stroke, shape: st.shape },
  }));
  return [
    {
      selector: 'node',
      style: {
        width: 22, height: 22, 'border-width': 1.5, label: 'data(label)',
        'font-size': 11, color: '#1d2330', 'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 4,
        'text-wrap': 'wrap', 'text-max-width': '130px',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': '1px',
        'min-zoomed-font-size': 5,
      },
    },
    ...byType,
    { selector: 'node.centre', style: { width: 36, height: 36, 'border-width': 4, 'font-weight': 'bold', 'font-size': 12 } },
    { selector: 'node:selected', style: { 'overlay-color': '#f0b400', 'overlay-opacity': 0.3 } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)', 'line-color': '#4d5a70', 'target-arrow-color': '#4d5a70', 'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9, 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9, color: '#2b3345',
        // Beside the line, not over it: a label's background would hide the line's colour.
        'text-wrap': 'wrap', 'text-rotation': 'autorotate', 'text-margin-y': -13,
        'text-outline-color': '#ffffff', 'text-outline-width': 2, 'min-zoomed-font-size': 6,
      },
    },
    { selector: 'edge.steep', style: { 'text-rotation': 'none', 'text-margin-y': 0, 'text-margin-x': 'data(shift)' } },
    { selector: 'edge.disputed', style: { 'line-color': '#b3261e', 'target-arrow-color': '#b3261e', color: '#b3261e' } },
  ];
}

// A fine pointer may pan and drag; on a touch screen the drawing must not swallow the
// finger that scrolls the page, so it stays put and the buttons zoom. The wheel never zooms
// (it scrolls the page), hence the buttons.
function renderCy(view, nodes, edges) {
  const coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  // Every node is placed before Cytoscape sees it: nodes piled at the origin, however
  // briefly, make it warn that their edges cannot be drawn.
  const positions = radialLayout(view.node.id, nodes, edges, view.canvas.clientWidth, view.canvas.clientHeight);
  const els = elements(view.node.id, nodes, edges, positions);
  if (!view.cy) {
    view.cy = cytoscape({
      container: view.canvas,
      elements: els,
      style: stylesheet(),
      layout: { name: 'preset' },
      minZoom: 0.2,
      maxZoom: 3,
      userZoomingEnabled: false,
      userPanningEnabled: !coarse,
      boxSelectionEnabled: false,
      autoungrabify: coarse,
    });
    view.cy.on('tap', 'node', (e) => {
      const id = e.target.id();
      if (id !== view.node.id) navigate(nodeHref(id));
    });
    view.cy.on('mouseover', 'node', (e) => { view.canvas.title = e.target.data('full'); view.canvas.style.cursor = e.target.id() === view.node.id ? '' : 'pointer'; });
    view.cy.on('mouseout', 'node', () => { view.canvas.title = ''; view.canvas.style.cursor = ''; });
  } else {
    view.cy.batch(() => {
      view.cy.elements().remove();
      view.cy.add(els);
    });
  }
  fitDrawing(view.cy);
}

// The whole drawing in view, but no larger than a little over life size.
function fitDrawing(cy) {
  cy.resize();
  cy.fit(undefined, 40);
  if (cy.zoom() > 1.3) {
    cy.zoom(1.3);
    cy.center();
  }
}

// A radial tree around the centre: one ring per hop, each node in the slice of the circle
// that its parent (a neighbour one hop nearer) holds, the slice's width by how many nodes
// hang below it, so that links point outwards and seldom cross. The first ring starts beside
// the centre (two nodes sit left and right of it, where their labels do not collide); on a
// narrow screen above and below it, where the labels need not shrink to fit.
function radialLayout(centreId, nodes, edges, width, height) {
  const tree = spanningTree(centreId, nodes, edges);
  const positions = new Map();
  const place = (id, from, to) => {
    const n = tree.get(id);
    const angle = (from + to) / 2;
    positions.set(id, { x: radius[n.distance] * Math.cos(angle), y: radius[n.distance] * Math.sin(angle) });
    // A node's children fan out around its own direction, not round the whole slice (the
    // one node beside the centre must not put its neighbours above and below the centre);
    // the more hang below it, the wider the fan.
    const spread = n.distance ? Math.min(to - from, Math.max(MAX_FAN, n.weight * FAN_PER_NODE)) : to - from;
    let at = angle - spread / 2;
    for (const child of n.children) {
      const share = (spread * tree.get(child).weight) / n.weight;
      place(child, at, at + share);
      at += share;
    }
  };
  const narrow = width < 600;
  const single = tree.get(centreId).children.length === 1;
  const start = narrow ? (single ? -Math.PI / 2 : 0) : (single ? -Math.PI : Math.PI / 2);
  const radius = ringRadii(tree, narrow ? 130 : 170);
  place(centreId, start, start + 2 * Math.PI);
  widen(positions, width / Math.max(1, height));
  return positions;
}

// The canvas is wider than high on a wide screen: rings that fill a square are stretched
// into ellipses to fill it (a row of nodes already does).
function widen(positions, canvasAspect) {
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  const w = Math.max(...xs) - Math.min(...xs) + 120; // room for the labels
  const h = Math.max(...ys) - Math.min(...ys) + 60;
  const stretch = Math.min(2.4, Math.max(1, canvasAspect / (w / h)));
  for (const p of positions.values()) p.x *= stretch;
}

// Breadth-first from the centre over the edges drawn either way; weight = leaves below.
function spanningTree(centreId, nodes, edges) {
  const tree = new Map(nodes.map((n) => [n.nodeId, { distance: n.distance, children: [], weight: 1 }]));
  const next = new Map();
  for (const e of edges) {
    for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
      if (!next.has(a)) next.set(a, []);
      next.get(a).push(b);
    }
  }
  const seen = new Set([centreId]);
  const order = [centreId];
  for (let i = 0; i < order.length; i += 1) {
    for (const b of next.get(order[i]) || []) {
      if (seen.has(b) || !tree.has(b)) continue;
      seen.add(b);
      tree.get(order[i]).children.push(b);
      tree.get(b).distance = tree.get(order[i]).distance + 1;
      order.push(b);
    }
  }
  // Nodes no drawn edge reaches hang on the centre, so that they are still placed.
  for (const id of tree.keys()) {
    if (!seen.has(id)) {
      tree.get(centreId).children.push(id);
      tree.get(id).distance = Math.max(1, tree.get(id).distance);
      order.push(id);
    }
  }
  for (const id of order.reverse()) {
    const n = tree.get(id);
    if (n.children.length) n.weight = n.children.reduce((sum, c) => sum + tree.get(c).weight, 0);
  }
  return tree;
}

// Ring k's radius: k steps out, and wide enough for its nodes' labels side by side.
function ringRadii(tree, step) {
  const count = [];
  for (const n of tree.values()) count[n.distance] = (count[n.distance] || 0) + 1;
  const radius = [0];
  for (let k = 1; k < Math.max(2, count.length + 1); k += 1) {
    radius[k] = Math.max(radius[k - 1] + step, ((count[k] || 0) * 60) / (2 * Math.PI));
  }
  return radius;
}

// The text alternative: every edge drawn, in words, with links to both ends and the claim.
function edgeList(centreId, names, edges, alone) {
  if (!edges.length) {
    return h('p', { class: 'muted network-empty' }, alone
      ? 'No claim has this node as its subject or object: there is no network to draw.'
      : 'No claim has this node as its subject or object with these settings.');
  }
  const end = (id) => (id === centreId
    ? h('strong', {}, names.get(id))
    : link({ id }, names.get(id)));
  return [
    h('h3', { id: 'network-list-h' }, `The network as a list (${edges.length} ${edges.length === 1 ? 'claim' : 'claims'})`),
    h('ul', { class: 'network-list', 'aria-labelledby': 'network-list-h' }, edges.map((e) => h('li', {
      class: isDisputed(e.claim) ? 'disputed' : null,
      dataset: { claim: e.claimId, relation: e.relation, source: e.source, target: e.target, status: e.claim.status, asserter: asserterName(e.claim), confidence: e.confidence },
    },
      end(e.source), ' ', h('span', { class: 'rel' }, relationWords(e.relation)), ' ', end(e.target),
      h('span', { class: 'how' }, ' — asserted by ', asserterName(e.claim),
        e.claim.source ? [' in ', link(e.claim.source)] : '',
        `, ${e.confidence}%, ${e.claim.status.toLowerCase()} `,
        h('a', { href: nodeHref(e.claimId), 'data-route': true, class: 'muted', title: 'the claim’s own page' }, 'claim ›'))))),
  ];
}
