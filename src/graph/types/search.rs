//! Search results.

use async_graphql::SimpleObject;

use super::node::Node;

/// A node found by `search`.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// What was found.
    pub node: Node,
    /// How well it matches, higher is better: from 1 up to 2 when the whole words match, from 0
    /// up to 1 when words only start with them (names weigh most, then aliases).
    pub score: f64,
    /// The best matching passage, the matched words between `<mark>` and `</mark>`.
    pub snippet: String,
}
