//! Versions and history: every change of a node bumps its version and leaves one entry saying
//! who made it, when, why, and which fields went from what to what.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::conn::{Conn, params};
use super::{StorageError, array};
use crate::model::word_enum;

word_enum! {
    /// What a change did to its node.
    Action {
        /// The node was created.
        Created = "created",
        /// Some of its fields were changed.
        Updated = "updated",
        /// A claim's status was changed.
        StatusChanged = "status_changed",
        /// The node was merged into another; its id now resolves to that one.
        MergedAway = "merged_away",
        /// Another node was merged into this one.
        MergedIn = "merged_in",
        /// A link of the node was moved from a merged node to the one it was merged into.
        Relinked = "relinked",
    }
}

/// One field's change: absent (`None`) before creation or after clearing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field, as the fixture format names it.
    pub field: String,
    /// Its value before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// Its value after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// One entry of a node's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The version the change produced.
    pub version: i64,
    /// Who made it.
    pub editor: String,
    /// When, as RFC 3339 in UTC.
    pub at: String,
    /// What it did.
    pub action: Action,
    /// The fields it changed.
    pub changes: Vec<FieldChange>,
    /// Why, as the editor gave it.
    pub reason: Option<String>,
}

/// Who makes a change and why; the time is taken when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The editor's name (from the tokens file), or `seed` for fixtures.
    pub editor: String,
    /// Why, if given.
    pub reason: Option<String>,
}

impl Edit {
    /// A change by `editor`, with no reason given.
    pub fn by(editor: impl Into<String>) -> Edit {
        Edit {
            editor: editor.into(),
            reason: None,
        }
    }

    /// The same editor, with a reason.
    pub fn because(self, reason: Option<String>) -> Edit {
        Edit { reason, ..self }
    }
}

/// A node's version and, if it was merged away, the node it was merged into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The version of its last change (1 when created).
    pub version: i64,
    /// The node it now resolves to, if it was merged.
    pub merged_into: Option<String>,
}

/// The fields in which two serialised records differ, in field order.
pub fn diff(before: Option<&Value>, after: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter(|f| old.get(*f) != new.get(*f))
        .map(|f| FieldChange {
            field: f.clone(),
            old: old.get(f).cloned(),
            new: new.get(f).cloned(),
        })
        .collect()
}

/// The fields of a new record, each with no old value: [`diff`] against nothing, taking the
/// values instead of copying them (a large seed records one creation per record).
pub fn created(after: Value) -> Vec<FieldChange> {
    match after {
        Value::Object(fields) => {
            let mut changes: Vec<FieldChange> = fields
                .into_iter()
                .map(|(field, new)| FieldChange {
                    field,
                    old: None,
                    new: Some(new),
                })
                .collect();
            // In field-name order, as `diff` gives them, whatever order the record wrote.
            changes.sort_by(|a, b| a.field.cmp(&b.field));
            changes
        }
        _ => Vec::new(),
    }
}

/// `changes` of a creation recorded without its fields. They are the fields of the record
/// at version 1, which the record as stored gives once the later changes are undone (see
/// [`for_nodes`]): writing them out would store every seeded record twice.
const FIELDS_OF_THE_RECORD: &str = "null";

/// Records the creation of `id` (version 1), its fields left to the record itself.
pub fn record_creation(conn: &Conn<'_>, id: &str, edit: &Edit) -> Result<(), StorageError> {
    conn.execute(
        "INSERT INTO history (node_id, version, editor, at, action, changes, reason)
         VALUES (?1, 1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'created', ?3, ?4)",
        params![id, edit.editor, FIELDS_OF_THE_RECORD, edit.reason],
    )?;
    Ok(())
}

/// Records the creation of every node, in id order: a bulk load's, into a database that had
/// no nodes and no history before it.
pub fn record_creations(conn: &Conn<'_>, edit: &Edit) -> Result<(), StorageError> {
    conn.execute(
        "INSERT INTO history (node_id, version, editor, at, action, changes, reason)
         SELECT id, 1, ?1, (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), 'created', ?2, ?3
         FROM nodes ORDER BY id",
        params![edit.editor, FIELDS_OF_THE_RECORD, edit.reason],
    )?;
    Ok(())
}

/// Records a change of `id` and returns the version it produced; a creation is version 1.
pub fn record(
    conn: &Conn<'_>,
    id: &str,
    action: Action,
    changes: &[FieldChange],
    edit: &Edit,
) -> Result<i64, StorageError> {
    // A node is created at version 1, the column's default.
    let version: i64 = if action == Action::Created {
        1
    } else {
        conn.query_one(
            "UPDATE nodes SET version = version + 1 WHERE id = ?1 RETURNING version",
            params![id],
            |r| r.get(0),
        )?
    };
    let changes =
        serde_json::to_string(changes).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO history (node_id, version, editor, at, action, changes, reason)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4, ?5, ?6)",
        params![
            id,
            version,
            edit.editor,
            action.as_str(),
            changes,
            edit.reason
        ],
    )?;
    Ok(version)
}

/// The version and merge target of the node with this id, if there is one.
pub fn meta(conn: &Conn<'_>, id: &str) -> Result<Option<Meta>, StorageError> {
    conn.query_optional(
        "SELECT version, merged_into FROM nodes WHERE id = ?1",
        params![id],
        |r| {
            Ok(Meta {
                version: r.get(0)?,
                merged_into: r.get(1)?,
            })
        },
    )
}

/// Versions and merge targets of these nodes, by id.
pub fn meta_many(conn: &Conn<'_>, ids: &[String]) -> Result<HashMap<String, Meta>, StorageError> {
    let rows = conn.query_rows(
        "SELECT id, version, merged_into FROM nodes WHERE id IN rarray(?1)",
        params![array(ids)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                Meta {
                    version: r.get(1)?,
                    merged_into: r.get(2)?,
                },
            ))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// Marks `from` as merged into `into`, so that its id resolves to `into` from now on.
pub fn set_merged(conn: &Conn<'_>, from: &str, into: &str) -> Result<(), StorageError> {
    conn.execute(
        "UPDATE nodes SET merged_into = ?2 WHERE id = ?1",
        params![from, into],
    )?;
    // Earlier merges into `from` now end at `into` too, so a lookup never walks a chain.
    conn.execute(
        "UPDATE nodes SET merged_into = ?2 WHERE merged_into = ?1",
        params![from, into],
    )?;
    Ok(())
}

/// The histories of these nodes, each oldest first.
pub fn for_nodes(
    conn: &Conn<'_>,
    ids: &[String],
) -> Result<HashMap<String, Vec<Entry>>, StorageError> {
    let rows = conn.query_rows(
        "SELECT node_id, version, editor, at, action, changes, reason FROM history
         WHERE node_id IN rarray(?1) ORDER BY node_id, seq",
        params![array(ids)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<i64>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
                r.get::<Option<String>>(6)?,
            ))
        },
    )?;
    let mut out: HashMap<String, Vec<Entry>> = HashMap::new();
    let mut untold = Vec::new();
    for (node, version, editor, at, action, changes, reason) in rows {
        let action = Action::parse(&action)
            .ok_or_else(|| StorageError::Corrupt(format!("history action {action:?}")))?;
        let changes: Vec<FieldChange> = if changes == FIELDS_OF_THE_RECORD {
            untold.push(node.clone());
            Vec::new()
        } else {
            serde_json::from_str(&changes)
                .map_err(|e| StorageError::Corrupt(format!("history changes: {e}")))?
        };
        out.entry(node).or_default().push(Entry {
            version,
            editor,
            at,
            action,
            changes,
            reason,
        });
    }
    untold.dedup();
    tell_creations(conn, &untold, &mut out)?;
    Ok(out)
}

/// Fills in the fields of creations recorded without them: each record as stored, with
/// every later change undone, newest first.
fn tell_creations(
    conn: &Conn<'_>,
    ids: &[String],
    histories: &mut HashMap<String, Vec<Entry>>,
) -> Result<(), StorageError> {
    if ids.is_empty() {
        return Ok(());
    }
    let records = super::stored(conn, ids)?;
    for (id, entity) in records {
        let Some(entries) = histories.get_mut(&id) else {
            continue;
        };
        let Value::Object(mut fields) = super::serialized(entity.as_record())? else {
            continue;
        };
        let Some((creation, later)) = entries.split_first_mut() else {
            continue;
        };
        for change in later.iter().rev().flat_map(|e| e.changes.iter().rev()) {
            match &change.old {
                Some(old) => fields.insert(change.field.clone(), old.clone()),
                None => fields.remove(&change.field),
            };
        }
        creation.changes = created(Value::Object(fields));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diff_lists_changed_added_and_cleared_fields_only() {
        let before = json!({"name": "A", "kind": "person", "description": "x"});
        let after = json!({"name": "B", "kind": "person", "aliases": ["b"]});
        let fields: Vec<String> = diff(Some(&before), &after)
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["aliases", "description", "name"]);
    }

    #[test]
    fn a_creation_lists_every_field_with_no_old_value() {
        let changes = diff(None, &json!({"id": "a", "name": "A"}));
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.old.is_none() && c.new.is_some()));
        assert_eq!(created(json!({"name": "A", "id": "a"})), changes);
    }
}
