//! GraphQL subscriptions over a real WebSocket to a real `claimgraph serve` process, speaking
//! `graphql-transport-ws`: a subscriber hears of claims and events that another connection
//! writes over HTTP, its filters (subject and relation; a location and everything inside it)
//! hold back what it did not ask for, and an unknown location is refused with an error.
//!
//! No test waits for time: a test that must know that its subscription is listening writes
//! probes until one is heard (see [`listen`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Response;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::support::live::{self, Live};
use crate::support::{ALICE, BOB, root};

/// The WebSocket subprotocol the server speaks.
const PROTOCOL: &str = "graphql-transport-ws";
/// The source every claim of these tests is asserted in.
const ARTICLE: &str = "article-iraq-syria-bases-attacked-2022-01";
/// Harakat al-Nujaba, an actor of the seed.
const NUJABA: &str = "harakat-al-nujaba";
/// Kata'ib Hezbollah, an actor the tests create.
const KH: &str = "kataib-hezbollah";
/// How long a test waits for a message before it fails.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long [`listen`] waits for a probe's notice before it writes another. Only the pace of
/// its polling: a probe heard late or never heard changes nothing it checks.
const PROBE_INTERVAL: Duration = Duration::from_millis(100);

const CLAIM_CHANGED: &str =
    "subscription { claimChanged { action claim { id relation subject { id } status } } }";
const KATAIB_HEZBOLLAH_BACKED_BY: &str = r#"subscription {
  claimChanged(subject: "kataib-hezbollah", relation: BACKED_BY) {
    action claim { id relation subject { id } status }
  }
}"#;
const EVENT_ADDED_IN_IRAQ: &str =
    r#"subscription { eventAdded(within: "iraq") { id title location { id } } }"#;
const EVENT_ADDED_IN_ATLANTIS: &str =
    r#"subscription { eventAdded(within: "atlantis") { id title location { id } } }"#;

const ASSERT_CLAIM: &str =
    "mutation($input: ClaimInput!) { assertClaim(input: $input) { id version } }";
const SET_CLAIM_STATUS: &str = "mutation($id: ID!, $version: Int!, $status: ClaimStatus!) {
  setClaimStatus(id: $id, version: $version, status: $status, reason: \"a test disputes it\") {
    id version status
  }
}";
const CREATE_EVENT: &str = "mutation($input: EventInput!) { createEvent(input: $input) { id } }";
const CREATE_ACTOR: &str = "mutation($input: ActorInput!) { createActor(input: $input) { id } }";

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A server on the seed, writable by alice and bob, and the directory it runs in.
fn serve() -> (Arc<Live>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let tokens = live::tokens_file(dir.path());
    let seed = root().join("seed");
    let args = [
        "--seed",
        seed.to_str().expect("a UTF-8 seed path"),
        "--tokens",
        tokens.to_str().expect("a UTF-8 tokens path"),
    ];
    let server = Live::start(&args, dir.path());
    (Arc::new(server), dir)
}

/// Runs a mutation as alice over HTTP (a connection of its own) and gives its `data`.
async fn mutate(server: &Arc<Live>, query: &'static str, variables: Value) -> Value {
    let server = Arc::clone(server);
    let (status, body) =
        tokio::task::spawn_blocking(move || server.post(query, variables, Some(ALICE)))
            .await
            .expect("the HTTP request ran");
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "the mutation failed: {body}");
    body["data"].clone()
}

/// Asserts a claim `id`: `subject RELATION object`, asserted by nobody known in the article.
async fn assert_claim(server: &Arc<Live>, id: &str, subject: &str, relation: &str, object: &str) {
    let input = json!({
        "id": id, "subject": subject, "relation": relation, "object": object,
        "assertedBy": "unknown", "source": ARTICLE, "confidence": 70,
    });
    let data = mutate(server, ASSERT_CLAIM, json!({ "input": input })).await;
    assert_eq!(data["assertClaim"], json!({ "id": id, "version": 1 }));
}

/// Creates an attack `id` on 2022-01-06 at `location`, titled "An attack at LOCATION".
async fn create_event(server: &Arc<Live>, id: &str, location: &str) {
    let input = json!({
        "id": id, "kind": "ATTACK", "title": format!("An attack at {location}"),
        "when": { "date": "2022-01-06" }, "location": location, "sources": [ARTICLE],
    });
    let data = mutate(server, CREATE_EVENT, json!({ "input": input })).await;
    assert_eq!(data["createEvent"]["id"], id);
}

/// Opens a WebSocket to the server asking for `graphql-transport-ws`, and has it acknowledged.
async fn connect(server: &Live) -> (Socket, Response) {
    open(server, json!({})).await
}

/// Opens a WebSocket, sends `connection_init` with this payload, and waits for the ack.
async fn open(server: &Live, payload: Value) -> (Socket, Response) {
    let mut request = format!("ws://{}/graphql", server.address)
        .into_client_request()
        .expect("a WebSocket request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(PROTOCOL));
    let (mut socket, response) = connect_async(request).await.expect("the WebSocket opens");
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    let ack = receive(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    (socket, response)
}

/// Opens an acknowledged connection and subscribes to `query` as operation "1".
async fn subscribe(server: &Live, query: &str) -> Socket {
    let (mut socket, _) = connect(server).await;
    let subscribe = json!({
        "id": "1", "type": "subscribe", "payload": { "query": query, "variables": {} },
    });
    send(&mut socket, subscribe).await;
    socket
}

/// A change a subscription reports, written to learn that the subscription is listening.
#[derive(Clone, Copy)]
enum Probe {
    /// A claim that this subject is backed by Iran.
    BackedBy(&'static str),
    /// An attack at this location.
    EventAt(&'static str),
}

impl Probe {
    /// Writes probe number `k`; gives the `data` of the notice it causes.
    async fn write(self, server: &Arc<Live>, k: usize) -> Value {
        match self {
            Probe::BackedBy(subject) => {
                let id = format!("probe-{k}-{subject}-backed-by-iran");
                assert_claim(server, &id, subject, "BACKED_BY", "iran").await;
                claim_change("CREATED", &id, subject, "ASSERTED")
            }
            Probe::EventAt(location) => {
                let id = format!("probe-{k}-attack-at-{location}");
                create_event(server, &id, location).await;
                let event = json!({
                    "id": id, "title": format!("An attack at {location}"),
                    "location": { "id": location },
                });
                json!({ "eventAdded": event })
            }
        }
    }
}

/// Subscribes to `query` as operation "1" and returns once the subscription is listening.
///
/// Nothing in `graphql-transport-ws` tells a client that the server has registered a
/// subscription, and a change committed before that is never reported. So this writes
/// probes, changes the subscription reports, one after another until the notice of one
/// arrives. Notices arrive in the order of the commits, so that notice shows the server
/// listening, and the probes written after it are heard next, in order; they are read here
/// too, and what the socket holds afterwards comes only from what the test writes.
async fn listen(server: &Arc<Live>, query: &str, probe: Probe) -> Socket {
    let mut socket = subscribe(server, query).await;
    let deadline = Instant::now() + PATIENCE;
    let mut written = Vec::new();
    loop {
        assert!(
            Instant::now() < deadline,
            "the subscription heard none of {} probes within {PATIENCE:?}",
            written.len()
        );
        written.push(probe.write(server, written.len() + 1).await);
        let Some(message) = receive_within(&mut socket, PROBE_INTERVAL).await else {
            continue;
        };
        let heard = data_of(message);
        let first = written
            .iter()
            .position(|notice| *notice == heard)
            .unwrap_or_else(|| panic!("a notice no probe caused: {heard}"));
        for later in &written[first + 1..] {
            assert_eq!(&next_data(&mut socket).await, later, "probes out of order");
        }
        return socket;
    }
}

/// Sends one protocol message as a text frame.
async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .expect("the message is sent");
}

/// The next protocol message other than a ping (which is answered), within [`PATIENCE`].
async fn receive(socket: &mut Socket) -> Value {
    receive_within(socket, PATIENCE)
        .await
        .unwrap_or_else(|| panic!("no message within {PATIENCE:?}"))
}

/// The next protocol message other than a ping (which is answered), or `None` if no frame
/// comes within `patience`.
async fn receive_within(socket: &mut Socket, patience: Duration) -> Option<Value> {
    loop {
        let frame = tokio::time::timeout(patience, socket.next())
            .await
            .ok()?
            .expect("the server closed the WebSocket")
            .expect("a WebSocket frame");
        let Message::Text(text) = frame else {
            assert!(
                !frame.is_close(),
                "the server closed the WebSocket: {frame:?}"
            );
            continue;
        };
        let message: Value = serde_json::from_str(&text).expect("a JSON message");
        if message["type"] == "ping" {
            send(socket, json!({ "type": "pong" })).await;
            continue;
        }
        return Some(message);
    }
}

/// A `claimChanged` notice's data: `action` on BACKED_BY claim `id` of `subject`, now `status`.
fn claim_change(action: &str, id: &str, subject: &str, status: &str) -> Value {
    let claim = json!({
        "id": id, "relation": "BACKED_BY", "subject": { "id": subject }, "status": status,
    });
    json!({ "claimChanged": { "action": action, "claim": claim } })
}

/// The `data` of the next message, which must be a `next` of operation "1" without errors.
async fn next_data(socket: &mut Socket) -> Value {
    data_of(receive(socket).await)
}

/// The `data` of a message that must be a `next` of operation "1" without errors.
fn data_of(message: Value) -> Value {
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(message["id"], "1", "{message}");
    assert!(message["payload"].get("errors").is_none(), "{message}");
    message["payload"]["data"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_accepts_the_graphql_transport_ws_subprotocol() {
    let (server, _dir) = serve();
    let (_socket, response) = connect(&server).await;
    let chosen = response.headers().get("Sec-WebSocket-Protocol");
    assert_eq!(chosen.and_then(|v| v.to_str().ok()), Some(PROTOCOL));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscriber_receives_a_claim_asserted_by_another_connection() {
    let (server, _dir) = serve();
    let mut socket = listen(&server, CLAIM_CHANGED, Probe::BackedBy(NUJABA)).await;

    let id = "nujaba-backed-by-iran";
    assert_claim(&server, id, NUJABA, "BACKED_BY", "iran").await;

    let change = next_data(&mut socket).await;
    assert_eq!(change, claim_change("CREATED", id, NUJABA, "ASSERTED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscriber_gets_only_the_claims_its_filter_asks_for() {
    let (server, _dir) = serve();
    let actor = json!({ "id": KH, "kind": "ARMED_GROUP", "name": "Kata'ib Hezbollah" });
    let data = mutate(&server, CREATE_ACTOR, json!({ "input": actor })).await;
    assert_eq!(data["createActor"]["id"], KH);
    let mut socket = listen(&server, KATAIB_HEZBOLLAH_BACKED_BY, Probe::BackedBy(KH)).await;

    // Another subject with the relation, and the subject with another relation: not asked for.
    assert_claim(&server, "other-subject", NUJABA, "BACKED_BY", "iran").await;
    assert_claim(&server, "other-relation", KH, "OPPOSES", "us-forces").await;
    let wanted = "kh-backed-by-iran";
    assert_claim(&server, wanted, KH, "BACKED_BY", "iran").await;

    let first = next_data(&mut socket).await;
    assert_eq!(first, claim_change("CREATED", wanted, KH, "ASSERTED"));

    let status = json!({ "id": wanted, "version": 1, "status": "DISPUTED" });
    let data = mutate(&server, SET_CLAIM_STATUS, status).await;
    assert_eq!(data["setClaimStatus"]["version"], 2, "{data}");

    let second = next_data(&mut socket).await;
    let disputed = claim_change("STATUS_CHANGED", wanted, KH, "DISPUTED");
    assert_eq!(second, disputed);
}

#[tokio::test(flavor = "multi_thread")]
async fn event_added_within_a_location_includes_places_inside_it() {
    let (server, _dir) = serve();
    let mut socket = listen(&server, EVENT_ADDED_IN_IRAQ, Probe::EventAt("iraq")).await;

    create_event(&server, "attack-in-syria", "syria").await;
    // Ayn al-Assad lies in Anbar, which lies in Iraq.
    create_event(&server, "attack-in-anbar", "ayn-al-assad").await;

    let first = next_data(&mut socket).await;
    let event = json!({
        "id": "attack-in-anbar", "title": "An attack at ayn-al-assad",
        "location": { "id": "ayn-al-assad" },
    });
    assert_eq!(first, json!({ "eventAdded": event }));
}

#[tokio::test(flavor = "multi_thread")]
async fn event_added_with_an_unknown_location_is_an_error() {
    let (server, _dir) = serve();
    let mut socket = subscribe(&server, EVENT_ADDED_IN_ATLANTIS).await;

    // As in the reference graphql-ws server, an error raised by the subscription's resolver
    // arrives as one `next` carrying `errors` (then `complete`); `error` is kept for
    // documents that do not validate.
    let message = receive(&mut socket).await;
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(message["id"], "1", "{message}");
    assert!(message["payload"]["data"].is_null(), "{message}");
    let errors = message["payload"]["errors"]
        .as_array()
        .expect("a list of errors");
    assert_eq!(errors.len(), 1, "{message}");
    assert_eq!(
        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
        "{message}"
    );
}

/// An acknowledged socket whose `connection_init` carried this payload.
async fn connect_with(server: &Live, payload: Value) -> Socket {
    open(server, payload).await.0
}

/// Runs one operation as "1" on the socket and gives its single `next` payload.
async fn run_once(socket: &mut Socket, query: &str) -> Value {
    let subscribe = json!({
        "id": "1", "type": "subscribe", "payload": { "query": query, "variables": {} },
    });
    send(socket, subscribe).await;
    let message = receive(socket).await;
    assert_eq!(message["type"], "next", "{message}");
    message["payload"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_may_write_over_the_socket_with_the_token_in_connection_init() {
    let (server, _dir) = serve();
    let mutation = format!(
        r#"mutation {{ assertClaim(input: {{ id: "over-the-socket", subject: "{NUJABA}", relation: BACKED_BY, object: "iran", assertedBy: "unknown", source: "{ARTICLE}", confidence: 55 }}) {{ id history {{ editor }} }} }}"#
    );
    let mut anonymous = connect_with(&server, json!({})).await;
    let refused = run_once(&mut anonymous, &mutation).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{refused}"
    );
    let mut editor = connect_with(
        &server,
        json!({ "Authorization": format!("Bearer {}", BOB) }),
    )
    .await;
    let written = run_once(&mut editor, &mutation).await;
    assert_eq!(
        written["data"]["assertClaim"],
        json!({ "id": "over-the-socket", "history": [{ "editor": "bob" }] }),
        "{written}"
    );
}
