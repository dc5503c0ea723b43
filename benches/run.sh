#!/usr/bin/env bash
# The performance benchmark: builds release, generates graphs of 10k, 100k and 1M claims,
# checks and seeds them, serves each, and measures over HTTP with a real load generator (oha):
# the 3-level list at concurrency 1, 8 and 32, search, paths, a hub's neighbourhood,
# totalCount, assertClaim at concurrency 8, cold start and RSS; in process (criterion,
# benches/reads.rs) the same list by hand-written SQL beside the GraphQL execution. Writes
# benches/RESULTS.md with the table, the machine and the command.
#
#   bash benches/run.sh                     # all three sizes (about 25 minutes on 2 cores)
#   SIZES="10000" DURATION=5 bash benches/run.sh   # a quick look
#
# Not part of `cargo test` or CI: timings on a shared machine are for reading, not asserting.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10000 100000 1000000"}
DURATION=${DURATION:-10}
WORK=${WORK:-target/bench}
OUT=${OUT:-benches/RESULTS.md}
PORT=${PORT:-18480}
mkdir -p "$WORK"

source benches/common.sh
url="http://127.0.0.1:$PORT/graphql"
SEARCH='{ search(query: "rocket", first: 10) { node { id } } }'
COUNT='{ events { totalCount } }'
PATHS='{ paths(from: "front-group-0", to: "front-group-1", maxHops: 6) { hops truncated paths { confidence } } }'
HOOD='{ neighborhood(id: "state-0") { truncated nodes { nodeId } edges { claimId } } }'

# Waits until requests left in flight by the last load have been answered: one more read
# queues behind them for a read connection, so the next measurement starts on an idle server.
drain() {
  curl -sf -o /dev/null -H 'content-type: application/json' \
    -d "$(body '{ events(first: 1) { edges { node { id } } } }')" "$url"
}

# oha over $DURATION seconds: "p50_ms p95_ms p99_ms req_per_s ok_share".
load() {
  local concurrency=$1 query=$2 auth=${3:-}
  drain
  local args=(-z "${DURATION}s" -c "$concurrency" --no-tui --output-format json -m POST
    -H 'content-type: application/json' -d "$(body "$query")")
  [ -n "$auth" ] && args+=(-H "authorization: Bearer $auth")
  "$OHA" "${args[@]}" "$url" | jq -r '[
      (.latencyPercentiles.p50 * 1000), (.latencyPercentiles.p95 * 1000),
      (.latencyPercentiles.p99 * 1000), .summary.requestsPerSec, .summary.successRate]
    | map(. * 100 | round / 100) | @tsv'
}

# "seconds peak_MB" of a command, from GNU time.
measure() {
  local out=$WORK/time.txt
  /usr/bin/time -f '%e %M' -o "$out" "$@" > "$WORK/cmd.log" 2>&1
  awk '{printf "%s %.0f", $1, $2 / 1024}' "$out"
}

now_ms() { date +%s%3N; }

server="" cold=""
# Starts the server on a database and sets `server` (its pid) and `cold` (ms to first answer).
start_server() {
  local db=$1 started
  started=$(now_ms)
  "$BIN" serve --db "$db" --bind "127.0.0.1:$PORT" --tokens "$WORK/tokens" > "$WORK/serve.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null -H 'content-type: application/json' \
      -d "$(body '{ events(first: 1) { edges { node { id } } } }')" "$url"; do
    kill -0 "$server" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
    sleep 0.01
  done
  cold=$(( $(now_ms) - started ))
}
stop_server() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=""; }
trap stop_server EXIT

# "RSS MB (anonymous MB; PSS MB)": anonymous memory is what the process allocated (the read
# connections' page caches among it); PSS counts shared pages once.
rss_mb() {
  local rss anon pss
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status")
  anon=$(awk '/RssAnon/ {printf "%.0f", $2 / 1024}' "/proc/$1/status")
  pss=$(awk '/^Pss:/ {printf "%.0f", $2 / 1024}' "/proc/$1/smaps_rollup")
  echo "$rss MB (anonymous $anon MB; PSS $pss MB)"
}

declare -A R
for n in $SIZES; do
  echo "== $n claims"
  fx=$WORK/fixtures-$n db=$WORK/graph-$n.db
  [ -d "$fx" ] || "$BIN" generate --claims "$n" --out "$fx" > /dev/null
  records=$(jq -s 'map(to_entries[0].value | length) | add' "$fx"/*.json)
  R[$n.records]=$records
  R[$n.fixture_mb]=$(du -sm "$fx" | cut -f1)
  read -r s mb <<< "$(measure "$BIN" check "$fx")"; R[$n.check]="$s s, $mb MB"
  rm -f "$db" "$db-wal" "$db-shm"
  read -r s mb <<< "$(measure "$BIN" seed --db "$db" "$fx")"
  R[$n.seed]="$s s ($(awk -v r="$records" -v s="$s" 'BEGIN {printf "%.0f", r / s}') records/s), $mb MB"
  read -r s mb <<< "$(measure "$BIN" seed --db "$db" "$fx")"; R[$n.reseed]="$s s, $mb MB"
  R[$n.db_mb]=$(du -m "$db" | cut -f1)

  start_server "$db"
  R[$n.cold]="$cold ms"
  for c in 1 8 32; do R[$n.list.$c]=$(load "$c" "$LIST"); done
  R[$n.rss]=$(rss_mb "$server")
  R[$n.search]=$(load 1 "$SEARCH")
  R[$n.count]=$(load 1 "$COUNT")
  R[$n.paths]=$(load 1 "$PATHS")
  R[$n.hood]=$(load 1 "$HOOD")
  R[$n.write]=$(load 8 "$ASSERT" "$token")
  stop_server

  echo "== in process (criterion): hand-written SQL beside GraphQL"
  CLAIMGRAPH_BENCH_DB="$db" cargo bench --locked --bench reads -- --noplot > "$WORK/criterion-$n.log" 2>&1
  est() { jq '.median.point_estimate / 1000000 | . * 100 | round / 100' "target/criterion/$1/new/estimates.json"; }
  R[$n.sql]=$(est list/hand_written_sql)
  R[$n.gql]=$(est list/graphql_in_process)
  for q in search_rocket events_total_count paths_fronts neighborhood_hub; do R[$n.ip.$q]=$(est "queries/$q"); done
done

# p50 of an oha result line, and the other columns.
col() { cut -f"$2" <<< "$1"; }

{
  echo "# Benchmark results"
  echo
  echo "Made by \`SIZES=\"$SIZES\" DURATION=$DURATION bash benches/run.sh\` on $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem/ {print $2}') GiB; $(rustc --version); release build; oha $("$OHA" --version | awk '{print $2}'),"
  echo "${DURATION} s per measurement. Latencies in ms (p50 / p95 / p99), throughput in requests/s."
  echo
  printf '| what |'; for n in $SIZES; do printf ' %s claims |' "$n"; done; echo
  printf '|---|'; for n in $SIZES; do printf -- '---|'; done; echo
  row() { printf '| %s |' "$1"; for n in $SIZES; do printf ' %s |' "$(eval "echo \"$2\"")"; done; echo; }
  row "records (fixture size)" '${R[$n.records]} (${R[$n.fixture_mb]} MB)'
  row "\`claimgraph check\` time, peak memory" '${R[$n.check]}'
  row "\`claimgraph seed\` (new database) time, rate, peak memory" '${R[$n.seed]}'
  row "\`claimgraph seed\` again (unchanged)" '${R[$n.reseed]}'
  row "database size" '${R[$n.db_mb]} MB'
  row "cold start to first answer" '${R[$n.cold]}'
  for c in 1 8 32; do
    row "3-level list over HTTP, c=$c: p50 / p95 / p99" '$(col "${R[$n.list.'$c']}" 1) / $(col "${R[$n.list.'$c']}" 2) / $(col "${R[$n.list.'$c']}" 3)'
    row "3-level list over HTTP, c=$c: req/s" '$(col "${R[$n.list.'$c']}" 4)'
  done
  row "3-level list in process: GraphQL (median)" '${R[$n.gql]}'
  row "the same rows by hand-written SQL (median)" '${R[$n.sql]}'
  row "GraphQL in process ÷ hand-written SQL" '$(awk -v a="${R[$n.gql]}" -v b="${R[$n.sql]}" "BEGIN {printf \"%.1f×\", a / b}")'
  row "HTTP p50 at c=1 ÷ hand-written SQL" '$(awk -v a="$(col "${R[$n.list.1]}" 1)" -v b="${R[$n.sql]}" "BEGIN {printf \"%.1f×\", a / b}")'
  row "RSS after the c=32 run" '${R[$n.rss]}'
  row "\`search(\"rocket\")\` top 10, p50 / p99 (in process)" '$(col "${R[$n.search]}" 1) / $(col "${R[$n.search]}" 3) (${R[$n.ip.search_rocket]})'
  row "\`paths\` front-group-0 → front-group-1, p50 / p99 (in process)" '$(col "${R[$n.paths]}" 1) / $(col "${R[$n.paths]}" 3) (${R[$n.ip.paths_fronts]})'
  row "hub \`neighborhood\` (state-0, defaults), p50 / p99 (in process)" '$(col "${R[$n.hood]}" 1) / $(col "${R[$n.hood]}" 3) (${R[$n.ip.neighborhood_hub]})'
  row "\`events { totalCount }\`, p50 / p99 (in process)" '$(col "${R[$n.count]}" 1) / $(col "${R[$n.count]}" 3) (${R[$n.ip.events_total_count]})'
  row "\`assertClaim\`, c=8: req/s (p50 / p99)" '$(col "${R[$n.write]}" 4) ($(col "${R[$n.write]}" 1) / $(col "${R[$n.write]}" 3))'
} > "$OUT"
echo "wrote $OUT"
cat "$OUT"
