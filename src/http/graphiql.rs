//! GraphiQL, served entirely from the binary so that it works without internet access.
//! The files in `assets/graphiql/` are vendored from npm; `assets/graphiql/update.sh` and
//! `LICENSES.md` there say which versions and from where.

use actix_web::{HttpRequest, HttpResponse, web};

use super::embedded::{self, Asset, CSS, JAVASCRIPT, PINNED};

const INDEX: &str = include_str!("../../assets/graphiql/index.html");

/// (name, content type, bytes) of every asset the page loads.
const ASSETS: &[Asset] = &[
    (
        "graphiql.min.js",
        JAVASCRIPT,
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        CSS,
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        JAVASCRIPT,
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        JAVASCRIPT,
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
];

/// The GraphiQL page.
pub async fn page(req: HttpRequest) -> HttpResponse {
    embedded::page(&req, INDEX)
}

/// One of the page's assets, or 404. They are pinned to a version: cached for a day.
pub async fn asset(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    embedded::asset(&req, ASSETS, &file, "GraphiQL", |_| PINNED)
}
