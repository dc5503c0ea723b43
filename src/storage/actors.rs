//! Actors in SQLite.

use super::conn::{Conn, Row, params};
use super::entities::Lists;
use super::lists::{ALIASES, NODE_SOURCES};
use super::{Outcome, StorageError, all_ids, array, columns as col, take_ids, take_texts};
use crate::model::{Actor, ActorKind};

const SELECT: &str = "SELECT id, kind, name, description FROM actors";

fn from_row(r: &Row<'_>) -> Result<Actor, StorageError> {
    Ok(Actor {
        id: col::id(r, 0)?,
        kind: col::word(r, 1, ActorKind::parse)?,
        name: col::text(r, 2)?,
        description: r.get(3)?,
        aliases: Vec::new(),
        sources: Vec::new(),
    })
}

/// The actors with these ids, by id, with the `lists` asked for; ids that name no actor
/// are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String], lists: Lists) -> Result<Vec<Actor>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows: Vec<Actor> = conn.query_rows(&sql, params![array(ids)], from_row)?;
    let mut aliases = lists.aliases(conn, ids)?;
    let mut sources = lists.sources(conn, ids)?;
    let mut out = rows;
    for r in &mut out {
        r.aliases = take_texts(&mut aliases, r.id.as_str())?;
        r.sources = take_ids(&mut sources, r.id.as_str())?;
    }
    Ok(out)
}

/// Every actor, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Actor>, StorageError> {
    let ids = all_ids(conn, "actors")?;
    get_many(conn, &ids, Lists::All)
}

/// Inserts or updates the actor, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(conn: &Conn<'_>, a: &Actor, before: Option<&Actor>) -> Result<Outcome, StorageError> {
    if before == Some(a) {
        return Ok(Outcome::Unchanged);
    }
    conn.execute(
        "INSERT INTO actors (id, kind, name, description) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
             description = excluded.description",
        params![
            a.id.as_str(),
            a.kind.as_str(),
            a.name.as_str(),
            a.description
        ],
    )?;
    ALIASES.replace(
        conn,
        a.id.as_str(),
        before.map(|b| &b.aliases[..]),
        &a.aliases,
    )?;
    NODE_SOURCES.replace(
        conn,
        a.id.as_str(),
        before.map(|b| &b.sources[..]),
        &a.sources,
    )?;
    Ok(Outcome::written(before.is_some()))
}
