#!/usr/bin/env bash
# Each attack of issue 10 against a real server on a generated graph (40,000 claims): eight
# clients send it five times each while /healthz is asked every 20 ms. Prints, per attack,
# the code the server answered, the slowest answer, and the health check's median and
# slowest time meanwhile. A benchmark, not a test: figures go to benches/RESULTS.md.
#
#   bash benches/attacks.sh [SERVER_BINARY] [CLAIMS]
set -euo pipefail
server_bin=${1:-target/release/claimgraph}
claims=${2:-40000}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$server_bin" generate --claims "$claims" --out "$work/gen" >/dev/null
"$server_bin" seed --db "$work/g.db" "$work/gen" >/dev/null
"$server_bin" serve --db "$work/g.db" --bind 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
until grep -q serving "$work/out" 2>/dev/null; do sleep 0.1; done
addr=$(sed -n 's/^claimgraph listening on http:\/\/\(.*\)$/\1/p' "$work/out" | head -1)
url="http://$addr/graphql"

# The attacks' bodies.
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def put(name, query):
    open(f"{w}/{name}.json", "w").write(json.dumps({"query": query}))
frags = ["fragment F0 on Query { relations { meaning } }"] + [
    f"fragment F{i} on Query {{ ...F{i-1} ...F{i-1} }}" for i in range(1, 25)]
put("fragments-2^24", "query { ...F24 } " + " ".join(frags))
put("search-800-words", '{ search(query: "' + " ".join(f"w{i}" for i in range(800)) + '") { score } }')
put("search-a-x20000", '{ search(query: "' + " ".join("a" for _ in range(20000)) + '") { score } }')
put("aliases-10000", "{" + " ".join(
    f'a{i}: neighborhood(id: "state-0", hops: 4, limit: 2000) {{ nodes {{ nodeId }} }}' for i in range(10000)) + "}")
put("aliases-100-neighbourhoods", "{" + " ".join(
    f'a{i}: neighborhood(id: "state-0", hops: 4, limit: 2000) {{ nodes {{ nodeId }} }}' for i in range(100)) + "}")
put("involving-hub-500", '{ events(involving: "major-militia-0", first: 500) { edges { node { id title claimants(first: 50) { edges { node { name claimedEvents(first: 50) { totalCount } } } } } } } }')
put("neighborhood-max", '{ neighborhood(id: "state-0", hops: 4, limit: 2000) { truncated nodes { nodeId label } edges { claimId relation } } }')
PY

stats() { python3 -c '
import sys
xs = sorted(float(x) * 1000 for x in sys.stdin.read().split())
if not xs: print("- | -"); sys.exit()
print(f"{xs[len(xs)//2]:.1f} | {xs[-1]:.1f}")'; }

printf '| attack | answer | slowest answer ms | /healthz median ms | /healthz slowest ms |\n|---|---|---|---|---|\n'
for body in "$work"/*.json; do
  name=$(basename "$body" .json)
  : >"$work/health"; : >"$work/times"; : >"$work/codes"
  ( while :; do curl -s -o /dev/null -w '%{time_total}\n' "http://$addr/healthz" >>"$work/health"; sleep 0.02; done ) &
  prober=$!
  clients=()
  for c in $(seq 8); do
    ( for r in $(seq 5); do
        curl -s -o "$work/resp-$c" -w '%{time_total} %{http_code}\n' -H 'content-type: application/json' \
          --data-binary @"$body" "$url" >>"$work/times"
        python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); e=b.get("errors") or [{}]; print(e[0].get("extensions",{}).get("code","data"))' "$work/resp-$c" >>"$work/codes" 2>/dev/null || echo "?" >>"$work/codes"
      done ) &
    clients+=($!)
  done
  wait "${clients[@]}"
  kill "$prober" 2>/dev/null || true; wait "$prober" 2>/dev/null || true
  answer=$(sort "$work/codes" | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=", "}')
  slowest=$(awk '{print $1}' "$work/times" | stats | cut -d'|' -f2)
  printf '| %s | %s | %s | %s |\n' "$name" "$answer" "$slowest" "$(stats <"$work/health")"
done
rss=$(awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$pid/status")
echo
echo "server RSS after the attacks: $rss"
