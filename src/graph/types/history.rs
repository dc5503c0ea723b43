//! `version` and `history`, which every node has: what changed, when, by whom and why.

use async_graphql::{Context, Enum, SimpleObject};

use crate::graph::error::GraphResult;
use crate::graph::loaders::{history_of, version};
use crate::graph::scalars::JsonValue;
use crate::storage::history::{self, Entry};

/// What a change did to its node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "history::Action")]
pub enum ChangeAction {
    /// The node was created.
    Created,
    /// Some of its fields were changed.
    Updated,
    /// A claim's status was changed.
    StatusChanged,
    /// The node (an actor) was merged into another; its id now resolves to that one.
    MergedAway,
    /// Another actor was merged into this one.
    MergedIn,
    /// A link was moved from a merged actor to the one it was merged into.
    Relinked,
}

/// One field's change. Values are JSON in the fixture format; null when absent.
#[derive(SimpleObject, Debug, Clone)]
pub struct FieldChange {
    /// The field, as the fixture format names it (`asserted_by`, `status`).
    pub field: String,
    /// Its value before; null before the node existed or when it was not set.
    pub old: Option<JsonValue>,
    /// Its value after; null when it was cleared.
    pub new: Option<JsonValue>,
}

/// One change of a node.
#[derive(SimpleObject, Debug, Clone)]
pub struct Change {
    /// The version this change produced.
    pub version: i64,
    /// Who made it: an editor's name from the server's tokens file, or `seed` for fixtures.
    pub editor: String,
    /// When, in UTC (RFC 3339).
    pub at: String,
    /// What it did.
    pub action: ChangeAction,
    /// Why, as the editor said.
    pub reason: Option<String>,
    /// The fields it changed, with their old and new values.
    pub changes: Vec<FieldChange>,
}

impl From<&Entry> for Change {
    fn from(e: &Entry) -> Change {
        Change {
            version: e.version,
            editor: e.editor.clone(),
            at: e.at.clone(),
            action: e.action.into(),
            reason: e.reason.clone(),
            changes: e
                .changes
                .iter()
                .map(|c| FieldChange {
                    field: c.field.clone(),
                    old: c.old.clone().map(JsonValue),
                    new: c.new.clone().map(JsonValue),
                })
                .collect(),
        }
    }
}

/// The `version` field of a node.
pub async fn version_of(ctx: &Context<'_>, id: &crate::model::Id) -> GraphResult<i64> {
    version(ctx, id.as_str()).await
}

/// The `history` field of a node.
pub async fn changes_of(ctx: &Context<'_>, id: &crate::model::Id) -> GraphResult<Vec<Change>> {
    Ok(history_of(ctx, id.as_str())
        .await?
        .iter()
        .map(Change::from)
        .collect())
}
