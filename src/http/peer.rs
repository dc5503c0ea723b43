//! Noticing that a client went away while its request runs. actix-web does not read an
//! HTTP/1 connection while its handler runs, so a closed connection goes unnoticed until the
//! answer is written; the request would run to its end for nobody. Each connection keeps a
//! duplicate of its socket (taken in `on_connect`), and a running request peeks at it: end
//! of stream, or a reset, means the client is gone, and the request's reads are stopped.

use std::sync::Arc;
use std::time::Duration;

/// A connection's socket, duplicated, for [`gone`].
#[derive(Clone)]
pub struct Peer(#[cfg(unix)] Arc<std::os::fd::OwnedFd>);

impl Peer {
    /// The peer of an accepted TCP connection (in `HttpServer::on_connect`).
    pub fn of(connection: &dyn std::any::Any) -> Option<Peer> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let tcp = connection.downcast_ref::<actix_web::rt::net::TcpStream>()?;
            let fd = tcp.as_fd().try_clone_to_owned().ok()?;
            Some(Peer(Arc::new(fd)))
        }
        #[cfg(not(unix))]
        {
            let _ = connection;
            None
        }
    }
}

/// Completes when the client of `peer` has closed its connection or reset it; never, if
/// that cannot be watched.
pub async fn gone(peer: Option<Peer>) {
    #[cfg(unix)]
    if let Some(stream) = peer.and_then(|p| watch(&p)) {
        let mut byte = [0u8; 1];
        loop {
            match stream.peek(&mut byte).await {
                Ok(0) | Err(_) => return,
                // Bytes of a next (pipelined) request wait in the socket; look again later.
                Ok(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
    #[cfg(not(unix))]
    let _ = peer;
    std::future::pending::<()>().await
}

#[cfg(unix)]
fn watch(peer: &Peer) -> Option<tokio::net::TcpStream> {
    let fd = peer.0.try_clone().ok()?;
    let std_stream = std::net::TcpStream::from(fd);
    std_stream.set_nonblocking(true).ok()?;
    tokio::net::TcpStream::from_std(std_stream).ok()
}
