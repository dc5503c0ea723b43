//! Records of any type by id, a few statements for any number of ids.

use std::collections::HashMap;

use super::conn::{Conn, params};
use super::lists::{ALIASES, NODE_SOURCES};
use super::{StorageError, actors, array, claims, events, locations, sources, stances, statements};
use crate::model::{Entity, EntityType};

/// Which of a record's lists a read fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    /// Every list: the record as it is stored, for writers, snapshots and exports.
    All,
    /// The record without the aliases of actors and locations and the sources that mention
    /// an actor, location or event (both left empty): the GraphQL layer reads aliases through
    /// a loader of their own when a query asks for them and pages sources as a connection.
    /// Reading them with every record was a third of the statements of a nested list.
    Core,
}

impl Lists {
    /// The sources of these owners, or none when this read leaves them out.
    pub(super) fn sources(
        self,
        conn: &Conn<'_>,
        owners: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StorageError> {
        match self {
            Lists::All => NODE_SOURCES.read_many(conn, owners),
            Lists::Core => Ok(HashMap::new()),
        }
    }

    /// The aliases of these owners, or none when this read leaves them out.
    pub(super) fn aliases(
        self,
        conn: &Conn<'_>,
        owners: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StorageError> {
        match self {
            Lists::All => ALIASES.read_many(conn, owners),
            Lists::Core => Ok(HashMap::new()),
        }
    }
}

/// The aliases of these actors and locations, each list in order; nodes without any are
/// absent.
pub fn aliases(
    conn: &Conn<'_>,
    owners: &[String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    ALIASES.read_many(conn, owners)
}

/// The records with these ids, of whatever type; ids that name nothing are absent. An id that
/// was merged into another gives the record it was merged into.
pub fn entities(conn: &Conn<'_>, ids: &[String]) -> Result<HashMap<String, Entity>, StorageError> {
    entities_with(conn, ids, Lists::All)
}

/// `entities` with only the `lists` asked for.
pub fn entities_with(
    conn: &Conn<'_>,
    ids: &[String],
    lists: Lists,
) -> Result<HashMap<String, Entity>, StorageError> {
    let mut by_type: HashMap<EntityType, Vec<String>> = HashMap::new();
    let mut merged: Vec<(String, String)> = Vec::new();
    {
        let rows = conn.query_rows(
            "SELECT id, type, merged_into FROM nodes WHERE id IN rarray(?1)",
            params![array(ids)],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                ))
            },
        )?;
        for (id, t, into) in rows {
            if let Some(into) = into {
                merged.push((id, into));
                continue;
            }
            let t = EntityType::parse(&t)
                .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
            by_type.entry(t).or_default().push(id);
        }
    }
    let mut out = load(conn, by_type, lists)?;
    if !merged.is_empty() {
        // Merges are kept flat (see `history::set_merged`), so one more round is enough.
        let targets: Vec<String> = merged.iter().map(|(_, into)| into.clone()).collect();
        let mut found = entities_with(conn, &targets, lists)?;
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
pub fn stored(conn: &Conn<'_>, ids: &[String]) -> Result<HashMap<String, Entity>, StorageError> {
    let mut by_type: HashMap<EntityType, Vec<String>> = HashMap::new();
    let rows = conn.query_rows(
        "SELECT id, type FROM nodes WHERE id IN rarray(?1)",
        params![array(ids)],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    for (id, t) in rows {
        let t = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("node type {t:?}")))?;
        by_type.entry(t).or_default().push(id);
    }
    load(conn, by_type, Lists::All)
}

fn load(
    conn: &Conn<'_>,
    by_type: HashMap<EntityType, Vec<String>>,
    lists: Lists,
) -> Result<HashMap<String, Entity>, StorageError> {
    let mut out = HashMap::new();
    for (t, ids) in by_type {
        let found: Vec<Entity> = match t {
            EntityType::Actor => actors::get_many(conn, &ids, lists)?
                .into_iter()
                .map(Entity::Actor)
                .collect(),
            EntityType::Location => locations::get_many(conn, &ids, lists)?
                .into_iter()
                .map(Entity::Location)
                .collect(),
            EntityType::Event => events::get_many(conn, &ids, lists)?
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
            EntityType::Stance => stances::get_many(conn, &ids)?
                .into_iter()
                .map(Entity::Stance)
                .collect(),
        };
        for e in found {
            out.insert(e.id().to_string(), e);
        }
    }
    Ok(out)
}
