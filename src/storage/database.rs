//! The database as the server uses it: a pool of read connections (WAL lets them read while
//! the writer writes) and one writer, all driven on tokio's blocking threads so that SQLite
//! never blocks an async worker. Every SQL statement run for a handle made by
//! [`Database::counting`] is counted, which is how tests prove there is no N+1.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, OpenFlags};

use super::Conn;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::pg::PgClient;
use super::stop::Stop;
use super::{Delivery, GroupEdit, StorageError, Store, Writer, prepare_connection};

thread_local! {
    /// Statements started on this thread since the current job began.
    static STATEMENTS: Cell<usize> = const { Cell::new(0) };
}

/// Counts one statement run on this thread (for engines without SQLite's trace hook).
pub(super) fn count_statement_here() {
    STATEMENTS.with(|n| n.set(n.get() + 1));
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
    /// A PostgreSQL database, by its URL.
    Postgres(String),
}

/// A read connection of the pool, to whichever engine the graph is on.
enum Reader {
    Sqlite(Connection),
    Postgres(PgClient),
}

impl Reader {
    fn conn(&self) -> Conn<'_> {
        match self {
            Reader::Sqlite(c) => Conn::sqlite(c),
            Reader::Postgres(c) => Conn::postgres(c),
        }
    }

    /// Opens the read transaction that makes one snapshot of the graph, ended by [`Reader::end`].
    /// SQLite's is deferred (taken by its first read); PostgreSQL's is `REPEATABLE READ`, so
    /// every statement in it sees the database as the first one did.
    fn begin(&self, stop: Option<&Stop>) -> Result<(), StorageError> {
        match self {
            Reader::Sqlite(c) => Ok(c.execute_batch("BEGIN")?),
            Reader::Postgres(c) => {
                // PostgreSQL cannot ask our stop between steps as SQLite's progress handler
                // does; the server cancels at the deadline instead. One round trip for both.
                let begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
                match stop
                    .and_then(Stop::deadline)
                    .map(|d| d.saturating_duration_since(Instant::now()))
                {
                    Some(left) => c.batch(&format!(
                        "{begin}; SET LOCAL statement_timeout = {}",
                        millis(left).max(1)
                    ))?,
                    None => c.batch(begin)?,
                }
                Ok(())
            }
        }
    }

    /// Ends the read transaction; it wrote nothing, so ending it cannot lose data.
    fn end(&self) {
        let ended = match self {
            Reader::Sqlite(c) => c.execute_batch("COMMIT").map_err(StorageError::from),
            Reader::Postgres(c) => c.batch("COMMIT"),
        };
        if let Err(e) = ended {
            tracing::debug!(error = %e, "a read transaction did not end cleanly");
        }
    }

    /// Whether the connection is lost for good (PostgreSQL's server closed it).
    fn is_lost(&self) -> bool {
        match self {
            Reader::Sqlite(_) => false,
            Reader::Postgres(c) => c.is_closed(),
        }
    }
}

/// The read pool's figures since the server started.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    /// Read connections in the pool.
    pub size: usize,
    /// Read connections free now.
    pub free: usize,
    /// Reads that had to wait for a connection.
    pub waits: u64,
    /// Time spent waiting, in microseconds.
    pub wait_micros: u64,
    /// Reads that gave up waiting (BUSY).
    pub busy: u64,
}

/// How long a read waits for a connection when the server does not say.
pub const DEFAULT_READ_WAIT: Duration = Duration::from_secs(2);

struct Inner {
    location: Location,
    readers: Mutex<Vec<Reader>>,
    /// How many read connections the pool holds when none is out.
    pool_size: usize,
    permits: Arc<Semaphore>,
    /// What heavy requests take besides a connection: fewer than the connections, so that
    /// some are always left for cheap requests.
    heavy_permits: Arc<Semaphore>,
    /// How many permits `heavy_permits` started with.
    heavy_share: usize,
    /// How long a read waits for a connection, in milliseconds, before it fails as busy.
    read_wait_ms: AtomicU64,
    /// Reads that had to wait for a connection, how long in all, and how many gave up.
    waits: AtomicU64,
    wait_micros: AtomicU64,
    busy: AtomicU64,
    /// A connection of its own for the health check, so that a pool held by heavy requests
    /// never makes the server look dead.
    probe: Mutex<Option<Reader>>,
    writer: Mutex<Store>,
    /// Whether the file is served read-only: every write is refused before it starts.
    read_only: bool,
    /// Edits waiting for the writer, committed together by whoever takes it next.
    edits: Mutex<Vec<GroupEdit>>,
}

impl Inner {
    /// The writer, waiting for it. A writer that panicked mid-transaction rolled back when
    /// its guard dropped, so the store is sound even if the lock is poisoned.
    fn writer(&self) -> std::sync::MutexGuard<'_, Store> {
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn give_back(&self, conn: Reader) {
        if let Ok(mut pool) = self.readers.lock() {
            pool.push(conn);
        }
    }
}

/// A shareable handle on the graph's database.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
    counter: Option<Arc<AtomicUsize>>,
    /// When this handle's reads must stop.
    stop: Option<Stop>,
    /// Whether this handle's reads are a heavy request's (see [`Database::heavy`]).
    heavy: bool,
}

impl Database {
    /// Opens a database file (migrating it) with `readers` read connections, which share
    /// [`READ_CACHE_KIB`] of page cache between them.
    pub fn open(path: &Path, readers: usize) -> Result<Database, StorageError> {
        if super::is_postgres_url(path) {
            return Database::open_postgres(&path.to_string_lossy(), readers);
        }
        Database::open_with(path, readers, Store::open(path)?, false)
    }

    /// Opens a database file this process may not write, for reading only: every write is
    /// refused (see [`Database::is_read_only`]).
    pub fn open_read_only(path: &Path, readers: usize) -> Result<Database, StorageError> {
        Database::open_with(path, readers, Store::open_read_only(path)?, true)
    }

    fn open_with(
        path: &Path,
        readers: usize,
        writer: Store,
        read_only: bool,
    ) -> Result<Database, StorageError> {
        let readers = readers.max(1);
        let mut pool = Vec::new();
        for _ in 0..readers {
            pool.push(open_reader(path, readers)?);
        }
        let probe = open_reader(path, readers)?;
        probe.pragma_update(None, "cache_size", -64)?;
        let pool = pool.into_iter().map(Reader::Sqlite).collect();
        let mut db = Database::assemble(Location::File(path.to_path_buf()), writer, pool);
        if let Some(inner) = Arc::get_mut(&mut db.inner) {
            inner.read_only = read_only;
        }
        if let Ok(mut slot) = db.inner.probe.lock() {
            *slot = Some(Reader::Sqlite(probe));
        }
        Ok(db)
    }

    /// Connects to a PostgreSQL database (migrating it) with `readers` read sessions, one
    /// writer session and one for the health check.
    pub fn open_postgres(url: &str, readers: usize) -> Result<Database, StorageError> {
        let writer = Store::open_postgres(url)?;
        let mut pool = Vec::new();
        for _ in 0..readers.max(1) {
            pool.push(Reader::Postgres(PgClient::connect(url)?));
        }
        let probe = Reader::Postgres(PgClient::connect(url)?);
        let db = Database::assemble(Location::Postgres(url.to_owned()), writer, pool);
        if let Ok(mut slot) = db.inner.probe.lock() {
            *slot = Some(probe);
        }
        Ok(db)
    }

    /// Wraps an in-memory store; reads and writes share its one connection.
    pub fn in_memory(store: Store) -> Database {
        Database::assemble(Location::Memory, store, Vec::new())
    }

    fn assemble(location: Location, writer: Store, readers: Vec<Reader>) -> Database {
        if let Some(conn) = writer.sqlite() {
            conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_statement));
        }
        let pool_size = readers.len().max(1);
        let permits = Arc::new(Semaphore::new(pool_size));
        // A quarter of the connections (at least one) stays free of heavy requests, and heavy
        // requests leave a core free: on two cores, three heavy reads at once kept the health
        // check waiting for a CPU for 300 ms (`benches/attacks.sh`).
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let heavy = if pool_size > 1 {
            (pool_size - (pool_size / 4).max(1)).min(cores.saturating_sub(1).max(1))
        } else {
            1
        };
        Database {
            inner: Arc::new(Inner {
                location,
                readers: Mutex::new(readers),
                pool_size,
                permits,
                heavy_permits: Arc::new(Semaphore::new(heavy)),
                heavy_share: heavy,
                read_wait_ms: AtomicU64::new(millis(DEFAULT_READ_WAIT)),
                probe: Mutex::new(None),
                waits: AtomicU64::new(0),
                wait_micros: AtomicU64::new(0),
                busy: AtomicU64::new(0),
                writer: Mutex::new(writer),
                read_only: false,
                edits: Mutex::new(Vec::new()),
            }),
            counter: None,
            stop: None,
            heavy: false,
        }
    }

    /// The engine the graph is on.
    pub fn engine(&self) -> super::Engine {
        match self.inner.location {
            Location::Postgres(_) => super::Engine::Postgres,
            Location::File(_) | Location::Memory => super::Engine::Sqlite,
        }
    }

    /// Hears the change notices every process writing this database sends (see
    /// [`super::notify`]), on a thread of its own, while `deliver` returns true; `None` when
    /// the engine has no such channel (SQLite: one process writes, and tells its own
    /// subscribers). The flag says whether the listener is connected now.
    pub fn listen(
        &self,
        deliver: impl FnMut(Option<String>) -> bool + Send + 'static,
    ) -> Option<Arc<std::sync::atomic::AtomicBool>> {
        let Location::Postgres(url) = &self.inner.location else {
            return None;
        };
        let connected = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if let Err(e) = super::pg::listen(
            url.clone(),
            super::NOTICE_CHANNEL,
            connected.clone(),
            deliver,
        ) {
            tracing::error!(error = %e, "cannot start the change listener");
        }
        Some(connected)
    }

    /// Where the graph lives.
    pub fn location(&self) -> &Location {
        &self.inner.location
    }

    /// Whether the database file is served read-only, because this process may not write it.
    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// The error every write of a read-only database gets.
    fn refuse_write(&self) -> StorageError {
        StorageError::ReadOnly {
            what: "the database this server serves".to_owned(),
            how: "the server opened it read-only because it may not write the file; make the file writable and restart the server to edit".to_owned(),
        }
    }

    /// A handle that adds the number of SQL statements it runs to the returned counter.
    pub fn counting(&self) -> (Database, Arc<AtomicUsize>) {
        let counter = Arc::new(AtomicUsize::new(0));
        let db = Database {
            counter: Some(counter.clone()),
            ..self.clone()
        };
        (db, counter)
    }

    /// A handle whose reads stop (fail as [`StorageError::Interrupted`]) when `stop` says.
    pub fn stopping(&self, stop: Stop) -> Database {
        Database {
            stop: Some(stop),
            ..self.clone()
        }
    }

    /// A handle for a heavy request: its reads wait for one of the connections heavy
    /// requests may use, so that the rest stay free for cheap requests and the health check.
    pub fn heavy(&self) -> Database {
        Database {
            heavy: true,
            ..self.clone()
        }
    }

    /// Sets how long a read waits for a free connection before it fails as busy.
    pub fn set_read_wait(&self, wait: Duration) {
        self.inner
            .read_wait_ms
            .store(millis(wait), Ordering::Relaxed);
    }

    /// Runs SQLite's `quick_check` over every page on a thread of its own (minutes on a
    /// large file, so the server answers meanwhile); damage found makes the health check
    /// fail (see [`super::health`]).
    pub fn check_in_background(&self) {
        let Location::File(path) = &self.inner.location else {
            return;
        };
        let path = path.clone();
        let spawned = std::thread::Builder::new()
            .name("quick-check".into())
            .spawn(move || {
                // It reads every page once, so a cache would only cost memory (a reader's
                // share of the read cache, up to all 128 MB, on a large file).
                let outcome = open_reader(&path, 1)
                    .and_then(|conn| Ok(conn.pragma_update(None, "cache_size", -1024).map(|()| conn)?))
                    .and_then(|conn| super::health::quick_check(&conn, &path));
                match outcome {
                    Ok(()) => tracing::info!(path = %path.display(), "quick_check found the database sound"),
                    Err(e) => {
                        tracing::error!(error = %e, "quick_check found the database damaged");
                        super::health::corruption_seen();
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the database check");
        }
    }

    /// Empties the WAL into the database (at shutdown, and for tests); true when it did.
    pub async fn checkpoint(&self) -> Result<bool, StorageError> {
        if matches!(
            self.inner.location,
            Location::Memory | Location::Postgres(_)
        ) {
            return Ok(true);
        }
        if self.inner.read_only {
            return Ok(false);
        }
        self.write(|store: &mut Store| store.checkpoint()).await
    }

    /// How many read connections the pool holds.
    pub fn pool_size(&self) -> usize {
        self.inner.pool_size
    }

    /// The read pool's figures, for metrics.
    pub fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.inner.pool_size,
            free: self.inner.permits.available_permits(),
            waits: self.inner.waits.load(Ordering::Relaxed),
            wait_micros: self.inner.wait_micros.load(Ordering::Relaxed),
            busy: self.inner.busy.load(Ordering::Relaxed),
        }
    }

    /// How many read connections heavy requests may hold at once.
    pub fn heavy_share(&self) -> usize {
        self.inner.heavy_share
    }

    /// How many read connections are free now.
    pub fn free_readers(&self) -> usize {
        self.inner.permits.available_permits()
    }

    /// Whether the database answers, on a connection of the health check's own (the writer's
    /// for an in-memory graph: when a request holds it, the server is busy, not down).
    pub async fn probe(&self) -> Result<(), StorageError> {
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            let ping = |conn: &Conn<'_>| -> Result<(), StorageError> {
                let sql = conn.pick(
                    "SELECT count(*) FROM sqlite_schema",
                    "SELECT count(*) FROM claimgraph_schema",
                );
                conn.query_one(sql, super::conn::params![], |r| r.get::<i64>(0))?;
                Ok(())
            };
            match &inner.location {
                Location::Memory => match inner.writer.try_lock() {
                    Ok(store) => ping(&store.conn()),
                    Err(std::sync::TryLockError::WouldBlock) => Ok(()),
                    Err(std::sync::TryLockError::Poisoned(_)) => Err(StorageError::Unavailable),
                },
                Location::File(_) | Location::Postgres(_) => {
                    let slot = inner.probe.lock().map_err(|_| StorageError::Unavailable)?;
                    match slot.as_ref() {
                        Some(conn) => ping(&conn.conn()),
                        None => Err(StorageError::Unavailable),
                    }
                }
            }
        });
        job.await.map_err(|_| StorageError::Unavailable)?
    }

    /// Waits for a read connection's permits, as long as the server allows and the stop
    /// leaves time for.
    async fn permits(&self) -> Result<Permits, StorageError> {
        if self.stop.as_ref().is_some_and(Stop::is_stopped) {
            return Err(StorageError::Interrupted);
        }
        let wait = Duration::from_millis(self.inner.read_wait_ms.load(Ordering::Relaxed));
        let left = self
            .stop
            .as_ref()
            .and_then(Stop::deadline)
            .map(|d| d.saturating_duration_since(Instant::now()));
        let (limit, busy) = match left {
            Some(left) if left < wait => (left, StorageError::Interrupted),
            _ => (
                wait,
                StorageError::Busy {
                    waited_ms: millis(wait),
                },
            ),
        };
        let inner = self.inner.clone();
        let heavy = self.heavy;
        let free = !heavy || inner.heavy_permits.available_permits() > 0;
        if free && let Ok(any) = inner.permits.clone().try_acquire_owned() {
            let heavy = if heavy {
                inner.heavy_permits.clone().try_acquire_owned().ok()
            } else {
                None
            };
            if heavy.is_some() || !self.heavy {
                return Ok(Permits {
                    _heavy: heavy,
                    _any: any,
                });
            }
        }
        let began = Instant::now();
        inner.waits.fetch_add(1, Ordering::Relaxed);
        let acquire = async move {
            let heavy = if heavy {
                Some(inner.heavy_permits.clone().acquire_owned().await)
            } else {
                None
            };
            let any = inner.permits.clone().acquire_owned().await;
            (heavy, any)
        };
        let outcome = tokio::time::timeout(limit, acquire).await;
        let waited = u64::try_from(began.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.inner.wait_micros.fetch_add(waited, Ordering::Relaxed);
        match outcome {
            Ok((Some(Err(_)), _) | (_, Err(_))) => Err(StorageError::Unavailable),
            Ok((heavy, Ok(any))) => Ok(Permits {
                _heavy: heavy.and_then(Result::ok),
                _any: any,
            }),
            Err(_) => {
                if matches!(busy, StorageError::Busy { .. }) {
                    self.inner.busy.fetch_add(1, Ordering::Relaxed);
                }
                Err(busy)
            }
        }
    }

    /// Runs `f` under this handle's stop, if it has one.
    fn watched<T>(stop: Option<&Stop>, f: impl FnOnce() -> T) -> T {
        match stop {
            Some(stop) => stop.watch(f),
            None => f(),
        }
    }

    /// Runs `f` on a read connection, on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn<'_>) -> Result<T, StorageError> + Send + 'static,
    {
        let stop = self.stop.clone();
        if matches!(self.inner.location, Location::Memory) {
            if stop.as_ref().is_some_and(Stop::is_stopped) {
                return Err(StorageError::Interrupted);
            }
            return self
                .write(move |store: &mut Store| {
                    Database::watched(stop.as_ref(), || f(&store.conn()))
                })
                .await;
        }
        let _permits = self.permits().await?;
        let conn = self.take_reader()?;
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            // One transaction, so that the statements of one batch read one version of the graph.
            let began = conn.begin(stop.as_ref());
            STATEMENTS.with(|n| n.set(0));
            let out = began.and_then(|()| Database::watched(stop.as_ref(), || f(&conn.conn())));
            let statements = STATEMENTS.with(Cell::get);
            conn.end();
            (conn, out, statements)
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
                match &inner.location {
                    Location::File(path) => {
                        let reader = open_reader(path, inner.pool_size)?;
                        self.lock_readers()?.push(Reader::Sqlite(reader));
                    }
                    Location::Postgres(url) => {
                        self.lock_readers()?
                            .push(Reader::Postgres(PgClient::connect(url)?));
                    }
                    Location::Memory => {}
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
        if self.inner.read_only {
            return Err(self.refuse_write().into());
        }
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            let mut store = inner.writer();
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

    /// Runs `f` in a write transaction shared with the edits that queue while the writer is
    /// busy (group commit): each inside its own savepoint, all committed with one sync. The
    /// answer comes after the commit, so an acknowledged edit is durable.
    pub async fn edit<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
        F: FnOnce(&Writer<'_>) -> Result<T, E> + Send + 'static,
    {
        if self.inner.read_only {
            return Err(self.refuse_write().into());
        }
        let (tell, told) = tokio::sync::oneshot::channel::<Result<T, E>>();
        let edit: GroupEdit = Box::new(move |writer| {
            let Some(writer) = writer else {
                let deliver: Delivery = Box::new(move |_| {
                    let _gone = tell.send(Err(StorageError::Unavailable.into()));
                });
                return (false, deliver);
            };
            let out = f(writer);
            let kept = out.is_ok();
            let deliver: Delivery = Box::new(move |committed| {
                let answer = match (committed, out) {
                    (Ok(()), out) => out,
                    (Err(e), Ok(_)) => Err(e.into()),
                    // The edit's own error says more than the group's.
                    (Err(_), Err(e)) => Err(e),
                };
                // A caller that went away no longer needs its answer.
                let _gone = tell.send(answer);
            });
            (kept, deliver)
        });
        self.inner
            .edits
            .lock()
            .map_err(|_| StorageError::Unavailable)?
            .push(edit);
        let inner = self.inner.clone();
        let job = tokio::task::spawn_blocking(move || {
            let mut store = inner.writer();
            // Whoever holds the writer commits every edit queued by then; ours may already
            // have gone with an earlier group.
            let edits = inner
                .edits
                .lock()
                .map(|mut q| std::mem::take(&mut *q))
                .unwrap_or_default();
            STATEMENTS.with(|n| n.set(0));
            if !edits.is_empty() {
                store.write_group(edits);
            }
            STATEMENTS.with(Cell::get)
        });
        match job.await {
            Ok(statements) => self.add(statements),
            Err(join) => tracing::error!(error = %join, "a group of edits failed"),
        }
        told.await.map_err(|_| StorageError::Unavailable)?
    }

    /// A view of the graph that stays as it is now for every read made through it, until it
    /// is ended or dropped: one request sees one version of the graph, even while editors write.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            db: self.clone(),
            fresh: false,
            held: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// Reads that each see the graph as it is when they run (for long-lived subscriptions).
    pub fn fresh(&self) -> Snapshot {
        Snapshot {
            fresh: true,
            ..self.snapshot()
        }
    }

    fn add(&self, statements: usize) {
        if let Some(counter) = &self.counter {
            counter.fetch_add(statements, Ordering::Relaxed);
        }
    }

    /// A read connection from the pool; a PostgreSQL session the server closed is replaced
    /// by a new one first (a restarted server, a failover), so the pool heals by itself.
    fn take_reader(&self) -> Result<Reader, StorageError> {
        let reader = self
            .lock_readers()?
            .pop()
            .ok_or(StorageError::Unavailable)?;
        if !reader.is_lost() {
            return Ok(reader);
        }
        let Location::Postgres(url) = &self.inner.location else {
            return Ok(reader);
        };
        match PgClient::connect(url) {
            Ok(client) => Ok(Reader::Postgres(client)),
            Err(e) => {
                tracing::warn!(error = %e, "a lost PostgreSQL session cannot be replaced yet");
                self.lock_readers()?.push(reader);
                Err(StorageError::Unavailable)
            }
        }
    }

    fn lock_readers(&self) -> Result<std::sync::MutexGuard<'_, Vec<Reader>>, StorageError> {
        self.inner
            .readers
            .lock()
            .map_err(|_| StorageError::Unavailable)
    }
}

/// The page cache of all read connections together, in KiB, split evenly between them: the
/// server's memory stays bounded by this whatever the size of the database. A memory map of
/// the file instead saved copying pages (about a tenth more requests/s at concurrency 8 and
/// 32 at a million claims) but put every page a reader touched in the process's RSS, 420 MB
/// after a busy minute, against 70 to 120 MB with these caches.
pub const READ_CACHE_KIB: i64 = 128 * 1024;

/// Opens one of `readers` read connections, with its share of the read cache.
fn open_reader(path: &Path, readers: usize) -> Result<Connection, StorageError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| StorageError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    prepare_connection(&conn)?;
    let share = READ_CACHE_KIB / i64::try_from(readers).unwrap_or(i64::MAX).max(1);
    conn.pragma_update(None, "cache_size", -share)?;
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count_statement));
    Ok(conn)
}

/// A read connection held open in a read transaction, given back to the pool when dropped.
struct Held {
    conn: Option<Reader>,
    inner: Arc<Inner>,
    /// Given up only once the connection is back in the pool, so that a read admitted by
    /// them always finds one there.
    permits: Option<Permits>,
}

/// What a read holds while it has a connection: a permit for the connection, and one of the
/// heavy requests' permits if it is one.
struct Permits {
    _heavy: Option<OwnedSemaphorePermit>,
    _any: OwnedSemaphorePermit,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Ending a read transaction releases its WAL snapshot; it cannot lose data.
            // PostgreSQL's driver blocks on a round trip, which an async thread must not.
            if matches!(conn, Reader::Postgres(_))
                && let Ok(runtime) = tokio::runtime::Handle::try_current()
            {
                let inner = self.inner.clone();
                let permits = self.permits.take();
                runtime.spawn_blocking(move || {
                    conn.end();
                    inner.give_back(conn);
                    drop(permits);
                });
                return;
            }
            conn.end();
            self.inner.give_back(conn);
        }
    }
}

/// Reads that all see one version of the graph (see [`Database::snapshot`]).
#[derive(Clone)]
pub struct Snapshot {
    db: Database,
    fresh: bool,
    held: Arc<tokio::sync::Mutex<Option<Held>>>,
}

impl Snapshot {
    /// Runs `f` on this snapshot's connection, on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn<'_>) -> Result<T, StorageError> + Send + 'static,
    {
        if self.fresh || matches!(self.db.inner.location, Location::Memory) {
            return self.db.read(f).await;
        }
        // Held across the read, so that one request's reads queue on its one connection.
        let mut slot = self.held.lock().await;
        let held = match slot.take() {
            Some(held) => held,
            None => self.check_out().await?,
        };
        let stop = self.db.stop.clone();
        let job = tokio::task::spawn_blocking(move || {
            STATEMENTS.with(|n| n.set(0));
            let out = match &held.conn {
                Some(conn) => Database::watched(stop.as_ref(), || f(&conn.conn())),
                None => Err(StorageError::Unavailable),
            };
            (held, out, STATEMENTS.with(Cell::get))
        });
        match job.await {
            Ok((held, out, statements)) => {
                *slot = Some(held);
                self.db.add(statements);
                out
            }
            Err(join) => {
                // The connection went back to the pool when the failed job dropped it.
                tracing::error!(error = %join, "a database read failed");
                Err(StorageError::Unavailable)
            }
        }
    }

    /// Ends the snapshot: the next read sees the graph as it is then.
    pub async fn end(&self) {
        *self.held.lock().await = None;
    }

    async fn check_out(&self) -> Result<Held, StorageError> {
        let inner = self.db.inner.clone();
        let permits = self.db.permits().await?;
        let conn = self.db.take_reader()?;
        // On SQLite the snapshot is taken by the first read inside it; PostgreSQL's BEGIN is
        // a round trip, made on a blocking thread.
        let stop = self.db.stop.clone();
        let began = tokio::task::spawn_blocking(move || {
            let out = conn.begin(stop.as_ref());
            (conn, out)
        })
        .await;
        let conn = match began {
            Ok((conn, Ok(()))) => conn,
            Ok((conn, Err(e))) => {
                self.db.inner.give_back(conn);
                return Err(e);
            }
            Err(_) => return Err(StorageError::Unavailable),
        };
        Ok(Held {
            conn: Some(conn),
            inner,
            permits: Some(permits),
        })
    }
}
