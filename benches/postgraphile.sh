#!/usr/bin/env bash
# The optional comparison with PostGraphile 4 on PostgreSQL: the same generated graph in a
# typed relational layout, the same 3-level list, the same load generator (oha), the two
# servers measured one after the other at concurrency 1, 8 and 32. Writes
# benches/RESULTS-postgraphile.md.
#
#   bash benches/postgraphile.sh                 # 100k claims (seeds them if need be)
#   SIZE=10000 DURATION=5 bash benches/postgraphile.sh
#
# Needs PostgreSQL's server binaries (Debian's `postgresql` package; the script installs it
# with apt-get when it is missing and it runs as root) and npm (PostGraphile is installed into
# the work folder). The cluster is a throwaway one in the work folder, run as the `postgres`
# user when started by root, and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-100000}
DURATION=${DURATION:-10}
WORK=${WORK:-target/bench}
OUT=${OUT:-benches/RESULTS-postgraphile.md}
PG_PORT=${PG_PORT:-15432}
PGQL_PORT=${PGQL_PORT:-15000}
CG_PORT=${CG_PORT:-18481}
BIN=target/release/claimgraph
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ]; then
  [ "$(id -u)" = 0 ] || { echo "install PostgreSQL's server (Debian: postgresql)" >&2; exit 1; }
  apt-get install -y postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

echo "== build (release) and data"
cargo build --release --locked --bin claimgraph
fx=$WORK/fixtures-$SIZE db=$WORK/graph-$SIZE.db
[ -d "$fx" ] || "$BIN" generate --claims "$SIZE" --out "$fx" > /dev/null
[ -f "$db" ] || "$BIN" seed --db "$db" "$fx" > /dev/null
OHA=$(command -v oha || echo "$WORK/tools/bin/oha")
[ -x "$OHA" ] || cargo install oha --locked --root "$WORK/tools"

echo "== PostGraphile 4 (npm)"
pgql=$WORK/postgraphile
mkdir -p "$pgql"
[ -x "$pgql/node_modules/.bin/postgraphile" ] ||
  npm install --prefix "$pgql" --no-audit --no-fund postgraphile@4 > /dev/null

echo "== PostgreSQL cluster"
cluster=$WORK/pg
rm -rf "$cluster"
mkdir -p "$cluster"
if [ "$(id -u)" = 0 ]; then chown postgres "$cluster"; fi
as_pg "$pg_bin/initdb" -D "$cluster/data" -U bench -A trust > /dev/null
as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -o "-p $PG_PORT -k $cluster -c listen_addresses=127.0.0.1" \
  -l "$cluster/log" -w start > /dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -m fast stop > /dev/null 2>&1 || true
}
trap cleanup EXIT
psql_() { psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U bench -d postgres "$@"; }

# The typed layout PostGraphile serves: one table per record type, foreign keys for its
# relations, and the same sort keys and indexes as claimgraph's.
psql_ <<'SQL'
CREATE TABLE actors (id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE locations (id text PRIMARY KEY, name text NOT NULL, parent_id text REFERENCES locations);
CREATE TABLE sources (id text PRIMARY KEY, title text NOT NULL);
CREATE TABLE events (id text PRIMARY KEY, title text NOT NULL, occurred_on text,
  location_id text REFERENCES locations, sort_key text NOT NULL);
CREATE TABLE claims (id text PRIMARY KEY, subject_id text NOT NULL, relation text NOT NULL,
  object_id text, confidence int NOT NULL, status text NOT NULL,
  asserted_by_id text REFERENCES actors, source_id text NOT NULL REFERENCES sources,
  subject_actor_id text REFERENCES actors, object_actor_id text REFERENCES actors,
  object_event_id text REFERENCES events,
  patron boolean GENERATED ALWAYS AS (relation IN ('front_for', 'backed_by')) STORED);
SQL
echo "== copying the graph into PostgreSQL"
python3 - "$db" "$cluster" <<'PY'
import csv, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
queries = {
  "actors": "SELECT id, name FROM actors",
  "locations": "SELECT id, name, parent_id FROM locations",
  "sources": "SELECT id, title FROM sources",
  "events": "SELECT id, title, when_date, location_id, coalesce(first_day, '9999-12-31') || '|' || id FROM events",
  "claims": """SELECT c.id, c.subject_id, c.relation, c.object_id, c.confidence, c.status,
                      c.asserted_by_id, c.source_id,
                      (SELECT id FROM actors WHERE id = c.subject_id),
                      (SELECT id FROM actors WHERE id = c.object_id),
                      (SELECT id FROM events WHERE id = c.object_id)
               FROM claims c""",
}
for table, q in queries.items():
    with open(f"{out}/{table}.csv", "w", newline="") as f:
        w = csv.writer(f)
        for row in c.execute(q):
            w.writerow(["\\N" if v is None else v for v in row])
PY
for t in actors locations sources events claims; do
  cols=$(case $t in
    actors) echo "id, name";; locations) echo "id, name, parent_id";; sources) echo "id, title";;
    events) echo "id, title, occurred_on, location_id, sort_key";;
    claims) echo "id, subject_id, relation, object_id, confidence, status, asserted_by_id, source_id, subject_actor_id, object_actor_id, object_event_id";;
  esac)
  psql_ -c "\\copy $t ($cols) FROM '$cluster/$t.csv' WITH (FORMAT csv, NULL '\\N')"
done
psql_ <<'SQL'
CREATE INDEX ON locations (parent_id);
CREATE INDEX ON events (location_id);
CREATE INDEX ON events (sort_key);
CREATE INDEX ON claims (object_event_id, relation, confidence DESC, id);
CREATE INDEX ON claims (subject_actor_id, patron, confidence DESC, id);
CREATE INDEX ON claims (asserted_by_id);
CREATE INDEX ON claims (object_actor_id);
CREATE INDEX ON claims (source_id);
ANALYZE;
SQL

"$pgql/node_modules/.bin/postgraphile" -c "postgres://bench@127.0.0.1:$PG_PORT/postgres" \
  --port "$PGQL_PORT" --host 127.0.0.1 --disable-query-log --no-setof-functions-contain-nulls \
  > "$cluster/postgraphile.log" 2>&1 &
pids+=($!)
"$BIN" serve --db "$db" --bind "127.0.0.1:$CG_PORT" > "$cluster/claimgraph.log" 2>&1 &
pids+=($!)

# The 3-level list in each server's words: 100 events by day, each with its place and that
# place's parent, its claimants (the 50 most confident claims of responsibility, each with
# asserter and source) and each claimant's suspected patrons (50 most confident).
CG_LIST='{ events(first: 100) { edges { node { id title occurredOn
  location { name parent { name } }
  claimants { edges { claim { confidence status assertedBy { name } source { title } }
    node { name suspectedPatrons { edges { node { name } } } } } } } } } }'
PG_LIST='{ allEvents(first: 100, orderBy: SORT_KEY_ASC) { nodes { id title occurredOn
  locationByLocationId { name locationByParentId { name } }
  claimsByObjectEventId(first: 50, condition: { relation: "claimed_responsibility_for" },
      orderBy: [CONFIDENCE_DESC, ID_ASC]) { nodes { confidence status
    actorByAssertedById { name } sourceBySourceId { title }
    actorBySubjectActorId { name
      claimsBySubjectActorId(first: 50, condition: { patron: true }, orderBy: [CONFIDENCE_DESC, ID_ASC]) {
        nodes { actorByObjectActorId { name } } } } } } } } }'
body() { jq -cn --arg q "$1" '{query: $q}'; }

up() {
  local url=$1 query=$2
  for _ in $(seq 300); do
    curl -sf -o /dev/null -H 'content-type: application/json' -d "$(body "$query")" "$url" && return
    sleep 0.1
  done
  echo "$url did not answer" >&2; cat "$cluster"/*.log >&2; exit 1
}
cg_url="http://127.0.0.1:$CG_PORT/graphql" pg_url="http://127.0.0.1:$PGQL_PORT/graphql"
up "$cg_url" "$CG_LIST"
up "$pg_url" "$PG_LIST"
# Both answer with the same events in the same order.
diff <(curl -s -H 'content-type: application/json' -d "$(body "$CG_LIST")" "$cg_url" | jq -r '.data.events.edges[].node.id') \
     <(curl -s -H 'content-type: application/json' -d "$(body "$PG_LIST")" "$pg_url" | jq -r '.data.allEvents.nodes[].id') \
  || { echo "the two servers list different events" >&2; exit 1; }

# "req/s p50_ms p99_ms" for one server at one concurrency.
load() {
  "$OHA" -z "${DURATION}s" -c "$2" --no-tui --output-format json -m POST \
    -H 'content-type: application/json' -d "$(body "$3")" "$1" |
    jq -r '[.summary.requestsPerSec, .latencyPercentiles.p50 * 1000, .latencyPercentiles.p99 * 1000]
      | map(. * 10 | round / 10) | @tsv'
}
{
  echo "# claimgraph beside PostGraphile 4"
  echo
  echo "Made by \`SIZE=$SIZE DURATION=$DURATION bash benches/postgraphile.sh\` on $(date -u +%Y-%m-%d)."
  echo "$(nproc) cores; PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'),"
  echo "PostGraphile $("$pgql/node_modules/.bin/postgraphile" --version 2>/dev/null | tail -1), claimgraph on SQLite; the 3-level list at $SIZE claims."
  echo
  echo "| concurrency | claimgraph req/s (p50 / p99 ms) | PostGraphile req/s (p50 / p99 ms) | ratio |"
  echo "|---|---|---|---|"
  for c in 1 8 32; do
    read -r cr cp50 cp99 <<< "$(load "$cg_url" "$c" "$CG_LIST")"
    read -r pr pp50 pp99 <<< "$(load "$pg_url" "$c" "$PG_LIST")"
    echo "| $c | $cr ($cp50 / $cp99) | $pr ($pp50 / $pp99) | $(awk -v a="$cr" -v b="$pr" 'BEGIN {printf "%.2f×", a / b}') |"
  done
} > "$OUT"
echo "wrote $OUT"
cat "$OUT"
