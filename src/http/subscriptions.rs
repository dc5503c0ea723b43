//! `GET /graphql` with `Upgrade: websocket`: GraphQL subscriptions (and any other operation)
//! over WebSocket, speaking `graphql-transport-ws` (and the older `graphql-ws`).

use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::Data;
use async_graphql_actix_web::GraphQLSubscription;

use super::AppState;
use crate::auth::Access;
use crate::graph::RequestData;

/// The editor's token, from the upgrade request's `Authorization` header or from the
/// `connection_init` payload (`{"Authorization": "Bearer TOKEN"}`), which browsers can send.
fn authorization(header: Option<String>, payload: &serde_json::Value) -> Option<String> {
    let from_payload = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
        .map(str::to_owned);
    from_payload.or(header)
}

/// Upgrades the connection and serves GraphQL over it until the client leaves.
pub async fn connect(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let header = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let db = state.db.clone();
    let tokens = state.tokens.clone();
    GraphQLSubscription::new(state.schema.clone())
        .on_connection_init(move |init| async move {
            let access = Access::of(&tokens, authorization(header, &init).as_deref());
            let mut data = Data::default();
            let mut request_data = RequestData::uncached(db);
            request_data.access = access;
            data.insert(request_data);
            Ok(data)
        })
        .start(&request, payload)
}
