//! The write path: an editor's change (a new record, a patch, a status, a merge) becomes
//! records decoded and validated exactly as fixture records are, written in one transaction
//! with their history, and announced to subscribers once committed.
//!
//! Every check runs inside the write transaction, so what was validated is what is written
//! even when editors write at the same time.

mod error;
mod ids;
mod notices;

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Path};
use crate::fixture::decode_record;
use crate::model::{Entity, EntityType, GraphSet, Record};
use crate::storage::history::{self, Action};
use crate::storage::related::{Related, related};
use crate::storage::{Conn, Database, Edit, Lookup, Writer, entities, merge, serialized};
use crate::validate::{self, Locate, Problem};

pub use error::{EditError, FieldProblem};
pub use notices::{Notice, Notices};

/// What a committed change gives back: the node and its version as the change left them,
/// and what to announce.
type Written = (Entity, i64, Vec<Notice>);

/// A node as a change left it, and the version the change gave it.
pub type Changed = (Entity, i64);

/// Creates a record of `section` from its fixture-format JSON; the id must be new.
pub async fn create(
    db: &Database,
    notices: &Notices,
    section: EntityType,
    value: Map<String, Value>,
    edit: Edit,
) -> Result<Changed, EditError> {
    let (entity, version, news) = db
        .edit(move |w| announced(w, create_in(w, section, value, &edit)))
        .await?;
    notices.publish(news);
    Ok((entity, version))
}

/// Changes the fields given in `patch` (a null clears one) of the record `id`, which must be
/// at `version`.
pub async fn update(
    db: &Database,
    notices: &Notices,
    target: Target,
    patch: Map<String, Value>,
    action: Action,
    edit: Edit,
) -> Result<Changed, EditError> {
    let (entity, version, news) = db
        .edit(move |w| announced(w, update_in(w, &target, patch, action, &edit)))
        .await?;
    notices.publish(news);
    Ok((entity, version))
}

/// Merges actor (or location) `from` into `into` of the same type; both must be at the
/// versions named, and a location not into one inside it.
pub async fn merge(
    db: &Database,
    notices: &Notices,
    from: Target,
    into: Target,
    edit: Edit,
) -> Result<Changed, EditError> {
    let (entity, version, news) = db
        .edit(move |w| announced(w, merge_in(w, &from, &into, &edit)))
        .await?;
    notices.publish(news);
    Ok((entity, version))
}

/// A change written, once its notices are on their way through the database (if the
/// engine carries them; see [`notices::announce`]).
fn announced(w: &Writer<'_>, written: Result<Written, EditError>) -> Result<Written, EditError> {
    let written = written?;
    notices::announce(w, &written.2)?;
    Ok(written)
}

/// A node an editor changes: its type, its id, and the version the change was based on.
#[derive(Debug, Clone)]
pub struct Target {
    /// The type the node must have.
    pub section: EntityType,
    /// Its id.
    pub id: String,
    /// The version the editor saw.
    pub version: i64,
    /// The name of the argument that holds the id, for errors.
    pub argument: &'static str,
}

fn create_in(
    w: &Writer<'_>,
    section: EntityType,
    mut value: Map<String, Value>,
    edit: &Edit,
) -> Result<Written, EditError> {
    let conn = &w.connection();
    if value.get("id").is_none_or(Value::is_null) {
        let id = ids::fresh(conn, section, &value)?;
        value.insert("id".into(), Value::String(id));
    }
    let set = decode(section, Value::Object(value))?;
    let (_, record) = only(&set)?;
    let id = record.id().as_str();
    if let Some(meta) = history::meta(conn, id)? {
        let what =
            crate::storage::nodes::node_type(conn, id)?.map_or("a node", |t| t.with_article());
        return Err(EditError::invalid(
            "id",
            format!(
                "{id:?} is already {what} (version {}); change it with an update, or choose another id",
                meta.version
            ),
        ));
    }
    check(w, &set)?;
    w.put(record, None, edit)?;
    written(w, id, Action::Created)
}

fn update_in(
    w: &Writer<'_>,
    target: &Target,
    patch: Map<String, Value>,
    action: Action,
    edit: &Edit,
) -> Result<Written, EditError> {
    let stored = current(w, target)?.ok_or_else(|| EditError::not_found(target))?;
    let Value::Object(mut fields) = serialized(stored.as_record())? else {
        return Err(EditError::Storage(crate::storage::StorageError::Corrupt(
            "a record did not serialise to a map".into(),
        )));
    };
    for (k, v) in patch {
        if v.is_null() {
            fields.remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
    let set = decode(target.section, Value::Object(fields))?;
    let (_, record) = only(&set)?;
    check(w, &set)?;
    w.put(record, Some(action), edit)?;
    written(w, &target.id, action)
}

fn merge_in(
    w: &Writer<'_>,
    from: &Target,
    into: &Target,
    edit: &Edit,
) -> Result<Written, EditError> {
    let what = from.section.as_str();
    if from.id == into.id {
        return Err(EditError::argument(
            into.argument,
            format!("a {what} cannot be merged into itself; name the other {what}"),
        ));
    }
    let conn = &w.connection();
    let (a, b) = (current(w, from)?, current(w, into)?);
    if let (Some(Entity::Location(_)), Some(Entity::Location(_))) = (&a, &b)
        && merge::lies_inside(conn, &into.id, &from.id)?
    {
        return Err(EditError::argument(
            into.argument,
            format!(
                "{:?} lies inside {:?}, so merging {:?} into it would put a place inside itself; if the two are one place, merge {:?} into {:?} instead",
                into.id, from.id, from.id, into.id, from.id
            ),
        ));
    }
    let linking = merge::claims_between(conn, &from.id, &into.id)?;
    if !linking.is_empty() {
        return Err(EditError::argument(
            into.argument,
            format!(
                "the claims {} link {:?} and {:?} to each other, and a merge would make them link a {what} to itself; if the two are one {what}, assert that in a new claim instead of merging, or merge other ids",
                linking.join(", "),
                from.id,
                into.id
            ),
        ));
    }
    let relinked = match (a, b) {
        (Some(Entity::Actor(a)), Some(Entity::Actor(b))) => merge::merge_actor(w, &a, &b, edit)?,
        (Some(Entity::Location(a)), Some(Entity::Location(b))) => {
            merge::merge_location(w, &a, &b, edit)?
        }
        _ => {
            return Err(EditError::argument(
                from.argument,
                "only actors, or locations, can be merged, each with its own kind",
            ));
        }
    };
    let (entity, version, mut news) = written(w, &into.id, Action::MergedIn)?;
    for id in relinked.claims {
        news.extend(claim_notice(w, &id, Action::Relinked)?);
    }
    for id in relinked.stances {
        news.extend(stance_notice(w, &id, Action::Relinked)?);
    }
    Ok((entity, version, news))
}

/// The node `target` names, checked to be of its type, not merged away, and at its version.
fn current(w: &Writer<'_>, target: &Target) -> Result<Option<Entity>, EditError> {
    let conn = &w.connection();
    let meta = history::meta(conn, &target.id)?.ok_or_else(|| EditError::not_found(target))?;
    if let Some(into) = meta.merged_into {
        return Err(EditError::argument(
            target.argument,
            format!(
                "{:?} was merged into {into:?}; change {into:?} instead",
                target.id
            ),
        ));
    }
    let kind = crate::storage::nodes::node_type(conn, &target.id)?;
    if kind != Some(target.section) {
        return Err(EditError::not_found(target));
    }
    if meta.version != target.version {
        return Err(EditError::Conflict {
            id: target.id.clone(),
            given: target.version,
            current: meta.version,
        });
    }
    Ok(entities(conn, std::slice::from_ref(&target.id))?.remove(&target.id))
}

fn decode(section: EntityType, value: Value) -> Result<GraphSet, EditError> {
    decode_record(section, value).map_err(|(field, message)| {
        EditError::Invalid(vec![FieldProblem {
            field,
            message,
            argument: None,
        }])
    })
}

fn only(set: &GraphSet) -> Result<(usize, Record<'_>), EditError> {
    set.records().next().ok_or_else(|| {
        EditError::Storage(crate::storage::StorageError::Corrupt(
            "a decoded input held no record".into(),
        ))
    })
}

/// The one validation path fixtures go through, against the graph as it is in this transaction.
fn check(w: &Writer<'_>, set: &GraphSet) -> Result<(), EditError> {
    let problems = validate::validate(
        set,
        &Lookup(w.connection()),
        &Default::default(),
        &ThisInput,
    )?;
    if problems.is_empty() {
        return Ok(());
    }
    Err(EditError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldProblem {
                field: p.field,
                message: p.message,
                argument: None,
            })
            .collect(),
    ))
}

/// Where problems of a single input are: at their field of it.
struct ThisInput;

impl Locate for ThisInput {
    fn locate(&self, problem: Problem) -> Diagnostic {
        Diagnostic {
            file: None,
            line: None,
            path: problem.field,
            message: problem.message,
        }
    }

    fn place(&self, _: EntityType, _: usize) -> String {
        "this input".into()
    }
}

/// The node as written, and the notices its change gives.
fn written(w: &Writer<'_>, id: &str, action: Action) -> Result<Written, EditError> {
    let conn = &w.connection();
    let entity = entities(conn, &[id.to_owned()])?
        .remove(id)
        .ok_or_else(|| {
            EditError::Storage(crate::storage::StorageError::Corrupt(format!(
                "{id:?} is missing right after it was written"
            )))
        })?;
    let news = match (&entity, action) {
        (Entity::Claim(_), _) => claim_notice(w, id, action)?,
        (Entity::Stance(_), _) => stance_notice(w, id, action)?,
        (Entity::Event(e), Action::Created) => vec![Notice::EventAdded {
            id: id.to_owned(),
            places: match &e.location {
                Some(l) => places_of(conn, l.as_str())?,
                None => Vec::new(),
            },
        }],
        _ => Vec::new(),
    };
    let version = history::meta(conn, id)?.map_or(1, |m| m.version);
    Ok((entity, version, news))
}

/// A location and every place containing it, nearest first.
fn places_of(conn: &Conn<'_>, location: &str) -> Result<Vec<String>, EditError> {
    let id = location.to_owned();
    let mut up = related(conn, &Related::Ancestors, std::slice::from_ref(&id))?;
    let mut places = vec![id.clone()];
    places.extend(up.remove(&id).unwrap_or_default());
    Ok(places)
}

fn claim_notice(w: &Writer<'_>, id: &str, action: Action) -> Result<Vec<Notice>, EditError> {
    let found = crate::storage::claims::get(&w.connection(), id)?;
    Ok(found
        .map(|c| Notice::Claim {
            id: id.to_owned(),
            subject: c.subject.to_string(),
            relation: c.relation,
            object: c.object.map(|o| o.to_string()),
            action,
        })
        .into_iter()
        .collect())
}

fn stance_notice(w: &Writer<'_>, id: &str, action: Action) -> Result<Vec<Notice>, EditError> {
    let found = crate::storage::stances::get(&w.connection(), id)?;
    Ok(found
        .map(|s| Notice::Stance {
            id: id.to_owned(),
            claim: s.claim.to_string(),
            actor: s.actor.to_string(),
            position: s.position,
            action,
        })
        .into_iter()
        .collect())
}

/// The path of a problem inside an input, as a GraphQL argument: `input.assertedBy`.
pub fn argument_path(argument: &str, field: &Path) -> String {
    use crate::diagnostic::Segment;
    let mut out = argument.to_owned();
    for seg in &field.0 {
        match seg {
            Segment::Key(k) => {
                out.push('.');
                out.push_str(&camel(k));
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `asserted_by` → `assertedBy`, as GraphQL names fields.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_paths_become_graphql_argument_paths() {
        let field = Path::root()
            .key("details")
            .key("distances")
            .index(1)
            .key("min_km");
        assert_eq!(
            argument_path("input", &field),
            "input.details.distances[1].minKm"
        );
        assert_eq!(argument_path("set", &Path::root()), "set");
    }
}
