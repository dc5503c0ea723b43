//! Loading a large batch into an empty database (see `Store::load`): secondary indexes are
//! dropped for the load and built again at its end, inside the same transaction, and foreign
//! keys are checked once at the end instead of at every row. Building an index from a full
//! table sorts once; keeping it up to date row by row costs a random B-tree insert per row
//! and index, which is most of a first seed's time. Unique indexes stay, so duplicates are
//! still refused as they are written.

use rusqlite::Connection;

use super::StorageError;

/// The indexes dropped for a load, as the SQL that makes them again.
#[must_use = "the dropped indexes must be built again with `restore`"]
pub struct Suspended(Vec<String>);

/// Whether the database holds no records yet.
pub fn empty(conn: &Connection) -> Result<bool, StorageError> {
    Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM nodes)", [], |r| r.get(0))?)
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
/// foreign keys make at each row when they are on, made once over the whole load.
pub fn check_references(conn: &Connection) -> Result<(), StorageError> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let broken: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(2)?)))?
        .take(3)
        .collect::<Result<_, _>>()?;
    if broken.is_empty() {
        return Ok(());
    }
    let examples: Vec<String> = broken
        .iter()
        .map(|(table, parent)| format!("a row of {table} points at a missing row of {parent}"))
        .collect();
    Err(StorageError::Corrupt(format!(
        "the load would leave broken references ({}); nothing was written",
        examples.join("; ")
    )))
}

/// Builds the suspended indexes again.
pub fn restore(conn: &Connection, suspended: Suspended) -> Result<(), StorageError> {
    for sql in suspended.0 {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}
