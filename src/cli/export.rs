//! `claimgraph export`: the graph, or a node's neighbourhood, as a STIX 2.1 bundle.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::exchange::stix::{self, ExportError, Scope, Stamps};
use crate::fixture;
use crate::storage::{StorageError, Store, exchange};

/// What `export` was asked.
pub struct ExportArgs {
    /// The database to read.
    pub db: Option<PathBuf>,
    /// Fixtures to read into an in-memory graph instead.
    pub seed: Vec<PathBuf>,
    /// The neighbourhood to export.
    pub scope: Scope,
    /// The namespace of the UUIDv5 ids.
    pub namespace: uuid::Uuid,
    /// Where to write the bundle; stdout when `None`.
    pub out: Option<PathBuf>,
    /// Whether to add the objects imports kept verbatim.
    pub include_foreign: bool,
}

/// Reads the graph, makes the bundle and writes it.
pub fn run(args: ExportArgs) -> Result<(), CliError> {
    let store = open(&args)?;
    let (set, by_id) = exchange::view(&store.conn())?;
    let mut stamps = Stamps::from_history(by_id);
    if let Some(epoch) = Stamps::epoch_from_env() {
        stamps = stamps.fixed_at(epoch);
    }
    let foreign = if args.include_foreign {
        kept(&store)?
    } else {
        Vec::new()
    };
    let scope = &args.scope;
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            let mut file = std::io::BufWriter::new(file);
            let count = stix::write(&set, stamps, args.namespace, scope, &foreign, &mut file)
                .map_err(|e| match e {
                    ExportError::Write(source) => CliError::Write {
                        path: path.clone(),
                        source,
                    },
                    e => e.into(),
                })?;
            eprintln!("wrote {count} STIX objects to {}", path.display());
        }
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match stix::write(&set, stamps, args.namespace, scope, &foreign, &mut stdout) {
                // A reader that has gone away (`export | head`) is no error, as for `say!`.
                Err(ExportError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => {
                    other?;
                }
            }
        }
    }
    Ok(())
}

/// The objects imports kept verbatim, parsed.
fn kept(store: &Store) -> Result<Vec<serde_json::Value>, CliError> {
    let texts = crate::storage::stix::kept_objects(&store.conn())?;
    texts
        .iter()
        .map(|t| {
            serde_json::from_str(t).map_err(|e| {
                CliError::Storage(StorageError::Corrupt(format!("a kept STIX object: {e}")))
            })
        })
        .collect()
}

/// The database named, never created by an export, or an in-memory graph of the fixtures.
fn open(args: &ExportArgs) -> Result<Store, CliError> {
    match &args.db {
        Some(path) => open_existing(path),
        None => {
            let loaded = fixture::load(&args.seed);
            let mut store = Store::open_in_memory()?;
            super::seed::write(&mut store, &loaded, "memory")?;
            Ok(store)
        }
    }
}

/// Opens a database file that must exist (or a PostgreSQL database, which the server keeps);
/// one this process may not write is read as it is.
pub fn open_existing(path: &Path) -> Result<Store, CliError> {
    if !crate::storage::is_postgres_url(path) && !path.exists() {
        return Err(CliError::Missing {
            path: path.to_path_buf(),
        });
    }
    match Store::open(path) {
        Err(StorageError::ReadOnly { .. }) => Ok(Store::open_read_only(path)?),
        other => Ok(other?),
    }
}
