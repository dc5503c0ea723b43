//! What STIX imports remember: the node each STIX object became (and the version read), and
//! the objects claimgraph keeps verbatim because the graph has no place for them.

use std::collections::HashMap;

use super::conn::{Conn, params};
use super::{StorageError, array};
use crate::model::EntityType;

/// A STIX object imported before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The node it became. If that node was merged into another since, this is still its
    /// own id: a record written under it lands where fixtures' records under merged ids do,
    /// and never over the survivor.
    pub node: String,
    /// The node's type.
    pub entity_type: EntityType,
    /// The version (`modified`) imported.
    pub modified: String,
}

/// The STIX objects among `stix_ids` imported before, by STIX id.
pub fn known(conn: &Conn<'_>, stix_ids: &[String]) -> Result<HashMap<String, Known>, StorageError> {
    let rows = conn.query_rows(
        "SELECT s.stix_id, n.id, n.type, s.modified
           FROM stix_ids s JOIN nodes n ON n.id = s.node_id
          WHERE s.stix_id IN rarray(?1)",
        params![array(stix_ids)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get(3)?,
            ))
        },
    )?;
    let mut out = HashMap::new();
    for (stix, node, t, modified) in rows {
        let entity_type = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
        out.insert(
            stix,
            Known {
                node,
                entity_type,
                modified,
            },
        );
    }
    Ok(out)
}

/// Remembers which node each STIX object became, at which version.
pub fn remember(conn: &Conn<'_>, mapped: &[(String, String, String)]) -> Result<(), StorageError> {
    for (stix, node, modified) in mapped {
        conn.execute(
            "INSERT INTO stix_ids (stix_id, node_id, modified) VALUES (?1, ?2, ?3)
             ON CONFLICT (stix_id) DO UPDATE SET node_id = excluded.node_id,
                 modified = excluded.modified",
            params![stix, node, modified],
        )?;
    }
    Ok(())
}

/// What keeping one object did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// It was new.
    Added,
    /// A newer version replaced the one kept.
    Changed,
    /// The same or a newer version was already kept.
    Unchanged,
}

/// Keeps an object the graph has no place for, unless the same or a newer version is kept.
pub fn keep(
    conn: &Conn<'_>,
    id: &str,
    stix_type: &str,
    modified: &str,
    object: &str,
) -> Result<Kept, StorageError> {
    let before: Option<String> = conn.query_optional(
        "SELECT modified FROM stix_objects WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    if before.as_deref().is_some_and(|b| b >= modified) {
        return Ok(Kept::Unchanged);
    }
    conn.execute(
        "INSERT INTO stix_objects (id, type, modified, object) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, modified = excluded.modified,
                                         object = excluded.object",
        params![id, stix_type, modified, object],
    )?;
    Ok(if before.is_some() {
        Kept::Changed
    } else {
        Kept::Added
    })
}

/// Every object kept verbatim, in id order, as JSON text.
pub fn kept_objects(conn: &Conn<'_>) -> Result<Vec<String>, StorageError> {
    let rows = conn.query_rows(
        "SELECT object FROM stix_objects ORDER BY id",
        params![],
        |r| r.get(0),
    )?;
    Ok(rows.into_iter().collect())
}
