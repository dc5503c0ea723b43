//! Schema migrations: numbered SQL files in `schema/migrations`, embedded in the binary and
//! applied in order when a database is opened. The version lives in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::conn::params;
use super::pg::PgClient;
use super::{Conn, StorageError};

/// Marks a file as a claimgraph database (`PRAGMA application_id`): "CGph".
const APPLICATION_ID: i64 = 0x4347_7068;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_graph.sql",
        include_str!("../../schema/migrations/0001_graph.sql"),
    ),
    (
        "0002_search.sql",
        include_str!("../../schema/migrations/0002_search.sql"),
    ),
    (
        "0003_history.sql",
        include_str!("../../schema/migrations/0003_history.sql"),
    ),
    (
        "0004_speed.sql",
        include_str!("../../schema/migrations/0004_speed.sql"),
    ),
    (
        "0005_walks.sql",
        include_str!("../../schema/migrations/0005_walks.sql"),
    ),
    (
        "0006_calendar.sql",
        include_str!("../../schema/migrations/0006_calendar.sql"),
    ),
    (
        "0007_lists.sql",
        include_str!("../../schema/migrations/0007_lists.sql"),
    ),
    (
        "0008_one_index_per_end.sql",
        include_str!("../../schema/migrations/0008_one_index_per_end.sql"),
    ),
    (
        "0009_names.sql",
        include_str!("../../schema/migrations/0009_names.sql"),
    ),
    (
        "0010_stances.sql",
        include_str!("../../schema/migrations/0010_stances.sql"),
    ),
    (
        "0011_stix.sql",
        include_str!("../../schema/migrations/0011_stix.sql"),
    ),
    (
        "0012_country_codes.sql",
        include_str!("../../schema/migrations/0012_country_codes.sql"),
    ),
];

/// The PostgreSQL migrations, numbered as SQLite's: after migration `i` on either engine,
/// the schema is at version `i + 1` and holds the same tables and columns.
pub const POSTGRES_MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_graph.sql",
        include_str!("../../schema/migrations/postgres/0001_graph.sql"),
    ),
    (
        "0002_search.sql",
        include_str!("../../schema/migrations/postgres/0002_search.sql"),
    ),
    (
        "0003_history.sql",
        include_str!("../../schema/migrations/postgres/0003_history.sql"),
    ),
    (
        "0004_speed.sql",
        include_str!("../../schema/migrations/postgres/0004_speed.sql"),
    ),
    (
        "0005_walks.sql",
        include_str!("../../schema/migrations/postgres/0005_walks.sql"),
    ),
    (
        "0006_calendar.sql",
        include_str!("../../schema/migrations/postgres/0006_calendar.sql"),
    ),
    (
        "0007_lists.sql",
        include_str!("../../schema/migrations/postgres/0007_lists.sql"),
    ),
    (
        "0008_one_index_per_end.sql",
        include_str!("../../schema/migrations/postgres/0008_one_index_per_end.sql"),
    ),
    (
        "0009_names.sql",
        include_str!("../../schema/migrations/postgres/0009_names.sql"),
    ),
    (
        "0010_stances.sql",
        include_str!("../../schema/migrations/postgres/0010_stances.sql"),
    ),
    (
        "0011_stix.sql",
        include_str!("../../schema/migrations/postgres/0011_stix.sql"),
    ),
    (
        "0012_country_codes.sql",
        include_str!("../../schema/migrations/postgres/0012_country_codes.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The schema version of a claimgraph database this build can use, or why it cannot.
fn usable_version(conn: &Connection, path: &Path) -> Result<u32, StorageError> {
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    let ours = app == APPLICATION_ID || (app == 0 && version == 0 && tables == 0);
    if !ours {
        return Err(StorageError::NotClaimgraph {
            path: path.to_path_buf(),
        });
    }
    if version > latest_version() {
        return Err(StorageError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest_version(),
        });
    }
    Ok(version)
}

/// Widens the CHECK of `nodes.type` to take `added` after `last`, the type it lists last.
///
/// SQLite cannot alter a constraint, and the documented way round (a copy of the table) would
/// rewrite `nodes`, which every record table refers to, row by row. A constraint that only
/// takes one more value leaves every stored row valid, which is the case SQLite's
/// documentation allows an edit of the stored schema for (`writable_schema`, then a new schema
/// version so that every connection reads it again).
fn allow_node_type(conn: &Connection, last: &str, added: &str) -> Result<(), StorageError> {
    let old = format!("'{last}')");
    let new = format!("'{last}', '{added}')");
    let sql: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'nodes'",
        [],
        |r| r.get(0),
    )?;
    if sql.contains(&new) {
        return Ok(());
    }
    if sql.matches(&old).count() != 1 {
        return Err(StorageError::Corrupt(format!(
            "the nodes table's type check does not end with {last:?}: {sql}"
        )));
    }
    let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    conn.pragma_update(None, "writable_schema", true)?;
    let edited = conn
        .execute(
            "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = 'nodes'",
            [sql.replacen(&old, &new, 1)],
        )
        .and_then(|_| conn.pragma_update(None, "schema_version", version + 1));
    // Off again whatever happened: the connection serves every later statement.
    let off = conn.pragma_update(None, "writable_schema", false);
    edited?;
    off?;
    Ok(())
}

/// Checks that a database opened read-only is a claimgraph database at the latest schema:
/// one that needs migrating cannot be, read-only.
pub fn check_current(conn: &Connection, path: &Path) -> Result<(), StorageError> {
    let version = usable_version(conn, path)?;
    if version < latest_version() {
        return Err(StorageError::ReadOnly {
            what: format!("the database file {}", path.display()),
            how: format!(
                "it is at schema version {version} and this build reads version {}: make it writable once (`chmod u+w {}`) so that claimgraph can migrate it",
                latest_version(),
                path.display()
            ),
        });
    }
    Ok(())
}

/// Brings the database to the latest schema, or refuses one it cannot use.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StorageError> {
    let version = usable_version(conn, path)?;
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if *name == "0009_names.sql" {
            // The name rules live in Rust: what an older database holds is indexed here.
            super::names::rebuild(&super::Conn::sqlite(&tx))?;
            super::search::reindex(&super::Conn::sqlite(&tx))?;
        }
        if *name == "0010_stances.sql" {
            allow_node_type(&tx, "claim", "stance")?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
        tracing::debug!(migration = name, "applied");
    }
    Ok(())
}

/// A session-level advisory lock held while a PostgreSQL database is migrated, so that
/// replicas started together migrate it once.
const PG_MIGRATE_LOCK: i64 = 0x4347_7069;

/// Brings a PostgreSQL database to the latest schema, or refuses one it cannot use. The
/// version lives in the table `claimgraph_schema`, which only this function writes.
pub fn migrate_postgres(client: &PgClient, url: &str) -> Result<(), StorageError> {
    let conn = Conn::postgres(client);
    conn.query_one(
        "SELECT pg_advisory_lock(?1)::text",
        params![PG_MIGRATE_LOCK],
        |_| Ok(()),
    )?;
    let out = migrate_postgres_locked(client, &conn, url);
    let unlocked = conn.query_one(
        "SELECT pg_advisory_unlock(?1)::text",
        params![PG_MIGRATE_LOCK],
        |_| Ok(()),
    );
    out?;
    unlocked
}

fn migrate_postgres_locked(
    client: &PgClient,
    conn: &Conn<'_>,
    url: &str,
) -> Result<(), StorageError> {
    let target = std::path::PathBuf::from(super::pg::redact(url));
    let known: bool = conn.query_one(
        "SELECT to_regclass('claimgraph_schema') IS NOT NULL",
        params![],
        |r| r.get(0),
    )?;
    if !known {
        let tables: i64 = conn.query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            params![],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(StorageError::NotClaimgraph { path: target });
        }
        client.batch(
            "CREATE TABLE claimgraph_schema (version integer NOT NULL); \
             INSERT INTO claimgraph_schema VALUES (0)",
        )?;
    }
    let version: u32 = conn.query_one("SELECT version FROM claimgraph_schema", params![], |r| {
        r.get(0)
    })?;
    if version > latest_version() {
        return Err(StorageError::TooNew {
            path: target,
            found: version,
            supported: latest_version(),
        });
    }
    for (i, (name, sql)) in POSTGRES_MIGRATIONS
        .iter()
        .enumerate()
        .skip(version as usize)
    {
        client.batch("BEGIN")?;
        let applied = client.batch(sql).and_then(|()| {
            conn.execute(
                "UPDATE claimgraph_schema SET version = ?1",
                params![i as i64 + 1],
            )
        });
        match applied {
            Ok(_) => client.batch("COMMIT")?,
            Err(e) => {
                let _undone = client.batch("ROLLBACK");
                return Err(e);
            }
        }
        tracing::debug!(migration = name, "applied on PostgreSQL");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{MIGRATIONS, POSTGRES_MIGRATIONS};

    #[test]
    fn every_sqlite_migration_has_a_postgresql_one_of_the_same_number_and_name() {
        let sqlite: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        let postgres: Vec<&str> = POSTGRES_MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(sqlite, postgres);
    }
}
