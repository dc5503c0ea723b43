//! Loading a large batch into an empty database (see `Store::load`): secondary indexes are
//! dropped for the load and built again at its end, inside the same transaction, and foreign
//! keys are checked once at the end instead of at every row. Building an index from a full
//! table sorts once; keeping it up to date row by row costs a random B-tree insert per row
//! and index, which is most of a first seed's time. Unique indexes stay, so duplicates are
//! still refused as they are written.

use rusqlite::{Connection, OptionalExtension};

use super::StorageError;
use super::history::{self, Edit};

/// The indexes dropped for a load, as the SQL that makes them again.
#[must_use = "the dropped indexes must be built again with `restore`"]
pub struct Suspended(Vec<String>);

/// Whether the database holds no records yet.
pub fn empty(conn: &Connection) -> Result<bool, StorageError> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM nodes)", [], |r| r.get(0))?)
}

/// Turns the write-ahead log off for a load into an empty database, when no other connection
/// has it open; answers whether it did. In WAL mode every page of the load is written twice
/// (to the log, then into the file at the checkpoint); with a rollback journal the pages go
/// straight into the file and the journal keeps only the empty database's few pages, which
/// is as safe: a crash before the commit leaves the journal that restores the empty state.
pub fn journal_directly(conn: &Connection) -> bool {
    let mode: Result<String, _> =
        conn.query_row("PRAGMA journal_mode = TRUNCATE", [], |r| r.get(0));
    // Another connection holding the database keeps it in WAL mode; the load then goes
    // through the log as any write does.
    matches!(mode.as_deref(), Ok("truncate"))
}

/// Puts the database back in WAL mode after [`journal_directly`], so that readers and the
/// writer do not block each other.
pub fn journal_ahead(conn: &Connection) -> Result<(), StorageError> {
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    Ok(())
}

/// Drops the non-unique secondary indexes of the record tables.
pub fn suspend(conn: &Connection) -> Result<Suspended, StorageError> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
           AND tbl_name NOT LIKE 'search%'
         ORDER BY name",
    )?;
    let found: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut made = Vec::with_capacity(found.len());
    for (name, sql) in found {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        made.push(sql);
    }
    Ok(Suspended(made))
}

/// Refuses the load if any reference points at a record that does not exist: the check that
/// foreign keys make at each row when they are on, made once over the whole load. It runs
/// after the indexes are built, so that each reference is read in order from its index and
/// the records it points at are looked up in order too: `PRAGMA foreign_key_check` visits
/// rows as stored and looks their targets up at random, which at a million claims is most
/// of a page-cache miss per reference.
pub fn check_references(conn: &Connection) -> Result<(), StorageError> {
    let mut keys = conn.prepare(
        "SELECT m.name, f.\"from\", f.\"table\", coalesce(f.\"to\", 'id')
         FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
         WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
    )?;
    let keys: Vec<[String; 4]> = keys
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?
        .collect::<Result<_, _>>()?;
    let mut broken = Vec::new();
    for [table, column, parent, key] in keys.iter().filter(|k| !written_by_the_loader(k)) {
        let [table, column, parent, key] = [table, column, parent, key].map(|n| quoted(n));
        let sql = format!(
            "SELECT CAST(c.{column} AS TEXT) FROM {table} AS c
             WHERE c.{column} IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE p.{key} = c.{column})
             ORDER BY c.{column} LIMIT 1"
        );
        let missing: Option<String> = conn.query_row(&sql, [], |r| r.get(0)).optional()?;
        if let Some(missing) = missing {
            broken.push(format!(
                "{table}.{column} names {missing:?}, which {parent} lacks"
            ));
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    Err(StorageError::Corrupt(format!(
        "the load would leave broken references ({}); nothing was written",
        broken.join("; ")
    )))
}

/// Whether a foreign key holds by construction: every record's `nodes` row, history entries
/// and search rows are written from the records themselves, so only references that come
/// from the fixtures need checking (at a million claims these three are 1.5 s of the check).
fn written_by_the_loader([table, column, parent, _]: &&[String; 4]) -> bool {
    (column == "id" && parent == "nodes")
        || (matches!(table.as_str(), "history" | "search_rows") && column == "node_id")
}

/// An SQL identifier, quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Gives every record of the load its `nodes` row and its creation entry, in id order: one
/// statement each for the whole load, and B-trees filled from left to right.
pub fn register_loaded(conn: &Connection, edit: &Edit) -> Result<(), StorageError> {
    conn.execute(include_str!("register_loaded.sql"), [])
        .map_err(|e| match e.sqlite_error_code() {
            // Validation refuses an id given twice; this is the last guard behind it.
            Some(rusqlite::ErrorCode::ConstraintViolation) => StorageError::Corrupt(
                "the load gives one id to records of two types; nothing was written".into(),
            ),
            _ => e.into(),
        })?;
    history::record_creations(&super::Conn::sqlite(conn), edit)
}

/// Builds the suspended indexes again.
pub fn restore(conn: &Connection, suspended: Suspended) -> Result<(), StorageError> {
    // Building an index is a sort, which SQLite splits over helper threads when allowed.
    let helpers = std::thread::available_parallelism().map_or(0, |n| n.get().min(4) - 1);
    conn.pragma_update(None, "threads", helpers)?;
    for sql in suspended.0 {
        conn.execute_batch(&sql)?;
    }
    conn.pragma_update(None, "threads", 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Store;

    /// A migrated database with foreign keys off, as a bulk load writes it.
    fn unchecked() -> Store {
        let store = Store::open_in_memory().expect("a database");
        store
            .sqlite()
            .unwrap()
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO nodes (id, type) VALUES ('iran', 'actor');
                 INSERT INTO actors (id, kind, name) VALUES ('iran', 'state', 'Iran');",
            )
            .expect("a record");
        store
    }

    #[test]
    fn references_that_hold_pass_the_check() {
        let store = unchecked();
        store
            .sqlite()
            .unwrap()
            .execute_batch(
                "INSERT INTO aliases (node_id, position, alias) VALUES ('iran', 0, 'IR')",
            )
            .expect("an alias");
        assert!(check_references(store.sqlite().unwrap()).is_ok());
    }

    #[test]
    fn a_reference_to_a_missing_record_fails_the_check_naming_it() {
        let store = unchecked();
        store
            .sqlite()
            .unwrap()
            .execute_batch(
                "INSERT INTO aliases (node_id, position, alias) VALUES ('ghost', 0, 'Nobody')",
            )
            .expect("an alias");
        let err = check_references(store.sqlite().unwrap()).expect_err("a broken reference");
        let message = err.to_string();
        assert!(
            message.contains("aliases") && message.contains("\"ghost\""),
            "{message}"
        );
    }
}
