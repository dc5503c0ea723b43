//! Files embedded in the binary with `include_bytes!` and served as they are: GraphiQL's page
//! and assets, and the explorer's. Nothing is read from disk at run time.

use actix_web::HttpResponse;
use actix_web::http::header;

/// One embedded file: (name in its URL, content type, bytes).
pub type Asset = (&'static str, &'static str, &'static [u8]);

/// The content type of JavaScript, classic scripts and ES modules alike.
pub const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// The content type of a stylesheet.
pub const CSS: &str = "text/css; charset=utf-8";

/// Cache-Control of files pinned to a version: a day.
pub const PINNED: &str = "public, max-age=86400";

/// Cache-Control of files that change with the binary: asked again every time.
pub const REVALIDATE: &str = "no-cache";

/// An HTML page, revalidated on every load.
pub fn page(html: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, REVALIDATE))
        .body(html)
}

/// The asset of `assets` named `file` with its content type and the Cache-Control that
/// `cache` gives its name, or 404 naming `what` (whose assets they are).
pub fn asset(
    assets: &[Asset],
    file: &str,
    what: &str,
    cache: fn(&str) -> &'static str,
) -> HttpResponse {
    match assets.iter().find(|(name, _, _)| *name == file) {
        Some((name, content_type, bytes)) => HttpResponse::Ok()
            .content_type(*content_type)
            .insert_header((header::CACHE_CONTROL, cache(name)))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(*bytes),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!("no {what} asset {file:?}")),
    }
}
