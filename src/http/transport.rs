//! Reading a GraphQL request off HTTP: a GET's URL parameters or a POST's JSON body, within
//! the body limit, checked field by field so that every mistake is named.

use std::pin::Pin;

use actix_web::http::Method;
use actix_web::{HttpRequest, web};
use async_graphql::futures_util::StreamExt;
use serde_json::{Map, Value};

use super::error::HttpError;

/// The parameters of one GraphQL request, as sent.
#[derive(Debug, Default)]
pub struct Incoming {
    /// The document, unless a persisted query's hash stands for it.
    pub query: Option<String>,
    /// Which operation of the document to run.
    pub operation_name: Option<String>,
    /// The variables (a JSON object).
    pub variables: Map<String, Value>,
    /// Protocol extensions, such as `persistedQuery`.
    pub extensions: Map<String, Value>,
    /// Whether it came as a GET.
    pub get: bool,
}

/// Reads the request's parameters; a POST's body at most `limit` bytes.
pub async fn read(
    http: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Incoming, HttpError> {
    if http.method() == Method::GET {
        return from_url(http.query_string());
    }
    if http.method() != Method::POST {
        return Err(HttpError::MethodNotAllowed(http.method().to_string()));
    }
    check_content_type(http)?;
    let body = body(http, payload, limit).await?;
    from_body(&body)
}

fn check_content_type(http: &HttpRequest) -> Result<(), HttpError> {
    let Some(value) = http.headers().get("content-type") else {
        return Err(HttpError::UnsupportedMediaType { found: None });
    };
    let text = value.to_str().unwrap_or("(not ASCII)");
    let mut parts = text.split(';').map(str::trim);
    let ty = parts.next().unwrap_or_default().to_ascii_lowercase();
    let charset_ok = parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
            v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    if ty == "application/json" && charset_ok {
        Ok(())
    } else {
        Err(HttpError::UnsupportedMediaType {
            found: Some(text.to_owned()),
        })
    }
}

/// The body, refused as soon as it is known to pass `limit` (from `Content-Length`, or while
/// reading a body sent without one), so that a large POST is never held whole.
pub(super) async fn body(
    http: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, HttpError> {
    let declared = http
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared
        && size > limit as u64
    {
        return Err(HttpError::PayloadTooLarge {
            size: Some(size),
            limit,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = Pin::new(&mut payload).next().await {
        let chunk =
            chunk.map_err(|e| HttpError::BadJson(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(HttpError::PayloadTooLarge { size: None, limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn from_body(body: &[u8]) -> Result<Incoming, HttpError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| HttpError::BadJson(e.to_string()))?;
    let fields = match value {
        Value::Object(fields) => fields,
        Value::Array(_) => return Err(HttpError::Batch),
        other => {
            return Err(HttpError::BadJson(format!(
                "the body must be a JSON object with `query`, not {}",
                kind(&other)
            )));
        }
    };
    let mut incoming = Incoming::default();
    for (name, value) in fields {
        match name.as_str() {
            "query" => incoming.query = string("query", value)?,
            "operationName" => incoming.operation_name = string("operationName", value)?,
            "variables" => incoming.variables = object("variables", value)?,
            "extensions" => incoming.extensions = object("extensions", value)?,
            // The spec lets a server ignore what it does not know.
            _ => {}
        }
    }
    Ok(incoming)
}

fn from_url(query_string: &str) -> Result<Incoming, HttpError> {
    let mut incoming = Incoming {
        get: true,
        ..Incoming::default()
    };
    for (name, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
        match name.as_ref() {
            "query" => incoming.query = Some(value.into_owned()),
            "operationName" if !value.is_empty() => {
                incoming.operation_name = Some(value.into_owned());
            }
            "variables" => incoming.variables = json_param("variables", &value)?,
            "extensions" => incoming.extensions = json_param("extensions", &value)?,
            _ => {}
        }
    }
    Ok(incoming)
}

fn json_param(name: &'static str, text: &str) -> Result<Map<String, Value>, HttpError> {
    if text.is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| HttpError::BadParameter {
        name,
        message: format!("is not JSON: {e}"),
    })?;
    object(name, value)
}

fn string(name: &'static str, value: Value) -> Result<Option<String>, HttpError> {
    match value {
        Value::String(s) => Ok(Some(s)),
        Value::Null => Ok(None),
        other => Err(HttpError::BadParameter {
            name,
            message: format!("must be a string, not {}", kind(&other)),
        }),
    }
}

fn object(name: &'static str, value: Value) -> Result<Map<String, Value>, HttpError> {
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(HttpError::BadParameter {
            name,
            message: format!("must be a JSON object, not {}", kind(&other)),
        }),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::{from_body, from_url};
    use crate::http::error::HttpError;

    #[test]
    fn a_body_names_the_parameter_of_the_wrong_type() {
        let err = from_body(br#"{"query": 5}"#).err();
        assert!(matches!(
            err,
            Some(HttpError::BadParameter { name: "query", .. })
        ));
        let err = from_body(br#"{"query": "{a}", "variables": [1]}"#).err();
        assert!(matches!(
            err,
            Some(HttpError::BadParameter {
                name: "variables",
                ..
            })
        ));
        assert!(matches!(from_body(b"[]").err(), Some(HttpError::Batch)));
        assert!(matches!(from_body(b"{").err(), Some(HttpError::BadJson(_))));
    }

    #[test]
    fn a_url_carries_query_variables_and_operation_name() {
        let incoming = from_url("query=%7Ba%7D&variables=%7B%22x%22%3A1%7D&operationName=Q");
        let Ok(incoming) = incoming else {
            panic!("the URL decodes: {incoming:?}")
        };
        assert_eq!(incoming.query.as_deref(), Some("{a}"));
        assert_eq!(incoming.operation_name.as_deref(), Some("Q"));
        assert_eq!(incoming.variables.get("x"), Some(&serde_json::json!(1)));
        assert!(from_url("query=%7Ba%7D&variables=nope").is_err());
    }
}
