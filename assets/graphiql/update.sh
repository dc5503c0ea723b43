#!/usr/bin/env bash
# Re-fetch the vendored GraphiQL assets from the npm registry with `npm pack`.
#
# Pinned versions (keep in sync with LICENSES.md):
#   graphiql  3.9.0   (latest 3.x; GraphiQL 4+ ships no UMD build)
#   react     18.3.1
#   react-dom 18.3.1
#
# Files copied into assets/graphiql/ (names are fixed: they are embedded
# into the claimgraph binary with include_bytes!):
#   graphiql  package/graphiql.min.js                -> graphiql.min.js
#   graphiql  package/graphiql.min.css               -> graphiql.min.css
#   react     package/umd/react.production.min.js    -> react.production.min.js
#   react-dom package/umd/react-dom.production.min.js -> react-dom.production.min.js
#
# Usage: bash assets/graphiql/update.sh   (from anywhere; needs node + npm)
set -euo pipefail

GRAPHIQL_VERSION=3.9.0
REACT_VERSION=18.3.1
REACT_DOM_VERSION=18.3.1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "graphiql@${GRAPHIQL_VERSION}" "react@${REACT_VERSION}" "react-dom@${REACT_DOM_VERSION}" >/dev/null

unpack() { # $1 = tarball, $2 = directory
  mkdir -p "$2"
  tar -xzf "$1" -C "$2"
}
unpack "graphiql-${GRAPHIQL_VERSION}.tgz" graphiql
unpack "react-${REACT_VERSION}.tgz" react
unpack "react-dom-${REACT_DOM_VERSION}.tgz" react-dom

cp graphiql/package/graphiql.min.js                 "$here/graphiql.min.js"
cp graphiql/package/graphiql.min.css                "$here/graphiql.min.css"
cp react/package/umd/react.production.min.js        "$here/react.production.min.js"
cp react-dom/package/umd/react-dom.production.min.js "$here/react-dom.production.min.js"

# The assets must not pull anything from another host at load time.
if grep -Eq '@import|url\((["'"'"']?)(https?:)?//' "$here/graphiql.min.css"; then
  echo "warning: graphiql.min.css references an external URL (@import or url())" >&2
fi

cd "$here"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
