//! Actors in SQLite.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::lists::{ALIASES, NODE_SOURCES};
use super::{Outcome, StorageError, columns as col, nodes};
use crate::model::{Actor, ActorKind, EntityType};

const SELECT: &str = "SELECT id, kind, name, description FROM actors";

fn from_row(r: &Row) -> rusqlite::Result<Actor> {
    Ok(Actor {
        id: col::id(r, 0)?,
        kind: col::word(r, 1, ActorKind::parse)?,
        name: col::text(r, 2)?,
        description: r.get(3)?,
        aliases: Vec::new(),
        sources: Vec::new(),
    })
}

fn with_lists(conn: &Connection, mut a: Actor) -> Result<Actor, StorageError> {
    a.aliases = ALIASES.read_texts(conn, a.id.as_str())?;
    a.sources = NODE_SOURCES.read_ids(conn, a.id.as_str())?;
    Ok(a)
}

/// The actor with this id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Actor>, StorageError> {
    let sql = format!("{SELECT} WHERE id = ?1");
    let row = conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?;
    row.map(|a| with_lists(conn, a)).transpose()
}

/// Every actor, by id.
pub fn all(conn: &Connection) -> Result<Vec<Actor>, StorageError> {
    let sql = format!("{SELECT} ORDER BY id");
    let rows: Vec<Actor> = conn
        .prepare_cached(&sql)?
        .query_map([], from_row)?
        .collect::<Result<_, _>>()?;
    rows.into_iter().map(|a| with_lists(conn, a)).collect()
}

/// Inserts or updates the actor.
pub fn upsert(conn: &Connection, a: &Actor) -> Result<Outcome, StorageError> {
    let before = get(conn, a.id.as_str())?;
    if before.as_ref() == Some(a) {
        return Ok(Outcome::Unchanged);
    }
    nodes::register(conn, &a.id, EntityType::Actor)?;
    conn.prepare_cached(
        "INSERT INTO actors (id, kind, name, description) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
             description = excluded.description",
    )?
    .execute(params![
        a.id.as_str(),
        a.kind.as_str(),
        a.name.as_str(),
        a.description
    ])?;
    ALIASES.replace(conn, a.id.as_str(), &a.aliases)?;
    NODE_SOURCES.replace(conn, a.id.as_str(), &a.sources)?;
    Ok(Outcome::written(before.is_some()))
}
