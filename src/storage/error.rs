//! What can go wrong in the storage layer.

use std::path::PathBuf;

use crate::model::EntityType;

/// A storage failure. The edges (CLI, GraphQL) decide what a user sees of it.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The file could not be opened or created as a database.
    #[error("cannot open the database {}: {source}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The file is an SQLite database of some other program.
    #[error("{} is not a claimgraph database (it holds other tables); point --db at a new file or a claimgraph database", path.display())]
    NotClaimgraph {
        /// The database file.
        path: PathBuf,
    },
    /// The file is not an SQLite database at all (another kind of file, or one cut short
    /// before its header ends).
    #[error("{} is not an SQLite database: its header is not SQLite's (another kind of file, or a copy cut short). Point --db at a claimgraph database or a new file", path.display())]
    NotSqlite {
        /// The database file.
        path: PathBuf,
    },
    /// The file is damaged: shorter than its header says, or its pages fail SQLite's check.
    #[error("the database {} is damaged: {detail}. Restore it from a backup, or try `sqlite3 {} .recover` into a new file", path.display(), path.display())]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The file, or the directory it is in, cannot be written.
    #[error("{what} is read-only: {how}")]
    ReadOnly {
        /// What cannot be written.
        what: String,
        /// How to fix it.
        how: String,
    },
    /// The disk is full: nothing of the write that met it was kept.
    #[error("the disk holding {} is full, so nothing of this write was kept: free some space, or point --db at another disk", if path.as_os_str().is_empty() { "the database".to_owned() } else { path.display().to_string() })]
    DiskFull {
        /// The database file, when known (empty when a statement met the full disk).
        path: PathBuf,
    },
    /// The database was written by a newer claimgraph with a schema this one does not know.
    #[error("the database {} has schema version {found}, written by a newer claimgraph; this claimgraph knows versions up to {supported}. Upgrade claimgraph, or point --db at another file", path.display())]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The version recorded in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// An id is already used by a node of another type.
    #[error("id {id:?} is already {} in the database", existing.with_article())]
    TypeConflict {
        /// The id.
        id: String,
        /// The type it has.
        existing: EntityType,
    },
    /// A stored value cannot be read back as the model says it should be.
    #[error("the database holds a value claimgraph cannot read: {0}")]
    Corrupt(String),
    /// The database cannot take work (a connection was lost); try again.
    #[error("the database is unavailable")]
    Unavailable,
    /// The caller stopped a batch before it was written; nothing of it was kept.
    #[error("the batch was stopped before it was written; nothing was kept")]
    Stopped,
    /// A read was stopped: its request's deadline passed or its client went away.
    #[error("the read was stopped: its request ran out of time or was cancelled")]
    Interrupted,
    /// No read connection came free in time.
    #[error("no read connection came free within {waited_ms} ms")]
    Busy {
        /// How long the read waited.
        waited_ms: u64,
    },
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The PostgreSQL server could not be reached, or refused the connection.
    #[error(
        "cannot connect to PostgreSQL at {target}: {source}. Check the URL (postgres://user:password@host:port/database), that the server runs, and that it lets this user connect"
    )]
    Connect {
        /// The URL, without its password.
        target: String,
        /// The driver's reason.
        source: postgres::Error,
    },
    /// Any other PostgreSQL error.
    #[error("database error: {}", postgres_detail(.0))]
    Postgres(postgres::Error),
}

/// What PostgreSQL said, which the driver keeps as the error's source ("db error" alone says
/// nothing).
fn postgres_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl From<postgres::Error> for StorageError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::QUERY_CANCELED => StorageError::Interrupted,
            Some(c) if *c == SqlState::DISK_FULL => StorageError::DiskFull {
                path: PathBuf::new(),
            },
            None if e.is_closed() => StorageError::Unavailable,
            _ => StorageError::Postgres(e),
        }
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::OperationInterrupted) => StorageError::Interrupted,
            // SQLite rolls the transaction back; the caller learns why in plain words.
            Some(rusqlite::ErrorCode::DiskFull) => StorageError::DiskFull {
                path: PathBuf::new(),
            },
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                // The health check reports the database damaged from now on.
                super::health::corruption_seen();
                StorageError::Sqlite(e)
            }
            _ => StorageError::Sqlite(e),
        }
    }
}

/// A column value that does not fit the model, reported through rusqlite's conversion error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);

/// The error for column `i` holding a value the model refuses. It is the conversion error
/// SQLite's reads gave before the engine boundary, so that messages stay as they were.
pub fn bad_value(i: usize, message: String) -> StorageError {
    StorageError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        Box::new(BadValue(message)),
    ))
}

/// [`bad_value`] for an integer column.
pub fn bad_integer(i: usize, message: String) -> StorageError {
    StorageError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Integer,
        Box::new(BadValue(message)),
    ))
}
