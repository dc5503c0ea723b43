// A claim's line on a page (who says so, where, how sure, its status and evidence) and the
// sections of claims, motives and anniversaries of a node's page.

import { append, h, label, link, nodeHref, ordinal, relationWords } from './dom.js';

export function confidenceBar(confidence) {
  return h('span', { class: 'confidence', title: `confidence ${confidence}%` },
    h('span', { class: 'bar', role: 'img', 'aria-label': `confidence ${confidence} of 100` }, h('span', { style: `width:${Math.max(0, Math.min(100, confidence))}%` })),
    `${confidence}%`);
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status.toLowerCase());
}

export function corroborationBadge(c) {
  if (!c) return null;
  if (c.selfAsserted) return h('span', { class: 'badge self-asserted', title: 'only the party the claim is about asserts it' }, 'self-asserted');
  if (c.corroborated) return h('span', { class: 'badge corroborated', title: `${c.independentSourceCount} independent sources` }, `corroborated · ${c.independentSourceCount} sources`);
  return h('span', { class: 'badge single-source', title: `${c.sourceCount} source(s), ${c.independentSourceCount} independent` }, 'single source');
}

export function validity(claim) {
  if (claim.validFrom || claim.validTo) return `valid ${claim.validFrom || '…'} – ${claim.validTo || '…'}`;
  return 'validity not stated';
}

export function end(node, here) {
  if (!node) return h('span', { class: 'muted' }, '(a value)');
  if (node.id === here) return h('span', { class: 'here' }, label(node));
  return link(node);
}

export function objectOf(claim, here) {
  if (claim.object) return end(claim.object, here);
  const v = claim.value;
  if (!v) return h('span', { class: 'muted' }, '(nothing)');
  return h('span', {}, v.text || `${v.approximate ? 'about ' : ''}${v.amount ?? ''} ${v.unit ?? ''}`.trim());
}

// One claim, as a link: who says so, where, how sure, its status and its evidence.
export function claimItem(claim, here, opts = {}) {
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

export function groupBy(items, key) {
  const groups = new Map();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(item);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

export function claimsSections(node) {
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

export function motivesSection(node) {
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

export function anniversariesSection(node) {
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

