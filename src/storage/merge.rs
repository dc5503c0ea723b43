//! Merging one actor (or location) into another when two ids turn out to name the same one:
//! the survivor takes the other's names and sources, every link moves to it, and the merged
//! id resolves to it from then on. Nothing is deleted.

use std::collections::HashMap;

use super::conn::{Conn, params};
use super::history::{self, Action, FieldChange};
use super::{Edit, StorageError, Writer, claims, entities, sources, stances, statements};
use crate::model::{Actor, AssertedBy, Entity, Id, Location, Record, Text};

/// The claims that link `a` and `b` directly; merging them would make each a self-link.
pub fn claims_between(conn: &Conn<'_>, a: &str, b: &str) -> Result<Vec<String>, StorageError> {
    let ids = conn.query_rows(
        "SELECT id FROM claims WHERE (subject_id = ?1 AND object_id = ?2)
            OR (subject_id = ?2 AND object_id = ?1) ORDER BY id",
        params![a, b],
        |r| r.get(0),
    )?;
    Ok(ids.into_iter().collect())
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
    /// Events whose location moved.
    pub events: Vec<String>,
    /// Locations whose parent moved.
    pub locations: Vec<String>,
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
    let conn = &w.connection();
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
    out.aliases = names_of_both(&into.name, &into.aliases, &from.name, &from.aliases);
    add_missing(&mut out.sources, &from.sources);
    out
}

/// The survivor's aliases with the merged one's name and aliases added, without repeats (of
/// each other or of the survivor's name).
fn names_of_both(name: &Text, aliases: &[Text], from_name: &Text, from: &[Text]) -> Vec<Text> {
    let mut out = aliases.to_vec();
    let mut seen: Vec<String> = std::iter::once(name)
        .chain(aliases)
        .map(|t| t.as_str().to_lowercase())
        .collect();
    for other in std::iter::once(from_name).chain(from) {
        let key = other.as_str().to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(Text::clone(other));
        }
    }
    out
}

fn add_missing(to: &mut Vec<Id>, from: &[Id]) {
    for id in from {
        if !to.contains(id) {
            to.push(id.clone());
        }
    }
}

/// Whether location `inner` lies inside `outer` (at any depth), by the parents stored.
pub fn lies_inside(conn: &Conn<'_>, inner: &str, outer: &str) -> Result<bool, StorageError> {
    let found: Option<i64> = conn.query_optional(
        include_str!("merge_ancestors.sql"),
        params![inner, outer],
        |r| r.get(0),
    )?;
    Ok(found.is_some())
}

/// Merges location `from` into location `into`; the caller has checked both exist, are
/// current, and that `into` does not lie inside `from`. The survivor keeps its own parent
/// and coordinates (taking the merged one's only if it has none); places inside `from` move
/// inside `into`.
pub fn merge_location(
    w: &Writer<'_>,
    from: &Location,
    into: &Location,
    edit: &Edit,
) -> Result<Relinked, StorageError> {
    let conn = &w.connection();
    let mut survivor = into.clone();
    survivor.aliases = names_of_both(&into.name, &into.aliases, &from.name, &from.aliases);
    add_missing(&mut survivor.sources, &from.sources);
    if survivor.coordinates.is_none() {
        survivor.coordinates = from.coordinates.clone();
    }
    if survivor.description.is_none() {
        survivor.description = from.description.clone();
    }
    let absorbed = FieldChange {
        field: "merged_from".into(),
        old: None,
        new: Some(serde_json::Value::String(from.id.to_string())),
    };
    w.put_noting(
        Record::Location(&survivor),
        Some(Action::MergedIn),
        &[absorbed],
        edit,
    )?;
    let mut relinked = relink(w, &from.id, &into.id, edit)?;
    relink_places(w, &from.id, &into.id, edit, &mut relinked)?;
    history::set_merged(conn, from.id.as_str(), into.id.as_str())?;
    let change = FieldChange {
        field: "merged_into".into(),
        old: None,
        new: Some(serde_json::Value::String(into.id.to_string())),
    };
    history::record(conn, from.id.as_str(), Action::MergedAway, &[change], edit)?;
    w.unindex(from.id.as_str())?;
    Ok(relinked)
}

/// Moves what lies at or inside location `from` to `into`: events and statements located
/// there, and the places whose parent it is.
fn relink_places(
    w: &Writer<'_>,
    from: &Id,
    into: &Id,
    edit: &Edit,
    out: &mut Relinked,
) -> Result<(), StorageError> {
    let conn = &w.connection();
    let ids: Vec<String> = referring(conn, LOCATED, from)?;
    for (id, entity) in entities(conn, &ids)? {
        let moved = |place: &mut Option<Id>| place.as_mut().is_some_and(|p| swap(p, from, into));
        let mut entity = entity;
        let (changed, list) = match &mut entity {
            Entity::Event(e) => (moved(&mut e.location), &mut out.events),
            Entity::Statement(s) => (moved(&mut s.location), &mut out.statements),
            Entity::Location(l) => (moved(&mut l.parent), &mut out.locations),
            _ => continue,
        };
        if changed {
            w.put(entity.as_record(), Some(Action::Relinked), edit)?;
            list.push(id);
        }
    }
    Ok(())
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
    let conn = &w.connection();
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
pub fn merged_ids(conn: &Conn<'_>) -> Result<HashMap<Id, Id>, StorageError> {
    let rows = conn.query_rows(
        "SELECT id, merged_into FROM nodes WHERE merged_into IS NOT NULL",
        params![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let mut out = HashMap::new();
    for (from, into) in rows {
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
    let moved_in = |link: &mut Option<Id>| link.as_mut().is_some_and(moved);
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
            any |= s.location.as_mut().is_some_and(moved);
            for about in &mut s.about {
                any |= moved(about);
            }
            any.then_some(Entity::Statement(s))
        }
        Record::Source(s) => {
            let mut s = s.clone();
            moved_in(&mut s.publisher).then_some(Entity::Source(s))
        }
        Record::Event(e) => {
            let mut e = e.clone();
            moved_in(&mut e.location).then_some(Entity::Event(e))
        }
        Record::Location(l) => {
            let mut l = l.clone();
            moved_in(&mut l.parent).then_some(Entity::Location(l))
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
const LOCATED: &str = "SELECT id FROM events WHERE location_id = ?1
    UNION SELECT id FROM statements WHERE location_id = ?1
    UNION SELECT id FROM locations WHERE parent_id = ?1 ORDER BY 1";
const REFERRING_STANCES: &str = "SELECT id FROM stances WHERE actor_id = ?1
    UNION SELECT id FROM stances WHERE asserted_by_id = ?1 ORDER BY 1";

fn referring(conn: &Conn<'_>, sql: &str, id: &Id) -> Result<Vec<String>, StorageError> {
    let ids = conn.query_rows(sql, params![id.as_str()], |r| r.get(0))?;
    Ok(ids.into_iter().collect())
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
