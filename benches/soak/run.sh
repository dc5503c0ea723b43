#!/usr/bin/env bash
# Soak a built claimgraph binary: readers, writers and subscribers at once on a database file.
# A benchmark, not a CI check. Builds nothing.
#
#   bash benches/soak/run.sh [path/to/claimgraph] [SECONDS=60]
#
# Installs the node packages pinned by benches/soak/package-lock.json, seeds a fresh database in a
# temporary directory and serves it with an editor's token (`serve --db DIR/soak.db --seed seed
# --tokens DIR/tokens`), runs benches/soak/soak.mjs for SECONDS, stops the server and removes the
# directory. SOAK_READERS, SOAK_WRITERS and SOAK_SUBSCRIBERS change the mix (default 8, 2, 3).
# Exits 1 when any request or subscription failed.
set -euo pipefail

name=soak
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/support/serve.sh"
seconds="${2:-60}"
claimgraph_binary target/release/claimgraph "${@:1:1}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || fail "SECONDS must be a positive whole number, not '$seconds'"

npm ci --prefix benches/soak --no-audit --no-fund --loglevel=error
serve_claimgraph --db "$workdir/soak.db" --seed seed

rc=0
CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" CLAIMGRAPH_PID="$server_pid" SOAK_DB="$workdir/soak.db" \
  SOAK_SECONDS="$seconds" SEED_DIR="$root/seed" node benches/soak/soak.mjs || rc=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  show_logs
  fail "claimgraph serve died during the soak"
fi
exit "$rc"
