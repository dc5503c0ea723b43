//! STIX 2.1 over HTTP: `GET /export/stix` (the graph or a node's neighbourhood) for
//! frontends and feeds, `POST /import/stix` (a bundle) for editors with a token. Failures
//! answer as everywhere else on this server: GraphQL-style JSON errors with a code.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::auth::Access;
use crate::diagnostic::Diagnostic;
use crate::exchange::stix::import::{self, BundleFile, ImportError, Imported};
use crate::exchange::stix::{self, ExportError, Scope, Stamps, ids::NAMESPACE};
use crate::storage::{StorageError, exchange, stix as stored};

/// TAXII 2.1's media type for STIX 2.1 content.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";

/// The most hops an HTTP export walks: more reaches most of any graph, which the command
/// line exports better.
pub const MAX_HOPS: usize = 6;

/// The most records an HTTP export reads: a bundle is built in memory, so a larger graph is
/// exported with `claimgraph export`, which does not hold a server's workers.
pub const MAX_RECORDS: i64 = 100_000;

/// The largest bundle `POST /import/stix` takes.
pub const MAX_IMPORT_BYTES: usize = 32 << 20;

/// Why an exchange request failed.
#[derive(Debug, thiserror::Error)]
enum ExchangeError {
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(
        "the graph holds {0} records, more than the {MAX_RECORDS} an HTTP export reads; export a neighbourhood (`root`, `hops`) or run `claimgraph export --db PATH` on the server"
    )]
    TooLarge(i64),
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error(
        "this server is read-only: it was started without editors' tokens, or may not write its database"
    )]
    ReadOnly,
    #[error("{} in the bundle; nothing was imported", if .0.len() == 1 { "1 problem".to_owned() } else { format!("{} problems", .0.len()) })]
    Invalid(Vec<Diagnostic>),
    #[error("the server is busy; try again shortly")]
    Busy,
    #[error("internal error; the server log has the details")]
    Internal,
}

impl ExchangeError {
    fn code(&self) -> &'static str {
        match self {
            ExchangeError::BadRequest(_) => "BAD_REQUEST",
            ExchangeError::Export(ExportError::UnknownRoot(_)) => "NOT_FOUND",
            ExchangeError::Export(ExportError::Write(_)) => "INTERNAL",
            ExchangeError::TooLarge(_) => "EXPORT_TOO_LARGE",
            ExchangeError::Unauthenticated(_) => "UNAUTHENTICATED",
            ExchangeError::ReadOnly => "READ_ONLY",
            ExchangeError::Invalid(_) => "BAD_USER_INPUT",
            ExchangeError::Busy => "BUSY",
            ExchangeError::Internal => "INTERNAL",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ExchangeError::BadRequest(_) | ExchangeError::Invalid(_) => StatusCode::BAD_REQUEST,
            ExchangeError::Export(ExportError::UnknownRoot(_)) => StatusCode::NOT_FOUND,
            ExchangeError::Export(ExportError::Write(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            ExchangeError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ExchangeError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ExchangeError::ReadOnly => StatusCode::FORBIDDEN,
            ExchangeError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ExchangeError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn response(&self) -> HttpResponse {
        let mut error =
            json!({ "message": self.to_string(), "extensions": { "code": self.code() } });
        if let ExchangeError::Invalid(problems) = self {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            error["extensions"]["problems"] = json!(problems);
        }
        let mut response = HttpResponse::build(self.status());
        if matches!(self, ExchangeError::Unauthenticated(_)) {
            response.insert_header(("www-authenticate", "Bearer"));
        }
        response.json(json!({ "errors": [error] }))
    }
}

impl From<StorageError> for ExchangeError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Busy { .. } | StorageError::Unavailable => ExchangeError::Busy,
            StorageError::ReadOnly { .. } => ExchangeError::ReadOnly,
            e => {
                if let Some(dropped) = crate::throttle::allow("http::exchange") {
                    tracing::error!(error = %e, dropped, "database error in a STIX exchange");
                }
                ExchangeError::Internal
            }
        }
    }
}

impl From<ImportError> for ExchangeError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Invalid(problems) => ExchangeError::Invalid(problems),
            ImportError::Storage(e) => e.into(),
        }
    }
}

/// The query string of an export.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    root: Option<String>,
    hops: Option<usize>,
}

/// `GET /export/stix?root=ID&hops=N`.
pub async fn export(state: web::Data<AppState>, query: web::Query<ExportQuery>) -> HttpResponse {
    match export_bundle(&state, query.into_inner()).await {
        Ok(text) => HttpResponse::Ok().content_type(STIX_MEDIA_TYPE).body(text),
        Err(e) => e.response(),
    }
}

async fn export_bundle(state: &AppState, query: ExportQuery) -> Result<String, ExchangeError> {
    let hops = query.hops.unwrap_or(2);
    if hops > MAX_HOPS {
        return Err(ExchangeError::BadRequest(format!(
            "`hops` is {hops}; at most {MAX_HOPS} over HTTP (`claimgraph export` takes more)"
        )));
    }
    let scope = Scope {
        root: query.root,
        hops,
    };
    let read = state.db.read(move |conn| {
        let records = crate::storage::nodes::count(conn)?;
        if records > MAX_RECORDS {
            return Ok(Err(ExchangeError::TooLarge(records)));
        }
        let (set, by_id) = exchange::view(conn)?;
        let mut stamps = Stamps::from_history(by_id);
        if let Some(epoch) = Stamps::epoch_from_env() {
            stamps = stamps.fixed_at(epoch);
        }
        let mut text = Vec::new();
        let written = stix::write(&set, stamps, NAMESPACE, &scope, &[], &mut text);
        Ok(written.map(|_| text).map_err(ExchangeError::from))
    });
    let text = read.await??;
    String::from_utf8(text).map_err(|_| ExchangeError::Internal)
}

/// `POST /import/stix`: a bundle as the body, an editor's token as `Authorization: Bearer`.
pub async fn import(
    state: web::Data<AppState>,
    http: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    match import_bundle(&state, &http, payload).await {
        Ok(imported) => HttpResponse::Ok().json(report(&imported)),
        Err(e) => e.response(),
    }
}

async fn import_bundle(
    state: &AppState,
    http: &HttpRequest,
    payload: web::Payload,
) -> Result<Imported, ExchangeError> {
    let authorization = http
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let editor = match Access::of(&state.tokens, authorization) {
        Access::Editor(name) => name,
        Access::ReadOnlyServer => return Err(ExchangeError::ReadOnly),
        Access::Anonymous => {
            return Err(ExchangeError::Unauthenticated(
                "importing needs an editor's token: send `Authorization: Bearer TOKEN`",
            ));
        }
        Access::Refused => {
            return Err(ExchangeError::Unauthenticated(
                "the token sent is not an editor's token; check it with whoever runs the server",
            ));
        }
    };
    let body = super::transport::body(http, payload, MAX_IMPORT_BYTES)
        .await
        .map_err(|e| ExchangeError::BadRequest(e.to_string()))?;
    let text = String::from_utf8(body)
        .map_err(|_| ExchangeError::BadRequest("the body is not UTF-8 text".to_owned()))?;
    let bundles = import::parse(
        vec![BundleFile {
            path: "request body".into(),
            text,
            on_disk: false,
        }],
        &import::definitions(&NAMESPACE),
    );
    state
        .db
        .write(move |store| {
            store.write(|w| {
                let known = stored::known(&w.connection(), &import::named_ids(&bundles))?;
                let read = import::map(bundles, &known, &NAMESPACE);
                import::write(w, &read, &editor)
            })
        })
        .await
        .map_err(ExchangeError::from)
}

/// The import's outcome as JSON: counts, ids, what became what and what was kept.
fn report(imported: &Imported) -> serde_json::Value {
    let ids = |list: &[(crate::model::EntityType, crate::model::Id)]| -> Vec<String> {
        list.iter().map(|(_, id)| id.to_string()).collect()
    };
    let became: Vec<_> = imported
        .became
        .iter()
        .map(|((stix, record), n)| json!({ "stixType": stix, "recordType": record.trim_end_matches('s'), "count": n }))
        .collect();
    let kept: Vec<_> = imported
        .kept
        .iter()
        .map(|((stix, why), n)| json!({ "stixType": stix, "count": n, "why": why }))
        .collect();
    json!({
        "added": ids(&imported.report.added),
        "changed": ids(&imported.report.changed),
        "unchanged": imported.report.unchanged,
        "read": became,
        "kept": kept,
        "alreadyKept": imported.kept_unchanged,
        "olderSkipped": imported.older,
    })
}
