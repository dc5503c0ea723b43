//! GraphQL subscriptions over a real WebSocket to a real `claimgraph serve` process, speaking
//! `graphql-transport-ws`: a subscriber hears of claims and events that another connection
//! writes over HTTP, its filters (subject and relation; a location and everything inside it)
//! hold back what it did not ask for, and an unknown location is refused with an error.
//!
//! The protocol's rules are held to as well: each close code of `graphql-transport-ws` (4400,
//! 4401, 4408, 4409, 4429), `ping`, `complete`, the limits of a socket (operations at once,
//! message size, messages waiting for a client that does not read) and the Origin check.
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
use tokio_tungstenite::tungstenite::handshake::client::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::support::engine;
use crate::support::live::{self, Live};
use crate::support::{ALICE, BOB, root};

/// The WebSocket subprotocol the server speaks.
const PROTOCOL: &str = "graphql-transport-ws";
/// The source every claim of these tests is asserted in.
pub(crate) const ARTICLE: &str = "article-iraq-syria-bases-attacked-2022-01";
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

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A server on the seed, writable by alice and bob, and the directory it runs in.
fn serve() -> (Arc<Live>, tempfile::TempDir) {
    serve_with(&[])
}

/// [`serve`] with these arguments too.
pub(crate) fn serve_with(extra: &[&str]) -> (Arc<Live>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let tokens = live::tokens_file(dir.path());
    let seed = root().join("seed");
    let mut args = vec![
        "--seed",
        seed.to_str().expect("a UTF-8 seed path"),
        "--tokens",
        tokens.to_str().expect("a UTF-8 tokens path"),
    ];
    args.extend_from_slice(extra);
    // With the suite on PostgreSQL, these servers keep the graph there too, so that every
    // notice travels through the database (LISTEN/NOTIFY) as it does between replicas.
    let postgres = engine::fresh_postgres();
    if let Some(url) = &postgres {
        args.extend_from_slice(&["--db", url.as_str()]);
    }
    let server = Live::start(&args, dir.path());
    (Arc::new(server), dir)
}

/// Two replicas on one PostgreSQL database: a claim asserted through one is heard by a
/// subscriber of the other and read back through it at once. (SQLite has one writing
/// process per file, so there the test has nothing to check and says so.)
#[tokio::test(flavor = "multi_thread")]
async fn a_claim_asserted_through_one_replica_reaches_the_subscribers_and_reads_of_another() {
    let Some(url) = engine::fresh_postgres() else {
        eprintln!(
            "replicas need PostgreSQL: set {} to run this test",
            engine::TEST_PG
        );
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let tokens = live::tokens_file(dir.path());
    let seed = root().join("seed");
    let (seed, tokens) = (
        seed.to_str().expect("UTF-8"),
        tokens.to_str().expect("UTF-8"),
    );
    let a = Arc::new(Live::start(
        &["--db", &url, "--seed", seed, "--tokens", tokens],
        dir.path(),
    ));
    let b = Arc::new(Live::start(&["--db", &url, "--tokens", tokens], dir.path()));
    // Ready once each has its change listener connected, which takes a moment after start.
    for replica in [&a, &b] {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, body) =
                live::http(&replica.address, "GET", "/readyz", "", "").expect("/readyz answers");
            if status == 200 {
                break;
            }
            assert!(Instant::now() < deadline, "never ready: {status} {body}");
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
    }
    let mut on_b = listen(&b, CLAIM_CHANGED, Probe::BackedBy(NUJABA)).await;

    assert_claim(&a, "asserted-through-a", NUJABA, "BACKED_BY", "iran").await;
    assert_eq!(
        next_data(&mut on_b).await,
        claim_change("CREATED", "asserted-through-a", NUJABA, "ASSERTED")
    );
    let (status, read) = b.post(
        "{ claim(id: \"asserted-through-a\") { id version subject { id } } }",
        json!({}),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(
        read["data"]["claim"],
        json!({ "id": "asserted-through-a", "version": 1, "subject": { "id": NUJABA } })
    );

    // And the other way round.
    // Probes of another subject: those of NUJABA above are taken.
    let mut on_a = listen(
        &a,
        CLAIM_CHANGED,
        Probe::BackedBy("saraya-qasem-al-jabarin"),
    )
    .await;
    assert_claim(&b, "asserted-through-b", NUJABA, "BACKED_BY", "iran").await;
    assert_eq!(
        next_data(&mut on_a).await,
        claim_change("CREATED", "asserted-through-b", NUJABA, "ASSERTED")
    );
}

/// Runs a mutation as alice over HTTP (a connection of its own) and gives its `data`.
pub(crate) async fn mutate(server: &Arc<Live>, query: &'static str, variables: Value) -> Value {
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

/// An upgrade request to the server's `/graphql` asking for `graphql-transport-ws`.
fn upgrade(server: &Live) -> Request {
    let mut request = format!("ws://{}/graphql", server.address)
        .into_client_request()
        .expect("a WebSocket request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(PROTOCOL));
    request
}

/// Opens a WebSocket and sends nothing on it.
async fn open_bare(server: &Live) -> Socket {
    connect_async(upgrade(server))
        .await
        .expect("the WebSocket opens")
        .0
}

/// Opens a WebSocket, sends `connection_init` with this payload, and waits for the ack.
async fn open(server: &Live, payload: Value) -> (Socket, Response) {
    let (mut socket, response) = connect_async(upgrade(server))
        .await
        .expect("the WebSocket opens");
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
pub(crate) enum Probe {
    /// A claim that this subject is backed by Iran.
    BackedBy(&'static str),
    /// An attack at this location.
    EventAt(&'static str),
    /// U.S. forces saying they cannot tell whether this claim holds, heard by a subscription
    /// that selects [`STANCE_CHANGE`].
    StanceOn(&'static str),
}

/// What the stance subscriptions of these tests select of each change.
pub(crate) const STANCE_CHANGE: &str =
    "{ action stance { id position actor { id } claim { id } } }";

/// A `stanceChanged` notice's data, as [`STANCE_CHANGE`] selects it.
pub(crate) fn stance_change(
    action: &str,
    id: &str,
    actor: &str,
    position: &str,
    claim: &str,
) -> Value {
    let stance = json!({
        "id": id, "position": position, "actor": { "id": actor }, "claim": { "id": claim },
    });
    json!({ "stanceChanged": { "action": action, "stance": stance } })
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
            Probe::StanceOn(claim) => {
                let id = format!("probe-{k}-us-forces-uncertain");
                let input = json!({
                    "id": id, "claim": claim, "actor": "us-forces", "position": "UNCERTAIN",
                    "assertedBy": "unknown", "source": ARTICLE, "confidence": 50,
                });
                let take = "mutation($input: StanceInput!) { takeStance(input: $input) { id } }";
                let data = mutate(server, take, json!({ "input": input })).await;
                assert_eq!(data["takeStance"]["id"], id);
                stance_change("CREATED", &id, "us-forces", "UNCERTAIN", claim)
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
pub(crate) async fn listen(server: &Arc<Live>, query: &str, probe: Probe) -> Socket {
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
pub(crate) async fn receive_within(socket: &mut Socket, patience: Duration) -> Option<Value> {
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
pub(crate) async fn next_data(socket: &mut Socket) -> Value {
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
async fn a_subscriber_touching_a_node_gets_claims_with_it_at_either_end() {
    const TOUCHING_KH: &str = r#"subscription {
  claimChanged(touching: "kataib-hezbollah") { action claim { id relation subject { id } status } }
}"#;
    let (server, _dir) = serve();
    let actor = json!({ "id": KH, "kind": "ARMED_GROUP", "name": "Kata'ib Hezbollah" });
    mutate(&server, CREATE_ACTOR, json!({ "input": actor })).await;
    let mut socket = listen(&server, TOUCHING_KH, Probe::BackedBy(KH)).await;

    // Neither end is Kata'ib Hezbollah: not asked for.
    assert_claim(&server, "elsewhere", NUJABA, "BACKED_BY", "iran").await;
    // Kata'ib Hezbollah as the object, then as the subject.
    assert_claim(&server, "nujaba-backed-by-kh", NUJABA, "BACKED_BY", KH).await;
    assert_claim(&server, "kh-backed-by-iran", KH, "BACKED_BY", "iran").await;

    let first = next_data(&mut socket).await;
    assert_eq!(
        first,
        claim_change("CREATED", "nujaba-backed-by-kh", NUJABA, "ASSERTED")
    );
    let second = next_data(&mut socket).await;
    assert_eq!(
        second,
        claim_change("CREATED", "kh-backed-by-iran", KH, "ASSERTED")
    );
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

/// Reads frames until the server's close frame; gives its code and reason. Messages before
/// it are counted, not checked.
async fn closed(socket: &mut Socket) -> (u16, String, usize) {
    let mut before = 0;
    loop {
        let frame = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no close frame within {PATIENCE:?}"))
            .expect("a close frame before the end of the connection")
            .expect("a WebSocket frame");
        match frame {
            Message::Close(Some(close)) => {
                return (u16::from(close.code), close.reason.to_string(), before);
            }
            Message::Close(None) => panic!("a close frame without a code"),
            Message::Text(_) | Message::Binary(_) => before += 1,
            _ => {}
        }
    }
}

/// Sends this text frame and gives the code and reason the server closes the socket with.
async fn closed_after(socket: &mut Socket, text: &str) -> (u16, String) {
    socket
        .send(Message::text(text))
        .await
        .expect("the frame is sent");
    let (code, reason, _) = closed(socket).await;
    (code, reason)
}

/// A `subscribe` message of operation `id`.
fn subscribe_message(id: &str, query: &str) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query } })
}

/// The `error` message a refused upgrade carries in its body, and its HTTP status.
async fn refused_upgrade(request: Request) -> (u16, Value) {
    match connect_async(request).await {
        Ok(_) => panic!("the upgrade was accepted"),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let body = response.body().clone().unwrap_or_default();
            let body = serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
            (response.status().as_u16(), body)
        }
        Err(e) => panic!("the upgrade failed otherwise: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_socket_without_connection_init_is_closed_with_4408() {
    let (server, _dir) = serve_with(&["--ws-init-timeout", "1"]);
    let mut socket = open_bare(&server).await;
    let (code, reason, before) = closed(&mut socket).await;
    assert_eq!(
        (code, reason.as_str(), before),
        (4408, "Connection initialisation timeout", 0)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_connection_init_closes_the_socket_with_4429() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let init = json!({ "type": "connection_init" }).to_string();
    let closed = closed_after(&mut socket, &init).await;
    assert_eq!(closed, (4429, "Too many initialisation requests".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn subscribe_before_the_ack_closes_the_socket_with_4401() {
    let (server, _dir) = serve();
    let mut socket = open_bare(&server).await;
    let subscribe = subscribe_message("1", CLAIM_CHANGED).to_string();
    let closed = closed_after(&mut socket, &subscribe).await;
    assert_eq!(closed, (4401, "Unauthorized".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_subscribe_with_a_running_id_closes_the_socket_with_4409() {
    let (server, _dir) = serve();
    let mut socket = subscribe(&server, CLAIM_CHANGED).await;
    let again = subscribe_message("1", CLAIM_CHANGED).to_string();
    let closed = closed_after(&mut socket, &again).await;
    assert_eq!(closed, (4409, "Subscriber for 1 already exists".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_that_is_not_json_closes_the_socket_with_4400_saying_so() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let (code, reason) = closed_after(&mut socket, "{ not json").await;
    assert_eq!(code, 4400);
    assert!(reason.starts_with("invalid message: not JSON"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_of_an_unknown_type_closes_the_socket_with_4400_naming_the_type() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let message = json!({ "type": "start", "id": "1" }).to_string();
    let closed = closed_after(&mut socket, &message).await;
    assert_eq!(
        closed,
        (4400, "invalid message: unknown type `start`".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscribe_without_a_query_closes_the_socket_with_4400_naming_the_field() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let message = json!({ "type": "subscribe", "id": "1", "payload": {} }).to_string();
    let closed = closed_after(&mut socket, &message).await;
    let reason = "invalid message: `subscribe` needs `payload.query` as a string";
    assert_eq!(closed, (4400, reason.into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_binary_frame_closes_the_socket_with_4400() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    socket
        .send(Message::binary(b"{}".to_vec()))
        .await
        .expect("the frame is sent");
    let (code, reason, _) = closed(&mut socket).await;
    assert_eq!(code, 4400);
    assert!(reason.contains("binary"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ping_is_answered_with_pong_carrying_its_payload() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    send(
        &mut socket,
        json!({ "type": "ping", "payload": { "n": 7 } }),
    )
    .await;
    let pong = receive(&mut socket).await;
    assert_eq!(pong, json!({ "type": "pong", "payload": { "n": 7 } }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_over_the_socket_gets_next_then_complete() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let query = format!(r#"{{ actor(id: "{NUJABA}") {{ id }} }}"#);
    send(&mut socket, subscribe_message("q", &query)).await;
    let next = receive(&mut socket).await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(next["payload"]["data"]["actor"]["id"], NUJABA, "{next}");
    let complete = receive(&mut socket).await;
    assert_eq!(complete, json!({ "type": "complete", "id": "q" }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_that_does_not_validate_gets_an_error_message_with_a_code() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    send(
        &mut socket,
        subscribe_message("1", "subscription { noSuchField }"),
    )
    .await;
    let error = receive(&mut socket).await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "1", "{error}");
    assert_eq!(
        error["payload"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{error}"
    );
    // The id is free again: the same id subscribes without a 4409.
    send(&mut socket, subscribe_message("1", CLAIM_CHANGED)).await;
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_over_the_cost_limits_gets_an_error_message_before_it_runs() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let mut doc = String::from(
        "subscription { ...F24 } fragment F0 on Subscription { claimChanged { action } }",
    );
    for i in 1..=24 {
        doc += &format!(
            " fragment F{i} on Subscription {{ ...F{p} ...F{p} }}",
            p = i - 1
        );
    }
    send(&mut socket, subscribe_message("1", &doc)).await;
    let error = receive(&mut socket).await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(
        error["payload"][0]["extensions"]["code"], "COST_LIMIT",
        "{error}"
    );
    assert_eq!(
        error["payload"][0]["extensions"]["limit"], "fields",
        "{error}"
    );
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
}

#[tokio::test(flavor = "multi_thread")]
async fn complete_from_the_client_stops_the_operation_and_frees_its_id() {
    let (server, _dir) = serve();
    let mut socket = listen(&server, CLAIM_CHANGED, Probe::BackedBy(NUJABA)).await;
    send(&mut socket, json!({ "type": "complete", "id": "1" })).await;
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
    // Stopped: a change now reaches nobody, and the next message is the pong that follows.
    assert_claim(&server, "unheard", NUJABA, "BACKED_BY", "iran").await;
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
    // Freed: the id subscribes again, and hears the next change.
    let mut again = listen_on(socket, &server, Probe::BackedBy(NUJABA)).await;
    assert_claim(&server, "heard", NUJABA, "BACKED_BY", "iran").await;
    let change = next_data(&mut again).await;
    assert_eq!(change, claim_change("CREATED", "heard", NUJABA, "ASSERTED"));
}

/// [`listen`] on a socket already acknowledged.
async fn listen_on(mut socket: Socket, server: &Arc<Live>, probe: Probe) -> Socket {
    send(&mut socket, subscribe_message("1", CLAIM_CHANGED)).await;
    let deadline = Instant::now() + PATIENCE;
    let mut k = 1000;
    loop {
        assert!(Instant::now() < deadline, "the subscription heard no probe");
        k += 1;
        let written = probe.write(server, k).await;
        if let Some(message) = receive_within(&mut socket, PROBE_INTERVAL).await {
            // Every probe written before this one is heard in order; skip up to ours.
            let mut heard = data_of(message);
            while heard != written {
                heard = next_data(&mut socket).await;
            }
            return socket;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_over_the_per_socket_cap_gets_an_error_and_the_socket_stays_open() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    for i in 1..=100 {
        send(
            &mut socket,
            subscribe_message(&i.to_string(), CLAIM_CHANGED),
        )
        .await;
    }
    send(&mut socket, subscribe_message("101", CLAIM_CHANGED)).await;
    let error = receive(&mut socket).await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "101", "{error}");
    assert_eq!(
        error["payload"][0]["extensions"]["code"], "TOO_MANY_SUBSCRIPTIONS",
        "{error}"
    );
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_over_64_kib_closes_the_socket_with_1009() {
    let (server, _dir) = serve();
    let (mut socket, _) = connect(&server).await;
    let query = format!("{{ __typename }} # {}", "x".repeat(70_000));
    let message = subscribe_message("1", &query).to_string();
    let (code, reason) = closed_after(&mut socket, &message).await;
    assert_eq!(code, 1009);
    assert!(reason.contains("too big"), "{reason}");
}

/// A `claimChanged` subscription whose every notice is about 25 KB: 100 long aliases.
fn fat_subscription() -> String {
    let fields: String = (0..100)
        .map(|i| format!(" a{i}_{}: claim {{ id relation status }}", "x".repeat(200)))
        .collect();
    format!("subscription {{ claimChanged {{{fields} }} }}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscriber_that_stops_reading_is_closed_not_buffered() {
    const SUBSCRIPTIONS: usize = 20;
    const NOTICES: usize = 60;
    let (server, _dir) = serve();
    // A small receive buffer: the client's side of the connection holds little.
    let tcp = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
    tcp.set_recv_buffer_size(4096)
        .expect("a small receive buffer");
    let address = server.address.parse().expect("a socket address");
    let stream = tcp.connect(address).await.expect("the server accepts");
    let (mut socket, _) =
        tokio_tungstenite::client_async(upgrade(&server), MaybeTlsStream::Plain(stream))
            .await
            .expect("the WebSocket opens");
    send(&mut socket, json!({ "type": "connection_init" })).await;
    assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    let query = fat_subscription();
    for i in 0..SUBSCRIPTIONS {
        send(&mut socket, subscribe_message(&i.to_string(), &query)).await;
    }
    // Probes until every subscription has heard one: all are listening.
    let mut listening = std::collections::HashSet::new();
    let mut k = 0;
    let deadline = Instant::now() + PATIENCE;
    while listening.len() < SUBSCRIPTIONS {
        assert!(Instant::now() < deadline, "only {} listen", listening.len());
        k += 1;
        let id = format!("probe-{k}");
        assert_claim(&server, &id, NUJABA, "BACKED_BY", "iran").await;
        while let Some(message) = receive_within(&mut socket, PROBE_INTERVAL).await {
            assert_eq!(message["type"], "next", "{}", message["type"]);
            listening.insert(message["id"].as_str().unwrap_or_default().to_owned());
        }
    }

    // The client reads nothing more while changes go out: 60 notices × 20 subscriptions of
    // 25 KB each, 30 MB, more than the connection (at most 4 MB of send buffer on Linux) and
    // the server's queue of 256 hold.
    for n in 0..NOTICES {
        let id = format!("unread-{n}");
        assert_claim(&server, &id, NUJABA, "BACKED_BY", "iran").await;
    }
    let (status, body) = {
        let address = server.address.clone();
        tokio::task::spawn_blocking(move || live::http(&address, "GET", "/healthz", "", ""))
            .await
            .expect("the health check ran")
            .expect("the server answers")
    };
    assert_eq!((status, body.contains("ok")), (200, true), "{body}");

    let (code, reason, delivered) = closed(&mut socket).await;
    assert_eq!(code, 1013, "{reason}");
    assert_eq!(reason, "subscriber too slow: 256 messages waiting");
    assert!(
        delivered < SUBSCRIPTIONS * NOTICES,
        "all {delivered} messages were kept for the client"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_origin_not_allowed_is_refused_with_403() {
    let (server, _dir) = serve();
    let mut request = upgrade(&server);
    request.headers_mut().insert(
        "Origin",
        HeaderValue::from_static("https://elsewhere.example"),
    );
    let (status, body) = refused_upgrade(request).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CORS_REFUSED",
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_servers_own_origin_and_no_origin_are_accepted() {
    let (server, _dir) = serve();
    let mut request = upgrade(&server);
    let own = format!("http://{}", server.address);
    request.headers_mut().insert(
        "Origin",
        HeaderValue::from_str(&own).expect("an origin header"),
    );
    let (socket, _) = connect_async(request).await.expect("the same origin opens");
    drop(socket);
    let _ = open_bare(&server).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_legacy_graphql_ws_subprotocol_is_refused_naming_the_one_spoken() {
    let (server, _dir) = serve();
    let mut request = upgrade(&server);
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-ws"),
    );
    let (status, body) = refused_upgrade(request).await;
    assert_eq!(status, 400, "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("graphql-transport-ws"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_closes_open_sockets_with_1001_and_the_server_exits() {
    let (server, _dir) = serve();
    let mut socket = subscribe(&server, CLAIM_CHANGED).await;
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let (code, reason, _) = closed(&mut socket).await;
    assert_eq!((code, reason.as_str()), (1001, "server shutting down"));
    let mut server = Arc::into_inner(server).expect("the only handle on the server");
    let exit = tokio::task::spawn_blocking(move || server.wait_for_exit(PATIENCE))
        .await
        .expect("the wait ran");
    assert_eq!(exit, Some(Some(0)), "the server did not exit by itself");
}

/// What a server may close a socket with: the protocol's codes and WebSocket's own.
const CLOSE_CODES: &[u16] = &[1000, 1001, 1007, 1009, 1013, 4400, 4401, 4408, 4409, 4429];

/// A frame as a careless or hostile client sends it.
fn frame() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let kind = prop::sample::select(
        &[
            "connection_init",
            "subscribe",
            "ping",
            "pong",
            "complete",
            "next",
            "error",
            "start",
            "",
            "connection_ack",
        ][..],
    );
    let id = prop_oneof![
        Just(Value::from("1")),
        Just(Value::from(2)),
        Just(Value::Null),
        "[a-z0-9]{0,6}".prop_map(Value::from)
    ];
    let payload = prop_oneof![
        Just(Value::Null),
        Just(json!({ "query": CLAIM_CHANGED })),
        Just(json!({ "query": "{ relations { meaning } }" })),
        Just(json!({ "query": "subscription { nope }" })),
        Just(json!({ "query": 42 })),
        Just(json!({ "query": "{ relations { meaning } }", "variables": [1] })),
        ".{0,20}".prop_map(Value::from),
    ];
    prop_oneof![
        3 => (kind, id, payload).prop_map(|(k, id, p)| json!({ "type": k, "id": id, "payload": p }).to_string()),
        1 => ".{0,80}",
        1 => "\\{\"type\": .{0,30}\\}",
    ]
}

#[test]
fn generated_frames_get_protocol_answers_or_closes_and_never_crash_the_server() {
    use proptest::test_runner::{Config, TestRunner};
    let (server, _dir) = serve();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        proptest::bool::ANY,
        proptest::collection::vec(frame(), 1..4),
    );
    let outcome = runner.run(&strategy, |(init, frames)| {
        runtime.block_on(async {
            let mut socket = if init {
                connect(&server).await.0
            } else {
                open_bare(&server).await
            };
            for text in &frames {
                if socket.send(Message::text(text.clone())).await.is_err() {
                    break;
                }
            }
            let _ = socket
                .send(Message::text(json!({ "type": "ping" }).to_string()))
                .await;
            // Read what comes for a moment: answers must be protocol messages, a close must
            // carry one of the protocol's codes.
            while let Ok(Some(Ok(message))) =
                tokio::time::timeout(Duration::from_millis(300), socket.next()).await
            {
                match message {
                    Message::Text(text) => {
                        let value: Value = serde_json::from_str(&text)
                            .unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
                        let kind = value["type"].as_str().unwrap_or_default();
                        assert!(
                            [
                                "connection_ack",
                                "pong",
                                "ping",
                                "next",
                                "error",
                                "complete"
                            ]
                            .contains(&kind),
                            "{frames:?} → {value}"
                        );
                        for error in value["payload"].as_array().into_iter().flatten() {
                            let code = error["extensions"]["code"].as_str();
                            assert!(
                                code.is_some() && code != Some("INTERNAL"),
                                "{frames:?} → {value}"
                            );
                        }
                    }
                    Message::Close(Some(close)) => {
                        let code = u16::from(close.code);
                        assert!(
                            CLOSE_CODES.contains(&code),
                            "{frames:?} → closed with {code}"
                        );
                        break;
                    }
                    _ => {}
                }
            }
        });
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let (status, _) =
        live::http(&server.address, "GET", "/healthz", "", "").expect("the server answers");
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_over_the_socket_has_the_same_deadline_as_over_http() {
    let (server, _dir) = serve_with(&["--timeout-ms", "1"]);
    let (mut socket, _) = connect(&server).await;
    let query = r#"{ event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
        claimants { edges { node { suspectedPatrons { edges { node { motives { edges { node { id } } } } } } } } }
    } }"#;
    let payload = run_once(&mut socket, query).await;
    let codes: Vec<&str> = payload["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["extensions"]["code"].as_str())
        .collect();
    assert!(codes.contains(&"TIMEOUT"), "{payload}");
    assert_eq!(
        receive(&mut socket).await,
        json!({ "type": "complete", "id": "1" })
    );
    // The socket lives on.
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(receive(&mut socket).await, json!({ "type": "pong" }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_client_is_pinged_and_one_that_answers_keeps_its_socket() {
    let (server, _dir) = serve_with(&["--ws-ping-secs", "1"]);
    let (mut socket, _) = connect(&server).await;
    // Reading answers each ping with a pong (tungstenite does). Had the pong not counted, the
    // server would close the socket two intervals after the last word instead of pinging
    // again one interval after the pong.
    for nth in ["first", "second"] {
        let frame = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no {nth} ping within {PATIENCE:?}"))
            .expect("the socket is open")
            .expect("a frame");
        assert!(
            matches!(frame, Message::Ping(_)),
            "{nth}: {frame:?} instead of a ping"
        );
    }
    send(
        &mut socket,
        subscribe_message("q", "{ actor(id: \"iran\") { id } }"),
    )
    .await;
    let next = receive(&mut socket).await;
    assert_eq!(next["payload"]["data"]["actor"]["id"], "iran", "{next}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_answers_no_ping_is_closed_with_1001() {
    let (server, _dir) = serve_with(&["--ws-ping-secs", "1"]);
    let (mut socket, _) = connect(&server).await;
    // Not reading is not answering: the pong to the server's ping is sent only on a read.
    // The server gives up two intervals after the last word; five leave room for a slow CI.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (code, reason, _) = closed(&mut socket).await;
    assert_eq!(
        (code, reason.as_str()),
        (1001, "no answer to a ping within 1 s")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_client_may_hold_only_so_many_sockets_and_a_closed_one_frees_its_place() {
    let (server, _dir) = serve_with(&["--ws-max-sockets-per-client", "2"]);
    let mut first = open_bare(&server).await;
    let _second = open_bare(&server).await;
    let (status, body) = refused_upgrade(upgrade(&server)).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "TOO_MANY_SOCKETS");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already holds 2 open WebSockets")),
        "{body}"
    );
    first.close(None).await.expect("the socket closes");
    while first.next().await.is_some() {}
    // The server lets go of the socket once it has seen it closed.
    let began = Instant::now();
    loop {
        match connect_async(upgrade(&server)).await {
            Ok(_) => break,
            Err(_) if began.elapsed() < PATIENCE => tokio::time::sleep(PROBE_INTERVAL).await,
            Err(e) => panic!("no place for a new socket after one closed: {e}"),
        }
    }
}
