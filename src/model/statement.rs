//! Statements: words someone said, as a source reports them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Text, When};

/// Words someone said, verbatim, with who, when, where, and the source that reports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// The id of the actor who said it, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Id>,
    /// The words, verbatim.
    pub text: Text,
    /// When it was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// The id of the location where it was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Id>,
    /// The id of the event at which it was said (a speech).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Id>,
    /// The id of the source that reports it.
    pub source: Id,
    /// Ids of what it is about: any entities of the graph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Id>,
    /// Context: how the source introduces the words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
