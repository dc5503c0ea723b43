#!/usr/bin/env bash
# The integration suite on PostgreSQL: a throwaway cluster (tests/postgres/cluster.sh) in a
# temporary directory, the PostgreSQL migrations compared with SQLite's, then
# `cargo test --test integration` with CLAIMGRAPH_TEST_PG pointing at the cluster; each graph
# the tests make gets a schema of its own there. The cluster is removed on exit.
#
#   bash tests/postgres/run.sh                      # as root (CI) or as any user
#   PORT=54330 bash tests/postgres/run.sh -- search # arguments after -- go to cargo test
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/postgres/cluster.sh

PORT=${PORT:-54329}
dir=$(mktemp -d "${TMPDIR:-/tmp}/claimgraph-pg.XXXXXX")
trap 'pg_stop "$dir"' EXIT
pg_start "$dir" "$PORT"

echo "== the PostgreSQL migrations make the tables and columns the SQLite ones make"
pg_createdb schema_check
for f in schema/migrations/postgres/0*.sql; do
  "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -1 -d "$PG_URL/schema_check" -f "$f" > /dev/null
done
python3 schema/migrations/postgres/compare.py -d "$PG_URL/schema_check" > "$dir/compare.log" \
  || { cat "$dir/compare.log"; exit 1; }
tail -n 1 "$dir/compare.log"

echo "== cargo test --test integration on PostgreSQL"
pg_createdb claimgraph_test
args=()
if [ "${1:-}" = "--" ]; then shift; args=("$@"); fi
if ! CLAIMGRAPH_TEST_PG="$PG_URL/claimgraph_test" cargo test --locked --test integration "${args[@]}"; then
  echo "-- the cluster's log (last 60 lines):"
  tail -n 60 "$dir/server.log"
  exit 1
fi
