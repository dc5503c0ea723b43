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

name=audit
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve.sh"
claimgraph_binary target/debug/claimgraph "$@"

npm ci --prefix tests/audit --no-audit --no-fund --loglevel=error
serve_claimgraph --seed seed

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
