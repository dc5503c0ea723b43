#!/usr/bin/env bash
# Run the end-to-end checks in headless Chromium against a claimgraph binary that is
# already built. Builds nothing.
#
#   bash tests/e2e/run.sh [path/to/claimgraph]     (default: target/debug/claimgraph)
#
# Starts `claimgraph serve --seed seed --bind 127.0.0.1:0 --tokens FILE` (a fresh
# editor's token, passed to the checks as CLAIMGRAPH_TOKEN) from the repo root,
# waits (at most 60 s) for the "listening on http://..." line, runs
# tests/e2e/graphiql.mjs (GraphiQL), then the explorer's checks (/explore):
# explore.mjs (search, node pages, chain), explore-graph.mjs (network view, paths),
# explore-map.mjs (map, timeline), explore-edit.mjs (live updates, editors' forms) and
# explore-a11y.mjs (axe-core's WCAG A/AA rules on every view, and the keyboard), in that
# order on one server, with CLAIMGRAPH_URL and CLAIMGRAPH_TOKEN set; stops the
# server on exit and exits non-zero if any check failed. Each check's screenshots go to
# $E2E_OUTPUT_DIR/<check>/ (default tests/e2e/output/<check>/). Needs
# tests/e2e/install.sh to have run.
set -euo pipefail

name=e2e
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve.sh"
fail() {
  echo "e2e: FAIL: $*" >&2
  echo "e2e: 0 passed, 1 failed"
  exit 1
}
claimgraph_binary target/debug/claimgraph "$@"
[[ -d tests/e2e/node_modules/playwright-core ]] || fail "playwright-core missing: run bash tests/e2e/install.sh"

# An editor's token, so that the check can write a claim for GraphiQL's subscription to see.
serve_claimgraph --seed seed

failed=0
for check in graphiql explore explore-graph explore-map explore-edit explore-a11y; do
  set +e
  CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" node "tests/e2e/$check.mjs"
  status=$?
  set -e
  if (( status != 0 )); then
    failed=$((failed + 1))
    echo "e2e: $check failed (exit $status)" >&2
  fi
done
if (( failed != 0 )); then
  show_logs
  exit 1
fi
