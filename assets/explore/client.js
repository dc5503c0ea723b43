// The GraphQL client every view shares: urql with Graphcache (a normalised cache keyed by
// __typename and id) over fetch to /graphql, and graphql-ws (graphql-transport-ws) on
// /graphql for subscriptions. The socket opens only when a subscription runs.

import { Client, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';

const NODE_TYPES = ['Actor', 'Location', 'Event', 'Source', 'Statement', 'Claim', 'Stance'];

const endpoint = new URL('/graphql', window.location.href);
const socketUrl = new URL(endpoint);
socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// lazy (graphql-ws's default): no socket until a subscription starts.
export const ws = createWsClient({ url: socketUrl.href, lazy: true });

export const client = new Client({
  url: endpoint.href,
  // An editor's token rides on every request once entered (editor.js); reads need none.
  fetchOptions: () => {
    const token = editorToken();
    return token ? { headers: { authorization: `Bearer ${token}` } } : {};
  },
  exchanges: [
    cacheExchange({
      // Node is the one interface: telling Graphcache its types lets fragments on Actor,
      // Event… match without a schema download. Wrappers without an id (edges, search hits,
      // patron chains) are kept inside their parent, as the schema intends.
      possibleTypes: { Node: NODE_TYPES },
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query || '' }, sink) }),
      }),
    }),
  ],
  preferGetMethod: false,
});


const TOKEN_KEY = 'claimgraph.editorToken';

// The editor's token, kept in this tab's session storage only (never in local storage).
export function editorToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

// Keeps (or, with an empty value, forgets) the editor's token for this tab's session.
export function setEditorToken(token) {
  try {
    if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the token lasts as long as the page.
  }
  window.dispatchEvent(new CustomEvent('explore:token'));
}
