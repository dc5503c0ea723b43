//! Cross-origin requests: a browser app on another origin may call `/graphql` only if the
//! server lists its origin (`--cors-origin`); none is listed by default, so a page elsewhere
//! cannot make a visitor's browser query the server.

use actix_cors::{Cors, CorsError};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;

use super::error::HttpError;
use super::reply;

/// The CORS policy for `origins` (`*` allows any origin): preflights are answered for listed
/// origins only, and responses expose the headers a frontend reads.
pub fn policy(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            header::HeaderName::from_static(super::REQUEST_ID_HEADER),
        ])
        .expose_headers([
            header::HeaderName::from_static(super::SQL_STATEMENTS_HEADER),
            header::HeaderName::from_static(super::REQUEST_ID_HEADER),
        ])
        .max_age(3600)
        // A browser would hide the answer from a page of an unlisted origin anyway; refusing
        // the request itself also spares the work and any side effect of a forged request.
        .block_on_origin_mismatch(true)
        // GraphiQL and the explorer are served from this server: their requests carry its
        // own origin, which is always allowed.
        .allowed_origin_fn(|origin, head| {
            let host = head
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok());
            let origin = origin.to_str().ok().and_then(|o| o.split_once("://"));
            matches!((host, origin), (Some(host), Some((_, rest))) if rest == host)
        });
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// Answers a request the CORS policy refused (actix-cors answers those as plain text) as
/// GraphQL JSON with the code `CORS_REFUSED`, like every other error of the endpoint.
pub async fn refusals_as_graphql(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let refused = res
        .response()
        .error()
        .and_then(|e| e.as_error::<CorsError>())
        .map(ToString::to_string);
    Ok(match refused {
        Some(reason) => {
            let media = reply::negotiate(res.request().headers()).unwrap_or(reply::Media::Json);
            let answer = reply::error(media, &HttpError::CorsRefused(reason));
            res.into_response(answer).map_into_right_body()
        }
        None => res.map_into_left_body(),
    })
}

/// Checks an origin as `--cors-origin` takes it: `*`, or `scheme://host[:port]` with nothing
/// after, which is what browsers send in `Origin`.
pub fn check_origin(origin: &str) -> Result<String, String> {
    if origin == "*" {
        return Ok(origin.to_owned());
    }
    let url = url::Url::parse(origin).map_err(|e| format!("{origin:?} is not an origin: {e}"))?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && !origin.ends_with('/');
    if plain {
        Ok(origin.to_owned())
    } else {
        Err(format!(
            "{origin:?} is not an origin: give scheme, host and port only, e.g. https://app.example.org or http://localhost:5173"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check_origin;

    #[test]
    fn an_origin_is_scheme_host_and_port_only() {
        assert!(check_origin("https://app.example.org").is_ok());
        assert!(check_origin("http://localhost:5173").is_ok());
        assert!(check_origin("*").is_ok());
        assert!(check_origin("https://app.example.org/").is_err());
        assert!(check_origin("app.example.org").is_err());
        assert!(check_origin("ftp://x.org").is_err());
    }
}
