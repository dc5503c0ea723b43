//! Stances: a named party's position on someone else's claim ("Iran denied any involvement"),
//! reported by someone in a source, with a confidence.
//!
//! A stance is a record of its own rather than a field of its claim: it has its own asserter,
//! source and date, is often reported later and elsewhere than the claim, and an editor who
//! records a denial must not bump the claim's version under another editor's feet.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AssertedBy, Confidence, Id, PartialDate, word_enum};

word_enum! {
    /// What a party says of a claim, in reporting's own verbs; how sure the encoder is that it said so is the stance's confidence.
    StancePosition {
        /// The party says the claim is true ("U.S. officials confirmed the strike").
        Confirms = "confirms",
        /// The party says the claim is false ("Iran denied any involvement").
        Denies = "denies",
        /// The party contests the claim without denying it outright: questions it, calls it premature, or gives another account ("the group disputed the report").
        Disputes = "disputes",
        /// The party says it cannot confirm or rule out the claim ("officials said it was not yet clear who fired the rockets").
        Uncertain = "uncertain",
        /// The party was asked and would not say ("declined to comment"): unlike no stance at all, it records that someone asked.
        DeclinesToComment = "declines_to_comment",
    }
}

impl StancePosition {
    /// Whether the position speaks against the claim (a denial or a dispute).
    pub fn is_contrary(&self) -> bool {
        matches!(self, StancePosition::Denies | StancePosition::Disputes)
    }
}

/// A party's position on a claim, as someone reports it in a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// The id of the claim the party takes a position on.
    pub claim: Id,
    /// The id of the actor whose position it is (the party that denies or confirms).
    pub actor: Id,
    /// What the party says of the claim: confirms, denies, disputes, uncertain or declines_to_comment.
    pub position: StancePosition,
    /// Who reports the stance: an actor id (the party itself, an outlet), or "unknown" for the source's own voice.
    pub asserted_by: AssertedBy,
    /// The id of the source that reports the stance.
    pub source: Id,
    /// When the party took the position, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The id of the statement in which the party takes the position (its words), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Id>,
    /// How sure, 0–100, that the party took this position (not that the claim is true).
    pub confidence: Confidence,
    /// The source's wording or the encoder's remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
