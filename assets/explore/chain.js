// The chain of an event: attack → claimants (and attributions, perpetrators) → the whole
// patron chain → motives and anniversaries, drawn left to right in SVG, with the same chain
// as a numbered list (its text alternative).

import { gql } from '@urql/core';
import { client } from './client.js';
import { ANNIVERSARY_FIELDS, MOTIVE_FIELDS } from './fragments.js';
import { append, h, label, link, nodeHref, ordinal, relationWords, s, truncate } from './dom.js';

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
      anniversaries { ...AnniversaryFields }
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
  ${ANNIVERSARY_FIELDS}
`;
// ---------------------------------------------------------------------------------------
// The chain: attack → claimants (and attributions, perpetrators) → patrons → motives.

// `fresh` asks the server again (a live update) instead of answering from the cache.
export async function renderChain(id, isCurrent, fresh = false) {
  const section = document.getElementById('chain');
  const result = await client.query(CHAIN, { id }, fresh ? { requestPolicy: 'network-only' } : undefined).toPromise();
  if (!isCurrent() || !section.isConnected) return;
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
export function buildChain(event) {
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
export function wrap(text) {
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

export function drawChain(chain) {
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
    width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
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
export function chainList(chain) {
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

