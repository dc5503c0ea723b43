#!/usr/bin/env bash
# The integration suite on PostgreSQL: starts a throwaway cluster (Debian's `postgresql`,
# installed when missing) in a temporary directory as the unprivileged `postgres` user, on
# a port of its own, and runs `cargo test --test integration` with CLAIMGRAPH_TEST_PG pointing
# at it; each graph the tests make gets a schema of its own there. The cluster is stopped
# and removed on exit, whatever happens.
#
#   bash tests/postgres/run.sh            # as root (CI), or as a user who can run initdb
#   PORT=54330 bash tests/postgres/run.sh -- search_names   # arguments after -- go to cargo test
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${PORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "== installing PostgreSQL (Debian's postgresql package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-contrib > /dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# PostgreSQL refuses to run as root: the cluster belongs to the package's `postgres` user
# (or to whoever runs this, when that is not root).
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres > /dev/null 2>&1 || useradd --system --home-dir /nonexistent postgres
  as_owner=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/claimgraph-pg.XXXXXX")
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

echo "== a throwaway PostgreSQL cluster ($("$bin/postgres" --version)) in $dir, port $PORT"
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log"
# Durability of a throwaway cluster is not under test: fsync off makes it fast.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-k $dir -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start > /dev/null
url="postgres://postgres@127.0.0.1:$PORT"
"$bin/psql" -q -d "$url/postgres" -c "CREATE DATABASE claimgraph_test TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"

echo "== the PostgreSQL migrations make the tables and columns the SQLite ones make"
"$bin/psql" -q -d "$url/postgres" -c "CREATE DATABASE schema_check TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
for f in schema/migrations/postgres/0*.sql; do
  "$bin/psql" -q -v ON_ERROR_STOP=1 -1 -d "$url/schema_check" -f "$f" > /dev/null
done
python3 schema/migrations/postgres/compare.py -d "$url/schema_check" > "$dir/compare.log" \
  || { cat "$dir/compare.log"; exit 1; }
tail -n 1 "$dir/compare.log"

echo "== cargo test --test integration on PostgreSQL"
shift_args=()
if [ "${1:-}" = "--" ]; then shift; shift_args=("$@"); fi
if ! CLAIMGRAPH_TEST_PG="$url/claimgraph_test" cargo test --locked --test integration "${shift_args[@]}"; then
  echo "-- the cluster's log (last 60 lines):"
  tail -n 60 "$dir/server.log"
  exit 1
fi
