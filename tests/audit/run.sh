#!/usr/bin/env bash
# GraphQL-over-HTTP audit (audit.mjs) and client smoke test (clients.mjs) against a claimgraph
# binary that is already built. Builds nothing.
#
#   bash tests/audit/run.sh [path/to/claimgraph]     (default: target/debug/claimgraph)
#
# Installs the node packages pinned by tests/audit/package-lock.json, starts
# `claimgraph serve --seed seed --bind 127.0.0.1:0 --tokens FILE` (a fresh editor's token, for
# the subscription check), waits (at most 60 s) for its `serving` line, runs both checks even
# when the first fails, stops the server, prints a summary and exits 1 if either failed.
set -euo pipefail

STARTUP_TIMEOUT_S=60

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-target/debug/claimgraph}"
# A path given on the command line is relative to where we were run from; the default to the repo.
if [[ "$bin" != /* ]]; then
  if [[ $# -ge 1 ]]; then bin="$PWD/$bin"; else bin="$root/$bin"; fi
fi
cd "$root"

fail() {
  echo "audit: FAIL: $*" >&2
  exit 1
}

[[ -x "$bin" ]] || fail "no claimgraph binary at $bin (build it first, e.g. cargo build)"

npm ci --prefix tests/audit --no-audit --no-fund --loglevel=error

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

token="audit-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf 'audit %s\n' "$token" >"$logdir/tokens"

"$bin" serve --seed seed --bind 127.0.0.1:0 --tokens "$logdir/tokens" >"$out" 2>"$err" &
server_pid=$!

# `serving` comes last, after the listening line: then the graph is loaded and requests answer.
deadline=$((SECONDS + STARTUP_TIMEOUT_S))
until grep -qh '^ *serving' "$out" "$err" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then show_logs; fail "claimgraph serve exited before serving"; fi
  if (( SECONDS >= deadline )); then show_logs; fail "claimgraph serve printed no 'serving' line within ${STARTUP_TIMEOUT_S} s"; fi
  sleep 0.2
done
url="$(grep -ohE 'listening on http://[^[:space:]]+' "$out" "$err" | head -n 1 | sed 's/^listening on //')"
[[ -n "$url" ]] || { show_logs; fail "no 'listening on http://' line in the server's output"; }
echo "audit: claimgraph is serving on $url" >&2

audit_rc=0
clients_rc=0
echo "== graphql-http server audit"
CLAIMGRAPH_URL="$url" node tests/audit/audit.mjs || audit_rc=$?
echo
echo "== client smoke test (Apollo Client, urql, graphql-ws)"
CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" node tests/audit/clients.mjs || clients_rc=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  show_logs
  fail "claimgraph serve died during the checks"
fi

verdict() { if (( $1 == 0 )); then echo pass; else echo "FAIL (exit $1)"; fi; }
echo
echo "== summary"
echo "graphql-http audit (every MUST and SHOULD ok): $(verdict "$audit_rc")"
echo "client smoke test (every check ok):            $(verdict "$clients_rc")"
(( audit_rc == 0 && clients_rc == 0 ))
