//! `claimgraph export`: the graph, or a node's neighbourhood, as a STIX 2.1 bundle.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::exchange::stix::{self, Scope, Stamps};
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
    let (set, by_id) = exchange::view(store.connection())?;
    let mut stamps = Stamps::from_history(by_id);
    if let Some(epoch) = Stamps::epoch_from_env() {
        stamps = stamps.fixed_at(epoch);
    }
    let foreign = if args.include_foreign {
        kept(&store)?
    } else {
        Vec::new()
    };
    let bundle = stix::bundle_with(&set, stamps, args.namespace, &args.scope, foreign)?;
    let text = stix::to_text(&bundle);
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            let count = bundle["objects"].as_array().map_or(0, Vec::len);
            eprintln!("wrote {count} STIX objects to {}", path.display());
        }
        None => say!("{text}"),
    }
    Ok(())
}

/// The objects imports kept verbatim, parsed.
fn kept(store: &Store) -> Result<Vec<serde_json::Value>, CliError> {
    let texts = crate::storage::stix::kept_objects(store.connection())?;
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

/// Opens a database file that must exist; one this process may not write is read as it is.
pub fn open_existing(path: &Path) -> Result<Store, CliError> {
    if !path.exists() {
        return Err(CliError::Missing {
            path: path.to_path_buf(),
        });
    }
    match Store::open(path) {
        Err(StorageError::ReadOnly { .. }) => Ok(Store::open_read_only(path)?),
        other => Ok(other?),
    }
}
