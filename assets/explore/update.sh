#!/usr/bin/env bash
# Re-fetch the explorer's vendored libraries from the npm registry with `npm pack`.
#
# Pinned versions (keep in sync with LICENSES.md and src/http/explore.rs):
#   @urql/core                 6.0.3
#   @urql/exchange-graphcache  9.0.2   (normalised cache keyed by __typename and id)
#   wonka                      6.3.6   (dependency of both)
#   @0no-co/graphql.web        1.3.4   (dependency of both: parse/print of documents)
#   graphql-ws                 6.4.2   (graphql-transport-ws client for subscriptions)
#   cytoscape                  3.35.0  (the network view's graph drawing)
#   world-atlas                2.0.2   (Natural Earth 1:50m countries as TopoJSON: the map's outline)
#
# Only the built ES modules are copied, unmodified; the page loads them with an import
# map (assets/explore/index.html), so there is no bundler. Files copied into
# assets/explore/ (names are fixed: they are embedded into the claimgraph binary with
# include_bytes! in src/http/explore.rs, and the relative imports between them must keep
# resolving):
#   @urql/core                package/dist/urql-core.mjs              -> urql-core.mjs
#   @urql/core                package/dist/urql-core-chunk.mjs        -> urql-core-chunk.mjs
#   @urql/exchange-graphcache package/dist/urql-exchange-graphcache.mjs -> urql-exchange-graphcache.mjs
#   wonka                     package/dist/wonka.mjs                  -> wonka.mjs
#   @0no-co/graphql.web       package/dist/graphql.web.mjs            -> graphql.web.mjs
#   graphql-ws                package/dist/client.js                  -> graphql-ws-client.js
#   graphql-ws                package/dist/common-*.js                -> common-*.js (same name:
#                                                                        client.js imports it)
#   cytoscape                 package/dist/cytoscape.esm.min.mjs      -> cytoscape.esm.min.mjs
#   world-atlas               package/countries-50m.json              -> countries-50m.json
#
# Usage: bash assets/explore/update.sh   (from anywhere; needs node + npm)
set -euo pipefail

URQL_CORE_VERSION=6.0.3
GRAPHCACHE_VERSION=9.0.2
WONKA_VERSION=6.3.6
GRAPHQL_WEB_VERSION=1.3.4
GRAPHQL_WS_VERSION=6.4.2
CYTOSCAPE_VERSION=3.35.0
WORLD_ATLAS_VERSION=2.0.2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent \
  "@urql/core@${URQL_CORE_VERSION}" \
  "@urql/exchange-graphcache@${GRAPHCACHE_VERSION}" \
  "wonka@${WONKA_VERSION}" \
  "@0no-co/graphql.web@${GRAPHQL_WEB_VERSION}" \
  "graphql-ws@${GRAPHQL_WS_VERSION}" \
  "cytoscape@${CYTOSCAPE_VERSION}" \
  "world-atlas@${WORLD_ATLAS_VERSION}" >/dev/null

unpack() { # $1 = tarball, $2 = directory
  mkdir -p "$2"
  tar -xzf "$1" -C "$2"
}
unpack "urql-core-${URQL_CORE_VERSION}.tgz" core
unpack "urql-exchange-graphcache-${GRAPHCACHE_VERSION}.tgz" graphcache
unpack "wonka-${WONKA_VERSION}.tgz" wonka
unpack "0no-co-graphql.web-${GRAPHQL_WEB_VERSION}.tgz" graphql-web
unpack "graphql-ws-${GRAPHQL_WS_VERSION}.tgz" graphql-ws
unpack "cytoscape-${CYTOSCAPE_VERSION}.tgz" cytoscape
unpack "world-atlas-${WORLD_ATLAS_VERSION}.tgz" world-atlas

cp core/package/dist/urql-core.mjs                         "$here/urql-core.mjs"
cp core/package/dist/urql-core-chunk.mjs                   "$here/urql-core-chunk.mjs"
cp graphcache/package/dist/urql-exchange-graphcache.mjs    "$here/urql-exchange-graphcache.mjs"
cp wonka/package/dist/wonka.mjs                            "$here/wonka.mjs"
cp graphql-web/package/dist/graphql.web.mjs                "$here/graphql.web.mjs"
cp graphql-ws/package/dist/client.js                       "$here/graphql-ws-client.js"
cp cytoscape/package/dist/cytoscape.esm.min.mjs            "$here/cytoscape.esm.min.mjs"
cp world-atlas/package/countries-50m.json                  "$here/countries-50m.json"
common="$(grep -oE "from '\./common-[A-Za-z0-9_-]+\.js'" graphql-ws/package/dist/client.js | head -n 1 | sed -E "s/^from '\.\/(.*)'$/\1/")"
[[ -n "$common" ]] || { echo "graphql-ws client.js imports no ./common-*.js chunk" >&2; exit 1; }
rm -f "$here"/common-*.js
cp "graphql-ws/package/dist/$common"                       "$here/$common"
echo "graphql-ws chunk: $common (its name is in src/http/explore.rs)" >&2

# The files must import nothing but each other and the bare names the import map resolves.
for f in urql-core.mjs urql-core-chunk.mjs urql-exchange-graphcache.mjs wonka.mjs graphql.web.mjs graphql-ws-client.js "$common" cytoscape.esm.min.mjs; do
  { grep -oE "(import|from) *[\"'][^\"']+[\"']" "$here/$f" || true; } | sed -E "s/^(import|from) *//; s/[\"']//g" | while read -r spec; do
    case "$spec" in
      ./urql-core-chunk.mjs|./common-*.js|@urql/core|wonka|@0no-co/graphql.web) ;;
      ws) ;; # only inside graphql-ws's error message ("import WebSocket from 'ws'" on Node)
      *) echo "warning: $f imports $spec, which the import map does not resolve" >&2 ;;
    esac
  done
done

cd "$here"
sha256sum urql-core.mjs urql-core-chunk.mjs urql-exchange-graphcache.mjs wonka.mjs graphql.web.mjs graphql-ws-client.js "$common" \
  cytoscape.esm.min.mjs countries-50m.json
