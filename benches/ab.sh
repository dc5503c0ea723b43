#!/bin/bash
# Two builds of claimgraph side by side on one database, alternating request for request
# load: the way to tell whether a change to the storage layer costs anything on a noisy
# machine (a run of benches/run.sh before and after cannot: the machine drifts between them).
#
#   D=5 bash benches/ab.sh target/bench/graph-100000.db /tmp/claimgraph-before target/release/claimgraph
#
# Prints, for each query and round, p50 and requests/s of A then B.
set -euo pipefail
DB=$1; A=$2; B=$3; D=${D:-5}
OHA=${OHA:-$(command -v oha || echo target/bench/tools/bin/oha)}
LIST='{ events(first: 100) { edges { node { id title occurredOn location { name parent { name } } claimants { edges { claim { confidence status assertedBy { name } source { title } } node { name suspectedPatrons { edges { node { name } } } } } } } } } }'
SEARCH='{ search(query: "rocket", first: 10) { node { id } } }'
HOOD='{ neighborhood(id: "state-0") { truncated nodes { nodeId } edges { claimId } } }'
$A serve --db $DB --bind 127.0.0.1:18501 > /tmp/abA.log 2>&1 & pa=$!
$B serve --db $DB --bind 127.0.0.1:18502 > /tmp/abB.log 2>&1 & pb=$!
trap "kill $pa $pb" EXIT
for p in 18501 18502; do until curl -sf -o /dev/null -H 'content-type: application/json' -d '{"query":"{ __typename }"}' http://127.0.0.1:$p/graphql; do sleep 0.1; done; done
run() { $OHA -z ${D}s -c $2 --no-tui --output-format json -m POST -H 'content-type: application/json' -d "$(jq -cn --arg q "$3" '{query:$q}')" http://127.0.0.1:$1/graphql | jq -r '"p50=\(.latencyPercentiles.p50*1000*100|round/100) rps=\(.summary.requestsPerSec|floor) ok=\(.summary.successRate)"'; }
for round in 1 2; do
 for q in LIST SEARCH HOOD; do
  for c in 1; do
   echo "$round $q c=$c A: $(run 18501 $c "${!q}")"
   echo "$round $q c=$c B: $(run 18502 $c "${!q}")"
  done
 done
done
