//! Records of any type by id, a few statements for any number of ids.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{StorageError, actors, array, claims, events, locations, sources, statements};
use crate::model::{Entity, EntityType};

/// The records with these ids, of whatever type; ids that name nothing are absent. An id that
/// was merged into another gives the record it was merged into.
pub fn entities(
    conn: &Connection,
    ids: &[String],
) -> Result<HashMap<String, Entity>, StorageError> {
    let mut by_type: HashMap<EntityType, Vec<String>> = HashMap::new();
    let mut merged: Vec<(String, String)> = Vec::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT id, type, merged_into FROM nodes WHERE id IN rarray(?1)")?;
        let rows = stmt.query_map([array(ids)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (id, t, into) = row?;
            if let Some(into) = into {
                merged.push((id, into));
                continue;
            }
            let t = EntityType::parse(&t)
                .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
            by_type.entry(t).or_default().push(id);
        }
    }
    let mut out = load(conn, by_type)?;
    if !merged.is_empty() {
        // Merges are kept flat (see `history::set_merged`), so one more round is enough.
        let targets: Vec<String> = merged.iter().map(|(_, into)| into.clone()).collect();
        let mut found = entities(conn, &targets)?;
        for (id, into) in merged {
            if let Some(e) = found.get(&into) {
                out.insert(id, e.clone());
            }
        }
        out.extend(found.drain());
    }
    Ok(out)
}

/// The records stored under these ids, as they are (a merged record as itself, not its
/// survivor), for a writer that compares what it writes with what is there.
pub fn stored(conn: &Connection, ids: &[String]) -> Result<HashMap<String, Entity>, StorageError> {
    let mut by_type: HashMap<EntityType, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, type FROM nodes WHERE id IN rarray(?1)")?;
    let rows = stmt.query_map([array(ids)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, t) = row?;
        let t = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
        by_type.entry(t).or_default().push(id);
    }
    load(conn, by_type)
}

fn load(
    conn: &Connection,
    by_type: HashMap<EntityType, Vec<String>>,
) -> Result<HashMap<String, Entity>, StorageError> {
    let mut out = HashMap::new();
    for (t, ids) in by_type {
        let found: Vec<Entity> = match t {
            EntityType::Actor => actors::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Actor)
                .collect(),
            EntityType::Location => locations::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Location)
                .collect(),
            EntityType::Event => events::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Event)
                .collect(),
            EntityType::Source => sources::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Source)
                .collect(),
            EntityType::Statement => statements::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Statement)
                .collect(),
            EntityType::Claim => claims::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Claim)
                .collect(),
        };
        for e in found {
            out.insert(e.id().to_string(), e);
        }
    }
    Ok(out)
}
