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

STARTUP_TIMEOUT_S=60

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-target/release/claimgraph}"
seconds="${2:-60}"
if [[ "$bin" != /* ]]; then
  if [[ $# -ge 1 ]]; then bin="$PWD/$bin"; else bin="$root/$bin"; fi
fi
cd "$root"

fail() {
  echo "soak: FAIL: $*" >&2
  exit 1
}

[[ -x "$bin" ]] || fail "no claimgraph binary at $bin (build it first, e.g. cargo build --release)"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || fail "SECONDS must be a positive whole number, not '$seconds'"

npm ci --prefix benches/soak --no-audit --no-fund --loglevel=error

dir="$(mktemp -d)"
out="$dir/stdout.log"
err="$dir/stderr.log"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  echo "--- server stdout:" >&2; tail -n 40 "$out" >&2 || true
  echo "--- server stderr:" >&2; tail -n 40 "$err" >&2 || true
}

token="soak-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf 'soak %s\n' "$token" >"$dir/tokens"

"$bin" serve --db "$dir/soak.db" --seed seed --bind 127.0.0.1:0 --tokens "$dir/tokens" >"$out" 2>"$err" &
server_pid=$!

deadline=$((SECONDS + STARTUP_TIMEOUT_S))
until grep -qh '^ *serving' "$out" "$err" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then show_logs; fail "claimgraph serve exited before serving"; fi
  if (( SECONDS >= deadline )); then show_logs; fail "claimgraph serve printed no 'serving' line within ${STARTUP_TIMEOUT_S} s"; fi
  sleep 0.2
done
url="$(grep -ohE 'listening on http://[^[:space:]]+' "$out" "$err" | head -n 1 | sed 's/^listening on //')"
[[ -n "$url" ]] || { show_logs; fail "no 'listening on http://' line in the server's output"; }

rc=0
CLAIMGRAPH_URL="$url" CLAIMGRAPH_TOKEN="$token" CLAIMGRAPH_PID="$server_pid" SOAK_DB="$dir/soak.db" \
  SOAK_SECONDS="$seconds" SEED_DIR="$root/seed" node benches/soak/soak.mjs || rc=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  show_logs
  fail "claimgraph serve died during the soak"
fi
exit "$rc"
