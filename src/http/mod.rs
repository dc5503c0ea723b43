//! The HTTP layer (actix-web): GraphQL over HTTP, GraphiQL and the explorer served from the
//! binary, the SDL, and a health check. It talks to the GraphQL layer only, except for the
//! health check's one-statement probe of the database.

mod apq;
pub mod cors;
mod embedded;
pub mod error;
pub mod exchange;
mod explore;
mod graphiql;
mod graphql;
pub mod limits;
pub mod metrics;
pub mod peer;
pub mod reply;
mod transport;
pub mod ws;

use std::sync::Arc;

use actix_web::{HttpResponse, guard, web};

use crate::auth::Tokens;
use crate::graph::ClaimgraphSchema;
use crate::graph::cost::Shape;
use crate::storage::Database;
pub use ws::{Sockets, WsConfig};

pub use graphql::REQUEST_ID_HEADER;
pub use limits::ServerLimits;

/// What every worker shares: built once at start.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: ClaimgraphSchema,
    /// The database.
    pub db: Database,
    /// The editors who may write; none makes the server read-only.
    pub tokens: Arc<Tokens>,
    /// The limits and Origin allow-list of GraphQL over WebSocket.
    pub ws: Arc<WsConfig>,
    /// The open WebSockets: gauges, and closing them all at shutdown.
    pub sockets: Sockets,
    /// The change notices subscribers hear, for readiness.
    pub notices: crate::edit::Notices,
    /// What requests may cost and how long they may take.
    pub limits: Arc<ServerLimits>,
    /// The schema's shape, for measuring documents.
    shape: Arc<Shape>,
    /// Automatic persisted queries, by hash.
    persisted: Arc<apq::PersistedQueries>,
    /// What the server has counted, for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Origins whose pages may call the API from a browser (`*`: any).
    pub cors_origins: Arc<Vec<String>>,
}

impl AppState {
    /// A server's state: a fresh schema over `db`, writable by the holders of `tokens`.
    pub fn new(db: Database, tokens: Tokens) -> AppState {
        AppState::with_limits(db, tokens, ServerLimits::default())
    }

    /// A server's state with `limits` instead of the defaults.
    pub fn with_limits(db: Database, tokens: Tokens, limits: ServerLimits) -> AppState {
        let notices = crate::edit::Notices::for_database(&db);
        let schema = crate::graph::schema_with(notices.clone());
        db.set_read_wait(limits.read_wait);
        AppState {
            shape: Arc::new(Shape::from_sdl(&schema.sdl())),
            persisted: Arc::new(apq::PersistedQueries::new(limits.persisted_queries)),
            limits: Arc::new(limits),
            schema,
            db,
            tokens: Arc::new(tokens),
            cors_origins: Arc::new(Vec::new()),
            metrics: Arc::new(metrics::Metrics::default()),
            ws: Arc::new(WsConfig::default()),
            sockets: Sockets::default(),
            notices,
        }
    }

    /// This state, letting pages of `origins` call the API from a browser.
    pub fn with_cors(mut self, origins: Vec<String>) -> AppState {
        self.cors_origins = Arc::new(origins);
        self
    }

    /// The same state with these WebSocket limits and origins instead of the defaults.
    pub fn with_ws(mut self, config: WsConfig) -> AppState {
        self.ws = Arc::new(config);
        self
    }
}

/// The response header that tells how many SQL statements a GraphQL request ran.
pub const SQL_STATEMENTS_HEADER: &str = "x-sql-statements";

/// Registers every route; `claimgraph serve` and the tests build their apps with this.
pub fn configure(cfg: &mut web::ServiceConfig, state: AppState) {
    let cors = cors::policy(&state.cors_origins);
    cfg.app_data(web::Data::new(state))
        .service(
            web::resource("/graphql")
                .wrap(cors)
                .wrap(actix_web::middleware::from_fn(cors::refusals_as_graphql))
                .route(
                    web::get()
                        .guard(guard::Header("upgrade", "websocket"))
                        .to(ws::connect),
                )
                .route(web::post().to(graphql::execute))
                .route(web::get().to(graphql::execute))
                .default_service(web::to(graphql::execute)),
        )
        .route("/schema.graphql", web::get().to(schema_sdl))
        .route("/export/stix", web::get().to(exchange::export))
        .route("/import/stix", web::post().to(exchange::import))
        .route("/metrics", web::get().to(metrics_text))
        .route("/healthz", web::get().to(healthz))
        .route("/healthz", web::head().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/readyz", web::head().to(readyz))
        .route("/", web::get().to(graphiql::page))
        .route("/", web::head().to(graphiql::page))
        .route("/graphiql/{file}", web::get().to(graphiql::asset))
        .route("/explore", web::get().to(explore::page))
        .route("/explore/", web::get().to(explore::page))
        .route("/explore/node/{id:.+}", web::get().to(explore::page))
        .route("/explore/map", web::get().to(explore::page))
        .route("/explore/timeline", web::get().to(explore::page))
        .route("/explore/paths", web::get().to(explore::page))
        .route("/explore/assets/{file}", web::get().to(explore::asset));
}

async fn schema_sdl(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(
            state
                .schema
                .sdl_with_options(crate::graph::scalars::sdl_options()),
        )
}

async fn metrics_text(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(
            state
                .metrics
                .render(&state.db, state.sockets.subscriptions()),
        )
}

/// Readiness, for a load balancer: 200 when this replica can answer and its subscribers hear
/// every committed change (on PostgreSQL, while its change listener is connected); 503 with
/// the reason otherwise, so that traffic goes to the other replicas meanwhile.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    if crate::storage::health::damaged() {
        return not_ready("the database is damaged; see the server log");
    }
    if let Err(e) = state.db.probe().await {
        if let Some(dropped) = crate::throttle::allow("http::readyz") {
            tracing::warn!(error = %e, dropped, "not ready: the database does not answer");
        }
        return not_ready("the database does not answer");
    }
    if !state.notices.is_ready() {
        return not_ready(
            "the change listener is not connected to the database; subscriptions would miss changes",
        );
    }
    HttpResponse::Ok().json(serde_json::json!({ "status": "ready" }))
}

fn not_ready(reason: &str) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .json(serde_json::json!({ "status": "not ready", "reason": reason }))
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    if crate::storage::health::damaged() {
        return HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "damaged",
            "reason": "the database file is damaged (a read met a corrupt page); see the server log"
        }));
    }
    // A connection of its own: requests that hold every read connection do not starve it.
    match state.db.probe().await {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            if let Some(dropped) = crate::throttle::allow("http::healthz") {
                tracing::error!(error = %e, dropped, "health check failed");
            }
            HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "unavailable" }))
        }
    }
}
