// Paths: the shortest paths between two nodes with the claim behind each step (to be built).

// The page /explore/paths.
export async function renderPathsPage(ctx) {
  ctx.show(ctx.main.ownerDocument.createElement('h1'));
}
