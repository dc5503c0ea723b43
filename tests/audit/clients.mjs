// Client smoke test: the GraphQL clients frontends actually use, against a live claimgraph.
//
//   CLAIMGRAPH_URL=http://127.0.0.1:8080 CLAIMGRAPH_TOKEN=editor-token node tests/audit/clients.mjs
//
// Checks, each reported as ok or FAIL with its reason:
//   apollo-query         Apollo Client 4 (InMemoryCache, normalising by __typename + id) answers a query
//   apollo-cache         after the NEIGHBORHOODS queries, Apollo's cache gives each one back exactly as
//                        the server sent it (objects with the same id in different answers must not
//                        overwrite each other's fields)
//   apollo-apq           automatic persisted queries through @apollo/client/link/persisted-queries:
//                        an unknown hash gets PersistedQueryNotFound, the link retries with the text,
//                        and the same query then answers from its hash alone
//   urql-query           @urql/core answers a query
//   graphql-ws           a claimChanged subscription over graphql-ws hears of a claim asserted over
//                        HTTP with CLAIMGRAPH_TOKEN (skipped, and counted as failed, without a token)
// Prints "clients: N passed, M failed" and exits 1 when any check failed.

import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client as UrqlClient, cacheExchange, fetchExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.env.CLAIMGRAPH_URL;
const token = process.env.CLAIMGRAPH_TOKEN;
if (!base) {
  console.error('clients: set CLAIMGRAPH_URL to the server (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
const httpUrl = new URL('/graphql', base).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');

const CHECK_TIMEOUT_MS = 20_000;
const OVERALL_TIMEOUT_MS = 120_000;
// How often the subscription check writes another probe claim while it has heard none: the
// server gives no signal that a subscription is registered, so the check writes until it hears.
const PROBE_INTERVAL_MS = 200;

const SIMPLE = 'query Simple { actor(id: "iran") { id name } }';
const SIMPLE_ANSWER = { actor: { id: 'iran', name: 'Iran' } };

// The cache check is data-driven: when the neighbourhood's shape changes, edit this query (and
// the centres) and nothing else. Each centre is queried in turn through one Apollo client; every
// answer must then read back from the cache as the server sent it.
const NEIGHBORHOOD = `query Neighborhood($id: ID!, $hops: Int!) {
  neighborhood(id: $id, hops: $hops) {
    truncated
    nodes { nodeId type kind label distance node { id } }
    edges { claimId relation source target direction claim { id } }
  }
}`;
const NEIGHBORHOODS = [
  { id: 'iran', hops: 2 },
  { id: 'saraya-qasem-al-jabarin', hops: 2 },
];

const SUBSCRIPTION = 'subscription Watch { claimChanged(subject: "harakat-al-nujaba") { action claim { id relation subject { id } } } }';
const ASSERT_CLAIM = 'mutation Assert($input: ClaimInput!) { assertClaim(input: $input) { id version } }';
const probeClaim = (id) => ({
  id,
  subject: 'harakat-al-nujaba',
  relation: 'BACKED_BY',
  object: 'iran',
  assertedBy: 'unknown',
  source: 'article-iraq-syria-bases-attacked-2022-01',
  confidence: 70,
});

const results = [];

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(name, fn) {
  try {
    await withTimeout(fn(), CHECK_TIMEOUT_MS, name);
    results.push({ name, ok: true });
    console.log(`ok    ${name}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name}: ${err?.message ?? err}`);
  }
}

function expectEqual(actual, expected, what) {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}\n        expected ${JSON.stringify(expected)}\n        got      ${JSON.stringify(actual)}`);
  }
}

// The first place two JSON values differ, as a path: a diff of whole neighbourhoods is unreadable.
function firstDifference(a, b, path = '') {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path || '(root)'}: server sent ${JSON.stringify(a)}, cache gives ${JSON.stringify(b)}`;
}

// A fetch that keeps what went over the wire, so that checks can look at the requests a link made
// and at the answers exactly as the server sent them (not as the cache hands them back).
function recordingFetch() {
  const log = [];
  const fn = async (input, init = {}) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    log.push({ request: init.body ? JSON.parse(init.body) : null, status: response.status, body });
    return response;
  };
  return { fn, log };
}

function apollo(link) {
  // InMemoryCache's default identifies objects by __typename and id, as a frontend would use it.
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

await withTimeout(
  (async () => {
    await check('apollo-query', async () => {
      const client = apollo(new HttpLink({ uri: httpUrl }));
      const { data } = await client.query({ query: gql(SIMPLE), fetchPolicy: 'network-only' });
      expectEqual(stripTypename(data), SIMPLE_ANSWER, 'Apollo Client answered differently');
    });

    await check('apollo-cache', async () => {
      const wire = recordingFetch();
      const client = apollo(new HttpLink({ uri: httpUrl, fetch: wire.fn }));
      const query = gql(NEIGHBORHOOD);
      const sent = [];
      for (const variables of NEIGHBORHOODS) {
        await client.query({ query, variables, fetchPolicy: 'network-only' });
        const last = wire.log.at(-1);
        if (last.status !== 200 || last.body.errors) {
          throw new Error(`neighborhood ${JSON.stringify(variables)}: HTTP ${last.status} ${JSON.stringify(last.body)}`);
        }
        sent.push({ variables, data: last.body.data });
      }
      const wrong = [];
      for (const { variables, data } of sent) {
        const cached = client.readQuery({ query, variables });
        const difference = firstDifference(data, cached);
        if (difference) wrong.push(`around ${variables.id}: ${difference}`);
      }
      if (wrong.length) {
        throw new Error(`the cache does not give back what the server sent:\n        ${wrong.join('\n        ')}`);
      }
    });

    await check('apollo-apq', async () => {
      const wire = recordingFetch();
      const link = ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: httpUrl, fetch: wire.fn })]);
      const client = apollo(link);
      // A query text no other check sends, so that its hash is new to the server.
      const text = `query Apq { actor(id: "iran") { id name kind } } # ${Date.now()}`;
      const first = await client.query({ query: gql(text), fetchPolicy: 'network-only' }).catch((err) => ({ error: err }));
      const [hashOnly, withText] = wire.log;
      if (!hashOnly) throw new Error('the persisted-queries link sent nothing');
      if (hashOnly.request.query !== undefined) throw new Error('the first request carried the query text');
      // The two spellings Apollo's link itself recognises: the message or the code.
      const notFound = (e) => e.message === 'PersistedQueryNotFound' || e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND';
      if (!(hashOnly.body.errors ?? []).some(notFound)) {
        throw new Error(`an unknown hash got ${JSON.stringify(hashOnly.body).slice(0, 300)} instead of PersistedQueryNotFound`);
      }
      if (!withText || typeof withText.request.query !== 'string') throw new Error('the link did not retry with the query text');
      if (first.error) throw new Error(`the retry with the text failed: ${first.error.message}`);
      expectEqual(stripTypename(first.data).actor.id, 'iran', 'the retry answered differently');

      const before = wire.log.length;
      const again = await client.query({ query: gql(text), fetchPolicy: 'network-only' });
      const sentAgain = wire.log.slice(before);
      if (sentAgain.length !== 1 || sentAgain[0].request.query !== undefined) {
        throw new Error(`a known hash took ${sentAgain.length} requests (expected one without the text)`);
      }
      expectEqual(again.data, first.data, 'the hash alone answered differently');
    });

    await check('urql-query', async () => {
      const client = new UrqlClient({ url: httpUrl, exchanges: [cacheExchange, fetchExchange] });
      const { data, error } = await client.query(SIMPLE, {}).toPromise();
      if (error) throw error;
      expectEqual(stripTypename(data), SIMPLE_ANSWER, 'urql answered differently');
    });

    await check('graphql-ws', async () => {
      if (!token) throw new Error('CLAIMGRAPH_TOKEN is not set: no editor to assert a claim with');
      const client = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
      const written = new Set();
      let probes;
      try {
        const heard = new Promise((resolve, reject) => {
          client.subscribe(
            { query: SUBSCRIPTION },
            {
              next: (msg) => {
                if (msg.errors) reject(new Error(`the subscription got errors: ${JSON.stringify(msg.errors)}`));
                const change = msg.data?.claimChanged;
                if (change && written.has(change.claim?.id)) resolve(change);
              },
              error: (err) => reject(err instanceof Error ? err : new Error(`subscription error: ${JSON.stringify(err)}`)),
              complete: () => reject(new Error('the subscription completed before a notice came')),
            },
          );
        });
        let failure;
        const assertOne = async () => {
          const id = `clients-smoke-${process.pid}-${Date.now()}-${written.size}`;
          written.add(id);
          const response = await fetch(httpUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: ASSERT_CLAIM, variables: { input: probeClaim(id) } }),
          });
          const body = await response.json();
          if (response.status !== 200 || body.errors) failure ??= new Error(`assertClaim: HTTP ${response.status} ${JSON.stringify(body)}`);
        };
        await assertOne();
        probes = setInterval(() => assertOne().catch((err) => (failure ??= err)), PROBE_INTERVAL_MS);
        const stopOnFailure = new Promise((_, reject) => {
          const poll = setInterval(() => failure && (clearInterval(poll), reject(failure)), 50);
          heard.finally(() => clearInterval(poll)).catch(() => {});
        });
        const change = await Promise.race([heard, stopOnFailure]);
        expectEqual(
          { action: change.action, relation: change.claim.relation, subject: change.claim.subject.id },
          { action: 'CREATED', relation: 'BACKED_BY', subject: 'harakat-al-nujaba' },
          'the notice describes another change',
        );
      } finally {
        clearInterval(probes);
        await client.dispose();
      }
    });
  })(),
  OVERALL_TIMEOUT_MS,
  'clients',
).catch((err) => {
  results.push({ name: 'overall', ok: false });
  console.log(`FAIL  ${err.message}`);
});

function stripTypename(value) {
  if (Array.isArray(value)) return value.map(stripTypename);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '__typename').map(([k, v]) => [k, stripTypename(v)]));
  }
  return value;
}

const failed = results.filter((r) => !r.ok);
console.log(`clients: ${results.length - failed.length} passed, ${failed.length} failed${failed.length ? `: ${failed.map((r) => r.name).join(' ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
