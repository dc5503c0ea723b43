//! What the server answers with: the media type a client accepts, and GraphQL JSON bodies.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;

use super::error::HttpError;

/// A media type the server answers GraphQL requests with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: the current spec's type, whose status codes tell
    /// request errors (4xx) from field errors (200).
    GraphqlResponse,
    /// `application/json`: the legacy type, always 200 for a well-formed request.
    Json,
}

impl Media {
    /// The `Content-Type` header's value.
    pub fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }

    /// The status of a GraphQL request error (parse, validation, variables, cost).
    pub fn request_error_status(self) -> StatusCode {
        match self {
            Media::GraphqlResponse => StatusCode::BAD_REQUEST,
            Media::Json => StatusCode::OK,
        }
    }
}

/// The media type to answer with, by the `Accept` header: the acceptable one with the highest
/// weight, `application/graphql-response+json` on a tie; `application/json` when the header
/// is missing or allows anything (as the spec asks, for older clients).
pub fn negotiate(headers: &HeaderMap) -> Result<Media, HttpError> {
    let Some(accept) = headers.get("accept") else {
        return Ok(Media::Json);
    };
    let accept = accept.to_str().map_err(|_| HttpError::NotAcceptable {
        accept: "(not ASCII)".to_owned(),
    })?;
    let mut best: Option<(f32, Media)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let ty = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match ty.as_str() {
            "application/graphql-response+json" => Media::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => Media::Json,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bq, bm)) => q > bq || (q == bq && media == Media::GraphqlResponse && bm != media),
        };
        if better {
            best = Some((q, media));
        }
    }
    best.map(|(_, m)| m)
        .ok_or_else(|| HttpError::NotAcceptable {
            accept: accept.to_owned(),
        })
}

/// An error as a GraphQL response without `data` (the request did not run).
pub fn error(media: Media, error: &HttpError) -> HttpResponse {
    let body = serde_json::json!({ "errors": [error.to_graphql()] });
    let mut response = HttpResponse::build(error.status(media));
    response.content_type(media.content_type());
    if matches!(
        error,
        HttpError::MethodNotAllowed(_) | HttpError::MutationOverGet
    ) {
        let allow = if matches!(error, HttpError::MutationOverGet) {
            "POST"
        } else {
            "GET, POST"
        };
        response.insert_header(("allow", allow));
    }
    if matches!(error, HttpError::Busy(_)) {
        response.insert_header(("retry-after", "1"));
    }
    response.body(body.to_string())
}
