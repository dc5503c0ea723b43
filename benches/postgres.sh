#!/usr/bin/env bash
# SQLite beside PostgreSQL, one and two replicas, in one run (issue 14): builds release,
# generates the performance benchmark's graph, seeds the same fixtures into an SQLite file
# and into a PostgreSQL database (a throwaway cluster, tests/postgres/cluster.sh, with fsync
# on as in production), then measures with oha over HTTP
#   - the 3-level list (benches/run.sh's LIST) at 8 connections in all,
#   - assertClaim (the write path) at 8 connections in all,
# against one SQLite server, one PostgreSQL replica, and two PostgreSQL replicas on the same
# database (4 connections each, at once; their requests/s added). Prints the table and
# writes it to $OUT (default: appended to benches/RESULTS.md).
#
#   bash benches/postgres.sh                    # 100k claims, 10 s per measurement
#   CLAIMS=10000 DURATION=5 bash benches/postgres.sh   # a quick look
#
# Not part of `cargo test` or CI: timings on a shared machine are for reading, not asserting.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/postgres/cluster.sh

CLAIMS=${CLAIMS:-100000}
DURATION=${DURATION:-10}
WORK=${WORK:-target/bench}
OUT=${OUT:-benches/RESULTS.md}
PORT=${PORT:-18490}
PG_PORT=${PG_PORT:-54339}
mkdir -p "$WORK"

source benches/common.sh

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/claimgraph-bench-pg.XXXXXX")
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg_stop "$pgdir"
}
trap cleanup EXIT
pg_start "$pgdir" "$PG_PORT" on
pg_createdb bench

fx=$WORK/fixtures-$CLAIMS db=$WORK/pg-compare-$CLAIMS.db
[ -d "$fx" ] || "$BIN" generate --claims "$CLAIMS" --out "$fx" > /dev/null
records=$(jq -s 'map(to_entries[0].value | length) | add' "$fx"/*.json)
rm -f "$db" "$db-wal" "$db-shm"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > "$WORK/cmd.log" 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}'; }
echo "== seed $records records into SQLite, then into PostgreSQL"
seed_sqlite=$(seconds "$BIN" seed --db "$db" "$fx")
seed_pg=$(seconds "$BIN" seed --db "$PG_URL/bench" "$fx")

# Starts a server on $1 at port $2 and waits for its first answer.
start() {
  "$BIN" serve --db "$1" --bind "127.0.0.1:$2" --tokens "$WORK/tokens" > "$WORK/serve-$2.log" 2>&1 &
  servers+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$2/readyz"; do sleep 0.05; done
}
stop_all() { for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; servers=(); }

# oha at $2 connections on port $1: "p50_ms p99_ms req_per_s".
load() {
  local port=$1 c=$2 query=$3 auth=${4:-}
  local args=(-z "${DURATION}s" -c "$c" --no-tui --output-format json -m POST
    -H 'content-type: application/json' -d "$(body "$query")")
  [ -n "$auth" ] && args+=(-H "authorization: Bearer $auth")
  "$OHA" "${args[@]}" "http://127.0.0.1:$port/graphql" | jq -r '[
      (.latencyPercentiles.p50 * 1000), (.latencyPercentiles.p99 * 1000), .summary.requestsPerSec]
    | map(. * 10 | round / 10) | @tsv'
}
# The same load split over two replicas at once: "p50_a/p50_b p99_a/p99_b req_per_s_sum".
load2() {
  local query=$1 auth=${2:-}
  load "$PORT" 4 "$query" "$auth" > "$WORK/a.tsv" &
  local a=$!
  load "$((PORT + 1))" 4 "$query" "$auth" > "$WORK/b.tsv"
  wait "$a"
  paste "$WORK/a.tsv" "$WORK/b.tsv" | awk -F'\t' '{printf "%s/%s\t%s/%s\t%.1f\n", $1, $4, $2, $5, $3 + $6}'
}

# Each cell writes claims of its own subject and object: a new claim's id is the first free
# `<subject>-<relation>-<object>-N`, found in O(log N) lookups, so a cell that wrote after
# another on the same pair would pay for the other's claims.
assert_between() { sed "s/militia-1/militia-$1/; s/militia-2/militia-$2/" <<< "$ASSERT"; }

declare -A R
echo "== SQLite, one server"
start "$db" "$PORT"
R[sqlite.list]=$(load "$PORT" 8 "$LIST")
R[sqlite.write]=$(load "$PORT" 8 "$ASSERT" "$token")
stop_all
echo "== PostgreSQL, one replica"
start "$PG_URL/bench" "$PORT"
R[pg1.list]=$(load "$PORT" 8 "$LIST")
R[pg1.write]=$(load "$PORT" 8 "$(assert_between 3 4)" "$token")
echo "== PostgreSQL, two replicas"
start "$PG_URL/bench" "$((PORT + 1))"
R[pg2.list]=$(load2 "$LIST")
R[pg2.write]=$(load2 "$(assert_between 5 6)" "$token")
stop_all

col() { cut -f"$2" <<< "$1"; }
{
  echo
  echo "## SQLite and PostgreSQL, one and two replicas (issue 14) ($(date -u +%Y-%m-%d), release build, $(nproc) cores, shared machine)"
  echo
  echo "Made by \`CLAIMS=$CLAIMS DURATION=$DURATION bash benches/postgres.sh\`: $records records"
  echo "(the performance benchmark's generated graph at $CLAIMS claims), $("$PG_BIN/postgres" --version),"
  echo "a cluster on this machine with fsync on, oha ${DURATION} s per cell, 8 connections in all"
  echo "(two replicas: 4 each, at once, requests/s added). Latencies in ms."
  echo
  echo "| | SQLite, 1 server | PostgreSQL, 1 replica | PostgreSQL, 2 replicas |"
  echo "|---|---|---|---|"
  echo "| \`claimgraph seed\` of the fixtures | ${seed_sqlite} s | ${seed_pg} s | (one database) |"
  echo "| 3-level list: p50 / p99 | $(col "${R[sqlite.list]}" 1) / $(col "${R[sqlite.list]}" 2) | $(col "${R[pg1.list]}" 1) / $(col "${R[pg1.list]}" 2) | $(col "${R[pg2.list]}" 1) / $(col "${R[pg2.list]}" 2) |"
  echo "| 3-level list: requests/s | $(col "${R[sqlite.list]}" 3) | $(col "${R[pg1.list]}" 3) | $(col "${R[pg2.list]}" 3) |"
  echo "| \`assertClaim\`: p50 / p99 | $(col "${R[sqlite.write]}" 1) / $(col "${R[sqlite.write]}" 2) | $(col "${R[pg1.write]}" 1) / $(col "${R[pg1.write]}" 2) | $(col "${R[pg2.write]}" 1) / $(col "${R[pg2.write]}" 2) |"
  echo "| \`assertClaim\`: requests/s | $(col "${R[sqlite.write]}" 3) | $(col "${R[pg1.write]}" 3) | $(col "${R[pg2.write]}" 3) |"
} | tee -a "$OUT"
