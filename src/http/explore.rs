//! The explorer (issue 13): a web page that shows the graph, its chains and who asserts each
//! link, talking to `/graphql` like any frontend would. Everything it loads is served from
//! the binary: its own page, script and style, and the ES modules vendored from npm
//! (`assets/explore/update.sh` and `LICENSES.md` say which versions and from where).
//!
//! `/explore` and `/explore/node/{id}` are the same page: the page's script routes on the
//! URL with the History API, so a node's page can be linked and the back button works.

use actix_web::{HttpRequest, HttpResponse, web};

use super::embedded::{self, Asset, CSS, JAVASCRIPT as JS, JSON, PINNED, REVALIDATE};

const INDEX: &str = include_str!("../../assets/explore/index.html");

/// (name, content type, bytes) of every asset the page loads, served under
/// `/explore/assets/`. The vendored modules import each other by these names.
const ASSETS: &[Asset] = &[
    ("app.js", JS, include_bytes!("../../assets/explore/app.js")),
    (
        "client.js",
        JS,
        include_bytes!("../../assets/explore/client.js"),
    ),
    (
        "fragments.js",
        JS,
        include_bytes!("../../assets/explore/fragments.js"),
    ),
    ("dom.js", JS, include_bytes!("../../assets/explore/dom.js")),
    (
        "search.js",
        JS,
        include_bytes!("../../assets/explore/search.js"),
    ),
    (
        "claims.js",
        JS,
        include_bytes!("../../assets/explore/claims.js"),
    ),
    (
        "chain.js",
        JS,
        include_bytes!("../../assets/explore/chain.js"),
    ),
    (
        "network.js",
        JS,
        include_bytes!("../../assets/explore/network.js"),
    ),
    ("map.js", JS, include_bytes!("../../assets/explore/map.js")),
    (
        "timeline.js",
        JS,
        include_bytes!("../../assets/explore/timeline.js"),
    ),
    (
        "paths.js",
        JS,
        include_bytes!("../../assets/explore/paths.js"),
    ),
    (
        "live.js",
        JS,
        include_bytes!("../../assets/explore/live.js"),
    ),
    (
        "editor.js",
        JS,
        include_bytes!("../../assets/explore/editor.js"),
    ),
    ("env.js", JS, include_bytes!("../../assets/explore/env.js")),
    (
        "app.css",
        CSS,
        include_bytes!("../../assets/explore/app.css"),
    ),
    (
        "network.css",
        CSS,
        include_bytes!("../../assets/explore/network.css"),
    ),
    (
        "map.css",
        CSS,
        include_bytes!("../../assets/explore/map.css"),
    ),
    (
        "editor.css",
        CSS,
        include_bytes!("../../assets/explore/editor.css"),
    ),
    (
        "cytoscape.esm.min.mjs",
        JS,
        include_bytes!("../../assets/explore/cytoscape.esm.min.mjs"),
    ),
    (
        "countries-50m.json",
        JSON,
        include_bytes!("../../assets/explore/countries-50m.json"),
    ),
    (
        "urql-core.mjs",
        JS,
        include_bytes!("../../assets/explore/urql-core.mjs"),
    ),
    (
        "urql-core-chunk.mjs",
        JS,
        include_bytes!("../../assets/explore/urql-core-chunk.mjs"),
    ),
    (
        "urql-exchange-graphcache.mjs",
        JS,
        include_bytes!("../../assets/explore/urql-exchange-graphcache.mjs"),
    ),
    (
        "wonka.mjs",
        JS,
        include_bytes!("../../assets/explore/wonka.mjs"),
    ),
    (
        "graphql.web.mjs",
        JS,
        include_bytes!("../../assets/explore/graphql.web.mjs"),
    ),
    (
        "graphql-ws-client.js",
        JS,
        include_bytes!("../../assets/explore/graphql-ws-client.js"),
    ),
    (
        "common-CGW11Fyb.js",
        JS,
        include_bytes!("../../assets/explore/common-CGW11Fyb.js"),
    ),
];

/// In debug builds, a directory whose copies of the page and its own files are served instead
/// of the embedded ones (`CLAIMGRAPH_EXPLORE_DIR=assets/explore`), so that editing the
/// explorer needs no rebuild. Release builds always serve what they embed.
const DEV_DIR: &str = "CLAIMGRAPH_EXPLORE_DIR";

/// The explorer's own files (not vendored): they change with the binary.
const OWN: &[&str] = &[
    "app.js",
    "client.js",
    "fragments.js",
    "dom.js",
    "search.js",
    "claims.js",
    "chain.js",
    "network.js",
    "map.js",
    "timeline.js",
    "paths.js",
    "live.js",
    "editor.js",
    "env.js",
    "app.css",
    "network.css",
    "map.css",
    "editor.css",
];

/// The explorer's page, whichever of its routes was asked for.
pub async fn page(req: HttpRequest) -> HttpResponse {
    if let Some(html) = from_dev_dir("index.html") {
        return embedded::dev_file("text/html; charset=utf-8", html);
    }
    embedded::page(&req, INDEX)
}

/// `name` (one of the explorer's own files, never a path from the request) read from the
/// development directory, when a debug build was started with one.
fn from_dev_dir(name: &str) -> Option<Vec<u8>> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let dir = std::env::var_os(DEV_DIR)?;
    std::fs::read(std::path::Path::new(&dir).join(name)).ok()
}

/// One of the page's assets, or 404. The page's own script and style change with the
/// binary, so they are revalidated; the vendored modules are pinned and cached for a day.
pub async fn asset(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    if let Some((name, content_type, _)) = ASSETS.iter().find(|(known, _, _)| **known == *file)
        && let Some(bytes) = from_dev_dir(name)
    {
        return embedded::dev_file(content_type, bytes);
    }
    embedded::asset(&req, ASSETS, &file, "explorer", |name| {
        if OWN.contains(&name) {
            REVALIDATE
        } else {
            PINNED
        }
    })
}
