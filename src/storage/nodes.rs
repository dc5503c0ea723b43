//! The `nodes` table: one row per id, whatever its type, so that ids are unique graph-wide.

use super::StorageError;
use super::conn::{Conn, params};
use crate::model::{EntityType, Id};

/// The type of the node with this id, if any.
pub fn node_type(conn: &Conn<'_>, id: &str) -> Result<Option<EntityType>, StorageError> {
    let t: Option<String> =
        conn.query_optional("SELECT type FROM nodes WHERE id = ?1", params![id], |r| {
            r.get(0)
        })?;
    t.map(|t| {
        EntityType::parse(&t).ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))
    })
    .transpose()
}

/// How many nodes there are (merged ones included).
pub fn count(conn: &Conn<'_>) -> Result<i64, StorageError> {
    conn.query_one("SELECT count(*) FROM nodes", params![], |r| r.get(0))
}

/// Every id with its type.
pub fn all(conn: &Conn<'_>) -> Result<Vec<(String, EntityType)>, StorageError> {
    let rows = conn.query_rows("SELECT id, type FROM nodes ORDER BY id", params![], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    let mut out = Vec::new();
    for (id, t) in rows {
        let t = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
        out.push((id, t));
    }
    Ok(out)
}

/// Records `id` as a node of type `t`, refusing an id that another type already holds.
pub fn register(conn: &Conn<'_>, id: &Id, t: EntityType) -> Result<(), StorageError> {
    // A new id, the common case of a large seed, costs one statement.
    let added = conn.execute(
        "INSERT INTO nodes (id, type) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
        params![id.as_str(), t.as_str()],
    )?;
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
