//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP.

use actix_web::{HttpResponse, web};
use async_graphql::{ErrorExtensionValues, Value};
use async_graphql_actix_web::GraphQLRequest;

use super::{AppState, SQL_STATEMENTS_HEADER};
use crate::graph::RequestData;

/// Runs one GraphQL request with fresh loaders, and tells how many SQL statements it took.
pub async fn execute(state: web::Data<AppState>, request: GraphQLRequest) -> HttpResponse {
    let (db, statements) = state.db.counting();
    let mut response = state
        .schema
        .execute(request.into_inner().data(RequestData::new(db)))
        .await;
    // Errors from parsing and validation come without a code; give them one.
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            let mut ext = error
                .extensions
                .take()
                .unwrap_or_else(ErrorExtensionValues::default);
            ext.set("code", Value::from("GRAPHQL_VALIDATION_FAILED"));
            error.extensions = Some(ext);
        }
    }
    HttpResponse::Ok()
        .insert_header((
            SQL_STATEMENTS_HEADER,
            statements
                .load(std::sync::atomic::Ordering::Relaxed)
                .to_string(),
        ))
        .json(response)
}
