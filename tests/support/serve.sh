# A claimgraph server for the node checks (tests/e2e, tests/audit, benches/soak): sourced, not
# run. The script that sources it sets `name` (its messages' prefix and the editor's name),
# then calls `claimgraph_binary "$@"` and `serve_claimgraph ARGS...`; afterwards `url`,
# `token`, `server_pid`, `workdir` and `show_logs` are there for it, and the server is stopped
# and `workdir` removed when the script exits.

STARTUP_TIMEOUT_S=60
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fail() {
  echo "$name: FAIL: $*" >&2
  exit 1
}

# The binary to serve: the first argument (relative to where the script was run from), else
# `target/$1_default` under the repository; then the working directory is the repository.
claimgraph_binary() {
  local default="$1"
  shift
  bin="${1:-$default}"
  if [[ "$bin" != /* ]]; then
    if [[ $# -ge 1 ]]; then bin="$PWD/$bin"; else bin="$root/$bin"; fi
  fi
  cd "$root"
  [[ -x "$bin" ]] || fail "no claimgraph binary at $bin (build it first, e.g. cargo build)"
}

workdir="$(mktemp -d)"
out="$workdir/stdout.log"
err="$workdir/stderr.log"
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  echo "--- server stdout:" >&2; tail -n 40 "$out" >&2 || true
  echo "--- server stderr:" >&2; tail -n 40 "$err" >&2 || true
}

# Starts `claimgraph serve ARGS --bind 127.0.0.1:0 --tokens FILE` (one editor, `name`, with a
# fresh token) and waits for its `serving` line, printed once the graph is loaded.
serve_claimgraph() {
  token="$name-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s %s\n' "$name" "$token" >"$workdir/tokens"
  chmod 600 "$workdir/tokens"
  "$bin" serve "$@" --bind 127.0.0.1:0 --tokens "$workdir/tokens" >"$out" 2>"$err" &
  server_pid=$!
  local deadline=$((SECONDS + STARTUP_TIMEOUT_S))
  until grep -qh '^ *serving' "$out" "$err" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then show_logs; fail "claimgraph serve exited before serving"; fi
    if (( SECONDS >= deadline )); then show_logs; fail "claimgraph serve printed no 'serving' line within ${STARTUP_TIMEOUT_S} s"; fi
    sleep 0.2
  done
  url="$(grep -ohE 'listening on http://[^[:space:]]+' "$out" "$err" | head -n 1 | sed 's/^listening on //')"
  [[ -n "$url" ]] || { show_logs; fail "no 'listening on http://' line in the server's output"; }
  echo "$name: claimgraph is serving on $url" >&2
}
