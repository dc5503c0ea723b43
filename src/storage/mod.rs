//! The storage layer: the graph in SQLite (WAL, foreign keys on), schema migrations, upserts
//! of whole batches in one transaction, and reads back into model records.
//!
//! Each record type has a module with its SQL next to the functions that run it. Everything
//! takes a `&Connection`, so the same functions serve a [`Store`], a [`Writer`]'s
//! transaction, and (later) pooled read connections.

pub mod actors;
pub mod anniversary;
pub mod claims;
mod columns;
pub mod corroboration;
mod database;
mod entities;
mod error;
pub mod events;
pub mod geo;
pub mod history;
pub mod lists;
pub mod locations;
pub mod merge;
mod migrate;
pub mod nodes;
pub mod query;
pub mod related;
pub mod search;
pub mod sources;
pub mod statements;
pub mod traverse;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::model::{Entity, EntityType, GraphSet, Id, Record};
use crate::validate::Existing;

pub use database::{Database, Location as DatabaseLocation, Snapshot};
pub use entities::entities;
pub use error::StorageError;
pub use history::Edit;
pub use migrate::{MIGRATIONS, latest_version};

/// What writing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It was new.
    Added,
    /// It existed and differed.
    Changed,
    /// It existed as it is.
    Unchanged,
}

impl Outcome {
    fn written(existed: bool) -> Outcome {
        if existed {
            Outcome::Changed
        } else {
            Outcome::Added
        }
    }
}

/// What writing a batch did, record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// Records that were new.
    pub added: Vec<(EntityType, Id)>,
    /// Records that existed and differed.
    pub changed: Vec<(EntityType, Id)>,
    /// How many records were already as given.
    pub unchanged: usize,
}

/// A claimgraph database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StorageError> {
        let open_err = |source| StorageError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        Store::setup(conn, path)
    }

    /// A database that lives in memory only.
    pub fn open_in_memory() -> Result<Store, StorageError> {
        let conn = Connection::open_in_memory()?;
        Store::setup(conn, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, StorageError> {
        // Reading the schema is the first thing that fails on a file that is not SQLite.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|_| StorageError::NotClaimgraph {
                path: PathBuf::from(path),
            })?;
        prepare_connection(&conn)?;
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate::migrate(&mut conn, path)?;
        Ok(Store { conn })
    }

    /// The connection, for reads.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn write<T, E: From<StorageError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StorageError::from)?;
        // References inside a batch may point forwards; they are checked at commit.
        tx.pragma_update(None, "defer_foreign_keys", true)
            .map_err(StorageError::from)?;
        let writer = Writer { tx };
        let out = f(&writer)?;
        writer.tx.commit().map_err(StorageError::from)?;
        Ok(out)
    }

    /// Every record in the database, each section ordered by id.
    pub fn snapshot(&self) -> Result<GraphSet, StorageError> {
        snapshot(&self.conn)
    }

    /// SQLite's own consistency check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StorageError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// What every connection needs, reading or writing: `rarray`, foreign keys, patience with locks.
pub(crate) fn prepare_connection(conn: &Connection) -> Result<(), StorageError> {
    rusqlite::vtab::array::load_module(conn)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// A list of ids as one SQL parameter, for `IN rarray(?)`.
pub(crate) fn array<S: AsRef<str>>(ids: &[S]) -> std::rc::Rc<Vec<rusqlite::types::Value>> {
    std::rc::Rc::new(
        ids.iter()
            .map(|s| rusqlite::types::Value::Text(s.as_ref().to_owned()))
            .collect(),
    )
}

/// Every id of one record table, in order.
fn all_ids(conn: &Connection, table: &'static str) -> Result<Vec<String>, StorageError> {
    let sql = format!("SELECT id FROM {table} ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// Takes an owner's list out of a `read_many` result, as ids.
fn take_ids(
    lists: &mut HashMap<String, Vec<String>>,
    owner: &str,
) -> Result<Vec<Id>, StorageError> {
    lists
        .remove(owner)
        .unwrap_or_default()
        .into_iter()
        .map(|s| Id::parse(&s).map_err(StorageError::Corrupt))
        .collect()
}

/// Takes an owner's list out of a `read_many` result, as texts.
fn take_texts(
    lists: &mut HashMap<String, Vec<String>>,
    owner: &str,
) -> Result<Vec<crate::model::Text>, StorageError> {
    lists
        .remove(owner)
        .unwrap_or_default()
        .into_iter()
        .map(|s| crate::model::Text::try_from(s).map_err(StorageError::Corrupt))
        .collect()
}

/// Every record readable through `conn`, each section ordered by id.
pub fn snapshot(conn: &Connection) -> Result<GraphSet, StorageError> {
    Ok(GraphSet {
        actors: actors::all(conn)?,
        locations: locations::all(conn)?,
        events: events::all(conn)?,
        sources: sources::all(conn)?,
        statements: statements::all(conn)?,
        claims: claims::all(conn)?,
    })
}

/// An open write transaction.
pub struct Writer<'c> {
    tx: Transaction<'c>,
}

impl Writer<'_> {
    /// The transaction's connection, for reads inside it.
    pub fn connection(&self) -> &Connection {
        &self.tx
    }

    /// Inserts or updates every record of the batch, by id, recording each change as `edit`.
    pub fn apply(&self, set: &GraphSet, edit: &Edit) -> Result<ChangeReport, StorageError> {
        let mut report = ChangeReport::default();
        let merged = merge::merged_ids(&self.tx)?;
        for (_, record) in set.records() {
            let followed = merge::follow_merges(record, &merged);
            let record = followed.as_ref().map_or(record, Entity::as_record);
            let outcome = self.put(record, None, edit)?;
            let entry = (record.entity_type(), record.id().clone());
            match outcome {
                Outcome::Added => report.added.push(entry),
                Outcome::Changed => report.changed.push(entry),
                Outcome::Unchanged => report.unchanged += 1,
            }
        }
        Ok(report)
    }

    /// Inserts or updates one record and records the change in its history, as `action`
    /// (or as created or updated when `None`); an unchanged record records nothing.
    pub fn put(
        &self,
        record: Record<'_>,
        action: Option<history::Action>,
        edit: &Edit,
    ) -> Result<Outcome, StorageError> {
        self.put_noting(record, action, &[], edit)
    }

    /// [`Writer::put`], adding `notes` to the changes it records; with notes, a change is
    /// recorded even when the record's own fields stay as they were.
    pub fn put_noting(
        &self,
        record: Record<'_>,
        action: Option<history::Action>,
        notes: &[history::FieldChange],
        edit: &Edit,
    ) -> Result<Outcome, StorageError> {
        let tx: &Connection = &self.tx;
        let (outcome, before) = match record {
            Record::Actor(r) => put_one(tx, r, actors::get, actors::upsert)?,
            Record::Location(r) => put_one(tx, r, locations::get, locations::upsert)?,
            Record::Event(r) => put_one(tx, r, events::get, events::upsert)?,
            Record::Source(r) => put_one(tx, r, sources::get, sources::upsert)?,
            Record::Statement(r) => put_one(tx, r, statements::get, statements::upsert)?,
            Record::Claim(r) => put_one(tx, r, claims::get, claims::upsert)?,
        };
        if outcome != Outcome::Unchanged {
            search::index(&self.tx, record)?;
        }
        if outcome != Outcome::Unchanged || !notes.is_empty() {
            let mut changes = match outcome {
                Outcome::Unchanged => Vec::new(),
                _ => history::diff(before.as_ref(), &serialized(record)?),
            };
            changes.extend_from_slice(notes);
            let action = action.unwrap_or(match outcome {
                Outcome::Added => history::Action::Created,
                _ => history::Action::Updated,
            });
            history::record(&self.tx, record.id().as_str(), action, &changes, edit)?;
        }
        Ok(outcome)
    }
}

/// A record as the fixture format writes it, for history.
pub fn serialized(record: Record<'_>) -> Result<serde_json::Value, StorageError> {
    let value = match record {
        Record::Actor(r) => serde_json::to_value(r),
        Record::Location(r) => serde_json::to_value(r),
        Record::Event(r) => serde_json::to_value(r),
        Record::Source(r) => serde_json::to_value(r),
        Record::Statement(r) => serde_json::to_value(r),
        Record::Claim(r) => serde_json::to_value(r),
    };
    value.map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// A record of the graph, as the storage modules read and write it.
trait Stored: serde::Serialize + PartialEq {
    /// Its id.
    fn key(&self) -> &Id;
}

macro_rules! stored {
    ($($t:ty),+) => {$(
        impl Stored for $t {
            fn key(&self) -> &Id {
                &self.id
            }
        }
    )+};
}
stored!(
    crate::model::Actor,
    crate::model::Location,
    crate::model::Event,
    crate::model::Source,
    crate::model::Statement,
    crate::model::Claim
);

type Get<T> = fn(&Connection, &str) -> Result<Option<T>, StorageError>;
type Upsert<T> = fn(&Connection, &T, Option<&T>) -> Result<Outcome, StorageError>;

/// Reads the stored record once, writes the new one if it differs, and gives the stored
/// one serialised (for history) when something changed.
fn put_one<T: Stored>(
    conn: &Connection,
    record: &T,
    get: Get<T>,
    upsert: Upsert<T>,
) -> Result<(Outcome, Option<serde_json::Value>), StorageError> {
    let before = get(conn, record.key().as_str())?;
    let outcome = upsert(conn, record, before.as_ref())?;
    let before = match (&outcome, before) {
        (Outcome::Changed, Some(b)) => {
            Some(serde_json::to_value(b).map_err(|e| StorageError::Corrupt(e.to_string()))?)
        }
        _ => None,
    };
    Ok((outcome, before))
}

/// What validation asks of the graph, answered from any connection.
pub struct Lookup<'c>(pub &'c Connection);

impl Existing for Lookup<'_> {
    type Error = StorageError;

    fn entity_type(&self, id: &str) -> Result<Option<EntityType>, StorageError> {
        nodes::node_type(self.0, id)
    }

    fn container(&self, kind: EntityType, id: &str) -> Result<Option<Id>, StorageError> {
        match kind {
            EntityType::Location => locations::parent(self.0, id),
            EntityType::Event => events::campaign(self.0, id),
            EntityType::Source => sources::via(self.0, id),
            _ => Ok(None),
        }
    }

    fn all_ids(&self) -> Result<Vec<(String, EntityType)>, StorageError> {
        nodes::all(self.0)
    }
}
