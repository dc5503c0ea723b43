//! The `claimgraph` command line. Errors from every layer are mapped to a message and an
//! exit code here, and only here:
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | the input is invalid (every problem is listed); nothing was written; or, for `healthcheck`, the server is not healthy (Docker's convention) |
//! | 2 | the command line is wrong (clap's usage message) |
//! | 3 | the database could not be opened, read or written |
//! | 4 | the server could not listen on its address |
//! | 5 | the editors' tokens file is unreadable or malformed |
//! | 6 | the database file is damaged, cut short, or not an SQLite database |
//! | 7 | the database file or its directory is read-only |
//! | 8 | the disk holding the database is full |

/// Writes a command's output to stdout. A reader that has gone away (`claimgraph seed … |
/// head`) is no error: the work is done, so the rest of the output is dropped rather than
/// ending the process with a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod check;
mod docs;
mod generate;
mod healthcheck;
mod limits;
mod progress;
mod seed;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostic::Diagnostic;
use crate::storage::StorageError;

/// claimgraph: a knowledge graph of what news reporting says about armed conflict.
#[derive(Debug, Parser)]
#[command(name = "claimgraph", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
// `serve` carries every limit; the command line is parsed once, so its size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load fixture files into a database, all or nothing; records are upserted by id.
    Seed {
        /// The SQLite database file (created if missing).
        #[arg(long, value_name = "PATH", env = "CLAIMGRAPH_DB")]
        db: PathBuf,
        /// Fixture files (.yaml, .yml, .json) or directories to read them from.
        #[arg(value_name = "FILE_OR_DIR", required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Serve the graph over GraphQL, with GraphiQL at `/`.
    ///
    /// With neither --db nor --seed: data/claimgraph.db, seeded from the bundled seed when new.
    /// With --seed and no --db: an in-memory graph of those fixtures only.
    Serve {
        /// The SQLite database file (created if missing).
        #[arg(long, value_name = "PATH", env = "CLAIMGRAPH_DB")]
        db: Option<PathBuf>,
        /// Fixture files or directories to load before serving.
        #[arg(long, value_name = "FILE_OR_DIR", num_args = 1..)]
        seed: Vec<PathBuf>,
        /// Address to listen on; port 0 picks a free port (printed at start).
        #[arg(
            long,
            value_name = "ADDR",
            default_value = "127.0.0.1:8080",
            env = "CLAIMGRAPH_BIND"
        )]
        bind: String,
        /// Editors' tokens: a file of lines `EDITOR-NAME TOKEN` (`#` starts a comment).
        /// Without it the server is read-only.
        #[arg(long, value_name = "FILE", env = "CLAIMGRAPH_TOKENS")]
        tokens: Option<PathBuf>,
        /// Seconds a WebSocket may stay open before its `connection_init` (then closed with
        /// 4408).
        #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        ws_init_timeout: u64,
        /// Request limits.
        #[command(flatten)]
        limits: limits::LimitArgs,
        /// After SIGTERM or SIGINT, how long requests in flight may finish before they are
        /// stopped, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10, env = "CLAIMGRAPH_GRACE",
              value_parser = clap::value_parser!(u64).range(1..=3600))]
        grace: u64,
        /// An origin (`https://app.example.org`) whose pages may call the API from a
        /// browser; repeat for more, `*` for any. None by default.
        #[arg(long = "cors-origin", value_name = "ORIGIN", env = "CLAIMGRAPH_CORS_ORIGINS",
              value_delimiter = ',', value_parser = crate::http::cors::check_origin)]
        cors_origins: Vec<String>,
    },
    /// Ask a running server's /healthz; exits 0 when it answers 200 within 2 s, 1 otherwise
    /// (for container health checks).
    Healthcheck {
        /// The address the server listens on (0.0.0.0 or [::] are asked on loopback).
        #[arg(
            long,
            value_name = "ADDR",
            default_value = "127.0.0.1:8080",
            env = "CLAIMGRAPH_BIND"
        )]
        bind: String,
    },
    /// Print the GraphQL schema (SDL), as checked in at schema/schema.graphql.
    Schema,
    /// Validate fixture files without a database.
    Check {
        /// Fixture files (.yaml, .yml, .json) or directories to read them from.
        #[arg(value_name = "FILE_OR_DIR", required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the fixture format (checked in as schema/fixture.schema.json).
    FixtureSchema,
    /// Print the relation vocabulary as a Markdown table.
    Relations,
    /// Write a large generated graph shaped like the article's as fixture files, for
    /// benchmarks and for testing frontends against a big graph. Deterministic: the same
    /// --claims and --seed give the same files.
    Generate {
        /// How many claims (other records are made in proportion: about 0.37 per claim).
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        claims: u64,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The directory to write the files to (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input is invalid.
    #[error("{} in the input; nothing was written", count(.0.len()))]
    Invalid(Vec<Diagnostic>),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A directory could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The tokens file is unusable.
    #[error(transparent)]
    Tokens(#[from] crate::auth::TokensError),
    /// The server did not answer its health check.
    #[error("the server at {address} is not healthy: {reason}")]
    Unhealthy {
        /// The address asked.
        address: String,
        /// What went wrong.
        reason: String,
    },
    /// The server could not listen or stopped with an error.
    #[error("cannot serve on {address}: {source}")]
    Listen {
        /// The address.
        address: String,
        /// Why.
        source: std::io::Error,
    },
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) | CliError::Unhealthy { .. } => 1,
            CliError::Storage(StorageError::NotSqlite { .. } | StorageError::Damaged { .. }) => 6,
            CliError::Storage(StorageError::ReadOnly { .. }) => 7,
            CliError::Storage(StorageError::DiskFull { .. }) => 8,
            CliError::Storage(_) | CliError::Create { .. } => 3,
            CliError::Listen { .. } => 4,
            CliError::Tokens(_) => 5,
        }
    }
}

/// Parses the command line, runs the command, prints errors, and gives the exit code.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in log files and collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let CliError::Invalid(diagnostics) = &e {
                for d in diagnostics {
                    eprintln!("error: {d}");
                }
            }
            eprintln!("claimgraph: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Seed { db, inputs } => seed::run(&db, &inputs),
        Command::Check { inputs } => check::run(&inputs),
        Command::Serve {
            db,
            seed,
            bind,
            tokens,
            ws_init_timeout,
            limits,
            grace,
            cors_origins,
        } => serve::run(serve::ServeArgs {
            cors_origins,
            grace: std::time::Duration::from_secs(grace),
            db,
            seed,
            bind,
            tokens,
            ws_init_timeout: std::time::Duration::from_secs(ws_init_timeout),
            ws: limits.ws(),
            limits: limits.limits(),
        }),
        Command::Healthcheck { bind } => healthcheck::run(&bind),
        Command::Schema => {
            say!("{}", crate::graph::sdl());
            Ok(())
        }
        Command::FixtureSchema => {
            say!("{}\n", docs::fixture_schema());
            Ok(())
        }
        Command::Relations => {
            say!("{}", crate::model::relation::vocabulary_markdown());
            Ok(())
        }
        Command::Generate { claims, seed, out } => generate::run(claims, seed, &out),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
