//! The `nodes` table: one row per id, whatever its type, so that ids are unique graph-wide.

use rusqlite::{Connection, OptionalExtension, params};

use super::StorageError;
use crate::model::{EntityType, Id};

/// The type of the node with this id, if any.
pub fn node_type(conn: &Connection, id: &str) -> Result<Option<EntityType>, StorageError> {
    let t: Option<String> = conn
        .prepare_cached("SELECT type FROM nodes WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    t.map(|t| {
        EntityType::parse(&t).ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))
    })
    .transpose()
}

/// Every id with its type.
pub fn all(conn: &Connection) -> Result<Vec<(String, EntityType)>, StorageError> {
    let mut stmt = conn.prepare_cached("SELECT id, type FROM nodes ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, t) = row?;
        let t = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
        out.push((id, t));
    }
    Ok(out)
}

/// Records `id` as a node of type `t`, refusing an id that another type already holds.
pub fn register(conn: &Connection, id: &Id, t: EntityType) -> Result<(), StorageError> {
    // A new id, the common case of a large seed, costs one statement.
    let added = conn
        .prepare_cached("INSERT INTO nodes (id, type) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING")?
        .execute(params![id.as_str(), t.as_str()])?;
    if added == 1 {
        return Ok(());
    }
    match node_type(conn, id.as_str())? {
        Some(existing) if existing != t => Err(StorageError::TypeConflict {
            id: id.to_string(),
            existing,
        }),
        _ => Ok(()),
    }
}
