//! `GET /graphql` with `Upgrade: websocket`: GraphQL over WebSocket with the
//! `graphql-transport-ws` protocol, on `actix-ws`.
//!
//! Everything a client can make the server hold is bounded: the time before
//! `connection_init` ([`WsConfig::init_timeout`]), the operations running on a socket
//! ([`WsConfig::max_subscriptions`]), the size of a message ([`WsConfig::max_frame_bytes`])
//! and the messages waiting for a client that does not read ([`WsConfig::queue`]: past it
//! the socket is closed, not buffered), the sockets one client holds
//! ([`WsConfig::max_sockets_per_client`]), and how long a silent peer keeps its socket
//! ([`WsConfig::ping_interval`]: pinged, then closed). Browsers from other sites are refused
//! at the upgrade ([`WsConfig::allowed_origins`]), since a WebSocket is not covered by CORS.
//!
//! The legacy `graphql-ws` subprotocol (of the deprecated `subscriptions-transport-ws`) is
//! refused with 400 and a message naming the one spoken: it has no `connection_init`
//! timeout, no duplicate-id rule and different message names, and every maintained client
//! (graphql-ws, Apollo Client 3.5+, urql, GraphiQL) speaks `graphql-transport-ws`.

mod protocol;
mod session;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use async_graphql::ServerError;
use tokio::sync::watch;

use super::AppState;
use crate::auth::Access;
use protocol::{LEGACY_PROTOCOL, PROTOCOL};

/// The limits and the Origin allow-list of GraphQL over WebSocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsConfig {
    /// How long a socket may stay open before its `connection_init` (then closed with 4408).
    pub init_timeout: Duration,
    /// Operations running at once on one socket; one more gets an `error`
    /// (`TOO_MANY_SUBSCRIPTIONS`).
    pub max_subscriptions: usize,
    /// The largest message a client may send, in bytes (larger: closed with 1009).
    pub max_frame_bytes: usize,
    /// Messages that may wait for a client that does not read; one more closes the socket
    /// with 1013.
    pub queue: usize,
    /// Origins (`https://app.example.org`, or `*` for any) whose pages may open a socket,
    /// besides the server's own; a request without `Origin` (not a browser) is always let in.
    pub allowed_origins: Vec<String>,
    /// After this long without a word from the client the server pings it; after as long
    /// again with no answer the socket is closed (1001), so that dead peers do not hold
    /// sockets. Zero turns pings off.
    pub ping_interval: Duration,
    /// Sockets one client (one IP address) may hold open at once; zero for no limit.
    pub max_sockets_per_client: usize,
}

impl Default for WsConfig {
    fn default() -> Self {
        WsConfig {
            init_timeout: Duration::from_secs(10),
            max_subscriptions: 100,
            max_frame_bytes: 64 * 1024,
            queue: 256,
            allowed_origins: Vec::new(),
            ping_interval: Duration::from_secs(30),
            max_sockets_per_client: 64,
        }
    }
}

/// The open sockets of a server: counts for metrics, and closing them all at shutdown.
/// Clones share the registry.
#[derive(Clone)]
pub struct Sockets(Arc<Registry>);

struct Registry {
    sockets: AtomicUsize,
    operations: AtomicUsize,
    shutdown: watch::Sender<bool>,
    /// Sockets open per client address.
    per_client: Mutex<HashMap<IpAddr, usize>>,
}

impl Default for Sockets {
    fn default() -> Self {
        Sockets(Arc::new(Registry {
            sockets: AtomicUsize::new(0),
            operations: AtomicUsize::new(0),
            shutdown: watch::Sender::new(false),
            per_client: Mutex::new(HashMap::new()),
        }))
    }
}

/// One of a client's open sockets, given back when dropped.
pub(super) struct ClientSlot {
    sockets: Sockets,
    client: IpAddr,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.sockets.0.per_client.lock()
            && let Some(n) = open.get_mut(&self.client)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

impl std::fmt::Debug for Sockets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sockets")
            .field("open", &self.open())
            .field("subscriptions", &self.subscriptions())
            .finish()
    }
}

impl Sockets {
    /// Operations running over WebSocket now (subscriptions, and the odd query or mutation
    /// while it runs): a gauge for metrics.
    pub fn subscriptions(&self) -> usize {
        self.0.operations.load(Ordering::Relaxed)
    }

    /// WebSockets open now: a gauge for metrics.
    pub fn open(&self) -> usize {
        self.0.sockets.load(Ordering::Relaxed)
    }

    /// Closes every open socket with 1001 "server shutting down", and every socket opened
    /// from now on as soon as it opens; for a graceful shutdown, before the server stops.
    pub fn close_all(&self) {
        self.0.shutdown.send_replace(true);
    }

    /// Tells when [`Sockets::close_all`] is called.
    fn shutdown(&self) -> watch::Receiver<bool> {
        self.0.shutdown.subscribe()
    }

    /// A socket slot for `client`, if it holds fewer than `max` (0: no limit).
    fn claim(&self, client: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut open = self.0.per_client.lock().ok()?;
        let n = open.entry(client).or_insert(0);
        if max > 0 && *n >= max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            sockets: self.clone(),
            client,
        })
    }

    /// Counts one socket while the guard lives.
    fn socket(&self) -> Counted {
        Counted::new(self.clone(), |r| &r.sockets)
    }

    /// Counts one operation while the guard lives.
    fn operation(&self) -> Counted {
        Counted::new(self.clone(), |r| &r.operations)
    }
}

/// One unit of a gauge, given back when dropped: an operation's task that is aborted still
/// drops it.
struct Counted {
    sockets: Sockets,
    gauge: fn(&Registry) -> &AtomicUsize,
}

impl Counted {
    fn new(sockets: Sockets, gauge: fn(&Registry) -> &AtomicUsize) -> Counted {
        gauge(&sockets.0).fetch_add(1, Ordering::Relaxed);
        Counted { sockets, gauge }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        (self.gauge)(&self.sockets.0).fetch_sub(1, Ordering::Relaxed);
    }
}

/// Whether `request` may run, decided before it does: the one admission point of operations
/// over WebSocket, measuring the document against the caller's limits as `POST /graphql`
/// does. Its errors go to the client as the operation's `error` message; when it may run,
/// whether it is a subscription (which lasts, so it gets no deadline). The parsed document
/// goes into the request, so that it is not parsed a second time.
pub fn admit(
    state: &AppState,
    request: &mut async_graphql::Request,
    access: &Access,
) -> Result<bool, Vec<ServerError>> {
    let limits = if matches!(access, Access::Editor(_)) {
        &state.limits.editor
    } else {
        &state.limits.anonymous
    };
    let measured = crate::graph::cost::admit(
        &state.shape,
        limits,
        &request.query,
        request.operation_name.as_deref(),
        &request.variables,
    );
    match measured {
        Ok((doc, _)) => {
            let lasting = doc.operations.iter().any(|(name, op)| {
                let chosen = request
                    .operation_name
                    .as_deref()
                    .is_none_or(|want| name.is_some_and(|n| n.as_str() == want));
                chosen && op.node.ty == async_graphql::parser::types::OperationType::Subscription
            });
            request.set_parsed_query(doc);
            Ok(lasting)
        }
        Err(e) => Err(vec![server_error(&super::error::HttpError::Cost(e))]),
    }
}

/// An HTTP-layer error as a GraphQL error of a WebSocket operation, with the same
/// extensions as over HTTP.
fn server_error(error: &super::error::HttpError) -> ServerError {
    let json = error.to_graphql();
    let mut out = ServerError::new(error.to_string(), None);
    if let Some(ext) = json.get("extensions").and_then(|e| e.as_object()) {
        let mut values = async_graphql::ErrorExtensionValues::default();
        for (k, v) in ext {
            if let Ok(v) = async_graphql::Value::from_json(v.clone()) {
                values.set(k.as_str(), v);
            }
        }
        out.extensions = Some(values);
    }
    out
}

/// A refusal of the upgrade, as GraphQL-over-HTTP errors are shaped.
fn refuse(mut response: actix_web::HttpResponseBuilder, code: &str, message: &str) -> HttpResponse {
    response.json(serde_json::json!({ "errors": [{
        "message": message,
        "extensions": { "code": code }
    }] }))
}

/// An origin as browsers send it, for comparison: lower case, without a trailing slash.
fn normalised(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Whether a page from `origin` may open a socket on a server reached as `hosts`.
///
/// Browsers send `Origin` with every WebSocket upgrade and let any page open one to any
/// server, with the user's cookies; checking it is what keeps another site's page from
/// speaking to this server as its visitor.
fn origin_allowed(origin: &str, hosts: &[&str], allowed: &[String]) -> bool {
    let wanted = normalised(origin);
    if allowed
        .iter()
        .any(|a| a.trim() == "*" || normalised(a) == wanted)
    {
        return true;
    }
    let Ok(url) = url::Url::parse(&wanted) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    // `Origin` always leaves out a default port; `Host` usually does.
    let (exact, default) = match url.port() {
        Some(port) => (format!("{host}:{port}"), None),
        None => (
            host.to_owned(),
            url.port_or_known_default().map(|p| format!("{host}:{p}")),
        ),
    };
    hosts.iter().any(|h| {
        let h = h.to_ascii_lowercase();
        h == exact || Some(&h) == default.as_ref()
    })
}

/// The subprotocols a client offers, in its order.
fn offered(request: &HttpRequest) -> Vec<String> {
    request
        .headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Upgrades the connection and serves GraphQL over it until either side closes it.
pub async fn connect(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let info = request.connection_info().clone();
        let mut hosts = vec![info.host()];
        if let Some(host) = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
        {
            hosts.push(host);
        }
        if !origin_allowed(origin, &hosts, &state.ws.allowed_origins) {
            tracing::info!(origin, "refused a WebSocket from an origin not allowed");
            return refuse(
                HttpResponse::Forbidden(),
                "CORS_REFUSED",
                &format!(
                    "WebSocket connections from the origin {origin:?} are not allowed; \
                     the server's operator can allow it"
                ),
            );
        }
    }
    // Without a peer address (only in tests' in-process requests) every socket counts as one
    // client's.
    let client = request
        .peer_addr()
        .map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip());
    let max = state.ws.max_sockets_per_client;
    let Some(slot) = state.sockets.claim(client, max) else {
        tracing::info!(%client, max, "refused a WebSocket: the client holds the most it may");
        return refuse(
            HttpResponse::TooManyRequests(),
            "TOO_MANY_SOCKETS",
            &format!(
                "this client already holds {max} open WebSockets, the most one client may; \
                 close one, or run operations on one socket (up to the operations limit)"
            ),
        );
    };
    let offered = offered(&request);
    if !offered.iter().any(|p| p == PROTOCOL) {
        let message = if offered.iter().any(|p| p == LEGACY_PROTOCOL) {
            format!(
                "the `{LEGACY_PROTOCOL}` subprotocol (subscriptions-transport-ws) is deprecated \
                 and not served; use `{PROTOCOL}` (the graphql-ws library, Apollo Client 3.5+)"
            )
        } else {
            format!("ask for the `{PROTOCOL}` subprotocol (Sec-WebSocket-Protocol)")
        };
        return refuse(
            HttpResponse::BadRequest(),
            "SUBPROTOCOL_NOT_ACCEPTABLE",
            &message,
        );
    }
    let (response, socket, messages) =
        match actix_ws::handle_with_protocols(&request, body, &[PROTOCOL]) {
            Ok(upgraded) => upgraded,
            Err(e) => return e.error_response(),
        };
    let config = &state.ws;
    let messages = messages
        .max_frame_size(config.max_frame_bytes)
        .aggregate_continuations()
        .max_continuation_size(config.max_frame_bytes);
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let state = state.get_ref().clone();
    actix_web::rt::spawn(session::run(state, socket, messages, authorization, slot));
    response
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::{Sockets, origin_allowed};

    #[test]
    fn the_gauges_count_what_is_open_and_forget_what_is_dropped() {
        let sockets = Sockets::default();
        let socket = sockets.socket();
        let first = sockets.operation();
        let second = sockets.operation();
        assert_eq!((sockets.open(), sockets.subscriptions()), (1, 2));
        drop(first);
        drop(socket);
        assert_eq!((sockets.open(), sockets.subscriptions()), (0, 1));
        drop(second);
        assert_eq!(sockets.subscriptions(), 0);
    }

    #[test]
    fn a_client_gets_as_many_sockets_as_allowed_and_a_dropped_one_frees_its_place() {
        let sockets = Sockets::default();
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let first = sockets.claim(a, 2);
        let second = sockets.claim(a, 2);
        assert!(first.is_some() && second.is_some());
        assert!(sockets.claim(a, 2).is_none());
        assert!(
            sockets.claim(b, 2).is_some(),
            "another client has its own count"
        );
        drop(first);
        assert!(sockets.claim(a, 2).is_some());
        let unlimited: Vec<_> = (0..1000).filter_map(|_| sockets.claim(b, 0)).collect();
        assert_eq!(unlimited.len(), 1000);
    }

    #[test]
    fn close_all_reaches_sockets_opened_before_and_after() {
        let sockets = Sockets::default();
        let before = sockets.shutdown();
        sockets.close_all();
        assert!(*before.borrow());
        assert!(*sockets.shutdown().borrow());
    }

    #[test]
    fn the_servers_own_origin_is_allowed() {
        assert!(origin_allowed(
            "http://127.0.0.1:8080",
            &["127.0.0.1:8080"],
            &[]
        ));
        assert!(origin_allowed("https://Example.org", &["example.org"], &[]));
        assert!(origin_allowed(
            "https://example.org",
            &["example.org:443"],
            &[]
        ));
    }

    #[test]
    fn another_origin_needs_the_allow_list() {
        let list = vec!["https://app.example.org/".to_owned()];
        assert!(!origin_allowed(
            "https://evil.example",
            &["example.org"],
            &list
        ));
        assert!(!origin_allowed(
            "http://example.org:81",
            &["example.org"],
            &[]
        ));
        assert!(!origin_allowed("null", &["example.org"], &[]));
        assert!(origin_allowed(
            "https://app.example.org",
            &["example.org"],
            &list
        ));
        assert!(origin_allowed("null", &["x"], &["*".to_owned()]));
    }
}
