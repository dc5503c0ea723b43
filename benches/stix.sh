#!/usr/bin/env bash
# STIX 2.1 export and import at size (issue 12), beside seeding the same graph as fixtures, in
# one run: for each size, generate a graph, seed it, export it, import the export into a new
# database, import it again (nothing changes), and seed the fixtures again (nothing changes).
# Prints a Markdown table of seconds and peak RSS (GNU time).
#
#   bash benches/stix.sh [path/to/release/claimgraph] [SIZES]    (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/claimgraph}"
sizes="${2:-10000 100000}"
[[ -x "$bin" ]] || { echo "no binary at $bin: cargo build --release first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() { # label command...: one table row of seconds and peak RSS
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kb < "$work/time"
  printf '| %s | %s | %s MB |\n' "$label" "$secs" "$((kb / 1024))"
}

echo "| step | seconds | peak RSS |"
echo "|---|---|---|"
for n in $sizes; do
  "$bin" generate --claims "$n" --out "$work/gen-$n" >/dev/null
  measure "$n claims: seed the fixtures into a new database" "$bin" seed --db "$work/s-$n.db" "$work/gen-$n"
  measure "$n claims: export the whole graph" "$bin" export --db "$work/s-$n.db" -o "$work/e-$n.json"
  measure "$n claims: import the export into a new database" "$bin" import --db "$work/i-$n.db" "$work/e-$n.json"
  measure "$n claims: import it again (0 added, 0 changed)" "$bin" import --db "$work/i-$n.db" "$work/e-$n.json"
  measure "$n claims: seed the fixtures again (0 added, 0 changed)" "$bin" seed --db "$work/s-$n.db" "$work/gen-$n"
  echo "| $n claims: bundle size | $(( $(stat -c %s "$work/e-$n.json") / 1048576 )) MB, $(grep -c '"spec_version"' "$work/e-$n.json") objects | |"
done
