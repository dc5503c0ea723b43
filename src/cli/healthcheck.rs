//! `claimgraph healthcheck`: asks a running server's `/healthz`, for container health checks
//! (the slim image has no curl).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use super::CliError;

/// How long the whole check may take.
const PATIENCE: Duration = Duration::from_secs(2);

/// Asks `GET /healthz` of the server listening on `bind`; Ok when it answers 200 in time.
pub fn run(bind: &str) -> Result<(), CliError> {
    let unhealthy = |reason: String| CliError::Unhealthy {
        address: bind.to_owned(),
        reason,
    };
    let address = local(bind).map_err(unhealthy)?;
    let mut stream =
        TcpStream::connect_timeout(&address, PATIENCE).map_err(|e| unhealthy(e.to_string()))?;
    let _ = stream.set_read_timeout(Some(PATIENCE));
    let _ = stream.set_write_timeout(Some(PATIENCE));
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| unhealthy(e.to_string()))?;
    let mut head = [0u8; 12];
    stream
        .read_exact(&mut head)
        .map_err(|e| unhealthy(format!("no answer: {e}")))?;
    let status = String::from_utf8_lossy(&head[9..12]).into_owned();
    if status == "200" {
        say!("healthy: {address} answered 200\n");
        Ok(())
    } else {
        Err(unhealthy(format!("/healthz answered {status}")))
    }
}

/// The address to ask: the one served on, with an unspecified host (0.0.0.0, ::) replaced by
/// loopback, which a server bound to every interface also answers on.
fn local(bind: &str) -> Result<SocketAddr, String> {
    let mut address = bind
        .to_socket_addrs()
        .map_err(|e| format!("{bind:?} is not an address: {e}"))?
        .next()
        .ok_or_else(|| format!("{bind:?} names no address"))?;
    if address.ip().is_unspecified() {
        let loopback = if address.is_ipv4() {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        } else {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        };
        address.set_ip(loopback);
    }
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn a_server_bound_to_every_interface_is_asked_on_loopback() {
        assert_eq!(
            local("0.0.0.0:8080").map(|a| a.to_string()),
            Ok("127.0.0.1:8080".into())
        );
        assert_eq!(
            local("[::]:9000").map(|a| a.to_string()),
            Ok("[::1]:9000".into())
        );
        assert!(local("nowhere").is_err());
    }
}
