#!/usr/bin/env bash
# STIX 2.1 conformance (docs/stix-design.md, section 6) of a claimgraph binary that is already
# built. Builds nothing.
#
#   bash tests/stix/run.sh [path/to/claimgraph]     (default: target/debug/claimgraph)
#
# Installs stix2-validator and stix2, pinned, in a venv at ${TMPDIR:-/tmp}/stix2-validator-3.3.2
# (reused when both pinned versions are there). Then, with SOURCE_DATE_EPOCH=1641427200 so that
# every record timestamp is fixed: exports the seed's whole graph and the neighbourhood of
# ayn-al-assad-rocket-attack-2022-01-05 (2 hops); imports the whole export into an empty database,
# exports that and compares the bytes; imports each OASIS bundle of tests/fixtures/stix/oasis/ into
# a fresh database and exports it; exports the golden chain and a generated graph of 2,000
# claims (every relation, statuses, value claims); finally runs .ci/stix_check.py (every validator check,
# enforce_refs, warnings 103/202/218/302 only, strict stix2.parse) on all those exports.
# Stops at the first step that fails, saying which, and exits 1.
set -euo pipefail

name=stix
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve.sh"
claimgraph_binary target/debug/claimgraph "$@"

STIX_VALIDATOR_VERSION=3.3.2 STIX2_VERSION=3.0.2
venv="${TMPDIR:-/tmp}/stix2-validator-$STIX_VALIDATOR_VERSION"
installed() {
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("stix2-validator"), m.version("stix2"))' 2>/dev/null || true
}
if [[ "$(installed)" != "$STIX_VALIDATOR_VERSION $STIX2_VERSION" ]]; then
  echo "== installing stix2-validator $STIX_VALIDATOR_VERSION and stix2 $STIX2_VERSION in $venv"
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "stix2-validator==$STIX_VALIDATOR_VERSION" "stix2==$STIX2_VERSION"
else
  echo "== stix2-validator $STIX_VALIDATOR_VERSION and stix2 $STIX2_VERSION: reusing $venv"
fi

for command in export import; do
  "$bin" "$command" --help >/dev/null 2>&1 \
    || fail "'$bin $command --help' failed: this claimgraph has no STIX $command yet (build one that has)"
done

export SOURCE_DATE_EPOCH=1641427200
out_dir="$workdir/stix"
mkdir -p "$out_dir"
exports=()

echo "== export: the seed's whole graph"
"$bin" export --seed seed -o "$out_dir/seed.json" || fail "export of the seed failed"
exports+=("$out_dir/seed.json")

echo "== export: ayn-al-assad-rocket-attack-2022-01-05 and 2 hops around it"
"$bin" export --seed seed --root ayn-al-assad-rocket-attack-2022-01-05 --hops 2 -o "$out_dir/neighbourhood.json" \
  || fail "export of the neighbourhood failed"
exports+=("$out_dir/neighbourhood.json")

echo "== round trip: import the whole export into an empty database, export it again, same bytes"
"$bin" import --db "$out_dir/rt.db" "$out_dir/seed.json" || fail "import of the seed's export failed"
"$bin" export --db "$out_dir/rt.db" -o "$out_dir/again.json" || fail "export after the round trip failed"
if ! cmp "$out_dir/seed.json" "$out_dir/again.json"; then
  diff -u "$out_dir/seed.json" "$out_dir/again.json" | head -n 60 >&2 || true
  fail "the round trip changed the export (first 60 lines of the diff above)"
fi
exports+=("$out_dir/again.json")

for bundle in tests/fixtures/stix/oasis/*.json; do
  base="$(basename "$bundle" .json)"
  echo "== OASIS $base.json: import into a fresh database, export"
  "$bin" import --db "$out_dir/oasis-$base.db" "$bundle" || fail "import of $bundle failed"
  "$bin" export --db "$out_dir/oasis-$base.db" -o "$out_dir/oasis-$base.json" \
    || fail "export after importing $bundle failed"
  exports+=("$out_dir/oasis-$base.json")
done

echo "== export: the golden chain (tests/fixtures/stix/chain.yaml) and a generated graph of every relation"
"$bin" export --seed tests/fixtures/stix/chain.yaml -o "$out_dir/chain.json" || fail "export of the chain failed"
exports+=("$out_dir/chain.json")
"$bin" generate --claims 2000 --out "$out_dir/generated" >/dev/null || fail "generate failed"
"$bin" export --seed "$out_dir/generated" -o "$out_dir/generated.json" 2>/dev/null \
  || fail "export of the generated graph failed"
exports+=("$out_dir/generated.json")

echo "== stix2-validator (all checks, enforce_refs) and strict stix2.parse on ${#exports[@]} exports"
"$venv/bin/python" .ci/stix_check.py "${exports[@]}" || fail "STIX conformance: see the refusals above"
