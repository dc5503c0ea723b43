//! Records of any type by id, a few statements for any number of ids.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{StorageError, actors, array, claims, events, locations, sources, statements};
use crate::model::{Entity, EntityType};

/// The records with these ids, of whatever type; ids that name nothing are absent.
pub fn entities(
    conn: &Connection,
    ids: &[String],
) -> Result<HashMap<String, Entity>, StorageError> {
    let mut by_type: HashMap<EntityType, Vec<String>> = HashMap::new();
    {
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
    }
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
