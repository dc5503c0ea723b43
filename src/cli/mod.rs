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
//! | 9 | an output file could not be written |

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
mod export;
mod generate;
mod healthcheck;
mod import;
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
        /// The SQLite database file (created if missing), or a PostgreSQL database:
        /// postgres://user:password@host:port/name (migrated on first use).
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
        /// The SQLite database file (created if missing), or a PostgreSQL database:
        /// postgres://user:password@host:port/name (migrated on first use).
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
    /// Write the graph, or the neighbourhood of one node, as a STIX 2.1 bundle (JSON).
    ///
    /// Ids are deterministic (UUIDv5 of each record's id), so re-exports diff cleanly; with
    /// SOURCE_DATE_EPOCH set every timestamp is that instant, for byte-for-byte comparisons.
    #[command(group(clap::ArgGroup::new("input").required(true).args(["db", "seed"])))]
    Export {
        /// The SQLite database file to read (never created), or a PostgreSQL database:
        /// postgres://user:password@host:port/name.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Fixture files or directories to export instead of a database.
        #[arg(long, value_name = "FILE_OR_DIR", num_args = 1..)]
        seed: Vec<PathBuf>,
        /// The exchange format; STIX 2.1 is the one there is.
        #[arg(long, value_enum, default_value_t = Format::Stix)]
        format: Format,
        /// Export only the neighbourhood of this node (with every record it needs).
        #[arg(long, value_name = "ID")]
        root: Option<String>,
        /// How many claims away from --root to go.
        #[arg(long, value_name = "N", default_value_t = 2, requires = "root",
              value_parser = clap::value_parser!(u64).range(0..=16))]
        hops: u64,
        /// The namespace UUID of the ids (claimgraph's own by default), for deployments
        /// that want ids of their own.
        #[arg(long, value_name = "UUID", value_parser = parse_uuid)]
        namespace: Option<uuid::Uuid>,
        /// The file to write; stdout by default.
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Add the objects imports kept verbatim (indicators, malware, …), unchanged, after
        /// the graph's own; whole-graph exports only.
        #[arg(long, conflicts_with = "root")]
        include_foreign: bool,
    },
    /// Read STIX 2.1 bundles into a database, all or nothing: claimgraph's own exports
    /// exactly, other producers' objects mapped (identities and threat-actors to actors,
    /// reports to sources, relationships to claims asserted by their creator) and the rest
    /// kept verbatim. Importing the same bundle again changes nothing.
    Import {
        /// The SQLite database file (created if missing), or a PostgreSQL database:
        /// postgres://user:password@host:port/name (migrated on first use).
        #[arg(long, value_name = "PATH", env = "CLAIMGRAPH_DB")]
        db: PathBuf,
        /// The exchange format; STIX 2.1 is the one there is.
        #[arg(long, value_enum, default_value_t = Format::Stix)]
        format: Format,
        /// The namespace UUID the bundles' claimgraph ids were made with, if not the default.
        #[arg(long, value_name = "UUID", value_parser = parse_uuid)]
        namespace: Option<uuid::Uuid>,
        /// STIX bundle files (JSON).
        #[arg(value_name = "BUNDLE", required = true)]
        inputs: Vec<PathBuf>,
    },
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

/// Exchange formats of `export` and `import`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// STIX 2.1 (OASIS), as read by OpenCTI, MISP and TAXII feeds.
    Stix,
}

fn parse_uuid(s: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(s)
        .map_err(|e| format!("not a UUID ({e}), e.g. 78f03b3b-eaf9-4dcb-91fb-dabecb269da6"))
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
    /// A database to read is not there.
    #[error("no database at {}: give the path of an existing database file", path.display())]
    Missing {
        /// The path given.
        path: PathBuf,
    },
    /// An output file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The export cannot be made.
    #[error(transparent)]
    Export(#[from] crate::exchange::stix::ExportError),
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
            CliError::Invalid(_) | CliError::Unhealthy { .. } | CliError::Export(_) => 1,
            CliError::Storage(StorageError::NotSqlite { .. } | StorageError::Damaged { .. }) => 6,
            CliError::Storage(StorageError::ReadOnly { .. }) => 7,
            CliError::Storage(StorageError::DiskFull { .. }) => 8,
            CliError::Storage(_) | CliError::Create { .. } | CliError::Missing { .. } => 3,
            CliError::Write { .. } => 9,
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
        Command::Import {
            db,
            format: Format::Stix,
            namespace,
            inputs,
        } => import::run(
            &db,
            &inputs,
            namespace.unwrap_or(crate::exchange::stix::ids::NAMESPACE),
        ),
        Command::Export {
            db,
            seed,
            format: Format::Stix,
            root,
            hops,
            namespace,
            out,
            include_foreign,
        } => export::run(export::ExportArgs {
            include_foreign,
            db,
            seed,
            scope: crate::exchange::stix::Scope {
                root,
                hops: usize::try_from(hops).unwrap_or(usize::MAX),
            },
            namespace: namespace.unwrap_or(crate::exchange::stix::ids::NAMESPACE),
            out,
        }),
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
