//! Search results.

use async_graphql::SimpleObject;

use super::node::Node;
use crate::graph::enums::MatchKind;

/// A node found by `search`.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// What was found.
    pub node: Node,
    /// How well it matches, higher is better; each class of `matchedBy` scores above the
    /// next: 5 EXACT, 4 ALIAS, from 3 up to 4 NORMALISED, from 2 up to 3 FUZZY (closer
    /// spellings higher), below 2 TEXT (from 1 whole words, below 1 words' starts).
    pub score: f64,
    /// How it matched.
    pub matched_by: MatchKind,
    /// The name or alias that matched, as written; null for a TEXT match.
    pub matched_name: Option<String>,
    /// The best matching passage, the matched words between `<mark>` and `</mark>`.
    pub snippet: String,
}
