//! `possibleDuplicates`: pairs of actors or locations that probably name the same thing, for
//! editors to merge (`mergeActor`, `mergeLocation`) or leave apart.

use async_graphql::{Context, Enum, Object, SimpleObject};

use super::error::{GraphError, GraphResult};
use super::loaders::data;
use super::types::Node;
use super::types::node::nodes;
use crate::model::EntityType;
use crate::storage::names::duplicates;

/// The most pairs one request returns.
pub const MAX_PAIRS: i32 = 200;

/// Which nodes to compare.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateKind {
    /// Actors with actors.
    Actor,
    /// Locations with locations.
    Location,
}

/// Why two nodes may be one.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::storage::names::duplicates::Reason")]
pub enum DuplicateReason {
    /// Their names are spellings of each other (the same words by the spelling rules of
    /// `search`, the same words written apart or together, or a letter or two apart).
    SimilarNames,
    /// They have a name or alias in common.
    SharedName,
    /// Claims link them to the same nodes by the same relations.
    SharedLinks,
    /// They lie in the same place (locations).
    SameParent,
    /// Their kinds differ, which counts against the pair.
    DifferentKind,
}

/// One reason, with what it found and how much it weighed.
#[derive(SimpleObject)]
pub struct DuplicateEvidence {
    /// The reason.
    pub reason: DuplicateReason,
    /// What was found, in words ("“Kata'ib Hezbollah” and “Kataib Hizballah” spell the same words").
    pub detail: String,
    /// What it added to the score (negative: what it took away).
    pub weight: f64,
}

/// Two nodes that probably are one.
#[derive(SimpleObject)]
pub struct PossibleDuplicate {
    /// One node (the smaller id).
    pub a: Node,
    /// The other.
    pub b: Node,
    /// From 0 to 1: how likely the two are one.
    pub score: f64,
    /// Why, the weightiest first.
    pub reasons: Vec<DuplicateEvidence>,
}

/// The duplicate finder.
#[derive(Default)]
pub struct DuplicatesQuery;

#[Object]
impl DuplicatesQuery {
    /// Pairs of actors (or of locations) that probably name the same thing, best first, with
    /// a score and the reasons: names that are spellings of each other, a name in common,
    /// links to the same nodes, the same parent place; different kinds count against. Merge
    /// a pair with `mergeActor` or `mergeLocation`.
    async fn possible_duplicates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which nodes to compare.")] kind: DuplicateKind,
        #[graphql(
            default = 0.75,
            desc = "The lowest score listed, from 0 to 1: 0.9 lists only pairs that are nearly always one node, 0.6 nearly every pair that is."
        )]
        min_score: f64,
        #[graphql(default = 20, desc = "How many pairs, best first (0–200).")] first: i32,
    ) -> GraphResult<Vec<PossibleDuplicate>> {
        if !(0..=MAX_PAIRS).contains(&first) {
            return Err(GraphError::BadUserInput(format!(
                "`first` must be from 0 to {MAX_PAIRS}, not {first}"
            )));
        }
        if !(0.0..=1.0).contains(&min_score) {
            return Err(GraphError::BadUserInput(format!(
                "`minScore` must be from 0 to 1, not {min_score}"
            )));
        }
        let entity_type = match kind {
            DuplicateKind::Actor => EntityType::Actor,
            DuplicateKind::Location => EntityType::Location,
        };
        let limit = first as usize;
        let pairs = data(ctx)?
            .reads
            .read(move |conn| duplicates::in_database(conn, entity_type, min_score, limit))
            .await?;
        let ids: Vec<String> = pairs
            .iter()
            .flat_map(|p| [p.a.clone(), p.b.clone()])
            .collect();
        let found = nodes(ctx, &ids).await?;
        let node = |id: &str| {
            found
                .iter()
                .find(|n| super::types::node_id(n) == id)
                .cloned()
        };
        Ok(pairs
            .into_iter()
            .filter_map(|p| {
                Some(PossibleDuplicate {
                    a: node(&p.a)?,
                    b: node(&p.b)?,
                    score: p.score,
                    reasons: p
                        .reasons
                        .into_iter()
                        .map(|r| DuplicateEvidence {
                            reason: r.reason.into(),
                            detail: r.detail,
                            weight: (r.weight * 1000.0).round() / 1000.0,
                        })
                        .collect(),
                })
            })
            .collect())
    }
}
