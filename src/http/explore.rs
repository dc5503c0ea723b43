//! The explorer (issue 13): a web page that shows the graph, its chains and who asserts each
//! link, talking to `/graphql` like any frontend would. Everything it loads is served from
//! the binary: its own page, script and style, and the ES modules vendored from npm
//! (`assets/explore/update.sh` and `LICENSES.md` say which versions and from where).
//!
//! `/explore` and `/explore/node/{id}` are the same page: the page's script routes on the
//! URL with the History API, so a node's page can be linked and the back button works.

use actix_web::{HttpRequest, HttpResponse, web};

use super::embedded::{self, Asset, CSS, JAVASCRIPT as JS, PINNED, REVALIDATE};

const INDEX: &str = include_str!("../../assets/explore/index.html");

/// (name, content type, bytes) of every asset the page loads, served under
/// `/explore/assets/`. The vendored modules import each other by these names.
const ASSETS: &[Asset] = &[
    ("app.js", JS, include_bytes!("../../assets/explore/app.js")),
    ("env.js", JS, include_bytes!("../../assets/explore/env.js")),
    (
        "app.css",
        CSS,
        include_bytes!("../../assets/explore/app.css"),
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

/// The explorer's page, whichever of its routes was asked for.
pub async fn page(req: HttpRequest) -> HttpResponse {
    embedded::page(&req, INDEX)
}

/// One of the page's assets, or 404. The page's own script and style change with the
/// binary, so they are revalidated; the vendored modules are pinned and cached for a day.
pub async fn asset(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    embedded::asset(&req, ASSETS, &file, "explorer", |name| {
        if matches!(name, "app.js" | "env.js" | "app.css") {
            REVALIDATE
        } else {
            PINNED
        }
    })
}
