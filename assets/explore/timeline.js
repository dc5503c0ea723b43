// The timeline: events by date with anniversary links drawn between the dates (to be built).

// The page /explore/timeline.
export async function renderTimelinePage(ctx) {
  ctx.show(ctx.main.ownerDocument.createElement('h1'));
}
