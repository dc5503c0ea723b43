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

STARTUP_TIMEOUT_S=60

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-target/debug/claimgraph}"
# A relative path given on the command line is relative to where we were run
# from; the default is relative to the repo root.
if [[ "$bin" != /* ]]; then
  if [[ $# -ge 1 ]]; then bin="$PWD/$bin"; else bin="$root/$bin"; fi
fi
cd "$root"

fail() {
  echo "graphiql e2e: FAIL: $*" >&2
  echo "graphiql e2e: 0 passed, 1 failed"
  exit 1
}

[[ -x "$bin" ]] || fail "no claimgraph binary at $bin (build it first, e.g. cargo build)"
[[ -d tests/e2e/node_modules/playwright-core ]] || fail "playwright-core missing: run bash tests/e2e/install.sh"

logdir="$(mktemp -d)"
out="$logdir/stdout.log"
err="$logdir/stderr.log"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$logdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  echo "--- server stdout:" >&2; tail -n 40 "$out" >&2 || true
  echo "--- server stderr:" >&2; tail -n 40 "$err" >&2 || true
}

# An editor's token, so that the check can write a claim for GraphiQL's subscription to see.
token="e2e-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf 'e2e %s\n' "$token" >"$logdir/tokens"

"$bin" serve --seed seed --bind 127.0.0.1:0 --tokens "$logdir/tokens" >"$out" 2>"$err" &
server_pid=$!

url=""
deadline=$((SECONDS + STARTUP_TIMEOUT_S))
while [[ -z "$url" ]]; do
  url="$(grep -ohE 'listening on http://[^[:space:]]+' "$out" "$err" 2>/dev/null | head -n 1 | sed 's/^listening on //')" || true
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    show_logs
    fail "claimgraph serve exited before it was listening"
  fi
  if (( SECONDS >= deadline )); then
    show_logs
    fail "claimgraph serve printed no 'listening on http://' line within ${STARTUP_TIMEOUT_S} s"
  fi
  sleep 0.2
done
echo "graphiql e2e: claimgraph is listening on $url" >&2

set +e
CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" node tests/e2e/graphiql.mjs
status=$?
set -e
if (( status != 0 )); then show_logs; fi
exit "$status"
