// The network view of a node's page: its neighbourhood drawn with Cytoscape.js (to be built).

// A section for `node`'s page, or null.
export function networkSection(_node, _ctx) {
  return null;
}
