//! `claimgraph serve`: the GraphQL server.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actix_web::{App, HttpServer, middleware};

use super::CliError;
use super::seed::{summary, write};
use crate::auth::Tokens;
use crate::fixture;
use crate::http::{AppState, ServerLimits, WsConfig, configure};
use crate::storage::{Database, StorageError, Store};

/// The database `serve` uses when given neither `--db` nor `--seed`.
pub const DEFAULT_DB: &str = "data/claimgraph.db";

/// Read connections in the pool: two per core (a read waits on I/O now and then), at least
/// four and at most sixteen, so that each keeps at least 8 MB of the shared read cache. More
/// only switched threads: on 2 cores, 4 readers with 32 MB of cache each served the 3-level
/// list at 100k claims as fast as 8 with 16 MB each at concurrency 1 and faster at 8 and 32
/// (`benches/RESULTS-postgraphile.md` has the runs).
fn readers() -> usize {
    std::thread::available_parallelism().map_or(4, |cores| (2 * cores.get()).clamp(4, 16))
}

/// What to serve and where.
pub struct ServeArgs {
    /// The database file, if given.
    pub db: Option<PathBuf>,
    /// Fixtures to load first.
    pub seed: Vec<PathBuf>,
    /// Address to listen on.
    pub bind: String,
    /// The editors' tokens file, if any.
    pub tokens: Option<PathBuf>,
    /// How long a WebSocket may wait before its `connection_init`.
    pub ws_init_timeout: Duration,
    /// WebSocket limits (operations, message size, queue).
    pub ws: WsConfig,
    /// Request limits.
    pub limits: ServerLimits,
    /// Origins whose pages may call the API from a browser.
    pub cors_origins: Vec<String>,
    /// How long requests in flight may go on after SIGTERM or SIGINT.
    pub grace: std::time::Duration,
}

/// Opens (and seeds) the graph as the arguments say, then serves it until stopped.
pub fn run(args: ServeArgs) -> Result<(), CliError> {
    // Read the tokens first: a bad file should stop the server before it touches the graph.
    let (tokens, access) = match &args.tokens {
        Some(path) => {
            let tokens = Tokens::load(path)?;
            if let Some(warning) = crate::auth::exposure(path) {
                eprintln!("warning: {warning}");
            }
            let access = format!(
                "  writable by {} editor token(s) from {} (send `Authorization: Bearer TOKEN`)",
                tokens.len(),
                path.display()
            );
            (tokens, access)
        }
        None => (
            Tokens::default(),
            "  read-only: no --tokens FILE given, so every mutation is refused".to_owned(),
        ),
    };
    let (db, what) = open(&args)?;
    let access = if db.is_read_only() {
        "  read-only: this process may not write the database file, so every mutation is refused (READ_ONLY); make it writable and restart to edit".to_owned()
    } else {
        access
    };
    db.check_in_background();
    let state = AppState::with_limits(db, tokens, args.limits.clone())
        .with_cors(args.cors_origins.clone())
        .with_ws(WsConfig {
            init_timeout: args.ws_init_timeout,
            // Pages that may call the API may open a socket too.
            allowed_origins: args.cors_origins.clone(),
            ..args.ws.clone()
        });
    actix_web::rt::System::new()
        .block_on(serve(state, &args, &what, &access))
        .map_err(|source| CliError::Listen {
            address: args.bind.clone(),
            source,
        })
}

fn open(args: &ServeArgs) -> Result<(Database, String), CliError> {
    match (&args.db, args.seed.is_empty()) {
        (None, true) => {
            let path = Path::new(DEFAULT_DB);
            let new = !path.exists();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| CliError::Create {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            if new {
                let loaded = fixture::bundled();
                let mut store = Store::open(path)?;
                write(&mut store, &loaded, DEFAULT_DB)?;
            }
            let what = format!(
                "{DEFAULT_DB} ({})",
                if new {
                    "new, seeded from the bundled seed/"
                } else {
                    "existing"
                }
            );
            let db = open_served(path)?;
            Ok((db, what))
        }
        (Some(path), true) => Ok((open_served(path)?, crate::storage::describe(path))),
        (Some(path), false) => {
            let mut store = Store::open(path)?;
            write(
                &mut store,
                &fixture::load(&args.seed),
                &crate::storage::describe(path),
            )?;
            drop(store);
            Ok((
                Database::open(path, readers())?,
                crate::storage::describe(path),
            ))
        }
        (None, false) => {
            let loaded = fixture::load(&args.seed);
            let mut store = Store::open_in_memory()?;
            write(&mut store, &loaded, "memory")?;
            let what = format!("an in-memory graph of {}", summary(&loaded.set));
            Ok((Database::in_memory(store), what))
        }
    }
}

/// Opens a database file to serve: for reading and writing, or for reading only when this
/// process may not write the file (a read-only file or file system), so that a published
/// copy can still be served.
fn open_served(path: &Path) -> Result<Database, CliError> {
    match Database::open(path, readers()) {
        Ok(db) => Ok(db),
        Err(StorageError::ReadOnly { .. }) if !may_write(path) => {
            let db = Database::open_read_only(path, readers())?;
            tracing::warn!(path = %path.display(), "serving the database read-only: this process may not write it");
            Ok(db)
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether this process may open the existing file `path` for writing.
fn may_write(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Sends small writes at once: with Nagle's algorithm on, the end of a response waits for
/// the client's delayed acknowledgement on a kept-alive connection (40 ms or more a request).
fn no_delay(connection: &dyn std::any::Any, extensions: &mut actix_web::dev::Extensions) {
    // Kept so that a request can notice its client going away (see `http::peer`).
    if let Some(peer) = crate::http::peer::Peer::of(connection) {
        extensions.insert(peer);
    }
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
        && let Err(e) = tcp.set_nodelay(true)
    {
        tracing::warn!(error = %e, "could not turn Nagle's algorithm off for a connection");
    }
}

async fn serve(state: AppState, args: &ServeArgs, what: &str, access: &str) -> std::io::Result<()> {
    let db = state.db.clone();
    let sockets = state.sockets.clone();
    let server = HttpServer::new(move || {
        let state = state.clone();
        App::new()
            .wrap(middleware::Compress::default())
            .configure(move |cfg| configure(cfg, state))
    })
    .on_connect(no_delay)
    // Signals are handled below, so that shutdown also empties the WAL.
    .disable_signals()
    .shutdown_timeout(args.grace.as_secs().max(1))
    .bind(&args.bind)?;
    let mut banner = String::new();
    for addr in server.addrs() {
        banner += &format!(
            "claimgraph listening on http://{addr}\n  GraphiQL: http://{addr}/   GraphQL: http://{addr}/graphql   SDL: http://{addr}/schema.graphql\n  subscriptions: ws://{addr}/graphql (graphql-transport-ws)\n"
        );
    }
    // `serving` comes last: scripts read up to it to know the server is up.
    banner += &format!("{access}\n  serving {what}\n");
    // Whoever started the server may stop reading its output; that must not stop it.
    let mut out = std::io::stdout();
    let _unread = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    let server = server.run();
    let handle = server.handle();
    let grace = args.grace;
    actix_web::rt::spawn(async move {
        let signal = stopped().await;
        tracing::warn!(
            signal,
            grace_s = grace.as_secs(),
            "stopping: no new connections; requests in flight may finish within the grace period, the rest are stopped"
        );
        // Graceful: workers stop accepting and wait for requests in flight; after the grace
        // period their futures are dropped, which stops their reads (see `http::graphql`).
        // A WebSocket never ends by itself: close them (1001) so that the workers can stop.
        sockets.close_all();
        handle.stop(true).await;
    });
    server.await?;
    match db.checkpoint().await {
        Ok(true) => tracing::info!("the WAL was emptied into the database"),
        Ok(false) => tracing::warn!(
            "the WAL was still in use at shutdown; SQLite replays it at the next start"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "the WAL could not be emptied at shutdown; SQLite replays it at the next start")
        }
    }
    Ok(())
}

/// Waits for SIGTERM or SIGINT (Ctrl-C), and names it.
async fn stopped() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            },
            _ => {
                tracing::error!("cannot listen for signals; stop the server with SIGKILL");
                std::future::pending().await
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
