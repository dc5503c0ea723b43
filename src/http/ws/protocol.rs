//! The messages of `graphql-transport-ws`
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>): what a client may
//! send, decoded strictly so that a malformed one closes the socket with 4400 and a reason
//! naming what was wrong, and what the server sends.

use async_graphql::ServerError;
use serde::Serialize;
use serde_json::{Map, Value};

/// The WebSocket subprotocol spoken here.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// The subprotocol of the deprecated `subscriptions-transport-ws` library, refused.
pub const LEGACY_PROTOCOL: &str = "graphql-ws";

/// A message a client may send.
#[derive(Debug)]
pub enum ClientMessage {
    /// Asks for a connection; the payload may carry `Authorization`.
    ConnectionInit(Map<String, Value>),
    /// Asks for a `pong` carrying the same payload.
    Ping(Option<Map<String, Value>>),
    /// Answers a `ping`; nothing to do.
    Pong,
    /// Starts operation `id`.
    Subscribe {
        /// The client's name for the operation.
        id: String,
        /// The operation.
        request: Box<async_graphql::Request>,
    },
    /// Stops operation `id`.
    Complete {
        /// The client's name for the operation.
        id: String,
    },
}

/// Why a text frame is not a message a client may send; shown as the 4400 close reason,
/// so it stays short (a close reason holds at most 123 bytes).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Invalid {
    /// The frame is not JSON.
    #[error("invalid message: not JSON ({0})")]
    NotJson(String),
    /// The frame is JSON but not an object.
    #[error("invalid message: not a JSON object")]
    NotAnObject,
    /// No `type`, or not a string.
    #[error("invalid message: `type` must be a string")]
    NoType,
    /// A type of the protocol that only the server sends.
    #[error("invalid message: `{0}` is sent by the server, not the client")]
    ServerOnly(String),
    /// A type the protocol does not have.
    #[error("invalid message: unknown type `{0}`")]
    UnknownType(String),
    /// A field that must be there is missing or has the wrong JSON type.
    #[error("invalid message: `{kind}` needs `{field}` as {expected}")]
    Field {
        /// The message's type.
        kind: &'static str,
        /// The field, dotted below `payload`.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
}

fn field(kind: &'static str, field: &'static str, expected: &'static str) -> Invalid {
    Invalid::Field {
        kind,
        field,
        expected,
    }
}

/// An optional object: absent and `null` are none, anything but an object is refused.
fn optional_object(
    value: Option<Value>,
    kind: &'static str,
    name: &'static str,
) -> Result<Option<Map<String, Value>>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(field(kind, name, "an object")),
    }
}

/// An operation id: the protocol requires a non-empty string.
fn id(message: &mut Map<String, Value>, kind: &'static str) -> Result<String, Invalid> {
    match message.remove("id") {
        Some(Value::String(id)) if !id.is_empty() => Ok(id),
        _ => Err(field(kind, "id", "a non-empty string")),
    }
}

/// The `payload` of a `subscribe`, as async-graphql's request.
fn request(payload: Option<Value>) -> Result<async_graphql::Request, Invalid> {
    const KIND: &str = "subscribe";
    let Some(Value::Object(mut payload)) = payload else {
        return Err(field(KIND, "payload", "an object"));
    };
    let Some(Value::String(query)) = payload.remove("query") else {
        return Err(field(KIND, "payload.query", "a string"));
    };
    let mut request = async_graphql::Request::new(query);
    match payload.remove("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name),
        Some(_) => return Err(field(KIND, "payload.operationName", "a string or null")),
    }
    let variables = optional_object(payload.remove("variables"), KIND, "payload.variables")?;
    if let Some(variables) = variables {
        request = request.variables(async_graphql::Variables::from_json(Value::Object(
            variables,
        )));
    }
    let extensions = optional_object(payload.remove("extensions"), KIND, "payload.extensions")?;
    for (name, value) in extensions.into_iter().flatten() {
        // Every JSON value is a GraphQL value; one that is not is left out, not an error.
        if let Ok(value) = async_graphql::Value::from_json(value) {
            request.extensions.insert(name, value);
        }
    }
    Ok(request)
}

/// Decodes one text frame from a client.
pub fn decode(text: &str) -> Result<ClientMessage, Invalid> {
    let value: Value = serde_json::from_str(text).map_err(|e| Invalid::NotJson(e.to_string()))?;
    let Value::Object(mut message) = value else {
        return Err(Invalid::NotAnObject);
    };
    let Some(Value::String(kind)) = message.remove("type") else {
        return Err(Invalid::NoType);
    };
    let payload = message.remove("payload");
    match kind.as_str() {
        "connection_init" => Ok(ClientMessage::ConnectionInit(
            optional_object(payload, "connection_init", "payload")?.unwrap_or_default(),
        )),
        "ping" => Ok(ClientMessage::Ping(optional_object(
            payload, "ping", "payload",
        )?)),
        "pong" => {
            optional_object(payload, "pong", "payload")?;
            Ok(ClientMessage::Pong)
        }
        "subscribe" => Ok(ClientMessage::Subscribe {
            id: id(&mut message, "subscribe")?,
            request: Box::new(request(payload)?),
        }),
        "complete" => Ok(ClientMessage::Complete {
            id: id(&mut message, "complete")?,
        }),
        "connection_ack" | "next" | "error" => Err(Invalid::ServerOnly(kind)),
        _ => Err(Invalid::UnknownType(kind)),
    }
}

/// A message the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage<'a> {
    /// The connection is accepted.
    ConnectionAck,
    /// The answer to a `ping`.
    Pong {
        /// The ping's payload, echoed.
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Map<String, Value>>,
    },
    /// One result of operation `id`.
    Next {
        /// The operation.
        id: &'a str,
        /// The result.
        payload: &'a async_graphql::Response,
    },
    /// Operation `id` did not run: its request is invalid or was refused.
    Error {
        /// The operation.
        id: &'a str,
        /// Why, as GraphQL errors.
        payload: &'a [ServerError],
    },
    /// Operation `id` has ended.
    Complete {
        /// The operation.
        id: &'a str,
    },
}

impl ServerMessage<'_> {
    /// The message as the text of a frame.
    pub fn text(&self) -> String {
        // Serialising these types fails only for maps with non-string keys, which none has.
        serde_json::to_string(self).unwrap_or_else(|e| {
            tracing::error!(error = %e, "a server message did not serialise");
            String::from(r#"{"type":"error","payload":[{"message":"internal error"}]}"#)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscribe_without_a_query_names_the_field() {
        let e = decode(r#"{"type":"subscribe","id":"1","payload":{}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid message: `subscribe` needs `payload.query` as a string"
        );
    }

    #[test]
    fn a_subscribe_with_null_variables_is_accepted() {
        let m = decode(
            r#"{"type":"subscribe","id":"a","payload":{"query":"{ a }","variables":null,"operationName":null}}"#,
        );
        assert!(matches!(m, Ok(ClientMessage::Subscribe { id, .. }) if id == "a"));
    }

    #[test]
    fn an_empty_id_is_refused() {
        let e = decode(r#"{"type":"complete","id":""}"#).unwrap_err();
        assert_eq!(e, field("complete", "id", "a non-empty string"));
    }

    #[test]
    fn types_only_a_server_sends_are_refused() {
        let e = decode(r#"{"type":"next","id":"1","payload":{}}"#).unwrap_err();
        assert_eq!(e, Invalid::ServerOnly("next".into()));
    }

    #[test]
    fn server_messages_have_the_protocols_shape() {
        assert_eq!(
            ServerMessage::ConnectionAck.text(),
            r#"{"type":"connection_ack"}"#
        );
        assert_eq!(
            ServerMessage::Complete { id: "7" }.text(),
            r#"{"type":"complete","id":"7"}"#
        );
        assert_eq!(
            ServerMessage::Pong { payload: None }.text(),
            r#"{"type":"pong"}"#
        );
    }
}
