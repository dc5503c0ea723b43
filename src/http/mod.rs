//! The HTTP layer (actix-web): GraphQL over HTTP, GraphiQL served from the binary, the SDL,
//! and a health check. It talks to the GraphQL layer only, except for the health check's
//! one-statement probe of the database.

mod graphiql;
mod graphql;
mod subscriptions;

use std::sync::Arc;

use actix_web::{HttpResponse, guard, web};

use crate::auth::Tokens;
use crate::graph::ClaimgraphSchema;
use crate::storage::Database;

/// What every worker shares: built once at start.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: ClaimgraphSchema,
    /// The database.
    pub db: Database,
    /// The editors who may write; none makes the server read-only.
    pub tokens: Arc<Tokens>,
}

impl AppState {
    /// A server's state: a fresh schema over `db`, writable by the holders of `tokens`.
    pub fn new(db: Database, tokens: Tokens) -> AppState {
        AppState {
            schema: crate::graph::schema(),
            db,
            tokens: Arc::new(tokens),
        }
    }
}

/// The response header that tells how many SQL statements a GraphQL request ran.
pub const SQL_STATEMENTS_HEADER: &str = "x-sql-statements";

/// Registers every route; `claimgraph serve` and the tests build their apps with this.
pub fn configure(cfg: &mut web::ServiceConfig, state: AppState) {
    cfg.app_data(web::Data::new(state))
        .app_data(web::JsonConfig::default().limit(1 << 20))
        .service(
            web::resource("/graphql")
                .route(
                    web::get()
                        .guard(guard::Header("upgrade", "websocket"))
                        .to(subscriptions::connect),
                )
                .route(web::post().to(graphql::execute))
                .route(web::get().to(graphql::execute)),
        )
        .route("/schema.graphql", web::get().to(schema_sdl))
        .route("/healthz", web::get().to(healthz))
        .route("/", web::get().to(graphiql::page))
        .route("/graphiql/{file}", web::get().to(graphiql::asset));
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

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let probe = state
        .db
        .read(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await;
    match probe {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "unavailable" }))
        }
    }
}
