//! Stopping reads: a request's deadline, or its client going away, interrupts the SQL it runs.
//!
//! Every connection gets a progress handler that SQLite calls every [`CHECK_EVERY`] virtual
//! machine steps; it asks the [`Stop`] of the job running on this thread, which the
//! database's blocking jobs set around each read. A stopped statement fails with
//! `SQLITE_INTERRUPT` ([`StorageError::Interrupted`](super::StorageError::Interrupted)), its
//! read transaction ends, and the connection goes back to the pool as good as before. Writes
//! run with no stop set: an edit is either committed or refused, never cut off halfway.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rusqlite::Connection;

/// Virtual machine steps between two checks: about 10 to 50 µs of work, so a stop takes
/// effect at once while the check itself costs nothing measurable.
const CHECK_EVERY: i32 = 1_000;

thread_local! {
    /// The stop of the read running on this thread, if any.
    static CURRENT: RefCell<Option<Stop>> = const { RefCell::new(None) };
}

/// When a request's reads must stop: at its deadline, or when it is cancelled.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    deadline: Option<Instant>,
}

impl Stop {
    /// A stop at `deadline` (never, if `None`), until then cancellable.
    pub fn at(deadline: Option<Instant>) -> Stop {
        Stop(Arc::new(Inner {
            cancelled: AtomicBool::new(false),
            deadline,
        }))
    }

    /// Stops every read made under this stop from now on, and the one running.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether reads must stop.
    pub fn is_stopped(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
            || self.0.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.0.deadline
    }

    /// Runs `f` with this stop watching the SQL it runs on this thread.
    pub(crate) fn watch<T>(&self, f: impl FnOnce() -> T) -> T {
        let _set = Watching::set(Some(self.clone()));
        f()
    }
}

/// Sets the thread's stop, and clears it when dropped (even if the job panics).
struct Watching;

impl Watching {
    fn set(stop: Option<Stop>) -> Watching {
        CURRENT.with(|c| *c.borrow_mut() = stop);
        Watching
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// Whether the read running on this thread must stop.
pub(crate) fn requested() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(Stop::is_stopped))
}

/// Lets `conn` be stopped (see the module's documentation).
pub(crate) fn install(conn: &Connection) {
    conn.progress_handler(CHECK_EVERY, Some(requested));
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use rusqlite::Connection;

    use super::{Stop, install};

    const ENDLESS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
                           SELECT count(*) FROM n";

    #[test]
    fn a_cancelled_stop_interrupts_a_statement_and_leaves_the_connection_usable() {
        let conn = Connection::open_in_memory().map_err(|e| e.to_string());
        let Ok(conn) = conn else { panic!("{conn:?}") };
        install(&conn);
        let stop = Stop::at(None);
        stop.cancel();
        let stopped = stop.watch(|| conn.query_row(ENDLESS, [], |r| r.get::<_, i64>(0)));
        assert!(matches!(
            stopped,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted
        ));
        let after = conn.query_row("SELECT 41 + 1", [], |r| r.get::<_, i64>(0));
        assert_eq!(after.ok(), Some(42));
    }

    #[test]
    fn a_passed_deadline_interrupts_and_no_stop_lets_statements_run() {
        let conn = Connection::open_in_memory().map_err(|e| e.to_string());
        let Ok(conn) = conn else { panic!("{conn:?}") };
        install(&conn);
        let stop = Stop::at(Some(Instant::now() + Duration::from_millis(20)));
        let stopped = stop.watch(|| conn.query_row(ENDLESS, [], |r| r.get::<_, i64>(0)));
        assert!(stopped.is_err());
        let bounded = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
                       SELECT count(*) FROM n";
        assert_eq!(
            conn.query_row(bounded, [], |r| r.get::<_, i64>(0)).ok(),
            Some(100_000)
        );
    }
}
