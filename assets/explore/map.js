// The map: locations and events drawn on an offline outline of the world's countries
// (Natural Earth 1:50m, TopoJSON vendored from world-atlas 2.0.2), each place with its
// precision as a circle, and an "events near here" tool on Query.eventsNear. The TopoJSON
// decoder and the projection are our own: equirectangular, corrected by cos(latitude) at the
// map's centre and measured in kilometres, so that a precision of N km is a circle of radius N.

import { gql } from '@urql/core';
import { client } from './client.js';
import { h, link, nodeHref, s, section, truncate } from './dom.js';

const OUTLINE_URL = '/explore/assets/countries-50m.json';
const EARTH_KM = 6371;
const RAD = Math.PI / 180;
const RADII = [25, 100, 500];
const DEFAULT_RADIUS = 100;
const PAGE = 500;
const LABEL_CHARS = 26;
const FONT_PX = 12;
const CHAR_PX = 6.6; // a system font's average glyph at FONT_PX, for label collisions
const MIN_SPAN_KM = 120; // a single base is not drawn 6 km wide
const ZOOM_STEP = 1.6;
const NODE_MAP_MIN_KM = 180; // a place's map shows at least this far around it, for its borders

const PLACE_FIELDS = 'id name locationKind: kind coordinates { lat lon precisionKm }';

const MAP_LOCATIONS = gql`
  query MapLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${PLACE_FIELDS} parent { id } }
    }
  }
`;

const MAP_EVENTS = gql`
  query MapEvents($first: Int!, $after: String) {
    events(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id title occurredOn eventKind: kind location { id } }
    }
  }
`;

const NEAR = gql`
  query MapNear($lat: Float!, $lon: Float!, $radiusKm: Float!) {
    eventsNear(lat: $lat, lon: $lon, radiusKm: $radiusKm, first: 500) {
      distanceKm
      event { id title occurredOn eventKind: kind }
      location { ${PLACE_FIELDS} }
    }
  }
`;

const PLACE = gql`
  query MapPlace($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Location {
        ${PLACE_FIELDS}
        ancestors { ${PLACE_FIELDS} }
        events(first: 500) { nodes { id title occurredOn eventKind: kind location { ${PLACE_FIELDS} } } }
      }
      ... on Event {
        title
        occurredOn
        eventKind: kind
        location { ${PLACE_FIELDS} ancestors { ${PLACE_FIELDS} } }
      }
    }
  }
`;

// ---------------------------------------------------------------------------------------
// The outline: fetched and decoded once per page load, shared by every map drawn.

let outline = null;

export function loadOutline() {
  if (!outline) {
    outline = fetch(OUTLINE_URL)
      .then((r) => {
        if (!r.ok) throw new Error(`the map outline answered HTTP ${r.status}`);
        return r.json();
      })
      .then(decodeCountries)
      .catch((e) => {
        outline = null; // a later map may try again
        throw e;
      });
  }
  return outline;
}

// TopoJSON arcs are quantised and delta-encoded when the topology has a transform.
export function decodeArcs(topology) {
  const t = topology.transform;
  if (!t) return topology.arcs.map((arc) => arc.map(([x, y]) => [x, y]));
  const [sx, sy] = t.scale;
  const [tx, ty] = t.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

// A ring names its arcs by index, ~i for arc i walked backwards; consecutive arcs share an end.
function ringPoints(arcs, indices) {
  const pts = [];
  for (const i of indices) {
    const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    for (let k = pts.length ? 1 : 0; k < arc.length; k += 1) pts.push(arc[k]);
  }
  return pts;
}

function bboxOf(points) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

export function decodeCountries(topology) {
  const arcs = decodeArcs(topology);
  const object = topology.objects.countries || Object.values(topology.objects)[0];
  return object.geometries.map((g) => {
    const polygons = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
    const rings = polygons.flat().map((r) => {
      const points = ringPoints(arcs, r);
      return { points, bbox: bboxOf(points) };
    });
    return { name: (g.properties && g.properties.name) || '', rings };
  }).filter((c) => c.rings.length);
}

// ---------------------------------------------------------------------------------------
// Projection and views. A view is { x, y, w, h } in projected kilometres (y grows south).

export function projection(lat0) {
  const ky = EARTH_KM * RAD;
  const kx = ky * Math.cos(lat0 * RAD);
  return { x: (lon) => lon * kx, y: (lat) => -lat * ky, lon: (x) => x / kx, lat: (y) => -y / ky };
}

// The smallest view of `ratio` (height / width) holding every circle, plus a margin.
function fitView(circles, ratio) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of circles) {
    b[0] = Math.min(b[0], c.x - c.r);
    b[1] = Math.min(b[1], c.y - c.r);
    b[2] = Math.max(b[2], c.x + c.r);
    b[3] = Math.max(b[3], c.y + c.r);
  }
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  let w = Math.max(MIN_SPAN_KM, (b[2] - b[0]) * 1.3);
  let hh = Math.max(MIN_SPAN_KM * ratio, (b[3] - b[1]) * 1.3);
  if (hh / w > ratio) w = hh / ratio;
  else hh = w * ratio;
  return { x: cx - w / 2, y: cy - hh / 2, w, h: hh };
}

function zoomView(v, factor) {
  const w = Math.min(40000, Math.max(10, v.w / factor));
  const hh = (w * v.h) / v.w;
  return { x: v.x + v.w / 2 - w / 2, y: v.y + v.h / 2 - hh / 2, w, h: hh };
}

// One <path> per country with a ring in view; points closer than `tol` are merged, and a
// jump across the antimeridian starts a new subpath instead of a line across the world.
function outlinePaths(countries, P, view, tol) {
  const lonMin = P.lon(view.x);
  const lonMax = P.lon(view.x + view.w);
  const latMax = P.lat(view.y);
  const latMin = P.lat(view.y + view.h);
  const r1 = (v) => Math.round(v * 10) / 10;
  const paths = [];
  for (const c of countries) {
    let d = '';
    for (const { points, bbox } of c.rings) {
      if (bbox[2] < lonMin || bbox[0] > lonMax || bbox[3] < latMin || bbox[1] > latMax) continue;
      let px = Infinity;
      let py = Infinity;
      let plon = null;
      for (const [lon, lat] of points) {
        const x = P.x(lon);
        const y = P.y(lat);
        const jump = plon !== null && Math.abs(lon - plon) > 180;
        if (plon === null || jump) d += `M${r1(x)},${r1(y)}`;
        else if (Math.abs(x - px) + Math.abs(y - py) >= tol) d += `L${r1(x)},${r1(y)}`;
        else continue;
        px = x;
        py = y;
        plon = lon;
      }
      d += 'Z';
    }
    if (d) paths.push(s('path', { d, class: 'land' }, s('title', {}, c.name)));
  }
  return paths;
}

// ---------------------------------------------------------------------------------------
// What a map shows: places (locations with coordinates) and events placed at their
// location, or at the nearest place above it that has coordinates.

function placeOf(loc) {
  return {
    id: loc.id, name: loc.name, kind: loc.locationKind, lat: loc.coordinates.lat, lon: loc.coordinates.lon,
    precisionKm: loc.coordinates.precisionKm,
  };
}

// Every location with coordinates, and every event whose place (or a place above it) has some.
export function placeItems(locations, events) {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const located = (id) => {
    const seen = new Set();
    for (let l = byId.get(id); l && !seen.has(l.id); l = l.parent && byId.get(l.parent.id)) {
      seen.add(l.id);
      if (l.coordinates) return l;
    }
    return null;
  };
  const places = locations.filter((l) => l.coordinates).map(placeOf);
  const drawn = [];
  const undrawn = [];
  for (const e of events) {
    const at = e.location && located(e.location.id);
    if (at) drawn.push(eventItem(e, at, e.location.id !== at.id ? byId.get(e.location.id) : null));
    else undrawn.push(e);
  }
  return { places, events: drawn, undrawn };
}

function eventItem(e, at, within) {
  return {
    id: e.id, title: e.title, date: e.occurredOn, kind: e.eventKind, lat: at.coordinates.lat, lon: at.coordinates.lon,
    at: { id: at.id, name: at.name }, within: within ? { id: within.id, name: within.name } : null,
  };
}

// ---------------------------------------------------------------------------------------
// The drawing: a map object holds its projection and view and redraws on zoom and resize.

function createMap(container, { places, events, focus = null, fit, onPick = null, title }) {
  const lat0 = fit.length ? fit.reduce((a, p) => a + p.lat, 0) / fit.length : 30;
  const P = projection(lat0);
  const svg = s('svg', { class: 'map', role: 'group', 'aria-labelledby': `${container.id}-title`, preserveAspectRatio: 'xMidYMid meet' });
  const m = { container, svg, P, places, events, focus, countries: [], near: null, title, view: null, home: null };
  const controls = h('div', { class: 'map-zoom' },
    h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in', onclick: () => zoom(m, ZOOM_STEP) }, '+'),
    h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out', onclick: () => zoom(m, 1 / ZOOM_STEP) }, '−'),
    h('button', { type: 'button', 'aria-label': 'Reset the zoom', title: 'Reset the zoom', onclick: () => { m.view = m.home; draw(m); } }, 'Reset'));
  m.el = h('div', { class: 'map-wrap' }, svg, controls);
  m.fitCircles = fit.map((p) => ({ x: P.x(p.lon), y: P.y(p.lat), r: p.r }));
  enablePan(m);
  if (onPick) {
    svg.classList.add('pickable');
    svg.addEventListener('click', (e) => {
      if (e.defaultPrevented || e.target.closest('a')) return;
      const pt = svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      const q = pt.matrixTransform(svg.getScreenCTM().inverse());
      onPick(P.lat(q.y), P.lon(q.x));
    });
  }
  return m;
}

// Zooming in centres on the point asked about, if any is in view: the form and the
// buttons then reach any place without a pointer.
function zoom(m, factor) {
  const v = m.view;
  if (factor > 1 && m.near) {
    const x = m.P.x(m.near.lon);
    const y = m.P.y(m.near.lat);
    if (x > v.x && x < v.x + v.w && y > v.y && y < v.y + v.h) m.view = { ...v, x: x - v.w / 2, y: y - v.h / 2 };
  }
  m.view = zoomView(m.view, factor);
  draw(m);
}

// Dragging moves the view (the viewBox only, while the pointer moves; one redraw at the end).
// A drag is not a click: the click that ends it neither picks a point nor follows a marker.
function enablePan(m) {
  let drag = null;
  m.svg.addEventListener('pointerdown', (e) => {
    m.dragged = false; // a drag whose click never came (released elsewhere) is over
    if (e.button === 0) drag = { x: e.clientX, y: e.clientY, view: m.view, moved: false };
  });
  m.svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    drag.moved = true;
    const u = drag.view.w / pixelWidth(m);
    m.view = { ...drag.view, x: drag.view.x - dx * u, y: drag.view.y - dy * u };
    m.svg.setAttribute('viewBox', `${m.view.x} ${m.view.y} ${m.view.w} ${m.view.h}`);
    m.svg.classList.add('dragging');
  });
  const end = () => {
    if (drag && drag.moved) {
      m.dragged = true;
      m.svg.classList.remove('dragging');
      draw(m);
    }
    drag = null;
  };
  m.svg.addEventListener('pointerup', end);
  m.svg.addEventListener('pointercancel', () => { drag = null; m.svg.classList.remove('dragging'); });
  m.svg.addEventListener('pointerleave', end);
  m.svg.addEventListener('click', (e) => {
    if (!m.dragged) return;
    m.dragged = false;
    e.preventDefault();
    e.stopPropagation();
  }, true);
}

function pixelWidth(m) {
  return m.svg.getBoundingClientRect().width || m.container.getBoundingClientRect().width || 900;
}

// Fits the view to the drawn width (taller on a phone) the first time, then keeps it.
function draw(m) {
  const px = pixelWidth(m);
  if (!m.view) {
    m.view = fitView(m.fitCircles, px < 600 ? 0.95 : 0.6);
    m.home = m.view;
  }
  const { view } = m;
  const u = view.w / px; // view units per screen pixel
  m.svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const land = outlinePaths(m.countries, m.P, view, u * 0.8);
  const overlay = drawOverlay(m, u);
  m.svg.replaceChildren(
    s('title', { id: `${m.container.id}-title` }, m.title),
    s('rect', { class: 'sea', x: view.x, y: view.y, width: view.w, height: view.h }),
    s('g', { class: 'outline' }, land),
    ...overlay.layers,
  );
  Object.assign(m.container.dataset, { ready: 'true', markers: String(overlay.markers), outlinePaths: String(land.length) });
}

// Label boxes already placed, in view units; a label goes where it overlaps none of them.
function collider(view) {
  const boxes = [];
  const inside = (b) => b.x1 >= view.x && b.x2 <= view.x + view.w && b.y1 >= view.y && b.y2 <= view.y + view.h;
  return {
    fits: (b) => inside(b) && boxes.every((o) => b.x2 < o.x1 || b.x1 > o.x2 || b.y2 < o.y1 || b.y1 > o.y2),
    add: (b) => boxes.push(b),
  };
}

function textBox(x, y, text, anchor, u) {
  const w = text.length * CHAR_PX * u;
  const x1 = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
  return { x1, x2: x1 + w, y1: y - FONT_PX * u, y2: y + 3 * u };
}

// The first of `spots` ([x, y, anchor]) where the label overlaps nothing placed, or null.
function placeLabel(boxes, spots, text, u, cls) {
  for (const [x, y, anchor] of spots) {
    const b = textBox(x, y, text, anchor, u);
    if (!boxes.fits(b)) continue;
    boxes.add(b);
    return s('text', { x, y, 'text-anchor': anchor, class: cls, 'font-size': FONT_PX * u, 'stroke-width': 3.5 * u }, text);
  }
  return null;
}

// Precision circles, the near ring and the markers, sized in screen pixels (u per pixel).
function drawOverlay(m, u) {
  const boxes = collider(m.view);
  const marks = s('g', { class: 'markers' });
  const ties = s('g', { class: 'ties' });
  const pending = []; // labels, placed once every marker has reserved its spot
  for (const g of pointGroups(m)) {
    for (const p of g.places) {
      boxes.add(square(g.x, g.y, 5 * u));
      const a = placeMarker(m, p, g, u);
      marks.append(a);
      pending.push({ a, rank: m.focus === p.id ? 0 : 2 + Math.log10(1 + (p.precisionKm || 0)), text: p.name, x: g.x, y: g.y, place: true });
    }
    g.events.forEach((e, i) => {
      // A stack of events to the right of their point, centred on it.
      const ex = g.x + 10 * u;
      const ey = g.y + (i - (g.events.length - 1) / 2) * 16 * u;
      boxes.add(square(ex, ey, 4.5 * u));
      // Ties sit below every marker, so that none covers a place's dot.
      if (g.events.length > 1 || g.places.length) ties.append(s('line', { class: 'tie', x1: g.x, y1: g.y, x2: ex, y2: ey, 'stroke-width': u }));
      const a = eventMarker(m, e, ex, ey, u);
      marks.append(a);
      const first = m.focus === e.id || (m.near && m.near.ids.has(e.id));
      pending.push({ a, rank: first ? 0 : 1, text: e.title, x: ex + 4.5 * u, y: ey, gx: g.x - (g.places.length ? 8 : 0) * u });
    });
  }
  labelMarkers(pending, boxes, u);
  const layers = [precisionCircles(m, u), m.near ? nearRing(m, u) : null, ties, marks];
  return { layers: layers.filter(Boolean), markers: m.places.length + m.events.length };
}

function square(x, y, r) {
  return { x1: x - r, x2: x + r, y1: y - r, y2: y + r };
}

// Places and events by point: one point may hold several of each.
function pointGroups(m) {
  const groups = new Map();
  const at = (lat, lon) => {
    const key = `${lat.toFixed(4)},${lon.toFixed(4)}`;
    if (!groups.has(key)) groups.set(key, { x: m.P.x(lon), y: m.P.y(lat), places: [], events: [] });
    return groups.get(key);
  };
  for (const p of m.places) at(p.lat, p.lon).places.push(p);
  for (const e of m.events) at(e.lat, e.lon).events.push(e);
  return groups.values();
}

// Biggest circles first, so that smaller ones stay visible on top of them.
function precisionCircles(m, u) {
  const g = s('g', { class: 'precision' });
  for (const p of [...m.places].sort((a, b) => (b.precisionKm || 0) - (a.precisionKm || 0))) {
    if (!p.precisionKm) continue;
    g.append(s('circle', {
      class: `circle${m.focus === p.id ? ' focus' : ''}${p.precisionKm >= 100 ? ' wide' : ''}`,
      cx: m.P.x(p.lon), cy: m.P.y(p.lat), r: Math.max(p.precisionKm, 3 * u),
      dataset: { id: p.id, precisionKm: p.precisionKm },
    }, s('title', {}, `${p.name}: within ${p.precisionKm} km of this point`)));
  }
  return g;
}

function placeMarker(m, p, g, u) {
  return s('a', { href: nodeHref(p.id), 'data-route': '', class: `marker place${m.focus === p.id ? ' focus' : ''}`, dataset: { id: p.id } },
    s('circle', { class: 'mk', cx: g.x, cy: g.y, r: 5 * u, 'stroke-width': 1.5 * u }),
    s('title', {}, `${p.name} (${kindWords(p.kind)})`));
}

function eventMarker(m, e, x, y, u) {
  const r = 4.5 * u;
  const cls = `marker event${m.near && m.near.ids.has(e.id) ? ' near' : ''}${m.focus === e.id ? ' focus' : ''}`;
  return s('a', { href: nodeHref(e.id), 'data-route': '', class: cls, dataset: { id: e.id } },
    s('rect', { class: 'mk', x: x - r, y: y - r, width: 2 * r, height: 2 * r, transform: `rotate(45 ${x} ${y})`, 'stroke-width': 1.5 * u }),
    s('title', {}, `${e.title}${e.date ? ` (${e.date})` : ''} at ${e.within ? `${e.within.name}, within ` : ''}${e.at.name}`));
}

// Most important first; a label that fits nowhere is left out (the marker's <title> and the
// list below the map still name it).
function labelMarkers(pending, boxes, u) {
  for (const l of pending.sort((a, b) => a.rank - b.rank)) {
    const text = truncate(l.text, LABEL_CHARS);
    const dy = 4 * u;
    const spots = l.place
      ? [[l.x - 8 * u, l.y + dy, 'end'], [l.x + 8 * u, l.y + dy, 'start'], [l.x, l.y - 9 * u, 'middle'], [l.x, l.y + 18 * u, 'middle']]
      : [[l.x + 4 * u, l.y + dy, 'start'], [l.gx - 6 * u, l.y + dy, 'end']];
    const t = placeLabel(boxes, spots, text, u, l.place ? 'label place' : 'label event');
    if (t) l.a.append(t);
  }
}

function nearRing(m, u) {
  const { lat, lon, radiusKm } = m.near;
  const x = m.P.x(lon);
  const y = m.P.y(lat);
  const c = 7 * u;
  return s('g', { class: 'near-ring' },
    s('circle', { cx: x, cy: y, r: radiusKm }),
    s('path', { d: `M${x - c},${y}H${x + c}M${x},${y - c}V${y + c}` }),
    s('title', {}, `within ${radiusKm} km of ${lat.toFixed(4)}, ${lon.toFixed(4)}`));
}

function kindWords(kind) {
  return kind ? kind.toLowerCase().replaceAll('_', ' ') : 'place';
}

// Draws once the outline is in (or has failed: the markers still draw) and on resizes.
async function mount(m, ctx) {
  try {
    m.countries = await loadOutline();
  } catch (e) {
    console.warn('explorer: no map outline', e);
    m.container.append(h('p', { class: 'muted' }, 'The base map could not be loaded; the places are drawn without it.'));
  }
  if (!ctx.isCurrent() || !m.container.isConnected) return false;
  draw(m);
  let width = pixelWidth(m);
  const onResize = () => {
    const now = pixelWidth(m);
    if (Math.abs(now - width) < 2 || !m.container.isConnected) return;
    width = now;
    draw(m);
  };
  window.addEventListener('resize', onResize);
  ctx.onLeave(() => window.removeEventListener('resize', onResize));
  return true;
}

// ---------------------------------------------------------------------------------------
// The text alternative: every place and event drawn, with coordinates and precision.

function coordText(lat, lon) {
  return `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
}

function textAlternative(places, events, undrawn = []) {
  const placeById = new Map(places.map((p) => [p.id, p]));
  return h('div', { class: 'map-text' },
    h('h3', {}, `Places on the map (${places.length})`),
    h('ul', { class: 'map-list', dataset: { list: 'places' } }, [...places].sort((a, b) => a.name.localeCompare(b.name)).map((p) =>
      h('li', { dataset: { id: p.id } }, link({ id: p.id }, p.name), ` — ${kindWords(p.kind)}, `,
        h('span', { class: 'coords' }, coordText(p.lat, p.lon)), p.precisionKm ? ` ± ${p.precisionKm} km` : ''))),
    h('h3', {}, `Events on the map (${events.length})`),
    h('ul', { class: 'map-list', dataset: { list: 'events' } }, [...events].sort(byDate).map((e) =>
      h('li', { dataset: { id: e.id } }, link({ id: e.id }, e.title), e.date ? ` (${e.date})` : '', ' — at ',
        e.within ? [link({ id: e.within.id }, e.within.name), ', drawn at ', link({ id: e.at.id }, e.at.name), ' which contains it'] : link({ id: e.at.id }, e.at.name),
        `, `, h('span', { class: 'coords' }, coordText(e.lat, e.lon)),
        placeById.get(e.at.id) && placeById.get(e.at.id).precisionKm ? ` ± ${placeById.get(e.at.id).precisionKm} km` : ''))),
    undrawn.length
      ? h('p', { class: 'muted' }, `Not on the map (no place with coordinates): `,
        undrawn.map((e, i) => [i ? '; ' : '', link({ id: e.id }, e.title)]))
      : null);
}

function byDate(a, b) {
  return String(a.date || '9999').localeCompare(String(b.date || '9999')) || a.title.localeCompare(b.title);
}

// ---------------------------------------------------------------------------------------
// "Events near here": a place or a click on the map, a radius, and Query.eventsNear.

async function eventsNear(lat, lon, radiusKm) {
  const r = await client.query(NEAR, { lat, lon, radiusKm }).toPromise();
  if (r.error) throw r.error;
  return r.data.eventsNear;
}

function nearList(hits) {
  if (!hits.length) return h('p', { class: 'muted' }, 'No events within this radius.');
  return h('ol', { class: 'near-list' }, hits.map((n) => h('li', { dataset: { id: n.event.id, distanceKm: n.distanceKm } },
    link({ id: n.event.id }, n.event.title), n.event.occurredOn ? ` (${n.event.occurredOn})` : '',
    h('span', { class: 'muted' }, ` — ${distanceWords(n.distanceKm)}, at `), link({ id: n.location.id }, n.location.name))));
}

function distanceWords(km) {
  return km < 1 ? 'here (under 1 km)' : `${km < 10 ? km.toFixed(1) : Math.round(km)} km away`;
}

function nearTool(m, places) {
  const results = h('div', { id: 'near-results', 'aria-live': 'polite' });
  const choices = [...places].sort((a, b) => a.name.localeCompare(b.name));
  const place = h('select', { id: 'near-place' }, choices.map((p) => h('option', { value: p.id }, p.name)));
  const radius = h('select', { id: 'near-radius' }, RADII.map((r) => h('option', { value: r, selected: r === DEFAULT_RADIUS }, `${r} km`)));
  let asked = 0;
  const run = async (lat, lon, where) => {
    const token = ++asked;
    const radiusKm = Number(radius.value);
    results.dataset.ready = 'false';
    results.replaceChildren(h('p', { class: 'loading' }, 'Looking…'));
    try {
      const hits = await eventsNear(lat, lon, radiusKm);
      if (token !== asked || !results.isConnected) return;
      m.near = { lat, lon, radiusKm, ids: new Set(hits.map((n) => n.event.id)) };
      draw(m);
      results.replaceChildren(h('h3', {}, `Events within ${radiusKm} km of ${where}`), nearList(hits));
      Object.assign(results.dataset, { ready: 'true', count: String(hits.length) });
    } catch (e) {
      if (token === asked) results.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message || String(e)));
    }
  };
  const byPlace = () => {
    const p = choices.find((c) => c.id === place.value);
    if (p) run(p.lat, p.lon, p.name);
  };
  m.pick = (lat, lon) => run(lat, lon, `the point ${coordText(lat, lon)}`);
  return h('section', { id: 'near', 'aria-labelledby': 'near-h' },
    h('h2', { id: 'near-h' }, 'Events near here'),
    h('form', { id: 'near-form', class: 'near-form', onsubmit: (e) => { e.preventDefault(); byPlace(); } },
      h('label', {}, 'Place ', place),
      h('label', {}, 'Radius ', radius),
      h('button', { type: 'submit' }, 'Find events')),
    h('p', { class: 'muted' }, 'Or click anywhere on the map to look around that point.'),
    results);
}

// ---------------------------------------------------------------------------------------
// The page /explore/map.

async function allOf(doc, field) {
  const out = [];
  let after = null;
  for (;;) {
    const r = await client.query(doc, { first: PAGE, after }).toPromise();
    if (r.error) throw r.error;
    const conn = r.data[field];
    out.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return out;
    after = conn.pageInfo.endCursor;
  }
}

export async function renderMapPage(ctx) {
  document.title = 'Map — claimgraph explorer';
  const container = h('div', { id: 'map-page', class: 'map-view' }, h('p', { class: 'loading' }, 'Drawing the map…'));
  ctx.show(h('h1', {}, 'Map'),
    h('p', { class: 'muted' }, 'Every place with coordinates (dots; the shaded circle says how far off the point may be) and every event at its place (diamonds). Select a marker to open its page.'),
    container);
  ctx.focusHeading();
  const [locations, events] = await Promise.all([allOf(MAP_LOCATIONS, 'locations'), allOf(MAP_EVENTS, 'events')]);
  if (!ctx.isCurrent()) return;
  const items = placeItems(locations, events);
  // A region's huge circle would zoom the map out past its places; the circles still draw.
  const fit = [...items.places, ...items.events].map((p) => ({ lat: p.lat, lon: p.lon, r: Math.min(p.precisionKm || 0, 60) }));
  if (!fit.length) fit.push({ lat: 20, lon: 0, r: 15000 }); // nothing placed yet: the whole world
  const m = createMap(container, {
    ...items, fit, onPick: (lat, lon) => m.pick(lat, lon),
    title: `Map of ${items.places.length} places and ${items.events.length} events; the lists below give them in words`,
  });
  container.replaceChildren(m.el);
  if (!(await mount(m, ctx))) return;
  container.after(nearTool(m, items.places), textAlternative(items.places, items.events, items.undrawn));
}

// ---------------------------------------------------------------------------------------
// A location's or an event's page: its place, with the events near it.

// The place a node is drawn at: itself, its location, or the nearest place above with coordinates.
function anchorOf(node) {
  const loc = node.__typename === 'Location' ? node : node.location;
  if (!loc) return null;
  const at = loc.coordinates ? loc : (loc.ancestors || []).find((a) => a.coordinates);
  return at ? { loc, at } : null;
}

export function mapSection(node, ctx) {
  if (node.__typename !== 'Location' && node.__typename !== 'Event') return null;
  if (node.__typename === 'Event' && !node.location) return null;
  const sec = section('map', 'Map', h('p', { class: 'loading' }, 'Drawing the map…'));
  sec.classList.add('map-view');
  fillNodeMap(sec, node, ctx).catch((e) => {
    if (!ctx.isCurrent() || !sec.isConnected) return;
    sec.replaceChildren(sec.firstChild, h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e)));
  });
  return sec;
}

async function fillNodeMap(sec, node, ctx) {
  const r = await client.query(PLACE, { id: node.id }).toPromise();
  if (r.error) throw r.error;
  const found = r.data.node && anchorOf(r.data.node);
  if (!ctx.isCurrent() || !sec.isConnected) return;
  if (!found) {
    sec.remove(); // nothing here has coordinates
    return;
  }
  const { loc, at } = found;
  const centre = placeOf(at);
  const radiusKm = Math.max(50, 2 * (centre.precisionKm || 0));
  const hits = await eventsNear(centre.lat, centre.lon, radiusKm);
  if (!ctx.isCurrent() || !sec.isConnected) return;
  const self = r.data.node;
  const { places, events } = nodeMapItems(self, found, hits);
  const m = createMap(sec, {
    places, events, focus: self.__typename === 'Event' ? self.id : at.id,
    fit: [{ lat: centre.lat, lon: centre.lon, r: Math.max(radiusKm, NODE_MAP_MIN_KM) }],
    title: `Map around ${at.name}, with the events within ${radiusKm} km; the list below gives them in words`,
  });
  // Everything drawn is near: only the ring is worth drawing, not a highlight on every event.
  m.near = { lat: centre.lat, lon: centre.lon, radiusKm, ids: new Set() };
  const heading = sec.firstChild;
  sec.replaceChildren(heading,
    loc.id !== at.id ? h('p', { class: 'muted' }, `${loc.name} has no coordinates of its own; it is drawn at ${at.name}, which contains it.`) : null,
    m.el);
  if (!(await mount(m, ctx))) return;
  sec.append(
    h('h3', {}, `Events within ${radiusKm} km of ${at.name}`),
    h('div', { id: 'near-results', dataset: { ready: 'true', count: String(hits.length) } }, nearList(hits)),
    textAlternative(places, events));
}

// What a node's map draws: its place, the places containing it, the events near it and, for
// a location, the events inside it whose own place has no coordinates (eventsNear misses them).
function nodeMapItems(self, { loc, at }, hits) {
  const places = new Map([[at.id, placeOf(at)]]);
  for (const a of loc.ancestors || []) if (a.coordinates && a.id !== at.id) places.set(a.id, placeOf(a));
  const events = new Map();
  for (const n of hits) {
    if (n.location.coordinates) places.set(n.location.id, placeOf(n.location));
    events.set(n.event.id, eventItem(n.event, n.location.coordinates ? n.location : at, null));
  }
  if (self.__typename === 'Event' && !events.has(self.id)) events.set(self.id, eventItem(self, at, loc.id !== at.id ? loc : null));
  for (const e of self.__typename === 'Location' ? self.events.nodes : []) {
    if (events.has(e.id)) continue;
    const own = e.location && e.location.coordinates ? e.location : null;
    if (own) places.set(own.id, placeOf(own));
    events.set(e.id, eventItem(e, own || at, own ? null : e.location));
  }
  return { places: [...places.values()], events: [...events.values()] };
}
