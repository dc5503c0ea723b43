//! Which engine the suite runs on: SQLite (in memory) by default, or PostgreSQL when
//! `CLAIMGRAPH_TEST_PG` names a database (`postgres://user@host:port/database`). On
//! PostgreSQL every graph gets a schema of its own in that database, so that tests running
//! at once never see each other's rows.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The variable that points the suite at a PostgreSQL database.
pub const TEST_PG: &str = "CLAIMGRAPH_TEST_PG";

/// The PostgreSQL database the suite runs on, if it does.
pub fn postgres() -> Option<String> {
    std::env::var(TEST_PG).ok().filter(|u| !u.trim().is_empty())
}

/// The URL of a new, empty schema of the test database, or `None` on SQLite.
pub fn fresh_postgres() -> Option<String> {
    let base = postgres()?;
    // The driver blocks on a runtime of its own, which a test's async thread may not.
    std::thread::scope(|scope| {
        scope
            .spawn(|| new_schema(&base))
            .join()
            .expect("a schema for the graph")
    })
}

fn new_schema(base: &str) -> Option<String> {
    static EXTENSIONS: OnceLock<()> = OnceLock::new();
    static SERIAL: AtomicUsize = AtomicUsize::new(0);
    static ADMIN: Mutex<Option<postgres::Client>> = Mutex::new(None);
    let schema = format!(
        "t_{}_{}",
        std::process::id(),
        SERIAL.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = ADMIN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let client = admin.get_or_insert_with(|| {
        postgres::Client::connect(base, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{TEST_PG}={base} cannot be reached: {e}"))
    });
    // Extensions belong to the database, not a schema: made once, before any graph's
    // migrations ask for them at the same time.
    EXTENSIONS.get_or_init(|| {
        client
            .batch_execute(
                "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public; \
                 CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
            )
            .expect("the test database takes the extensions");
    });
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("a schema for the graph");
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!(
        "{base}{sep}options=-csearch_path%3D{schema},public"
    ))
}
