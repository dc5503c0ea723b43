// DOM helpers every view shares. Every value goes in as text (textContent), never as HTML.


export function h(tag, attrs, ...children) {
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

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...children) {
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

export function label(node) {
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

export function truncate(text, n) {
  if (!text) return '';
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function link(node, text) {
  if (!node) return h('span', { class: 'muted' }, 'unknown');
  return h('a', { href: nodeHref(node.id), 'data-route': true }, text ?? label(node));
}

export function relationWords(relation) {
  return relation.toLowerCase().replaceAll('_', ' ');
}

export function ordinal(n) {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th'}`;
}

export function kindOf(node) {
  return node.actorKind || node.eventKind || node.locationKind || node.sourceKind || null;
}

// Opens `href` (a path under /explore) without a reload: app.js routes on this event, as it
// does on the back button's popstate.
export function navigate(href) {
  const url = new URL(href, window.location.href);
  if (url.href !== window.location.href) history.pushState({}, '', url.pathname + url.search);
  window.dispatchEvent(new CustomEvent('explore:navigate'));
}

// Parts of a page that are not drawn by the node page: a section with a heading.
export function section(id, title, ...children) {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), children);
}
