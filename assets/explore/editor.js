// Editors' actions: token, assert, dispute, merge (to be built).

// The header's editor control (token entry) in `el`.
export function mountEditorControls(_el) {}

// Adds editors' actions to a node's page.
export function decorateForEditors(_node, _ctx) {}
