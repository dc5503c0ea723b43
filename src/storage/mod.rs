//! The storage layer: the graph in SQLite (WAL, foreign keys on), schema migrations, upserts
//! of whole batches in one transaction, and reads back into model records.
//!
//! Each record type has a module with its SQL next to the functions that run it. Everything
//! takes a [`Conn`], so the same functions serve a [`Store`], a [`Writer`]'s
//! transaction, and (later) pooled read connections.

pub mod actors;
pub mod anniversary;
mod bulk;
pub mod claims;
mod columns;
pub mod conn;
pub mod corroboration;
mod database;
mod entities;
mod error;
pub mod events;
pub mod exchange;
pub mod geo;
pub mod health;
pub mod history;
pub mod lists;
pub mod locations;
pub mod merge;
mod migrate;
pub mod names;
pub mod nodes;
mod pg;
pub mod query;
pub mod related;
pub mod search;
pub mod sources;
pub mod stances;
pub mod statements;
pub mod stix;
pub mod stop;
pub mod traverse;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use conn::params;
use pg::PgClient;

use crate::model::{Entity, EntityType, GraphSet, Id, Record};
use crate::validate::Existing;

pub use conn::{Conn, Engine, FromColumn, Param, Row, ToParam};
pub use database::{
    DEFAULT_READ_WAIT, Database, Location as DatabaseLocation, PoolStats, Snapshot,
};
pub use entities::{Lists, aliases, entities, entities_with, stored};
pub use error::StorageError;
pub use history::Edit;
pub use migrate::{MIGRATIONS, latest_version};
pub use stop::Stop;

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

/// How large the WAL may grow before the writer empties it (and what it is cut back to).
pub const WAL_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// A claimgraph database.
pub struct Store {
    session: Session,
}

/// The writer's connection, to whichever engine the store is on.
enum Session {
    Sqlite(Connection),
    Postgres(PgClient),
}

/// Whether `--db` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather
/// than an SQLite file.
pub fn is_postgres_url(target: &Path) -> bool {
    target
        .to_str()
        .is_some_and(|t| t.starts_with("postgres://") || t.starts_with("postgresql://"))
}

/// How to name a `--db` target in messages: a file's path, or a PostgreSQL URL without
/// its password.
pub fn describe(target: &Path) -> String {
    if is_postgres_url(target) {
        pg::redact(&target.to_string_lossy())
    } else {
        target.display().to_string()
    }
}

/// An advisory lock every writer of a PostgreSQL database takes for its transaction, so that
/// writes through any number of replicas are serialised as SQLite's single writer serialises
/// them: version checks (`CONFLICT`) and merges read what they then change.
const PG_WRITE_LOCK: i64 = 0x4347_7068;

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StorageError> {
        if is_postgres_url(path) {
            return Store::open_postgres(&path.to_string_lossy());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| health::diagnose(path, e))?;
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(health::read_only(path).unwrap_or(StorageError::ReadOnly {
                what: format!("the database file {}", path.display()),
                how: "make it writable to serve or seed it".to_owned(),
            }));
        }
        health::check_length(path)?;
        Store::setup(conn, path)
    }

    /// Opens the database at `path` for reading only, as a file the process may not write
    /// is served: it must exist and be at the latest schema, since it cannot be migrated.
    pub fn open_read_only(path: &Path) -> Result<Store, StorageError> {
        if is_postgres_url(path) {
            return Store::open_postgres(&path.to_string_lossy());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| health::diagnose(path, e))?;
        health::check_length(path)?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|e| health::diagnose(path, e))?;
        prepare_connection(&conn)?;
        migrate::check_current(&conn, path)?;
        Ok(Store {
            session: Session::Sqlite(conn),
        })
    }

    /// Connects to the PostgreSQL database at `url` and brings its schema up to date.
    pub fn open_postgres(url: &str) -> Result<Store, StorageError> {
        let client = PgClient::connect(url)?;
        let client =
            pg::off_async(move || migrate::migrate_postgres(&client, url).map(|()| client))?;
        Ok(Store {
            session: Session::Postgres(client),
        })
    }

    /// A database that lives in memory only.
    pub fn open_in_memory() -> Result<Store, StorageError> {
        let conn = Connection::open_in_memory()?;
        Store::setup(conn, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, StorageError> {
        // Reading the schema is the first thing that fails on a file that is not SQLite, is
        // damaged, or cannot be written (WAL mode needs its -shm file).
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|e| health::diagnose(path, e))?;
        prepare_connection(&conn)?;
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| health::diagnose(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // After a checkpoint that empties the WAL, the file is cut back to this size instead
        // of keeping the largest size it ever reached.
        conn.pragma_update(None, "journal_size_limit", WAL_LIMIT_BYTES)?;
        migrate::migrate(&mut conn, path)?;
        Ok(Store {
            session: Session::Sqlite(conn),
        })
    }

    /// Copies the WAL into the database and empties it, if no reader needs it; true when
    /// it did. Readers hold a snapshot for one request, so one of the next tries succeeds.
    pub fn checkpoint(&self) -> Result<bool, StorageError> {
        // PostgreSQL checkpoints by itself.
        let Session::Sqlite(conn) = &self.session else {
            return Ok(true);
        };
        // Waiting here would hold up every write: a busy checkpoint is tried again later.
        conn.busy_timeout(std::time::Duration::from_millis(50))?;
        let outcome = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        });
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(outcome? == 0)
    }

    /// The size of the WAL file now, in bytes (0 for a database in memory).
    pub fn wal_bytes(&self) -> u64 {
        let Session::Sqlite(conn) = &self.session else {
            return 0;
        };
        match conn.path() {
            Some(path) if !path.is_empty() => std::fs::metadata(format!("{path}-wal"))
                .map(|m| m.len())
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// The SQLite connection itself, for what only SQLite has (pragmas, checks); `None` on
    /// PostgreSQL.
    pub fn sqlite(&self) -> Option<&Connection> {
        match &self.session {
            Session::Sqlite(conn) => Some(conn),
            Session::Postgres(_) => None,
        }
    }

    /// The connection, for reads through the storage functions.
    pub fn conn(&self) -> Conn<'_> {
        match &self.session {
            Session::Sqlite(conn) => Conn::sqlite(conn),
            Session::Postgres(client) => Conn::postgres(client),
        }
    }

    /// Opens a write transaction: SQLite's immediate one, or on PostgreSQL one that first
    /// takes the writers' lock (see [`PG_WRITE_LOCK`]).
    fn begin(&mut self) -> Result<Tx<'_>, StorageError> {
        match &mut self.session {
            Session::Sqlite(conn) => Ok(Tx::Sqlite(
                conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            )),
            Session::Postgres(client) => {
                client.batch(&format!(
                    "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})"
                ))?;
                Ok(Tx::Postgres(PgTx {
                    client: &*client,
                    open: true,
                }))
            }
        }
    }

    /// Runs `f` in one write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub fn write<T, E: From<StorageError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transact(f, false)
    }

    /// [`Store::write`] for loading fixtures. Into an empty database, a large batch loads in
    /// bulk: foreign keys are checked once for the whole load before the commit instead of
    /// at each row, and secondary indexes are built after the rows (see `bulk`).
    pub fn load<T, E: From<StorageError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        // PostgreSQL's foreign keys are deferred to the commit by the schema itself.
        let Session::Sqlite(conn) = &self.session else {
            return self.write(f);
        };
        if !bulk::empty(conn)? {
            return self.write(f);
        }
        // Only outside a transaction can foreign keys be turned off.
        conn.pragma_update(None, "foreign_keys", false)
            .map_err(StorageError::from)?;
        let journaled = bulk::journal_directly(conn);
        let out = self.transact(f, true);
        let Session::Sqlite(conn) = &self.session else {
            return out;
        };
        let on = conn.pragma_update(None, "foreign_keys", true);
        let back = if journaled {
            bulk::journal_ahead(conn)
        } else {
            Ok(())
        };
        let out = out?;
        on.map_err(StorageError::from)?;
        back?;
        Ok(out)
    }

    fn transact<T, E: From<StorageError>>(
        &mut self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
        bulk: bool,
    ) -> Result<T, E> {
        let tx = self.begin()?;
        // References inside a batch may point forwards; they are checked at commit.
        if let Tx::Sqlite(tx) = &tx {
            tx.pragma_update(None, "defer_foreign_keys", true)
                .map_err(StorageError::from)?;
        }
        let writer = Writer {
            tx,
            search: RefCell::new(Vec::new()),
            bulk,
        };
        let out = f(&writer)?;
        let clock = std::time::Instant::now();
        search::write(&writer.connection(), &writer.search.take())?;
        tracing::debug!(took = ?clock.elapsed(), "search index written");
        if bulk && let Tx::Sqlite(tx) = &writer.tx {
            bulk::check_references(tx)?;
            tracing::debug!(took = ?clock.elapsed(), "references checked");
        }
        writer.tx.commit()?;
        tracing::debug!(took = ?clock.elapsed(), "committed");
        Ok(out)
    }

    /// Runs several edits in one write transaction, each inside its own savepoint: an edit
    /// that fails is undone alone, the others commit together (one sync to disk for all).
    /// Every edit hears its outcome only after the commit, so acknowledged means durable.
    /// Foreign keys are checked at each statement, so that one edit's bad reference cannot
    /// fail the others' commit.
    pub fn write_group(&mut self, edits: Vec<GroupEdit>) {
        let mut deliveries = Vec::with_capacity(edits.len());
        let outcome = self.run_group(edits, &mut deliveries);
        if let Err(e) = &outcome
            && let Some(dropped) = crate::throttle::allow("storage::group_commit")
        {
            tracing::error!(error = %e, edits = deliveries.len(), dropped, "a group of edits could not commit");
        }
        // SQLite's own checkpoints after commits cannot empty a WAL that a reader is still
        // using, so under steady reads it only grows; past the limit, the writer empties it
        // as soon as no reader is in the way.
        if self.wal_bytes() > WAL_LIMIT_BYTES as u64 {
            match self.checkpoint() {
                Ok(true) => tracing::debug!("the WAL was emptied"),
                Ok(false) => tracing::debug!("the WAL is still in use; emptying it later"),
                Err(e) => tracing::warn!(error = %e, "the WAL could not be checkpointed"),
            }
        }
        for deliver in deliveries {
            deliver(
                outcome
                    .as_ref()
                    .map(|_| ())
                    .map_err(|_| StorageError::Unavailable),
            );
        }
    }

    fn run_group(
        &mut self,
        edits: Vec<GroupEdit>,
        deliveries: &mut Vec<Delivery>,
    ) -> Result<(), StorageError> {
        let mut edits = edits.into_iter();
        let tx = match self.begin().and_then(|tx| {
            // As SQLite's writer here: a bad reference fails its own edit's statement, not
            // the group's commit.
            if let Tx::Postgres(pg) = &tx {
                pg.client.batch("SET CONSTRAINTS ALL IMMEDIATE")?;
            }
            Ok(tx)
        }) {
            Ok(tx) => tx,
            Err(e) => {
                deliveries.extend(edits.map(|edit| edit(None).1));
                return Err(e);
            }
        };
        let writer = Writer {
            tx,
            search: RefCell::new(Vec::new()),
            bulk: false,
        };
        while let Some(edit) = edits.next() {
            let gathered = writer.search.borrow().clone();
            if let Err(e) = writer.connection().execute_batch("SAVEPOINT edit") {
                deliveries.push(edit(None).1);
                deliveries.extend(edits.map(|edit| edit(None).1));
                return Err(e);
            }
            let (kept, deliver) = edit(Some(&writer));
            deliveries.push(deliver);
            let end = if kept {
                "RELEASE edit"
            } else {
                *writer.search.borrow_mut() = gathered;
                "ROLLBACK TO edit; RELEASE edit"
            };
            if let Err(e) = writer.connection().execute_batch(end) {
                deliveries.extend(edits.map(|edit| edit(None).1));
                return Err(e);
            }
        }
        search::write(&writer.connection(), &writer.search.take())?;
        writer.tx.commit()?;
        Ok(())
    }

    /// Every record in the database, each section ordered by id.
    pub fn snapshot(&self) -> Result<GraphSet, StorageError> {
        snapshot(&self.conn())
    }

    /// SQLite's own consistency check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StorageError> {
        match &self.session {
            Session::Sqlite(conn) => {
                Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
            }
            // PostgreSQL checks its own pages (checksums, amcheck); nothing to ask here.
            Session::Postgres(_) => Ok("ok".to_owned()),
        }
    }
}

/// The PostgreSQL notification channel on which writers announce committed changes.
pub const NOTICE_CHANNEL: &str = "claimgraph_changes";

/// Announces `payload` to every process that listens to this database (see
/// [`Database::listen`]), once the transaction `conn` is in commits; nothing if it rolls back
/// (a savepoint rolled back takes its notices with it). On SQLite it does nothing: the one
/// process that writes tells its own subscribers.
pub fn notify(conn: &Conn<'_>, payload: &str) -> Result<(), StorageError> {
    if conn.engine() == Engine::Postgres {
        conn.query_one(
            "SELECT pg_notify(?1, ?2)::text",
            params![NOTICE_CHANNEL, payload],
            |_| Ok(()),
        )?;
    }
    Ok(())
}

/// What every connection needs, reading or writing: `rarray`, foreign keys, patience with locks.
pub(crate) fn prepare_connection(conn: &Connection) -> Result<(), StorageError> {
    rusqlite::vtab::array::load_module(conn)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Statement journals (the undo of one statement inside a transaction) and sorts stay in
    // memory: written to a temporary file, they cost a system call per page.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    stop::install(conn);
    Ok(())
}

/// A list of ids as one SQL parameter, for `IN rarray(?)`.
pub(crate) fn array<S: AsRef<str>>(ids: &[S]) -> Param<'static> {
    conn::texts(ids)
}

/// Every id of one record table, in order.
fn all_ids(conn: &Conn<'_>, table: &'static str) -> Result<Vec<String>, StorageError> {
    let sql = format!("SELECT id FROM {table} ORDER BY id");
    let ids = conn.query_rows(&sql, params![], |r| r.get(0))?;
    Ok(ids.into_iter().collect())
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
pub fn snapshot(conn: &Conn<'_>) -> Result<GraphSet, StorageError> {
    Ok(GraphSet {
        actors: actors::all(conn)?,
        locations: locations::all(conn)?,
        events: events::all(conn)?,
        sources: sources::all(conn)?,
        statements: statements::all(conn)?,
        claims: claims::all(conn)?,
        stances: stances::all(conn)?,
    })
}

/// Tells an edit of a group how its group ended: `Ok` once committed.
pub type Delivery = Box<dyn FnOnce(Result<(), StorageError>) + Send>;

/// One edit of a group (see [`Store::write_group`]): run inside the group's transaction, it
/// says whether to keep what it wrote, and how to tell its caller the outcome; given no
/// writer (the group failed before its turn), it only says how to tell.
pub type GroupEdit = Box<dyn FnOnce(Option<&Writer<'_>>) -> (bool, Delivery) + Send>;

/// A write transaction on either engine; dropped without [`Tx::commit`], it rolls back.
enum Tx<'c> {
    Sqlite(Transaction<'c>),
    Postgres(PgTx<'c>),
}

impl Tx<'_> {
    fn commit(self) -> Result<(), StorageError> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.commit()?),
            Tx::Postgres(mut tx) => tx.commit(),
        }
    }
}

/// A PostgreSQL transaction begun by statement, rolled back when dropped uncommitted.
struct PgTx<'c> {
    client: &'c PgClient,
    open: bool,
}

impl PgTx<'_> {
    fn commit(&mut self) -> Result<(), StorageError> {
        self.open = false;
        self.client.batch("COMMIT")
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if self.open
            && let Err(e) = self.client.batch("ROLLBACK")
        {
            tracing::warn!(error = %e, "a PostgreSQL write could not roll back");
        }
    }
}

/// An open write transaction.
pub struct Writer<'c> {
    tx: Tx<'c>,
    /// Search index entries of the records written, written just before the commit.
    search: RefCell<Vec<search::Entry>>,
    /// Whether this is a bulk load into an empty database (see [`Store::load`]).
    bulk: bool,
}

impl Writer<'_> {
    /// Whether this is a bulk load that found the database empty (see [`Store::load`]).
    pub fn into_empty(&self) -> bool {
        self.bulk
    }

    /// The transaction's connection, for reads and writes inside it.
    pub fn connection(&self) -> Conn<'_> {
        match &self.tx {
            Tx::Sqlite(tx) => Conn::sqlite(tx),
            Tx::Postgres(pg) => Conn::postgres(pg.client),
        }
    }

    /// Inserts or updates every record of the batch, by id, recording each change as `edit`.
    pub fn apply(&self, set: &GraphSet, edit: &Edit) -> Result<ChangeReport, StorageError> {
        self.apply_with(set, edit, &mut |_| true)
    }

    /// [`Writer::apply`], telling `progress` how many records are written after each one;
    /// when it answers `false`, writing stops with [`StorageError::Stopped`].
    pub fn apply_with(
        &self,
        set: &GraphSet,
        edit: &Edit,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ChangeReport, StorageError> {
        let clock = std::time::Instant::now();
        let mut report = ChangeReport::default();
        let merged = merge::merged_ids(&self.connection())?;
        let mut records: Vec<Record<'_>> = set.records().map(|(_, r)| r).collect();
        // A large batch with SQLite's small default cache spills pages to the WAL and reads
        // them back many times over; a bigger cache for the batch's length keeps them.
        let sqlite = match &self.tx {
            Tx::Sqlite(tx) => Some(&**tx),
            Tx::Postgres(_) => None,
        };
        let large = records.len() > WRITE_CHUNK;
        if large && let Some(tx) = sqlite {
            tx.pragma_update(None, "cache_size", -(BATCH_CACHE_KIB as i64))?;
        }
        // Only the first large batch of a bulk load finds the database empty. Its records'
        // `nodes` rows and creation entries are then written once at the end, in id order
        // (see `bulk::register_loaded`), instead of one statement each as they come.
        let bulk_into = sqlite.filter(|_| large && self.bulk);
        let by_set = match bulk_into {
            Some(tx) => bulk::empty(tx)?,
            None => false,
        };
        let suspended = if let Some(tx) = bulk_into.filter(|_| by_set) {
            // Rows written in id order fill each table's id index from left to right; the
            // report then lists a section's records in id order, not in the files' order.
            for section in records.chunk_by_mut(|a, b| a.entity_type() == b.entity_type()) {
                section.sort_unstable_by(|a, b| a.id().cmp(b.id()));
            }
            Some(bulk::suspend(tx)?)
        } else {
            None
        };
        let mut done = 0;
        // Stored records are read a chunk at a time: a few statements per thousand records
        // instead of several per record, and memory bounded by the chunk, not the batch.
        for chunk in records.chunks(WRITE_CHUNK) {
            let followed: Vec<Option<Entity>> = chunk
                .iter()
                .map(|r| merge::follow_merges(*r, &merged))
                .collect();
            let ids: Vec<String> = chunk.iter().map(|r| r.id().to_string()).collect();
            let mut before = stored(&self.connection(), &ids)?;
            for (record, followed) in chunk.iter().zip(&followed) {
                let record = followed.as_ref().map_or(*record, Entity::as_record);
                let stored = before.remove(record.id().as_str());
                let outcome = self.put_stored(record, stored, None, &[], edit, by_set)?;
                let entry = (record.entity_type(), record.id().clone());
                match outcome {
                    Outcome::Added => report.added.push(entry),
                    Outcome::Changed => report.changed.push(entry),
                    Outcome::Unchanged => report.unchanged += 1,
                }
                done += 1;
                if !progress(done) {
                    return Err(StorageError::Stopped);
                }
            }
        }
        if let (Some(suspended), Some(tx)) = (suspended, bulk_into) {
            tracing::debug!(took = ?clock.elapsed(), records = done, "records written");
            bulk::register_loaded(tx, edit)?;
            tracing::debug!(took = ?clock.elapsed(), "nodes and creations written");
            bulk::restore(tx, suspended)?;
            tracing::debug!(took = ?clock.elapsed(), "indexes built");
        }
        if large && let Some(tx) = sqlite {
            tx.pragma_update(None, "cache_size", -2000)?;
        }
        Ok(report)
    }

    /// Takes a node out of the search index (with any entry this transaction gathered for it).
    pub fn unindex(&self, id: &str) -> Result<(), StorageError> {
        self.search.borrow_mut().retain(|e| e.id() != id);
        search::remove(&self.connection(), id)
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
        let id = record.id().to_string();
        let before = stored(&self.connection(), std::slice::from_ref(&id))?.remove(&id);
        self.put_stored(record, before, action, notes, edit, false)
    }

    /// Writes `record` given what is stored under its id (`before`, of any type); `by_set`
    /// leaves its `nodes` row and creation entry to `bulk::register_loaded`.
    fn put_stored(
        &self,
        record: Record<'_>,
        before: Option<Entity>,
        action: Option<history::Action>,
        notes: &[history::FieldChange],
        edit: &Edit,
        by_set: bool,
    ) -> Result<Outcome, StorageError> {
        let conn = self.connection();
        let tx = &conn;
        let existed = before
            .as_ref()
            .is_some_and(|b| b.as_record().entity_type() == record.entity_type());
        if !existed && !by_set {
            // Refuses an id that a node of another type holds.
            nodes::register(tx, record.id(), record.entity_type())?;
        }
        let (outcome, before) = match (record, before) {
            (Record::Actor(r), Some(Entity::Actor(b))) => put_one(tx, r, Some(b), actors::upsert)?,
            (Record::Actor(r), _) => put_one(tx, r, None, actors::upsert)?,
            (Record::Location(r), Some(Entity::Location(b))) => {
                put_one(tx, r, Some(b), locations::upsert)?
            }
            (Record::Location(r), _) => put_one(tx, r, None, locations::upsert)?,
            (Record::Event(r), Some(Entity::Event(b))) => put_one(tx, r, Some(b), events::upsert)?,
            (Record::Event(r), _) => put_one(tx, r, None, events::upsert)?,
            (Record::Source(r), Some(Entity::Source(b))) => {
                put_one(tx, r, Some(b), sources::upsert)?
            }
            (Record::Source(r), _) => put_one(tx, r, None, sources::upsert)?,
            (Record::Statement(r), Some(Entity::Statement(b))) => {
                put_one(tx, r, Some(b), statements::upsert)?
            }
            (Record::Statement(r), _) => put_one(tx, r, None, statements::upsert)?,
            (Record::Claim(r), Some(Entity::Claim(b))) => put_one(tx, r, Some(b), claims::upsert)?,
            (Record::Claim(r), _) => put_one(tx, r, None, claims::upsert)?,
            (Record::Stance(r), Some(Entity::Stance(b))) => {
                put_one(tx, r, Some(b), stances::upsert)?
            }
            (Record::Stance(r), _) => put_one(tx, r, None, stances::upsert)?,
        };
        if outcome != Outcome::Unchanged
            && let Some(entry) = search::entry(record, outcome == Outcome::Added)
        {
            self.search.borrow_mut().push(entry);
        }
        if outcome != Outcome::Unchanged || !notes.is_empty() {
            if outcome == Outcome::Added
                && notes.is_empty()
                && matches!(action, None | Some(history::Action::Created))
            {
                if !by_set {
                    history::record_creation(tx, record.id().as_str(), edit)?;
                }
                return Ok(outcome);
            }
            let mut changes = match outcome {
                Outcome::Unchanged => Vec::new(),
                Outcome::Added => history::created(serialized(record)?),
                Outcome::Changed => history::diff(before.as_ref(), &serialized(record)?),
            };
            changes.extend_from_slice(notes);
            let action = action.unwrap_or(match outcome {
                Outcome::Added => history::Action::Created,
                _ => history::Action::Updated,
            });
            history::record(tx, record.id().as_str(), action, &changes, edit)?;
        }
        Ok(outcome)
    }
}

/// How many records [`Writer::apply`] reads back from the database at once.
const WRITE_CHUNK: usize = 1000;

/// SQLite's page cache, in KiB, while a large batch is written (SQLite's default is 2,000).
const BATCH_CACHE_KIB: usize = 64 * 1024;

/// A record as the fixture format writes it, for history.
pub fn serialized(record: Record<'_>) -> Result<serde_json::Value, StorageError> {
    let value = match record {
        Record::Actor(r) => serde_json::to_value(r),
        Record::Location(r) => serde_json::to_value(r),
        Record::Event(r) => serde_json::to_value(r),
        Record::Source(r) => serde_json::to_value(r),
        Record::Statement(r) => serde_json::to_value(r),
        Record::Claim(r) => serde_json::to_value(r),
        Record::Stance(r) => serde_json::to_value(r),
    };
    value.map_err(|e| StorageError::Corrupt(e.to_string()))
}

type Upsert<T> = fn(&Conn<'_>, &T, Option<&T>) -> Result<Outcome, StorageError>;

/// Writes the new record if it differs from the stored one (`before`), and gives the stored
/// one serialised (for history) when something changed.
fn put_one<T: serde::Serialize>(
    conn: &Conn<'_>,
    record: &T,
    before: Option<T>,
    upsert: Upsert<T>,
) -> Result<(Outcome, Option<serde_json::Value>), StorageError> {
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
pub struct Lookup<'c>(pub Conn<'c>);

impl Existing for Lookup<'_> {
    type Error = StorageError;

    fn entity_type(&self, id: &str) -> Result<Option<EntityType>, StorageError> {
        nodes::node_type(&self.0, id)
    }

    fn container(&self, kind: EntityType, id: &str) -> Result<Option<Id>, StorageError> {
        match kind {
            EntityType::Location => locations::parent(&self.0, id),
            EntityType::Event => events::campaign(&self.0, id),
            EntityType::Source => sources::via(&self.0, id),
            _ => Ok(None),
        }
    }

    fn all_ids(&self) -> Result<Vec<(String, EntityType)>, StorageError> {
        nodes::all(&self.0)
    }

    fn asserter(&self, claim: &str) -> Result<Option<crate::model::AssertedBy>, StorageError> {
        claims::asserter(&self.0, claim)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::fixture;

    fn actor(id: &str) -> GraphSet {
        let text = format!("actors:\n  - id: {id}\n    kind: armed_group\n    name: {id}\n");
        let loaded = fixture::load_texts(&[("edit.yaml", &text)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.set
    }

    /// An edit that writes `set` and then fails when `fail` says so.
    fn edit_writing(
        set: GraphSet,
        fail: bool,
        told: mpsc::Sender<(usize, bool)>,
        n: usize,
    ) -> GroupEdit {
        Box::new(move |writer| {
            let kept = writer.is_some_and(|w| w.apply(&set, &Edit::by("test")).is_ok() && !fail);
            let deliver: Delivery = Box::new(move |committed| {
                told.send((n, kept && committed.is_ok())).unwrap();
            });
            (kept, deliver)
        })
    }

    #[test]
    fn a_failed_edit_in_a_group_is_undone_alone_and_the_others_commit() {
        let mut store = Store::open_in_memory().unwrap();
        let (tell, told) = mpsc::channel();
        store.write_group(vec![
            edit_writing(actor("first"), false, tell.clone(), 0),
            edit_writing(actor("second"), true, tell.clone(), 1),
            edit_writing(actor("third"), false, tell, 2),
        ]);
        let mut outcomes: Vec<(usize, bool)> = told.try_iter().collect();
        outcomes.sort();
        assert_eq!(outcomes, [(0, true), (1, false), (2, true)]);
        let ids: Vec<String> = store
            .snapshot()
            .unwrap()
            .actors
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        assert_eq!(ids, ["first", "third"]);
        let found = search::search(&store.conn(), "second", 10).unwrap();
        assert!(
            found.is_empty(),
            "the failed edit left a search entry: {found:?}"
        );
    }
}
