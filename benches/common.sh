# What benches/run.sh and benches/postgres.sh share, sourced by both once WORK is set: the
# release build, oha (installed under $WORK/tools when missing), an editor's token for the
# write path, and the queries both measure.

echo "== build (release)"
cargo build --release --locked --bin claimgraph
BIN=target/release/claimgraph
OHA=$(command -v oha || true)
if [ -z "$OHA" ]; then
  OHA="$WORK/tools/bin/oha"
  [ -x "$OHA" ] || cargo install oha --locked --root "$WORK/tools"
fi

token="bench-editor-token-0123456789"
printf 'bench %s\n' "$token" > "$WORK/tokens"
chmod 600 "$WORK/tokens"

# A GraphQL request body for a query, as JSON.
body() { jq -cn --arg q "$1" '{query: $q}'; }

LIST='{ events(first: 100) { edges { node { id title occurredOn
  location { name parent { name } }
  claimants { edges { claim { confidence status assertedBy { name } source { title } }
    node { name suspectedPatrons { edges { node { name } } } } } } } } } }'
ASSERT='mutation { assertClaim(input: {subject: "militia-1", relation: ALIGNED_WITH,
  object: "militia-2", assertedBy: "outlet-0", source: "source-0", confidence: 60},
  reason: "benchmark") { id } }'
