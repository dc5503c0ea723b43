//! The HTTP layer's error policy, in one place: every failure a client meets before or around
//! GraphQL execution is answered as GraphQL JSON (`{"errors": [...]}`) with an
//! `extensions.code`, and with the status the GraphQL-over-HTTP spec asks for.

use actix_web::http::StatusCode;
use serde_json::{Value, json};

use super::reply::Media;
use crate::graph::cost::CostError;

/// A request refused, or stopped, by the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The body is larger than the server takes.
    #[error("the request body is {} bytes, over the limit of {limit}; send a smaller request", size.map_or_else(|| "more than the limit's".to_owned(), |s| s.to_string()))]
    PayloadTooLarge {
        /// The size, when the client declared it.
        size: Option<u64>,
        /// The limit in bytes.
        limit: usize,
    },
    /// A POST whose body is not `application/json`.
    #[error("{}; send the request as `Content-Type: application/json` (a JSON object with `query`, `variables`, `operationName`)", match found { Some(t) => format!("a POST with `Content-Type: {t}` is not understood"), None => "a POST needs a `Content-Type` header".to_owned() })]
    UnsupportedMediaType {
        /// The content type sent, if any.
        found: Option<String>,
    },
    /// The client accepts none of the media types the server answers with.
    #[error(
        "`Accept: {accept}` allows no answer this server gives; accept `application/graphql-response+json` or `application/json`"
    )]
    NotAcceptable {
        /// The Accept header.
        accept: String,
    },
    /// The body is not JSON.
    #[error("the request body is not valid JSON: {0}")]
    BadJson(String),
    /// A request parameter has the wrong type or cannot be read.
    #[error("`{name}` {message}")]
    BadParameter {
        /// The parameter (`query`, `variables`, `operationName`, `extensions`).
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Neither a query nor a persisted query's hash was sent.
    #[error(
        "no `query` was sent: pass the GraphQL document as `query` (in the JSON body, or in the URL of a GET)"
    )]
    MissingQuery,
    /// A JSON array: a batch of operations.
    #[error(
        "batched requests (a JSON array) are not supported: send one operation per request; HTTP keep-alive makes that as cheap"
    )]
    Batch,
    /// An HTTP method the endpoint does not serve.
    #[error("`{0}` is not served here; use GET for queries or POST for any operation")]
    MethodNotAllowed(String),
    /// A mutation (or subscription) in a GET.
    #[error("mutations must be sent with POST; GET only reads (subscriptions go over WebSocket)")]
    MutationOverGet,
    /// A persisted query's hash the server does not know (yet): Apollo's protocol, which
    /// then sends the query with its hash.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// A query whose SHA-256 is not the hash sent with it.
    #[error("the query's SHA-256 is {actual}, not the `sha256Hash` {sent} sent with it")]
    PersistedQueryMismatch {
        /// The hash sent.
        sent: String,
        /// The query's hash.
        actual: String,
    },
    /// A persisted query of a protocol version other than 1.
    #[error("persisted query version {0} is not supported; use version 1")]
    PersistedQueryVersion(String),
    /// The document is too costly, or does not parse.
    #[error("{0}")]
    Cost(#[from] CostError),
    /// No database connection came free in time.
    #[error(
        "the server is busy: no database connection came free within {0} ms; try again shortly"
    )]
    Busy(u64),
    /// The client closed its connection before the answer; nobody reads this error.
    #[error("the client went away before the answer")]
    ClientGone,
    /// A cross-origin request from an origin the server does not list, or asking for a method
    /// or header it does not allow.
    #[error(
        "cross-origin request refused: {0}; the server allows the origins given to `--cors-origin` (none by default), the methods GET and POST, and the headers content-type, authorization, accept and x-request-id"
    )]
    CorsRefused(String),
    /// The request ran out of time.
    #[error(
        "the request ran out of time after {0} ms and was stopped; ask for less (smaller pages, fewer levels or hops)"
    )]
    Timeout(u64),
}

impl HttpError {
    /// The `extensions.code` a client reads.
    pub fn code(&self) -> &'static str {
        match self {
            HttpError::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            HttpError::UnsupportedMediaType { .. } => "UNSUPPORTED_MEDIA_TYPE",
            HttpError::NotAcceptable { .. } => "NOT_ACCEPTABLE",
            HttpError::BadJson(_) | HttpError::BadParameter { .. } | HttpError::MissingQuery => {
                "BAD_REQUEST"
            }
            HttpError::Batch => "BATCH_NOT_SUPPORTED",
            HttpError::MethodNotAllowed(_) | HttpError::MutationOverGet => "METHOD_NOT_ALLOWED",
            HttpError::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            HttpError::PersistedQueryMismatch { .. } | HttpError::PersistedQueryVersion(_) => {
                "PERSISTED_QUERY_INVALID"
            }
            HttpError::Cost(CostError::Over { .. }) => "COST_LIMIT",
            HttpError::Cost(CostError::Syntax { .. }) => "GRAPHQL_PARSE_FAILED",
            HttpError::Cost(CostError::MissingVariable { .. }) => "GRAPHQL_VALIDATION_FAILED",
            HttpError::Timeout(_) => "TIMEOUT",
            HttpError::Busy(_) => "BUSY",
            HttpError::ClientGone => "CLIENT_GONE",
            HttpError::CorsRefused(_) => "CORS_REFUSED",
        }
    }

    /// The status for a client that accepts `media`. Errors of the GraphQL request itself
    /// answer 200 to `application/json` clients (as the spec asks for that legacy type) and
    /// 400 to `application/graphql-response+json` ones; transport errors answer 4xx to both.
    pub fn status(&self, media: Media) -> StatusCode {
        match self {
            HttpError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            HttpError::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            HttpError::BadJson(_)
            | HttpError::BadParameter { .. }
            | HttpError::MissingQuery
            | HttpError::Batch
            | HttpError::PersistedQueryMismatch { .. }
            | HttpError::PersistedQueryVersion(_) => StatusCode::BAD_REQUEST,
            HttpError::MethodNotAllowed(_) | HttpError::MutationOverGet => {
                StatusCode::METHOD_NOT_ALLOWED
            }
            HttpError::PersistedQueryNotFound | HttpError::Cost(_) => media.request_error_status(),
            HttpError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            HttpError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::CorsRefused(_) => StatusCode::FORBIDDEN,
            // nginx's "client closed request", for the log and the metrics.
            HttpError::ClientGone => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        }
    }

    /// The error as one GraphQL error object.
    pub fn to_graphql(&self) -> Value {
        let mut extensions = json!({ "code": self.code() });
        match self {
            HttpError::Cost(CostError::Over {
                limit,
                measured,
                max,
            }) => {
                extensions["limit"] = json!(limit.name());
                extensions["measured"] = json!(measured);
                extensions["max"] = json!(max);
            }
            HttpError::PayloadTooLarge { limit, .. } => extensions["max"] = json!(limit),
            HttpError::BadParameter { name, .. } => extensions["parameter"] = json!(name),
            _ => {}
        }
        let mut error = json!({ "message": self.to_string(), "extensions": extensions });
        if let HttpError::Cost(CostError::MissingVariable { location, .. }) = self {
            error["locations"] = json!([{ "line": location.0, "column": location.1 }]);
        }
        if let HttpError::Cost(CostError::Syntax { locations, .. }) = self
            && !locations.is_empty()
        {
            error["locations"] = locations
                .iter()
                .map(|(line, column)| json!({ "line": line, "column": column }))
                .collect();
        }
        error
    }
}
