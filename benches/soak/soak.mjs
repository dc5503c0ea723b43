// Soak: readers, writers and subscribers at once, for a fixed time, against a live claimgraph
// serving a database file. Started by benches/soak/run.sh, which passes:
//
//   CLAIMGRAPH_URL     the server (http://127.0.0.1:PORT)
//   CLAIMGRAPH_TOKEN   an editor's token, for the writers
//   CLAIMGRAPH_PID     the server's process id, for its RSS (/proc/PID/status)
//   SOAK_DB            the database file, for the size of its -wal file at the end
//   SOAK_SECONDS       how long to run (default 60)
//   SOAK_READERS, SOAK_WRITERS, SOAK_SUBSCRIBERS   how many of each (default 8, 2, 3)
//   SOAK_CLAIMS        how many claims the writers assert before they go on changing the status
//                      of those (default 500): a steady load on a graph of steady size, so that
//                      a memory leak shows as RSS climbing. 0 asserts new claims all run long.
//   SEED_DIR           the fixtures the server was seeded with (ids for valid inputs)
//
// Each reader and writer sends its next request as soon as the last one answered (saturation,
// not a fixed rate). Prints requests, errors and p50/p99 latency per kind, notices heard per
// subscriber, RSS at start, after the first tenth of the run (caches warm) and at the end,
// sampled every tenth between, and the -wal size; exits 1 when any request failed (HTTP status
// other than 200, or a GraphQL `errors` entry) or a subscription broke.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    console.error(`soak: ${name} is not set (run benches/soak/run.sh)`);
    process.exit(2);
  }
  return value;
};
const httpUrl = new URL('/graphql', env('CLAIMGRAPH_URL')).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');
const token = env('CLAIMGRAPH_TOKEN');
const pid = env('CLAIMGRAPH_PID');
const db = env('SOAK_DB');
const seconds = Number(env('SOAK_SECONDS', '60'));
const readers = Number(env('SOAK_READERS', '8'));
const writers = Number(env('SOAK_WRITERS', '2'));
const subscribers = Number(env('SOAK_SUBSCRIBERS', '3'));
const seedDir = env('SEED_DIR');
const claimsToWrite = Number(env('SOAK_CLAIMS', '500'));

// A request that hangs is a finding, but must not stall the run past its end.
const REQUEST_TIMEOUT_MS = 30_000;
// Notices of the last writes are still on their way when the writers stop.
const NOTICE_GRACE_MS = 2_000;

// Ids from the fixtures, so that every write is valid and reads ask about real nodes.
function idsIn(file) {
  const text = readFileSync(join(seedDir, file), 'utf8');
  return [...text.matchAll(/^\s*- id:\s*(\S+)\s*$/gm)].map((m) => m[1]);
}
const actors = idsIn('actors.yaml');
const sources = idsIn('sources.yaml');
const events = idsIn('events.yaml');
if (actors.length < 2 || sources.length < 1 || events.length < 1) {
  console.error(`soak: too few ids in ${seedDir} (actors ${actors.length}, sources ${sources.length}, events ${events.length})`);
  process.exit(2);
}

let counter = 0;
const pick = (list) => list[counter++ % list.length];
const pair = () => {
  const a = pick(actors);
  let b = pick(actors);
  if (a === b) b = pick(actors);
  return [a, b];
};

// The README's headline query, on every seeded event in turn.
const HEADLINE = `query Headline($id: ID!) {
  event(id: $id) {
    title occurredOn location { name parent { name } }
    claimants { edges {
      claim { assertedBy { name } source { title } confidence status }
      node { name
        suspectedPatrons { edges {
          claim { assertedBy { name } source { title } confidence status }
          node { name
            suspectedPatrons { edges { node { name } } }
            motives { edges { kind years claim { source { title } } node { title occurredOn } } }
          }
        } }
      }
    } }
    motives { edges { kind years claim { assertedBy { name } source { title } } node { title occurredOn } } }
  }
}`;
const SEARCH = 'query Search($q: String!) { search(query: $q, first: 10) { score snippet node { id } } }';
const NEIGHBORHOOD = `query Around($id: ID!) {
  neighborhood(id: $id, hops: 2) { truncated nodes { nodeId type label distance } edges { claimId relation source target confidence } }
}`;
const PATHS = `query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 4) { hops truncated paths { confidence steps { direction from { id } to { id } claim { id relation confidence } } } }
}`;
const CLAIMS = `query Claims { claims(first: 50) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { id relation confidence status subject { id } object { id } assertedBy { name } source { title } } } } }`;
const EVENTS = `query Events { events(first: 50) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { id title occurredOn location { name } } } } }`;
const ASSERT = 'mutation Assert($input: ClaimInput!) { assertClaim(input: $input) { id version } }';
const SET_STATUS = `mutation SetStatus($id: ID!, $version: Int!, $status: ClaimStatus!) {
  setClaimStatus(id: $id, version: $version, status: $status, reason: "changed by benches/soak") { id version }
}`;
const STATUSES = ['DISPUTED', 'CONFIRMED', 'ASSERTED'];
const WATCH = 'subscription Watch { claimChanged { action claim { id } } }';

const SEARCH_TERMS = ['rocket', 'iran', 'attack', 'militia', 'soleimani', 'baghdad', 'forces', 'drone'];
const WRITE_RELATIONS = ['ALIGNED_WITH', 'OPPOSES', 'BACKED_BY'];

const READS = [
  { kind: 'headline', query: HEADLINE, variables: () => ({ id: pick(events) }) },
  { kind: 'search', query: SEARCH, variables: () => ({ q: pick(SEARCH_TERMS) }) },
  { kind: 'neighborhood', query: NEIGHBORHOOD, variables: () => ({ id: pick(actors) }) },
  { kind: 'paths', query: PATHS, variables: () => { const [from, to] = pair(); return { from, to }; } },
  { kind: 'claims(first: 50)', query: CLAIMS, variables: () => ({}) },
  { kind: 'events(first: 50)', query: EVENTS, variables: () => ({}) },
];

const stats = new Map(); // kind → { latencies: number[], errors: number }
const errorSamples = [];
const statsOf = (kind) => {
  if (!stats.has(kind)) stats.set(kind, { latencies: [], errors: 0 });
  return stats.get(kind);
};
function recordError(kind, message) {
  statsOf(kind).errors++;
  if (errorSamples.length < 10) errorSamples.push(`${kind}: ${message}`);
}

async function request(kind, query, variables, headers = {}) {
  const started = performance.now();
  try {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (response.status !== 200) return recordError(kind, `HTTP ${response.status} ${text.slice(0, 200)}`);
    if (!body || body.errors) return recordError(kind, `GraphQL errors ${text.slice(0, 200)}`);
    statsOf(kind).latencies.push(elapsed);
    return body.data;
  } catch (err) {
    recordError(kind, err?.message ?? String(err));
  }
}

function rssKb() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const grab = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rss: grab('VmRSS'), hwm: grab('VmHWM') };
}

const deadline = Date.now() + seconds * 1000;
const running = () => Date.now() < deadline;

async function reader(n) {
  for (let i = n; running(); i++) {
    const read = READS[i % READS.length];
    await request(read.kind, read.query, read.variables());
  }
}

let written = 0;
async function writer(n) {
  // This writer's claims: asserted the first time round, their status changed after that.
  const own = claimsToWrite > 0 ? Math.max(1, Math.ceil(claimsToWrite / writers)) : Infinity;
  const versions = new Map();
  for (let i = 0; running(); i++) {
    const id = `soak-${process.pid}-${n}-${Number.isFinite(own) ? i % own : i}`;
    const version = versions.get(id);
    let data;
    if (version === undefined) {
      const [subject, object] = pair();
      const input = {
        id,
        subject,
        relation: WRITE_RELATIONS[i % WRITE_RELATIONS.length],
        object,
        assertedBy: pick(['unknown', ...actors]),
        source: pick(sources),
        confidence: 10 + (i % 90),
        note: 'written by benches/soak',
      };
      data = await request('assertClaim', ASSERT, { input }, { authorization: `Bearer ${token}` });
      if (data) versions.set(id, data.assertClaim.version);
    } else {
      const status = STATUSES[i % STATUSES.length];
      data = await request('setClaimStatus', SET_STATUS, { id, version, status }, { authorization: `Bearer ${token}` });
      if (data) versions.set(id, data.setClaimStatus.version);
    }
    if (data) written++;
  }
}

const subscriptionState = [];
function subscriber(n) {
  const state = { n, heard: 0, broken: null };
  subscriptionState.push(state);
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  let acknowledged;
  const ready = new Promise((resolve) => (acknowledged = resolve));
  client.on('connected', () => acknowledged());
  client.on('closed', () => acknowledged());
  const dispose = client.subscribe(
    { query: WATCH },
    {
      next: (msg) => {
        if (msg.errors) state.broken ??= `errors: ${JSON.stringify(msg.errors).slice(0, 200)}`;
        else state.heard++;
      },
      error: (err) => (state.broken ??= `error: ${err?.message ?? err?.reason ?? JSON.stringify(err)}`),
      complete: () => running() && (state.broken ??= 'completed before the end of the run'),
    },
  );
  return { ready, stop: async () => { dispose(); await client.dispose(); } };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

// Rows in a fixed order, whatever answers first.
for (const { kind } of READS) statsOf(kind);
statsOf('assertClaim');
statsOf('setClaimStatus');

const start = rssKb();
console.log(`soak: ${seconds} s, ${readers} readers, ${writers} writers, ${subscribers} subscribers against ${httpUrl}`);
const subs = Array.from({ length: subscribers }, (_, n) => subscriber(n));
await Promise.all(subs.map((s) => s.ready));
const began = performance.now();
// RSS every tenth of the run, to tell a plateau (caches filling) from a leak (a steady climb).
const samples = [];
const sampler = setInterval(() => samples.push(rssKb().rss), Math.max(1000, (seconds * 1000) / 10));
await Promise.all([
  ...Array.from({ length: readers }, (_, n) => reader(n)),
  ...Array.from({ length: writers }, (_, n) => writer(n)),
]);
const elapsedS = (performance.now() - began) / 1000;
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, NOTICE_GRACE_MS));
const end = rssKb();
let walBytes = 0;
try {
  walBytes = statSync(`${db}-wal`).size;
} catch {
  // No -wal file: checkpointed and removed, or never written.
}
await Promise.all(subs.map((s) => s.stop()));

const rows = [...stats.entries()].map(([kind, s]) => {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return { kind, ok: sorted.length, errors: s.errors, rps: sorted.length / elapsedS, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
});
const total = rows.reduce((acc, r) => ({ ok: acc.ok + r.ok, errors: acc.errors + r.errors }), { ok: 0, errors: 0 });
console.log('');
console.log(`${'kind'.padEnd(18)} ${'requests'.padStart(9)} ${'errors'.padStart(7)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
for (const r of rows) {
  console.log(`${r.kind.padEnd(18)} ${String(r.ok + r.errors).padStart(9)} ${String(r.errors).padStart(7)} ${r.rps.toFixed(1).padStart(8)} ${ms(r.p50).padStart(8)} ${ms(r.p99).padStart(8)}`);
}
console.log(`${'all'.padEnd(18)} ${String(total.ok + total.errors).padStart(9)} ${String(total.errors).padStart(7)} ${(total.ok / elapsedS).toFixed(1).padStart(8)}`);
console.log('');
for (const s of subscriptionState) {
  const missed = written > s.heard ? ` (MISSED ${written - s.heard})` : '';
  console.log(`subscriber ${s.n}: heard ${s.heard} notices of ${written} claim writes${missed}${s.broken ? `; BROKEN: ${s.broken}` : ''}`);
}
const warm = samples[0] ?? start.rss;
const growth = end.rss - warm;
// Flat: within 10 MB or a tenth of the warm figure, whichever is more, of where it was once
// the caches had filled.
const flat = growth <= Math.max(10 * 1024, warm / 10);
console.log(`RSS: ${mb(start.rss)} at start, ${mb(warm)} after the first tenth, ${mb(end.rss)} at end (peak ${mb(end.hwm)}): ${growth >= 0 ? '+' : ''}${mb(growth)} since warm, ${flat ? 'flat' : 'CLIMBING'}`);
console.log(`RSS every ${Math.max(1, seconds / 10).toFixed(0)} s: ${samples.map((kb) => (kb / 1024).toFixed(0)).join(' ')} MB`);
console.log(`WAL: ${(walBytes / 1024 / 1024).toFixed(1)} MB (${walBytes} bytes) in soak.db-wal at the end`);
for (const sample of errorSamples) console.log(`error: ${sample}`);

const broken = subscriptionState.filter((s) => s.broken).length;
if (total.errors || broken) {
  console.log(`soak: FAIL: ${total.errors} request errors, ${broken} broken subscriptions`);
  process.exit(1);
}
if (claimsToWrite > 0 && !flat) {
  console.log(`soak: FAIL: RSS climbed ${mb(growth)} on a graph of steady size`);
  process.exit(1);
}
console.log(claimsToWrite > 0 ? 'soak: ok: no errors, RSS flat' : 'soak: ok: no errors (RSS not judged: the graph grew all run)');
