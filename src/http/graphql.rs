//! `POST /graphql` and `GET /graphql`: GraphQL over HTTP.

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensionValues, Value};
use async_graphql_actix_web::GraphQLRequest;

use super::{AppState, SQL_STATEMENTS_HEADER};
use crate::auth::Access;
use crate::graph::RequestData;

/// The kind of operation a request would run, if its document parses and names one.
fn operation_type(request: &async_graphql::Request) -> Option<OperationType> {
    let doc = async_graphql::parser::parse_query(&request.query).ok()?;
    let name = request.operation_name.as_deref();
    doc.operations
        .iter()
        .find(|(n, _)| name.is_none() || n.map(|n| n.as_str()) == name)
        .map(|(_, op)| op.node.ty)
}

/// Runs one GraphQL request with fresh loaders, and tells how many SQL statements it took.
pub async fn execute(
    state: web::Data<AppState>,
    http: HttpRequest,
    request: GraphQLRequest,
) -> HttpResponse {
    let request = request.into_inner();
    if http.method() == Method::GET {
        let ty = operation_type(&request);
        if matches!(
            ty,
            Some(OperationType::Mutation | OperationType::Subscription)
        ) {
            // GraphQL over HTTP: GET must not change anything, so a mutation needs POST.
            return HttpResponse::MethodNotAllowed()
                .insert_header(("allow", "POST"))
                .json(serde_json::json!({ "errors": [{
                    "message": "mutations must be sent with POST; GET only reads (subscriptions go over WebSocket)",
                    "extensions": { "code": "METHOD_NOT_ALLOWED" }
                }] }));
        }
    }
    let authorization = http
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let access = Access::of(&state.tokens, authorization);
    let (db, statements) = state.db.counting();
    let mut response = state
        .schema
        .execute(request.data(RequestData::with_access(db, access)))
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
