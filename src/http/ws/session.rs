//! One socket's life: waits for `connection_init`, starts and stops operations, and closes
//! the socket with the protocol's code when the client breaks a rule or stops reading.
//!
//! Three kinds of task share a socket. This loop reads the client's messages; each
//! operation runs in a task of its own that puts its results on one bounded queue; one
//! writer takes them from the queue to the socket. An operation never waits for the queue:
//! when it is full the client is not reading, and the socket is closed rather than letting
//! results pile up in memory (actix-ws's own channel to the socket is bounded too, so a
//! writer that cannot write waits and the queue fills).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, ProtocolError};
use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::{ErrorExtensionValues, ServerError, Value};
use serde_json::Map;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::task::JoinHandle;

use super::protocol::{ClientMessage, ServerMessage, decode};
use super::{ClientSlot, Counted, admit};
use crate::auth::Access;
use crate::graph::RequestData;
use crate::http::AppState;

/// How long a closing socket may take to send what it still has and its close frame to a
/// client; one that reads nothing for that long is dropped without them.
const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// A close code of `graphql-transport-ws`, with its reason.
fn close(code: u16, reason: impl Into<String>) -> CloseReason {
    CloseReason {
        code: CloseCode::Other(code),
        description: Some(reason.into()),
    }
}

/// What goes out through the writer, in order.
enum Outgoing {
    /// A protocol message.
    Text(String),
    /// The answer to a WebSocket ping.
    Pong(Bytes),
    /// A ping to a client that has been silent, to learn whether it is still there.
    Ping,
    /// The last frame.
    Close(CloseReason),
}

/// What an operation's task tells the loop.
enum Event {
    /// Operation `id`, started as `run`, has sent all it will.
    Finished { id: String, run: u64 },
    /// The queue was full: the client does not read.
    TooSlow,
}

/// What the loop does after a message.
enum Flow {
    Continue,
    /// Close with this reason after what is queued.
    Close(CloseReason),
    /// The client closed; answer its close frame.
    ClientClosed(Option<CloseReason>),
    /// The client does not read: close at once, dropping what is queued.
    TooSlow,
    /// The connection is gone.
    Gone,
}

/// An operation running on the socket.
struct Running {
    run: u64,
    task: JoinHandle<()>,
}

/// The editor's token, from the upgrade request's `Authorization` header or from the
/// `connection_init` payload (`{"Authorization": "Bearer TOKEN"}`), which browsers can send.
fn authorization(header: Option<&str>, payload: &Map<String, serde_json::Value>) -> Option<String> {
    let from_payload = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()));
    from_payload.or(header).map(str::to_owned)
}

/// An error with `extensions.code`.
fn coded_error(message: String, code: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", Value::from(code));
    error.extensions = Some(extensions);
    error
}

/// Parse and validation errors come from async-graphql without a code; give them the one
/// the HTTP handler gives.
fn add_codes(errors: &mut [ServerError]) {
    for error in errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", Value::from("GRAPHQL_VALIDATION_FAILED"));
        }
    }
}

/// Whether a first response means the operation never ran (parse, validation or variable
/// errors, which carry no path), to be sent as `error`; an error of a resolver has a path
/// and goes out as `next`, as in the reference server.
fn never_ran(response: &async_graphql::Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// Puts a message on the queue; false if the operation must stop.
fn enqueue(
    out: &mpsc::Sender<Outgoing>,
    events: &mpsc::UnboundedSender<Event>,
    text: String,
) -> bool {
    match out.try_send(Outgoing::Text(text)) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => {
            let _closing = events.send(Event::TooSlow);
            false
        }
        Err(TrySendError::Closed(_)) => false,
    }
}

/// Runs one operation: its results as `next`, then `complete`; or one `error`.
async fn operation(
    id: String,
    run: u64,
    mut results: BoxStream<'static, async_graphql::Response>,
    out: mpsc::Sender<Outgoing>,
    events: mpsc::UnboundedSender<Event>,
    _counted: Counted,
) {
    let mut first = true;
    while let Some(mut response) = results.next().await {
        add_codes(&mut response.errors);
        if first && never_ran(&response) {
            let text = ServerMessage::Error {
                id: &id,
                payload: &response.errors,
            }
            .text();
            // Finished goes first: the loop must free the id before the client, told by this
            // message, can reuse it.
            let _gone = events.send(Event::Finished {
                id: id.clone(),
                run,
            });
            enqueue(&out, &events, text);
            return;
        }
        first = false;
        let text = ServerMessage::Next {
            id: &id,
            payload: &response,
        }
        .text();
        if !enqueue(&out, &events, text) {
            return;
        }
    }
    let _gone = events.send(Event::Finished {
        id: id.clone(),
        run,
    });
    enqueue(&out, &events, ServerMessage::Complete { id: &id }.text());
}

/// Takes messages from the queue to the socket, one at a time: actix-ws holds at most a few
/// dozen, so a client that does not read makes this wait and the queue fill.
async fn write(mut socket: actix_ws::Session, mut queue: mpsc::Receiver<Outgoing>) {
    while let Some(message) = queue.recv().await {
        let sent = match message {
            Outgoing::Text(text) => socket.text(text).await,
            Outgoing::Pong(bytes) => socket.pong(&bytes).await,
            Outgoing::Ping => socket.ping(b"").await,
            Outgoing::Close(reason) => {
                let _gone = socket.close(Some(reason)).await;
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

/// A socket's state.
struct Connection {
    state: AppState,
    /// The upgrade request's `Authorization` header.
    header: Option<String>,
    /// Who the client is, once `connection_init` came.
    access: Option<Access>,
    operations: HashMap<String, Running>,
    runs: u64,
    out: mpsc::Sender<Outgoing>,
    // Unbounded, yet each operation sends at most two events and the loop takes them first.
    events: mpsc::UnboundedSender<Event>,
}

impl Connection {
    /// Queues a message from the loop itself; a full queue means the client does not read.
    fn send(&self, message: Outgoing) -> Flow {
        match self.out.try_send(message) {
            Ok(()) => Flow::Continue,
            Err(TrySendError::Full(_)) => Flow::TooSlow,
            Err(TrySendError::Closed(_)) => Flow::Gone,
        }
    }

    fn event(&mut self, event: Event) -> Flow {
        match event {
            Event::Finished { id, run } => {
                if self.operations.get(&id).is_some_and(|r| r.run == run) {
                    self.operations.remove(&id);
                }
                Flow::Continue
            }
            Event::TooSlow => Flow::TooSlow,
        }
    }

    fn frame(&mut self, frame: Option<Result<AggregatedMessage, ProtocolError>>) -> Flow {
        let max = self.state.ws.max_frame_bytes;
        match frame {
            None => Flow::Gone,
            Some(Ok(AggregatedMessage::Text(text))) => match decode(&text) {
                Ok(message) => self.message(message),
                Err(invalid) => Flow::Close(close(4400, invalid.to_string())),
            },
            Some(Ok(AggregatedMessage::Binary(_))) => Flow::Close(close(
                4400,
                "invalid message: a binary frame; graphql-transport-ws sends JSON as text",
            )),
            Some(Ok(AggregatedMessage::Ping(bytes))) => self.send(Outgoing::Pong(bytes)),
            Some(Ok(AggregatedMessage::Pong(_))) => Flow::Continue,
            Some(Ok(AggregatedMessage::Close(reason))) => Flow::ClientClosed(reason),
            Some(Err(ProtocolError::Overflow)) => Flow::Close(CloseReason {
                code: CloseCode::Size,
                description: Some(format!("message too big: at most {max} bytes")),
            }),
            Some(Err(ProtocolError::Io(e))) if e.kind() == std::io::ErrorKind::InvalidData => {
                Flow::Close(CloseReason {
                    code: CloseCode::Invalid,
                    description: Some("invalid message: a text frame that is not UTF-8".into()),
                })
            }
            Some(Err(ProtocolError::Io(_))) => Flow::Gone,
            Some(Err(e)) => Flow::Close(CloseReason {
                code: CloseCode::Protocol,
                description: Some(e.to_string()),
            }),
        }
    }

    fn message(&mut self, message: ClientMessage) -> Flow {
        match message {
            ClientMessage::ConnectionInit(payload) => {
                if self.access.is_some() {
                    return Flow::Close(close(4429, "Too many initialisation requests"));
                }
                let token = authorization(self.header.as_deref(), &payload);
                self.access = Some(Access::of(&self.state.tokens, token.as_deref()));
                self.send(Outgoing::Text(ServerMessage::ConnectionAck.text()))
            }
            ClientMessage::Ping(payload) => {
                self.send(Outgoing::Text(ServerMessage::Pong { payload }.text()))
            }
            ClientMessage::Pong => Flow::Continue,
            ClientMessage::Subscribe { id, request } => self.subscribe(id, *request),
            ClientMessage::Complete { id } => {
                // An id that is not running has finished already: nothing to stop.
                if let Some(running) = self.operations.remove(&id) {
                    running.task.abort();
                }
                Flow::Continue
            }
        }
    }

    fn subscribe(&mut self, id: String, mut request: async_graphql::Request) -> Flow {
        let Some(access) = self.access.clone() else {
            return Flow::Close(close(4401, "Unauthorized"));
        };
        if self.operations.contains_key(&id) {
            return Flow::Close(close(4409, format!("Subscriber for {id} already exists")));
        }
        let max = self.state.ws.max_subscriptions;
        let admitted = if self.operations.len() >= max {
            Err(vec![coded_error(
                format!(
                    "at most {max} operations may run at once on one WebSocket; \
                     complete one or open another socket"
                ),
                "TOO_MANY_SUBSCRIPTIONS",
            )])
        } else {
            admit(&self.state, &mut request, &access)
        };
        let lasting = match admitted {
            Ok(lasting) => lasting,
            Err(mut errors) => {
                add_codes(&mut errors);
                let text = ServerMessage::Error {
                    id: &id,
                    payload: &errors,
                }
                .text();
                return self.send(Outgoing::Text(text));
            }
        };
        // A query or mutation over the socket has the same deadline as over HTTP; a
        // subscription lasts, and each notice it answers reads briefly.
        let db = if lasting {
            self.state.db.clone()
        } else {
            let deadline = std::time::Instant::now() + self.state.limits.timeout;
            self.state
                .db
                .stopping(crate::storage::Stop::at(Some(deadline)))
        };
        let mut data = RequestData::uncached(db);
        data.access = access;
        // As session data, not the request's: async-graphql hands a subscription's stream to
        // the extensions before it attaches the request's data, and the extension that
        // batches loads in rounds finds the loaders only there.
        let mut session = async_graphql::Data::default();
        session.insert(data);
        let results = self
            .state
            .schema
            .execute_stream_with_session_data(request, Arc::new(session));
        self.runs += 1;
        let task = actix_web::rt::spawn(operation(
            id.clone(),
            self.runs,
            results,
            self.out.clone(),
            self.events.clone(),
            self.state.sockets.operation(),
        ));
        self.operations.insert(
            id,
            Running {
                run: self.runs,
                task,
            },
        );
        Flow::Continue
    }

    /// Stops every operation, so that nothing more is queued.
    fn stop(&mut self) {
        for (_, running) in self.operations.drain() {
            running.task.abort();
        }
    }
}

/// Sends a close frame straight to the socket, past the queue, within [`CLOSE_GRACE`].
async fn close_now(socket: actix_ws::Session, reason: Option<CloseReason>) {
    let _late = tokio::time::timeout(CLOSE_GRACE, socket.close(reason)).await;
}

/// Serves one upgraded socket until either side closes it.
pub(super) async fn run(
    state: AppState,
    socket: actix_ws::Session,
    mut frames: AggregatedMessageStream,
    header: Option<String>,
    _slot: ClientSlot,
) {
    let _open = state.sockets.socket();
    let ping_interval = state.ws.ping_interval;
    let mut last_heard = tokio::time::Instant::now();
    // Checks for silence a few times per interval, so that a dead peer is closed within
    // about two intervals of its last word.
    let mut keepalive = tokio::time::interval(if ping_interval.is_zero() {
        Duration::from_secs(3600)
    } else {
        ping_interval / 4
    });
    keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pinged = false;
    let mut shutdown = state.sockets.shutdown();
    let (out, queue) = mpsc::channel(state.ws.queue.max(1));
    let mut writer = actix_web::rt::spawn(write(socket.clone(), queue));
    let (events, mut heard) = mpsc::unbounded_channel();
    let init = tokio::time::sleep(state.ws.init_timeout);
    tokio::pin!(init);
    let queue_len = state.ws.queue;
    let mut connection = Connection {
        state,
        header,
        access: None,
        operations: HashMap::new(),
        runs: 0,
        out,
        events,
    };
    let flow = loop {
        let flow = tokio::select! {
            // Events first: an operation's end frees its id before the client can reuse it.
            biased;
            Ok(_) = shutdown.wait_for(|stop| *stop) => {
                Flow::Close(CloseReason {
                    code: CloseCode::Away,
                    description: Some("server shutting down".to_owned()),
                })
            }
            Some(event) = heard.recv() => connection.event(event),
            () = &mut init, if connection.access.is_none() => {
                Flow::Close(close(4408, "Connection initialisation timeout"))
            }
            _ = keepalive.tick(), if !ping_interval.is_zero() => {
                let silent = last_heard.elapsed();
                if silent >= ping_interval * 2 {
                    Flow::Close(CloseReason {
                        code: CloseCode::Away,
                        description: Some(format!(
                            "no answer to a ping within {} s", ping_interval.as_secs_f64()
                        )),
                    })
                } else if silent >= ping_interval && !pinged {
                    pinged = true;
                    connection.send(Outgoing::Ping)
                } else {
                    Flow::Continue
                }
            }
            frame = frames.next() => {
                last_heard = tokio::time::Instant::now();
                pinged = false;
                connection.frame(frame)
            }
        };
        if !matches!(flow, Flow::Continue) {
            break flow;
        }
    };
    connection.stop();
    match flow {
        Flow::Continue | Flow::Gone => writer.abort(),
        Flow::Close(reason) => {
            tracing::debug!(?reason, "closing a WebSocket");
            if matches!(
                connection.send(Outgoing::Close(reason.clone())),
                Flow::Continue
            ) {
                drop(connection);
                if tokio::time::timeout(CLOSE_GRACE, &mut writer)
                    .await
                    .is_err()
                {
                    writer.abort();
                }
            } else {
                writer.abort();
                close_now(socket, Some(reason)).await;
            }
        }
        Flow::ClientClosed(reason) => {
            writer.abort();
            close_now(socket, reason).await;
        }
        Flow::TooSlow => {
            tracing::warn!(
                queue = queue_len,
                "closed a WebSocket whose client stopped reading"
            );
            writer.abort();
            let reason = CloseReason {
                code: CloseCode::Again,
                description: Some(format!("subscriber too slow: {queue_len} messages waiting")),
            };
            close_now(socket, Some(reason)).await;
        }
    }
}
