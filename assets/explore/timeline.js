// The timeline: every event on a horizontal date axis (SVG), with its anniversary links drawn
// as arcs between the two dates: derived ones (Event.anniversaries, computed from the dates)
// dashed in the derived colour, asserted ones (anniversary motives, claims with an asserter)
// solid. Beneath it the same in words: events by date, each with its anniversary links.

import { gql } from '@urql/core';
import { client } from './client.js';
import { ANNIVERSARY_FIELDS, NODE_LABEL } from './fragments.js';
import { h, label, link, nodeHref, ordinal, s, truncate } from './dom.js';

const PAGE = 500;
const W = 1000; // viewBox width; the drawing scales to the page
const PAD = 28;
const LABEL_CHARS = 30;
const CHAR_PX = 6.4; // average glyph width at 12px, to keep labels from overlapping
const ROW_H = 34;
const ARC_MIN = 36;
const ARC_STEP = 7;
const DAY_MS = 86_400_000;
const GAP_CAP_MS = 365 * DAY_MS;

const TIMELINE = gql`
  query TimelineEvents($first: Int!, $after: String) {
    events(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        title
        occurredOn
        endedOn
        eventKind: kind
        anniversaries { ...AnniversaryFields }
        motives(first: 50) {
          edges {
            kind
            years
            via
            through { ...NodeLabel }
            node { id title occurredOn }
            claim { id status confidence assertedBy { id name } source { id title } }
          }
        }
      }
    }
  }
  ${NODE_LABEL}
  ${ANNIVERSARY_FIELDS}
`;

async function allEvents() {
  const out = [];
  let after = null;
  for (;;) {
    const r = await client.query(TIMELINE, { first: PAGE, after }).toPromise();
    if (r.error) throw r.error;
    const conn = r.data.events;
    out.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return out;
    after = conn.pageInfo.endCursor;
  }
}

// A date as precise as known ("2014", "2021-12", "2022-01-05"), placed mid-period when partial.
export function dateMs(text) {
  const m = /^(-?\d{1,4})(?:-(\d\d))?(?:-(\d\d))?/.exec(text || '');
  if (!m) return null;
  const y = Number(m[1]);
  if (!m[2]) return Date.UTC(y, 6, 2);
  if (!m[3]) return Date.UTC(y, Number(m[2]) - 1, 15);
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
}

// Every anniversary link: derived ones from the dates, asserted ones from motive claims.
export function anniversaryLinks(events) {
  const links = [];
  for (const e of events) {
    for (const a of e.anniversaries) {
      links.push({
        from: e.id, to: a.event.id, years: a.years, derived: true, rule: a.rule, basis: a.basis,
        alsoAsserted: a.assertedBy.map((c) => (c.assertedBy ? c.assertedBy.name : 'an unknown asserter')),
      });
    }
    for (const m of e.motives.edges) {
      if (m.kind !== 'ANNIVERSARY') continue;
      const c = m.claim;
      links.push({
        from: e.id, to: m.node.id, years: m.years, derived: false, claim: c.id, status: c.status,
        asserter: c.assertedBy ? c.assertedBy.name : 'an unknown asserter', source: c.source,
        through: m.via !== 'EVENT' && m.through && m.through.id !== e.id ? m.through : null,
      });
    }
  }
  return links;
}

function anniversaryWords(years) {
  return years ? `${ordinal(years)} anniversary` : 'anniversary';
}

function linkTitle(l, byId) {
  const from = byId.get(l.from);
  const to = byId.get(l.to);
  const what = `${from ? from.title : l.from} falls on the ${anniversaryWords(l.years)} of ${to ? to.title : l.to}`;
  if (l.derived) return `${what} — derived by rule ${l.rule}: ${l.basis}`;
  return `${what} — asserted by ${l.asserter}${l.source ? ` in ${l.source.title}` : ''}${l.through ? ` (for ${label(l.through)})` : ''}`;
}

// ---------------------------------------------------------------------------------------
// Layout: x from the date, labels stacked in rows below the axis, arcs above it.

// A piecewise-linear scale: a quiet stretch longer than GAP_CAP_MS (years without events) is
// drawn GAP_CAP_MS long, with a break on the axis, so clustered events keep their room.
function scale(dated) {
  const times = [...new Set(dated.flatMap((e) => [e.t, e.tEnd]).filter((t) => t !== null))].sort((a, b) => a - b);
  const knots = [{ t: times[0], d: 0 }];
  const breaks = [];
  for (let i = 1; i < times.length; i += 1) {
    const gap = times[i] - times[i - 1];
    if (gap > GAP_CAP_MS) breaks.push({ from: times[i - 1], to: times[i] });
    knots.push({ t: times[i], d: knots[i - 1].d + Math.min(gap, GAP_CAP_MS) });
  }
  const total = knots[knots.length - 1].d;
  const pad = Math.max(total * 0.04, 20 * DAY_MS);
  const display = (t) => {
    if (t <= knots[0].t) return t - knots[0].t;
    const last = knots[knots.length - 1];
    if (t >= last.t) return last.d + (t - last.t);
    let i = 0;
    while (knots[i + 1].t < t) i += 1;
    const a = knots[i];
    const b = knots[i + 1];
    return a.d + ((t - a.t) / (b.t - a.t)) * (b.d - a.d);
  };
  const x = (t) => PAD + ((display(t) + pad) / (total + 2 * pad)) * (W - 2 * PAD);
  return { lo: times[0] - pad, hi: times[times.length - 1] + pad, x, breaks };
}

// Greedy rows: each label goes in the first row where it clears the one before it.
function stackLabels(marks) {
  const rowEnds = [];
  for (const mk of [...marks].sort((a, b) => a.x - b.x)) {
    const w = Math.max(mk.text.length, mk.date.length) * CHAR_PX + 8;
    const anchorEnd = mk.x + w > W - 4;
    const x1 = anchorEnd ? mk.x - w : mk.x - 4;
    let row = rowEnds.findIndex((end) => end < x1);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = x1 + w + 6;
    Object.assign(mk, { row, anchor: anchorEnd ? 'end' : 'start' });
  }
  return rowEnds.length;
}

function yearTicks(sc) {
  const first = new Date(sc.lo).getUTCFullYear() + 1;
  const last = new Date(sc.hi).getUTCFullYear();
  const span = last - first + 1;
  const step = span > 60 ? 10 : span > 25 ? 5 : span > 12 ? 2 : 1;
  const ticks = [];
  let prev = -Infinity;
  for (let y = Math.ceil(first / step) * step; y <= last; y += step) {
    const x = sc.x(Date.UTC(y, 0, 1));
    // In a compressed stretch years crowd together: keep those with room for their label.
    if (x - prev < 40 || x < PAD / 2 || x > W - PAD / 2) continue;
    ticks.push({ year: y, x });
    prev = x;
  }
  return ticks;
}

// Arcs to the same earlier event fan out, one step higher each; one label per kind of link.
function arcHeights(links, marksById) {
  const drawn = links.filter((l) => marksById.has(l.from) && marksById.has(l.to));
  drawn.sort((a, b) => Number(b.derived) - Number(a.derived) || a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
  const spanOf = (l) => Math.abs(marksById.get(l.from).x - marksById.get(l.to).x);
  const perTarget = new Map(); // target -> { k, derived }: the next step, the kind before
  for (const l of drawn) {
    const seen = perTarget.get(l.to) || { k: 0, derived: l.derived };
    // Room for the derived bundle's label before the asserted arcs start.
    if (seen.derived !== l.derived) seen.k += 3;
    l.height = Math.min(ARC_MIN + spanOf(l) * 0.12, 140) + seen.k * ARC_STEP;
    perTarget.set(l.to, { k: seen.k + 1, derived: l.derived });
  }
  // Each bundle (same target, anniversary and asserter) is labelled once, on its highest arc.
  const top = new Map();
  for (const l of drawn) {
    const key = `${l.to}|${l.years}|${l.derived}|${l.asserter || ''}`;
    if (!top.has(key) || top.get(key).height < l.height) top.set(key, l);
  }
  for (const l of top.values()) l.labelled = true;
  return drawn;
}

function drawTimeline(dated, links) {
  const byId = new Map(dated.map((e) => [e.id, e]));
  const sc = scale(dated);
  for (const e of dated) {
    e.x = sc.x(e.t);
    e.xEnd = e.tEnd !== null ? sc.x(e.tEnd) : e.x;
    e.text = truncate(e.title, LABEL_CHARS);
    e.date = e.occurredOn + (e.endedOn ? ` – ${e.endedOn}` : '');
  }
  const rows = stackLabels(dated);
  const arcs = arcHeights(links, byId);
  const top = Math.max(30, ...arcs.map((l) => l.height + 24));
  const axisY = top + 8;
  const height = axisY + 26 + rows * ROW_H + 8;
  const svg = s('svg', {
    class: 'timeline', viewBox: `0 0 ${W} ${height}`, role: 'group', 'aria-labelledby': 'timeline-title',
    preserveAspectRatio: 'xMinYMin meet',
  }, s('title', { id: 'timeline-title' }, `Timeline of ${dated.length} events with ${arcs.length} anniversary links; the list below gives them in words`));
  const ticks = yearTicks(sc);
  svg.append(
    s('g', { class: 'ticks' }, ticks.map((t) => s('g', { class: 'tick' },
      s('line', { x1: t.x, x2: t.x, y1: axisY - 6, y2: height - 4 }),
      s('text', { x: t.x + 3, y: axisY + 16 }, String(t.year))))),
    s('g', { class: 'axis' }, s('line', { x1: PAD / 2, x2: W - PAD / 2, y1: axisY, y2: axisY }),
      sc.breaks.map((b) => axisBreak(sc, b, axisY))),
    drawArcs(arcs, byId, axisY),
    s('g', { class: 'marks' }, dated.map((e) => drawMark(e, axisY))),
  );
  return { svg, links: arcs.length };
}

// Two slashes across the axis where a quiet stretch is drawn shorter than it lasted.
function axisBreak(sc, b, axisY) {
  const x = (sc.x(b.from) + sc.x(b.to)) / 2;
  const years = ((b.to - b.from) / (365.25 * DAY_MS)).toFixed(1);
  return s('g', { class: 'break' },
    s('rect', { x: x - 7, y: axisY - 7, width: 14, height: 14 }),
    s('path', { d: `M${x - 6},${axisY + 6} L${x - 1},${axisY - 6} M${x + 1},${axisY + 6} L${x + 6},${axisY - 6}` }),
    s('title', {}, `${years} years without events, drawn shorter`));
}

function drawArcs(arcs, byId, axisY) {
  const g = s('g', { class: 'links' });
  for (const l of arcs) {
    const xa = byId.get(l.to).x; // the earlier event
    const xb = byId.get(l.from).x;
    const rx = Math.max(1, Math.abs(xb - xa) / 2);
    const d = `M${xa},${axisY - 4} A${rx},${l.height} 0 0 1 ${xb},${axisY - 4}`;
    const cls = `link${l.derived ? ' derived' : ' asserted'}${l.through ? ' inherited' : ''}${l.status === 'DISPUTED' || l.status === 'REFUTED' ? ' disputed' : ''}`;
    const words = `${anniversaryWords(l.years)}${l.derived ? ' (derived)' : ` · ${l.asserter}`}`;
    g.append(s('g', {
      class: cls,
      dataset: { from: l.from, to: l.to, derived: String(l.derived), years: l.years || '', asserter: l.asserter || '', rule: l.rule || '' },
    },
    s('path', { d }, s('title', {}, linkTitle(l, byId))),
    l.labelled ? s('text', { x: (xa + xb) / 2, y: axisY - 4 - l.height - 4, 'text-anchor': 'middle' }, truncate(words, 44)) : null));
  }
  return g;
}

function drawMark(e, axisY) {
  const rowY = axisY + 30 + e.row * ROW_H;
  const tx = e.anchor === 'end' ? e.x + 4 : e.x - 4;
  return s('a', { href: nodeHref(e.id), 'data-route': '', class: 'mark', dataset: { id: e.id, date: e.occurredOn } },
    s('line', { class: 'lead', x1: e.x, x2: e.x, y1: axisY, y2: rowY }),
    e.tEnd !== null && e.tEnd > e.t ? s('line', { class: 'span', x1: e.x, x2: e.xEnd, y1: axisY, y2: axisY }) : null,
    s('circle', { class: 'dot', cx: e.x, cy: axisY, r: 5.5 }),
    s('text', { x: tx, y: rowY + 11, 'text-anchor': e.anchor }, e.text),
    s('text', { class: 'date', x: tx, y: rowY + 24, 'text-anchor': e.anchor }, e.date),
    s('title', {}, `${e.title} (${e.date})`));
}

// ---------------------------------------------------------------------------------------
// The text alternative: events by date, each with its anniversary links in words.

// Derived and asserted links between the same two events, as one line.
function linkLines(event, links, byId) {
  const pairs = new Map();
  for (const l of links.filter((x) => x.from === event.id)) {
    const key = `${l.to}|${l.years}`;
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(l);
  }
  return [...pairs.values()].map((ls) => {
    const to = byId.get(ls[0].to) || { id: ls[0].to, title: ls[0].to };
    const derived = ls.find((l) => l.derived);
    const asserted = ls.filter((l) => !l.derived);
    const how = [];
    if (derived) how.push(['derived by rule ', h('code', {}, derived.rule)]);
    for (const a of asserted) {
      how.push([`asserted by ${a.asserter}`, a.source ? [' in ', link(a.source)] : '', a.through ? [' (for ', link(a.through), ')'] : '',
        a.status && a.status !== 'ASSERTED' ? ` — ${a.status.toLowerCase()}` : '']);
    }
    if (!asserted.length) how.push('asserted by nobody');
    return h('li', {
      dataset: { to: to.id, derived: String(Boolean(derived)), asserted: String(asserted.length > 0), asserters: asserted.map((a) => a.asserter).join('; ') },
    },
    `falls on the ${anniversaryWords(ls[0].years)} of `, link({ id: to.id }, to.title), to.occurredOn ? ` (${to.occurredOn})` : '', ' — ',
    how.map((x, i) => [i ? '; ' : '', x]));
  });
}

function textAlternative(dated, undated, links, byId) {
  const item = (e) => {
    const lines = linkLines(e, links, byId);
    return h('li', { dataset: { id: e.id } }, h('strong', {}, e.occurredOn || 'date unknown'), ' — ', link({ id: e.id }, e.title),
      lines.length ? h('ul', {}, lines) : null);
  };
  return [
    h('h2', {}, 'Events by date'),
    h('ol', { class: 'timeline-list' }, dated.map(item)),
    undated.length ? h('h3', {}, 'Date unknown') : null,
    undated.length ? h('ul', { class: 'timeline-list' }, undated.map(item)) : null,
  ].filter(Boolean);
}

// ---------------------------------------------------------------------------------------
// The page /explore/timeline.

export async function renderTimelinePage(ctx) {
  document.title = 'Timeline — claimgraph explorer';
  const container = h('div', { id: 'timeline', class: 'timeline-view' }, h('p', { class: 'loading' }, 'Drawing the timeline…'));
  ctx.show(h('h1', {}, 'Timeline'), container);
  ctx.focusHeading();
  const events = await allEvents();
  if (!ctx.isCurrent()) return;
  const withTimes = events.map((e) => {
    const t = dateMs(e.occurredOn);
    const tEnd = dateMs(e.endedOn);
    return { ...e, t, tEnd };
  });
  const dated = withTimes.filter((e) => e.t !== null).sort((a, b) => a.t - b.t || a.title.localeCompare(b.title));
  const undated = withTimes.filter((e) => e.t === null);
  const byId = new Map(withTimes.map((e) => [e.id, e]));
  const links = anniversaryLinks(events);
  if (!dated.length) {
    container.replaceChildren(h('p', { class: 'muted' }, 'No event has a date.'));
    Object.assign(container.dataset, { ready: 'true', events: '0', links: '0' });
    return;
  }
  const drawing = drawTimeline(dated, links);
  container.replaceChildren(
    h('p', { class: 'muted legend' }, 'Each dot is an event; select one to open its page. Arcs link an event to an earlier one whose anniversary it falls on: ',
      h('span', { class: 'legend-line' }), 'asserted by a source, ', h('span', { class: 'legend-line derived' }), 'derived from the dates.'),
    h('div', { class: 'timeline-wrap' }, drawing.svg),
    ...textAlternative(dated, undated, links, byId));
  // On a narrow screen the frame scrolls: start at the latest events, the likeliest asked about.
  const wrap = container.querySelector('.timeline-wrap');
  wrap.scrollLeft = wrap.scrollWidth;
  Object.assign(container.dataset, { ready: 'true', events: String(dated.length), links: String(drawing.links) });
}
