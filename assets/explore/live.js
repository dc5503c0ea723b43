// Live updates: the open node's page follows `claimChanged` over graphql-ws. A change that
// touches the node re-reads the page (keeping the reader's place), marks the changed claim's
// line and announces it to screen readers; a dot in the header says whether the page is
// live, connecting or reconnecting.

import { gql } from '@urql/core';
import { pipe, subscribe } from 'wonka';
import { client, ws } from './client.js';
import { NODE_LABEL } from './fragments.js';
import { h, label, relationWords } from './dom.js';

// A page of a node that claims link (actor, event, location) asks the server for only the
// claims with the node at either end (`touching`); a source's, statement's, claim's or
// stance's page needs claims that cite or concern it, which no filter names, so it takes
// every notice and sifts them here (`touches`).
const CLAIM_CHANGED = gql`
  subscription ExploreLive($touching: ID) {
    claimChanged(touching: $touching) {
      action
      claim {
        id
        version
        relation
        status
        subject { ...NodeLabel }
        object { ...NodeLabel }
        value { text amount unit approximate }
        assertedBy { id name }
        source { id title }
        evidence { id }
      }
    }
  }
  ${NODE_LABEL}
`;

// Node types that are claims' subjects and objects: `touching` selects their claims.
const LINKED = new Set(['Actor', 'Event', 'Location']);

const DEBOUNCE_MS = 200;
const RESUBSCRIBE_MS = 10_000;

const STATE_TEXT = {
  connecting: '● connecting',
  live: '● live',
  reconnecting: '● reconnecting',
  offline: '● offline',
};

const STATE_TITLE = {
  connecting: 'Opening the live connection to the server',
  live: 'Changes to this page’s claims appear as they are made',
  reconnecting: 'The live connection dropped; trying again',
  offline: 'No live connection; the page will try again shortly',
};

let indicator = null;
let announcer = null;

// The dot sits in the sticky header, outside <main>, so that re-rendering the page keeps it.
function statusIndicator() {
  if (indicator && indicator.isConnected) return indicator;
  indicator = h('span', { class: 'live-status', hidden: true, dataset: { state: 'connecting' } });
  const header = document.querySelector('header.top');
  const before = document.getElementById('editor-controls');
  if (header) header.insertBefore(indicator, before && before.parentNode === header ? before : null);
  else document.body.prepend(indicator);
  return indicator;
}

// A live region must exist before what it announces, and outlive re-renders: one, in <body>.
function liveRegion() {
  if (announcer && announcer.isConnected) return announcer;
  announcer = h('div', { id: 'live-announcer', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'false' });
  document.body.append(announcer);
  return announcer;
}

function setState(state) {
  const el = statusIndicator();
  el.hidden = false;
  el.dataset.state = state;
  el.textContent = STATE_TEXT[state];
  el.title = STATE_TITLE[state];
}

function hideIndicator() {
  if (indicator) indicator.hidden = true;
}

export function announce(text) {
  const region = liveRegion();
  region.append(h('p', {}, text));
  // Old announcements are spoken already; keep the region short.
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

// Whether a change to `claim` shows on `node`'s page.
function touches(node, claim) {
  const id = node.id;
  if (claim.id === id) return true;
  if (node.claim && node.claim.id === claim.id) return true;
  const ends = [claim.subject, claim.object, claim.source, ...(claim.evidence || [])];
  return ends.some((n) => n && n.id === id);
}

function objectWords(claim) {
  if (claim.object) return label(claim.object);
  const v = claim.value;
  if (!v) return '…';
  return v.text || `${v.approximate ? 'about ' : ''}${v.amount ?? ''} ${v.unit ?? ''}`.trim();
}

export function describeClaim(claim) {
  const who = claim.assertedBy ? claim.assertedBy.name : 'an unknown asserter';
  return `${label(claim.subject)} ${relationWords(claim.relation)} ${objectWords(claim)}, asserted by ${who}`;
}

function announcement(change) {
  const { action, claim } = change;
  if (action === 'CREATED') return `New claim: ${describeClaim(claim)}`;
  if (action === 'STATUS_CHANGED') return `Claim now ${claim.status.toLowerCase()}: ${describeClaim(claim)}`;
  if (action === 'RELINKED') return `Claim moved here by a merge: ${describeClaim(claim)}`;
  return `Claim changed: ${describeClaim(claim)}`;
}

// A burst (a merge moves every claim of an actor) is told in one line, not one per claim.
function announceAll(changes) {
  if (changes.length <= 3) {
    for (const change of changes) announce(announcement(change));
    return;
  }
  const created = changes.filter((c) => c.action === 'CREATED').length;
  announce(`${changes.length} claims changed on this page${created ? `, ${created} of them new` : ''}.`);
}

// The marks of a visit, kept so that a later re-draw (an editor's own change) keeps them.
const marks = new WeakMap(); // ctx.isCurrent -> Map(claim id -> class)

function remember(ctx, changes) {
  if (!marks.has(ctx.isCurrent)) marks.set(ctx.isCurrent, new Map());
  const known = marks.get(ctx.isCurrent);
  // The latest change names the mark: a new claim disputed since is "changed".
  for (const { action, claim } of changes) {
    known.set(claim.id, { cls: action === 'CREATED' ? 'live-new' : 'live-changed', shown: false });
  }
}

// Only the first drawing after a change flashes; later re-draws keep the mark, still.
function applyMarks(ctx) {
  for (const [id, mark] of marks.get(ctx.isCurrent) || []) {
    for (const li of document.querySelectorAll(`#main li.claim[data-claim="${CSS.escape(id)}"]`)) {
      li.classList.add(mark.cls);
      if (mark.shown) li.classList.add('live-seen');
    }
    mark.shown = true;
  }
}

// Re-draws of one page visit, one at a time: two at once would ask the server the same
// questions twice, and the client would abort the first requests for the second.
const redraws = new WeakMap(); // ctx.isCurrent -> { running, next }

export function refreshPage(ctx) {
  let q = redraws.get(ctx.isCurrent);
  if (!q) redraws.set(ctx.isCurrent, (q = { running: null, next: null }));
  const run = () => {
    q.running = settled().then(() => ctx.refresh()).then(() => applyMarks(ctx)).then(settled)
      .finally(() => { q.running = null; });
    return q.running;
  };
  if (!q.running) return run();
  if (!q.next) q.next = q.running.catch(() => {}).then(() => { q.next = null; return run(); });
  return q.next;
}

// A re-draw is done once the views that load on their own (chain, network) have drawn:
// they mark themselves data-ready="false" meanwhile. Capped, so that a slow view only delays.
function settled() {
  return new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      const loading = document.querySelector('#main [data-ready="false"]');
      if (!loading || performance.now() - started > 5000) resolve();
      else setTimeout(check, 50);
    };
    check();
  });
}

// Collects the changes of a burst (a merge relinks many claims) into one re-read.
function batcher(ctx) {
  let pending = [];
  let timer = null;
  const flush = async () => {
    timer = null;
    const changes = pending.splice(0);
    if (!ctx.isCurrent()) return;
    remember(ctx, changes);
    try {
      await refreshPage(ctx);
    } catch (e) {
      console.warn('explorer: live refresh failed', e);
      return;
    }
    if (!ctx.isCurrent()) return;
    announceAll(changes);
  };
  return {
    add(change) {
      pending.push(change);
      clearTimeout(timer);
      timer = setTimeout(flush, DEBOUNCE_MS);
    },
    // After a dropped connection nothing says what was missed: re-read the page.
    resync() {
      clearTimeout(timer);
      timer = setTimeout(flush, DEBOUNCE_MS);
    },
    stop() {
      clearTimeout(timer);
      pending = [];
    },
  };
}

// The socket's own events drive the dot; they are shared by every subscription, so each
// page listens only while it is open.
function followSocket(onState) {
  const offs = [
    ws.on('connecting', (retrying) => onState(retrying ? 'reconnecting' : 'connecting')),
    ws.on('connected', (_socket, _payload, retrying) => onState('live', retrying)),
    ws.on('closed', () => onState('reconnecting')),
  ];
  return () => offs.forEach((off) => off());
}

// Subscribes for `node`'s page; ctx.onLeave ends the subscription.
export function watchNode(node, ctx) {
  liveRegion();
  const batch = batcher(ctx);
  let sub = null;
  let retryTimer = null;
  let wasLive = false;
  let left = false;

  const onState = (state, retrying) => {
    if (left) return;
    setState(state);
    if (state === 'live') {
      if (wasLive || retrying) batch.resync();
      wasLive = true;
    }
  };
  const unfollow = followSocket(onState);

  const start = () => {
    sub = pipe(
      client.subscription(CLAIM_CHANGED, { touching: LINKED.has(node.__typename) ? node.id : null }),
      subscribe((result) => {
        if (left) return;
        if (result.error) {
          // A stream ends on an error (retries spent, or the server ended a subscriber that
          // fell behind): say so, and start again a little later.
          setState('offline');
          if (sub) sub.unsubscribe();
          sub = null;
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => { if (!left) { wasLive = true; start(); } }, RESUBSCRIBE_MS);
          return;
        }
        const change = result.data && result.data.claimChanged;
        if (!change) return;
        setState('live');
        if (touches(node, change.claim)) batch.add(change);
      }),
    );
  };

  setState('connecting');
  start();
  ctx.onLeave(() => {
    left = true;
    unfollow();
    batch.stop();
    clearTimeout(retryTimer);
    if (sub) sub.unsubscribe();
    hideIndicator();
  });
}
