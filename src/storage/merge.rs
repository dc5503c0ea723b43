//! Merging one actor into another when two ids turn out to name the same actor: the survivor
//! takes the other's names and sources, every link moves to it, and the merged id resolves
//! to it from then on. Nothing is deleted.

use std::collections::HashMap;

use rusqlite::Connection;

use super::history::{self, Action, FieldChange};
use super::{Edit, StorageError, Writer, claims, sources, stances, statements};
use crate::model::{Actor, AssertedBy, Entity, Id, Record, Text};

/// The claims that link `a` and `b` directly; merging them would make each a self-link.
pub fn claims_between(conn: &Connection, a: &str, b: &str) -> Result<Vec<String>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM claims WHERE (subject_id = ?1 AND object_id = ?2)
            OR (subject_id = ?2 AND object_id = ?1) ORDER BY id",
    )?;
    let ids = stmt.query_map([a, b], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// The nodes whose links were moved by a merge, by type.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Relinked {
    /// Claims whose subject, object or asserter moved.
    pub claims: Vec<String>,
    /// Statements whose speaker or `about` list moved.
    pub statements: Vec<String>,
    /// Sources whose publisher moved.
    pub sources: Vec<String>,
    /// Stances whose party or asserter moved.
    pub stances: Vec<String>,
}

/// Merges actor `from` into actor `into`; the caller has checked both exist and are current.
pub fn merge_actor(
    w: &Writer<'_>,
    from: &Actor,
    into: &Actor,
    edit: &Edit,
) -> Result<Relinked, StorageError> {
    let conn = w.connection();
    let survivor = absorb(into, from);
    let absorbed = FieldChange {
        field: "merged_from".into(),
        old: None,
        new: Some(serde_json::Value::String(from.id.to_string())),
    };
    // Recorded even when the survivor already had every name: the merge itself is a change.
    w.put_noting(
        Record::Actor(&survivor),
        Some(Action::MergedIn),
        &[absorbed],
        edit,
    )?;
    let relinked = relink(w, &from.id, &into.id, edit)?;
    history::set_merged(conn, from.id.as_str(), into.id.as_str())?;
    let change = FieldChange {
        field: "merged_into".into(),
        old: None,
        new: Some(serde_json::Value::String(into.id.to_string())),
    };
    history::record(conn, from.id.as_str(), Action::MergedAway, &[change], edit)?;
    // A merged id is found through its survivor, not on its own.
    w.unindex(from.id.as_str())?;
    Ok(relinked)
}

/// The survivor with the merged actor's name, aliases and sources added, without repeats.
fn absorb(into: &Actor, from: &Actor) -> Actor {
    let mut out = into.clone();
    let mut names: Vec<String> = std::iter::once(&out.name)
        .chain(&out.aliases)
        .map(|t| t.as_str().to_lowercase())
        .collect();
    for name in std::iter::once(&from.name).chain(&from.aliases) {
        let key = name.as_str().to_lowercase();
        if !names.contains(&key) {
            names.push(key);
            out.aliases.push(Text::clone(name));
        }
    }
    for source in &from.sources {
        if !out.sources.contains(source) {
            out.sources.push(source.clone());
        }
    }
    out
}

fn swap(id: &mut Id, from: &Id, into: &Id) -> bool {
    if id == from {
        *id = into.clone();
        true
    } else {
        false
    }
}

/// Moves every link to `from` over to `into`, recording each moved record's change.
fn relink(w: &Writer<'_>, from: &Id, into: &Id, edit: &Edit) -> Result<Relinked, StorageError> {
    let conn = w.connection();
    let mut out = Relinked::default();
    for id in referring(conn, REFERRING_CLAIMS, from)? {
        let Some(mut c) = claims::get(conn, &id)? else {
            continue;
        };
        let mut moved = swap(&mut c.subject, from, into);
        moved |= c.object.as_mut().is_some_and(|o| swap(o, from, into));
        if let AssertedBy::Actor(a) = &mut c.asserted_by {
            moved |= swap(a, from, into);
        }
        if moved {
            w.put(Record::Claim(&c), Some(Action::Relinked), edit)?;
            out.claims.push(id);
        }
    }
    for id in referring(conn, REFERRING_STATEMENTS, from)? {
        let Some(mut s) = statements::get(conn, &id)? else {
            continue;
        };
        let mut moved = s.speaker.as_mut().is_some_and(|sp| swap(sp, from, into));
        for about in &mut s.about {
            moved |= swap(about, from, into);
        }
        if moved {
            w.put(Record::Statement(&s), Some(Action::Relinked), edit)?;
            out.statements.push(id);
        }
    }
    for id in referring(conn, REFERRING_SOURCES, from)? {
        let Some(mut s) = sources::get(conn, &id)? else {
            continue;
        };
        if s.publisher.as_mut().is_some_and(|p| swap(p, from, into)) {
            w.put(Record::Source(&s), Some(Action::Relinked), edit)?;
            out.sources.push(id);
        }
    }
    for id in referring(conn, REFERRING_STANCES, from)? {
        let Some(mut s) = stances::get(conn, &id)? else {
            continue;
        };
        let mut moved = swap(&mut s.actor, from, into);
        if let AssertedBy::Actor(a) = &mut s.asserted_by {
            moved |= swap(a, from, into);
        }
        if moved {
            w.put(Record::Stance(&s), Some(Action::Relinked), edit)?;
            out.stances.push(id);
        }
    }
    Ok(out)
}

/// Every merged id with the id it resolves to.
pub fn merged_ids(conn: &Connection) -> Result<HashMap<Id, Id>, StorageError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, merged_into FROM nodes WHERE merged_into IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (from, into) = row?;
        let from = Id::parse(&from).map_err(StorageError::Corrupt)?;
        let into = Id::parse(&into).map_err(StorageError::Corrupt)?;
        out.insert(from, into);
    }
    Ok(out)
}

/// The record with its links to merged actors pointing at their survivors, if it had any:
/// fixtures written before a merge keep their links where the merge moved them.
pub fn follow_merges(record: Record<'_>, merged: &HashMap<Id, Id>) -> Option<Entity> {
    let moved = |id: &mut Id| match merged.get(id) {
        Some(into) => {
            *id = into.clone();
            true
        }
        None => false,
    };
    match record {
        Record::Claim(c) => {
            let mut c = c.clone();
            let mut any = moved(&mut c.subject);
            any |= c.object.as_mut().is_some_and(moved);
            if let AssertedBy::Actor(a) = &mut c.asserted_by {
                any |= moved(a);
            }
            any.then_some(Entity::Claim(c))
        }
        Record::Statement(s) => {
            let mut s = s.clone();
            let mut any = s.speaker.as_mut().is_some_and(moved);
            for about in &mut s.about {
                any |= moved(about);
            }
            any.then_some(Entity::Statement(s))
        }
        Record::Source(s) => {
            let mut s = s.clone();
            s.publisher
                .as_mut()
                .is_some_and(moved)
                .then_some(Entity::Source(s))
        }
        Record::Stance(s) => {
            let mut s = s.clone();
            let mut any = moved(&mut s.actor);
            if let AssertedBy::Actor(a) = &mut s.asserted_by {
                any |= moved(a);
            }
            any.then_some(Entity::Stance(s))
        }
        _ => None,
    }
}

const REFERRING_CLAIMS: &str = "SELECT id FROM claims
    WHERE subject_id = ?1 OR object_id = ?1 OR asserted_by_id = ?1 ORDER BY id";
const REFERRING_STATEMENTS: &str = "SELECT id FROM statements WHERE speaker_id = ?1
    UNION SELECT statement_id FROM statement_about WHERE node_id = ?1 ORDER BY 1";
const REFERRING_SOURCES: &str = "SELECT id FROM sources WHERE publisher_id = ?1 ORDER BY id";
const REFERRING_STANCES: &str = "SELECT id FROM stances WHERE actor_id = ?1
    UNION SELECT id FROM stances WHERE asserted_by_id = ?1 ORDER BY 1";

fn referring(conn: &Connection, sql: &str, id: &Id) -> Result<Vec<String>, StorageError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let ids = stmt.query_map([id.as_str()], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActorKind;

    fn actor(id: &str, name: &str, aliases: &[&str]) -> Actor {
        Actor {
            id: Id::parse(id).unwrap(),
            kind: ActorKind::ArmedGroup,
            name: Text::try_from(name.to_owned()).unwrap(),
            aliases: aliases
                .iter()
                .map(|a| Text::try_from(a.to_string()).unwrap())
                .collect(),
            description: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn the_survivor_takes_the_merged_names_once() {
        let into = actor("kh", "Kataib Hezbollah", &["KH"]);
        let from = actor(
            "kataib-hizballah",
            "Kata'ib Hizballah",
            &["kh", "Hezbollah Brigades"],
        );
        let merged = absorb(&into, &from);
        let names: Vec<&str> = merged.aliases.iter().map(Text::as_str).collect();
        assert_eq!(names, ["KH", "Kata'ib Hizballah", "Hezbollah Brigades"]);
    }
}
