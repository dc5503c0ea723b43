// Live updates: the open node's page follows claimChanged over graphql-ws (to be built).

// Subscribes for `node`'s page; ctx.onLeave ends the subscription.
export function watchNode(_node, _ctx) {}
