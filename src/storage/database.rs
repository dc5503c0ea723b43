//! The database as the server uses it: a pool of read connections (WAL lets them read while
//! the writer writes) and one writer, all driven on tokio's blocking threads so that SQLite
//! never blocks an async worker. Every SQL statement run for a handle made by
//! [`Database::counting`] is counted, which is how tests prove there is no N+1.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use super::{StorageError, Store, prepare_connection};

thread_local! {
    /// Statements started on this thread since the current job began.
    static STATEMENTS: Cell<usize> = const { Cell::new(0) };
}

fn count_statement(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(_, sql) = event
        && !sql.starts_with("--")
    {
        STATEMENTS.with(|n| n.set(n.get() + 1));
    }
}

/// Where the graph lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A database file.
    File(PathBuf),
    /// Memory only: one connection serves reads and writes, and the graph ends with the process.
    Memory,
}

struct Inner {
    location: Location,
    readers: Mutex<Vec<Connection>>,
    permits: Semaphore,
    writer: Mutex<Store>,
}

/// A shareable handle on the graph's database.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
    counter: Option<Arc<AtomicUsize>>,
}

impl Database {
    /// Opens a database file (migrating it) with `readers` read connections.
    pub fn open(path: &Path, readers: usize) -> Result<Database, StorageError> {
        let writer = Store::open(path)?;
        let mut pool = Vec::new();
        for _ in 0..readers.max(1) {
            pool.push(open_reader(path)?);
        }
        Ok(Database::assemble(
            Location::File(path.to_path_buf()),
            writer,
            pool,
        ))
    }

    /// Wraps an in-memory store; reads and writes share its one connection.
    pub fn in_memory(store: Store) -> Database {
        Database::assemble(Location::Memory, store, Vec::new())
    }

    fn assemble(location: Location, writer: Store, readers: Vec<Connection>) -> Database {
        writer
            .connection()
            .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_statement));
        let permits = Semaphore::new(readers.len().max(1));
        Database {
            inner: Arc::new(Inner {
                location,
                readers: Mutex::new(readers),
                permits,
                writer: Mutex::new(writer),
            }),
            counter: None,
        }
    }

    /// Where the graph lives.
    pub fn location(&self) -> &Location {
        &self.inner.location
    }

    /// A handle that adds the number of SQL statements it runs to the returned counter.
    pub fn counting(&self) -> (Database, Arc<AtomicUsize>) {
        let counter = Arc::new(AtomicUsize::new(0));
        let db = Database {
            inner: self.inner.clone(),
            counter: Some(counter.clone()),
        };
        (db, counter)
    }

    /// Runs `f` on a read connection, on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    {
        if matches!(self.inner.location, Location::Memory) {
            return self
                .write(move |store: &mut Store| f(store.connection()))
                .await;
        }
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| StorageError::Unavailable)?;
        let conn = self
            .lock_readers()?
            .pop()
            .ok_or(StorageError::Unavailable)?;
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            STATEMENTS.with(|n| n.set(0));
            let out = f(&conn);
            (conn, out, STATEMENTS.with(Cell::get))
        });
        match job.await {
            Ok((conn, out, statements)) => {
                self.lock_readers()?.push(conn);
                self.add(statements);
                out
            }
            Err(join) => {
                // The connection went down with the job: replace it so the pool keeps its size.
                tracing::error!(error = %join, "a database read failed");
                if let Location::File(path) = &inner.location {
                    self.lock_readers()?.push(open_reader(path)?);
                }
                Err(StorageError::Unavailable)
            }
        }
    }

    /// Runs `f` with the writer, on a blocking thread; writes are serialised.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            // A writer that panicked mid-transaction rolled back when its guard dropped, so
            // the store is sound even if the lock is poisoned.
            let mut store = inner
                .writer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            STATEMENTS.with(|n| n.set(0));
            let out = f(&mut store);
            (out, STATEMENTS.with(Cell::get))
        });
        match job.await {
            Ok((out, statements)) => {
                self.add(statements);
                out
            }
            Err(join) => {
                tracing::error!(error = %join, "a database write failed");
                Err(StorageError::Unavailable.into())
            }
        }
    }

    fn add(&self, statements: usize) {
        if let Some(counter) = &self.counter {
            counter.fetch_add(statements, Ordering::Relaxed);
        }
    }

    fn lock_readers(&self) -> Result<std::sync::MutexGuard<'_, Vec<Connection>>, StorageError> {
        self.inner
            .readers
            .lock()
            .map_err(|_| StorageError::Unavailable)
    }
}

fn open_reader(path: &Path) -> Result<Connection, StorageError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| StorageError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    prepare_connection(&conn)?;
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_statement));
    Ok(conn)
}
