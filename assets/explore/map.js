// The map: events and locations on a vendored Natural Earth outline (to be built).

// A section for `node`'s page, or null.
export function mapSection(_node, _ctx) {
  return null;
}

// The page /explore/map.
export async function renderMapPage(ctx) {
  ctx.show(ctx.main.ownerDocument.createElement('h1'));
}
