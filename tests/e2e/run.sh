#!/usr/bin/env bash
# Run the GraphiQL end-to-end check against a claimgraph binary that is
# already built. Builds nothing.
#
#   bash tests/e2e/run.sh [path/to/claimgraph]     (default: target/debug/claimgraph)
#
# Starts `claimgraph serve --seed seed --bind 127.0.0.1:0 --tokens FILE` (a fresh
# editor's token, passed to the check as CLAIMGRAPH_TOKEN) from the repo root,
# waits (at most 60 s) for the "listening on http://..." line, runs
# tests/e2e/graphiql.mjs with CLAIMGRAPH_URL set, stops the server on exit and
# exits with the check's exit code. Needs tests/e2e/install.sh to have run.
set -euo pipefail

name=e2e
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve.sh"
fail() {
  echo "graphiql e2e: FAIL: $*" >&2
  echo "graphiql e2e: 0 passed, 1 failed"
  exit 1
}
claimgraph_binary target/debug/claimgraph "$@"
[[ -d tests/e2e/node_modules/playwright-core ]] || fail "playwright-core missing: run bash tests/e2e/install.sh"

# An editor's token, so that the check can write a claim for GraphiQL's subscription to see.
serve_claimgraph --seed seed

set +e
CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" node tests/e2e/graphiql.mjs
status=$?
set -e
if (( status != 0 )); then show_logs; fi
exit "$status"
