//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP, as the GraphQL-over-HTTP spec has it.
//!
//! One request goes: media type from `Accept` → parameters from the URL or the JSON body
//! (within the body limit) → persisted query → cost measured against the caller's limits
//! (nothing runs if it is over) → execution under a deadline that stops its SQL → fields put
//! back in the query's order → one GraphQL JSON answer, with the status the media type asks
//! for. A client that goes away drops the handler, which stops the request's reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::futures_util::FutureExt;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{ErrorExtensionValues, Response, ServerError, Value, Variables};

use super::error::HttpError;
use super::reply::{self, Media};
use super::{AppState, SQL_STATEMENTS_HEADER};
use crate::auth::Access;
use crate::graph::cost::{self, Measured};
use crate::graph::{RequestData, Started, order};
use crate::storage::Stop;

/// The header that names a request in the server's log (sent back as received, or made up).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What one request came to, for the answer and the log.
struct Outcome {
    response: HttpResponse,
    operation: Option<String>,
    codes: Vec<String>,
    statements: usize,
}

/// Runs one GraphQL request and answers it.
pub async fn execute(
    state: web::Data<AppState>,
    http: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let started = Instant::now();
    let id = request_id(&http);
    let outcome = match reply::negotiate(http.headers()) {
        Ok(media) => match run(&state, &http, payload, media).await {
            Ok(outcome) => outcome,
            Err(e) => refused(media, &e),
        },
        Err(e) => refused(Media::Json, &e),
    };
    let Outcome {
        mut response,
        operation,
        codes,
        statements,
    } = outcome;
    let took = started.elapsed();
    state
        .metrics
        .record(response.status().as_u16(), took, &codes, statements);
    let ms = took.as_secs_f64() * 1000.0;
    tracing::info!(
        target: "claimgraph::request",
        request_id = %id,
        operation = operation.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        ms = format!("{ms:.1}"),
        statements,
        errors = %codes.join(","),
        "graphql"
    );
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id) {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static(REQUEST_ID_HEADER),
            value,
        );
    }
    response
}

fn refused(media: Media, error: &HttpError) -> Outcome {
    Outcome {
        response: reply::error(media, error),
        operation: None,
        codes: vec![error.code().to_owned()],
        statements: 0,
    }
}

async fn run(
    state: &AppState,
    http: &HttpRequest,
    payload: web::Payload,
    media: Media,
) -> Result<Outcome, HttpError> {
    let limits = &state.limits;
    let incoming = super::transport::read(http, payload, limits.body_bytes).await?;
    let query = state
        .persisted
        .resolve(incoming.query, &incoming.extensions)?;
    let access = Access::of(&state.tokens, authorization(http));
    let query_limits = if matches!(access, Access::Editor(_)) {
        &limits.editor
    } else {
        &limits.anonymous
    };
    let variables = Variables::from_json(serde_json::Value::Object(incoming.variables));
    let operation_name = incoming.operation_name;
    let (doc, measured) = cost::admit(
        &state.shape,
        query_limits,
        &query,
        operation_name.as_deref(),
        &variables,
    )?;
    if incoming.get && changes_anything(&doc, operation_name.as_deref()) {
        return Err(HttpError::MutationOverGet);
    }
    let operation = operation_name.clone().or_else(|| single_name(&doc));
    let peer = http.conn_data::<super::peer::Peer>().cloned();
    let (response, statements) = run_operation(
        state,
        peer,
        access,
        query,
        operation_name.clone(),
        variables,
        doc.clone(),
        measured,
    )
    .await?;
    Ok(answer(
        media,
        response,
        &doc,
        operation_name.as_deref(),
        operation,
        statements,
    ))
}

/// Executes the operation under the server's deadline, stopping its reads at the deadline or
/// when the client goes away (this future is then dropped).
#[allow(clippy::too_many_arguments)]
async fn run_operation(
    state: &AppState,
    peer: Option<super::peer::Peer>,
    access: Access,
    query: String,
    operation_name: Option<String>,
    variables: Variables,
    doc: ExecutableDocument,
    measured: Measured,
) -> Result<(Ran, usize), HttpError> {
    let timeout = state.limits.timeout;
    let stop = Stop::at(Some(Instant::now() + timeout));
    let mut cancel = CancelOnDrop {
        stop: stop.clone(),
        metrics: state.metrics.clone(),
        finished: false,
    };
    let (db, statements) = state.db.counting();
    let mut db = db.stopping(stop.clone());
    if measured.complexity > state.limits.heavy_complexity {
        db = db.heavy();
    }
    let started = Started::default();
    let mut request = async_graphql::Request::new(query)
        .variables(variables)
        .data(RequestData::with_access(db, access))
        .data(started.clone());
    if let Some(name) = operation_name {
        request = request.operation_name(name);
    }
    request.set_parsed_query(doc);
    let execution = std::panic::AssertUnwindSafe(state.schema.execute(request)).catch_unwind();
    let outcome = tokio::select! {
        outcome = tokio::time::timeout(timeout, execution) => outcome,
        () = super::peer::gone(peer) => {
            // Nobody will read the answer: dropping `cancel` unfinished stops the reads.
            return Err(HttpError::ClientGone);
        }
    };
    cancel.finished = true;
    let response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(_panic)) => {
            if let Some(dropped) = crate::throttle::allow("http::panic") {
                tracing::error!(dropped, "a GraphQL request panicked");
            }
            internal_error()
        }
        Err(_elapsed) => {
            stop.cancel();
            let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
            return Err(HttpError::Timeout(ms));
        }
    };
    // A read stopped by the deadline, or refused for want of a connection, spoils the whole
    // answer: a partial one would look complete.
    for error in &response.errors {
        match error.extensions.as_ref().and_then(|e| e.get("code")) {
            Some(Value::String(code)) if code == "TIMEOUT" => {
                let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
                return Err(HttpError::Timeout(ms));
            }
            Some(Value::String(code)) if code == "BUSY" => {
                let waited = u64::try_from(state.limits.read_wait.as_millis()).unwrap_or(u64::MAX);
                return Err(HttpError::Busy(waited));
            }
            _ => {}
        }
    }
    let statements = statements.load(Ordering::Relaxed);
    Ok((
        Ran {
            response,
            started: started.get(),
        },
        statements,
    ))
}

/// What execution gave, and whether the operation started at all.
struct Ran {
    response: Response,
    started: bool,
}

fn internal_error() -> Response {
    let mut error = ServerError::new("internal error; the server log has the details", None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", "INTERNAL");
    error.extensions = Some(ext);
    Response::from_errors(vec![error])
}

/// Cancels a request's stop when dropped before the request ends: actix drops the handler
/// when the client goes away (or at the end of the shutdown's grace period).
struct CancelOnDrop {
    stop: Stop,
    metrics: std::sync::Arc<super::metrics::Metrics>,
    finished: bool,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.stop.cancel();
        if !self.finished {
            self.metrics.cancelled();
            tracing::debug!("a request was dropped before it finished; its reads are stopped");
        }
    }
}

/// The answer: a request error (it did not parse, validate or fit its variables) without
/// `data`, or the result with the fields in the query's order.
fn answer(
    media: Media,
    ran: Ran,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    operation: Option<String>,
    statements: usize,
) -> Outcome {
    let Ran {
        mut response,
        started,
    } = ran;
    let request_error = !started && !response.errors.is_empty();
    let fallback = if started {
        "BAD_USER_INPUT"
    } else {
        "GRAPHQL_VALIDATION_FAILED"
    };
    for error in &mut response.errors {
        give_code(error, fallback);
    }
    let codes = response
        .errors
        .iter()
        .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
            Value::String(code) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let (status, body) = if request_error {
        let body = serde_json::json!({ "errors": response.errors });
        (media.request_error_status(), serde_json::to_vec(&body))
    } else {
        order::in_query_order(doc, operation_name, &mut response.data);
        (StatusCode::OK, serde_json::to_vec(&response))
    };
    let response = match body {
        Ok(body) => HttpResponse::build(status)
            .content_type(media.content_type())
            .insert_header((SQL_STATEMENTS_HEADER, statements.to_string()))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "a GraphQL response could not be written as JSON");
            HttpResponse::InternalServerError().finish()
        }
    };
    Outcome {
        response,
        operation,
        codes,
        statements,
    }
}

/// Errors from parsing and validation come without a code; give them one.
fn give_code(error: &mut ServerError, code: &str) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if !has_code {
        let mut ext = error.extensions.take().unwrap_or_default();
        ext.set("code", Value::from(code));
        error.extensions = Some(ext);
    }
}

fn authorization(http: &HttpRequest) -> Option<&str> {
    http.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
}

/// Whether the operation that would run is a mutation or subscription.
fn changes_anything(doc: &ExecutableDocument, name: Option<&str>) -> bool {
    doc.operations
        .iter()
        .filter(|(n, _)| name.is_none() || n.map(|n| n.as_str()) == name)
        .any(|(_, op)| op.node.ty != OperationType::Query)
}

/// The name of a document's only operation, for the log.
fn single_name(doc: &ExecutableDocument) -> Option<String> {
    match &doc.operations {
        DocumentOperations::Single(_) => None,
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|n| n.to_string())
        }
        DocumentOperations::Multiple(_) => None,
    }
}

/// The client's request id if it is short and plain, else a new one.
fn request_id(http: &HttpRequest) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let sent = http
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        });
    match sent {
        Some(id) => id.to_owned(),
        None => format!("r{}", NEXT.fetch_add(1, Ordering::Relaxed)),
    }
}
