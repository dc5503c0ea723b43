//! Files embedded in the binary with `include_bytes!` and served as they are: GraphiQL's page
//! and assets, and the explorer's. Nothing is read from disk at run time. Each answer carries
//! an `ETag` (a digest of the bytes), so that a browser revalidating a file the binary has not
//! changed gets `304 Not Modified` instead of the file again.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// One embedded file: (name in its URL, content type, bytes).
pub type Asset = (&'static str, &'static str, &'static [u8]);

/// The content type of JavaScript, classic scripts and ES modules alike.
pub const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// The content type of a stylesheet.
pub const CSS: &str = "text/css; charset=utf-8";

/// The content type of JSON data (the map's outline).
pub const JSON: &str = "application/json";

/// Cache-Control of files pinned to a version: a day.
pub const PINNED: &str = "public, max-age=86400";

/// Cache-Control of files that change with the binary: revalidated on every use.
pub const REVALIDATE: &str = "no-cache";

/// An HTML page, revalidated on every load.
pub fn page(req: &HttpRequest, html: &'static str) -> HttpResponse {
    file(req, "text/html; charset=utf-8", REVALIDATE, html.as_bytes())
}

/// The asset of `assets` named `file` with its content type and the Cache-Control that
/// `cache` gives its name, or 404 naming `what` (whose assets they are).
pub fn asset(
    req: &HttpRequest,
    assets: &[Asset],
    name: &str,
    what: &str,
    cache: fn(&str) -> &'static str,
) -> HttpResponse {
    match assets.iter().find(|(known, _, _)| *known == name) {
        Some((known, content_type, bytes)) => file(req, content_type, cache(known), bytes),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(format!("no {what} asset {name:?}")),
    }
}

/// A file read from a development directory: never cached, so every reload sees an edit.
pub fn dev_file(content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// `bytes` as `content_type`, or 304 when the request's `If-None-Match` names their ETag.
fn file(
    req: &HttpRequest,
    content_type: &str,
    cache: &'static str,
    bytes: &'static [u8],
) -> HttpResponse {
    let tag = etag(bytes);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|list| {
            list.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
        });
    let mut reply = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    reply
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, tag.clone()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if fresh {
        reply.finish()
    } else {
        reply.content_type(content_type).body(bytes)
    }
}

/// A strong ETag for `bytes`: the first 128 bits of their SHA-256, quoted.
fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}
