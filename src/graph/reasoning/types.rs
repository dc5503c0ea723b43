//! The answers of graph reasoning: paths, neighbourhoods, patron chains, distances, derived
//! anniversaries and corroboration.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::graph::enums::{NodeType, Relation};
use crate::graph::error::{GraphError, GraphResult};
use crate::graph::scalars::Date;
use crate::graph::types::node::{many, nodes, require};
use crate::graph::types::{ActorObj, ClaimObj, EventObj, LocationObj, Node, SourceObj, StanceObj};
use crate::model::{Entity, PartialDate};
use crate::storage::anniversary::{self, Anniversary};
use crate::storage::corroboration::Corroboration;
use crate::storage::traverse::{self, Edge, PatronStep};

/// Which way a step follows its claim.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepDirection {
    /// From the claim's subject to its object.
    Forward,
    /// From the claim's object back to its subject.
    Backward,
}

/// One step of a path: a claim followed from one node to the next.
pub struct PathStep(pub traverse::Step);

/// One step of a path: a claim followed from one node to the next.
#[Object]
impl PathStep {
    /// The claim followed, with who asserts it, where, and how sure.
    async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
        require(ctx, &self.0.claim).await
    }
    /// FORWARD from subject to object, BACKWARD against the claim.
    async fn direction(&self) -> StepDirection {
        if self.0.forward {
            StepDirection::Forward
        } else {
            StepDirection::Backward
        }
    }
    /// The node the step leaves.
    async fn from(&self, ctx: &Context<'_>) -> GraphResult<Node> {
        require(ctx, &self.0.from).await
    }
    /// The node the step reaches.
    async fn to(&self, ctx: &Context<'_>) -> GraphResult<Node> {
        require(ctx, &self.0.to).await
    }
    /// The claim's confidence, 0–100.
    async fn confidence(&self) -> i32 {
        i32::from(self.0.confidence)
    }
}

/// A path between two nodes.
pub struct GraphPath(pub traverse::Path);

/// A path between two nodes.
#[Object]
impl GraphPath {
    /// How many steps.
    async fn hops(&self) -> usize {
        self.0.steps.len()
    }
    /// The product of the steps' confidences as fractions (0–1): how likely every link holds
    /// if each claim were right independently of the others.
    async fn confidence(&self) -> f64 {
        self.0.confidence
    }
    /// The steps, from the start.
    async fn steps(&self) -> Vec<PathStep> {
        self.0.steps.iter().cloned().map(PathStep).collect()
    }
    /// The nodes passed through, both ends included.
    async fn nodes(&self, ctx: &Context<'_>) -> GraphResult<Vec<Node>> {
        let mut ids = vec![self.0.start.clone()];
        ids.extend(self.0.steps.iter().map(|s| s.to.clone()));
        nodes(ctx, &ids).await
    }
}

/// The shortest paths between two nodes.
#[derive(SimpleObject)]
pub struct PathSearch {
    /// The shortest paths, most confident first.
    pub paths: Vec<GraphPath>,
    /// Their length; null when no path is within `maxHops`.
    pub hops: Option<u32>,
    /// True when a bound stopped the search, so that paths may be missing.
    pub truncated: bool,
}

/// What describes a node in a drawing: its type, its kind and a label.
pub fn describe(e: &Entity) -> (NodeType, String, String) {
    let record = e.as_record();
    let (kind, label) = match e {
        Entity::Actor(a) => (a.kind.as_str().to_owned(), a.name.to_string()),
        Entity::Location(l) => (l.kind.as_str().to_owned(), l.name.to_string()),
        Entity::Event(v) => (v.kind.as_str().to_owned(), v.title.to_string()),
        Entity::Source(s) => (s.kind.as_str().to_owned(), s.title.to_string()),
        Entity::Statement(s) => {
            let text = s.text.as_str();
            let short: String = text.chars().take(80).collect();
            let label = if short.len() < text.len() {
                format!("{short}…")
            } else {
                short
            };
            ("statement".to_owned(), label)
        }
        Entity::Claim(c) => (
            c.relation.as_str().to_owned(),
            format!(
                "{} {} {}",
                c.subject,
                c.relation.as_str(),
                c.object.as_ref().map_or("(value)", |o| o.as_str())
            ),
        ),
        Entity::Stance(s) => (
            s.position.as_str().to_owned(),
            format!("{} {} {}", s.actor, s.position.as_str(), s.claim),
        ),
    };
    (record.entity_type().into(), kind, label)
}

/// A node of a neighbourhood, ready to draw: the node with its distance from this
/// neighbourhood's centre.
// No `id` here: `distance` belongs to this answer, not to the node, and a normalised cache
// (keyed by `__typename` and `id`) would carry it into every other neighbourhood.
#[derive(SimpleObject)]
pub struct NeighborhoodNode {
    /// The node's id, as `source` and `target` of the edges name it.
    pub node_id: ID,
    /// The node's type.
    #[graphql(name = "type")]
    pub node_type: NodeType,
    /// The node's kind in the fixture's words (`armed_group`, `base`, `attack`).
    pub kind: String,
    /// What to write on the node: a name, a title, or the start of a statement.
    pub label: String,
    /// Hops from this neighbourhood's centre (0 for the centre).
    pub distance: u32,
    /// The node itself, for anything more.
    pub node: Node,
}

/// Which way an edge points, seen from the centre of the neighbourhood.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeDirection {
    /// From a node nearer the centre to one farther out.
    Outward,
    /// From a node farther out to one nearer the centre.
    Inward,
    /// Between two nodes as far from the centre.
    Across,
}

/// A claim as an edge of a neighbourhood, ready to draw: the claim with its direction seen
/// from this neighbourhood's centre.
// No `id` here, for the reason given on `NeighborhoodNode`: `direction` belongs to this answer.
pub struct NeighborhoodEdge {
    /// The claim.
    pub edge: Edge,
    /// Its direction from the centre.
    pub direction: EdgeDirection,
}

/// A claim as an edge of a neighbourhood, ready to draw: the claim with its direction seen
/// from this neighbourhood's centre.
#[Object]
impl NeighborhoodEdge {
    /// The claim's id.
    async fn claim_id(&self) -> ID {
        ID(self.edge.claim.clone())
    }
    /// The claim's relation.
    async fn relation(&self) -> Relation {
        self.edge.relation.into()
    }
    /// The id of the claim's subject: where the edge starts.
    async fn source(&self) -> ID {
        ID(self.edge.subject.clone())
    }
    /// The id of the claim's object: where the edge ends.
    async fn target(&self) -> ID {
        ID(self.edge.object.clone())
    }
    /// OUTWARD, INWARD or ACROSS, seen from this neighbourhood's centre.
    async fn direction(&self) -> EdgeDirection {
        self.direction
    }
    /// The claim's confidence, 0–100.
    async fn confidence(&self) -> i32 {
        i32::from(self.edge.confidence)
    }
    /// The claim itself.
    async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
        require(ctx, &self.edge.claim).await
    }
}

/// The nodes and claims around a node.
#[derive(SimpleObject)]
pub struct Neighborhood {
    /// The node asked about.
    pub center: Node,
    /// The nodes within the hops asked, nearest first (the centre at distance 0).
    pub nodes: Vec<NeighborhoodNode>,
    /// The claims among those nodes.
    pub edges: Vec<NeighborhoodEdge>,
    /// True when `limit` or a bound left nodes or claims out.
    pub truncated: bool,
}

/// One step up a patron chain.
pub struct PatronLink(pub PatronStep);

/// One step up a patron chain.
#[Object(name = "PatronStep")]
impl PatronLink {
    /// Steps from the actor the chain starts at (1 for its own patrons).
    async fn depth(&self) -> u32 {
        self.0.depth
    }
    /// The actor lower in the chain.
    async fn client(&self, ctx: &Context<'_>) -> GraphResult<ActorObj> {
        require(ctx, &self.0.client).await
    }
    /// The actor above it.
    async fn patron(&self, ctx: &Context<'_>) -> GraphResult<ActorObj> {
        require(ctx, &self.0.patron).await
    }
    /// The FRONT_FOR or BACKED_BY claim, with who asserts it.
    async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
        require(ctx, &self.0.claim).await
    }
}

/// An actor's patrons, up to the top.
pub struct PatronChain(pub Arc<(Vec<PatronStep>, bool)>);

/// An actor's patrons, up to the top.
#[Object]
impl PatronChain {
    /// Every step, nearest first; a claim appears once, at its least depth.
    async fn steps(&self) -> Vec<PatronLink> {
        self.0.0.iter().cloned().map(PatronLink).collect()
    }
    /// The patrons at the top: reached by the chain, with no patron above them.
    async fn top(&self, ctx: &Context<'_>) -> GraphResult<Vec<ActorObj>> {
        let steps = &self.0.0;
        let mut ids: Vec<String> = steps
            .iter()
            .filter(|s| !steps.iter().any(|o| o.client == s.patron))
            .map(|s| s.patron.clone())
            .collect();
        ids.sort();
        ids.dedup();
        many(ctx, &ids).await
    }
    /// True when a bound cut the chain.
    async fn truncated(&self) -> bool {
        self.0.1
    }
}

/// An event at a place within the radius asked about.
pub struct EventNear(pub crate::storage::geo::Near);

/// An event at a place within the radius asked about.
#[Object]
impl EventNear {
    /// The event.
    async fn event(&self, ctx: &Context<'_>) -> GraphResult<EventObj> {
        require(ctx, &self.0.event).await
    }
    /// Its location.
    async fn location(&self, ctx: &Context<'_>) -> GraphResult<LocationObj> {
        require(ctx, &self.0.location).await
    }
    /// From the point asked about to the location (great-circle), in km.
    async fn distance_km(&self) -> f64 {
        self.0.distance_km
    }
}

/// A derived link: an earlier event whose calendar day this event falls on (within a
/// window) some years later. Computed from the dates, asserted by nobody.
pub struct AnniversaryLink(pub Anniversary, pub u32);

fn date(day: chrono::NaiveDate) -> GraphResult<Date> {
    PartialDate::parse(&day.to_string())
        .map(Date)
        .map_err(|_| GraphError::Internal)
}

/// A derived link: an earlier event whose calendar day this event falls on (within a
/// window) some years later. Computed from the dates, asserted by nobody.
#[Object(name = "Anniversary")]
impl AnniversaryLink {
    /// The earlier event.
    async fn event(&self, ctx: &Context<'_>) -> GraphResult<EventObj> {
        require(ctx, &self.0.earlier).await
    }
    /// Which anniversary (2 for the second).
    async fn years(&self) -> u32 {
        self.0.years
    }
    /// The anniversary's day.
    async fn anniversary_on(&self) -> GraphResult<Date> {
        date(self.0.anniversary_day)
    }
    /// Days from the anniversary to this event (negative: this event came before it).
    async fn day_gap(&self) -> i64 {
        self.0.day_gap
    }
    /// Always true: the link is derived from dates, not asserted by a source.
    async fn derived(&self) -> bool {
        true
    }
    /// The rule that derived it.
    async fn rule(&self) -> &'static str {
        anniversary::RULE
    }
    /// The facts it comes from, in words.
    async fn basis(&self) -> String {
        let a = &self.0;
        let this_day = a.anniversary_day + chrono::Duration::days(a.day_gap);
        let when = match a.day_gap {
            0 => "falls on".to_owned(),
            g if g > 0 => format!("falls {g} day(s) after"),
            g => format!("falls {} day(s) before", -g),
        };
        format!(
            "{this_day} {when} {}, the {} anniversary of {} (rule: same calendar day within ±{} days)",
            a.anniversary_day,
            ordinal(a.years),
            a.earlier_day,
            self.1
        )
    }
    /// Claims in which a source asserts this event (or a campaign it is part of) marked, or
    /// was motivated by, the earlier event; empty when no source says so.
    async fn asserted_by(&self, ctx: &Context<'_>) -> GraphResult<Vec<ClaimObj>> {
        many(ctx, &self.0.asserted_by_claims).await
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What backs a claim: the claims asserting the same thing and their sources.
pub struct CorroborationObj(pub Arc<Corroboration>);

/// What backs a claim: the claims asserting the same thing and their sources.
#[Object(name = "Corroboration")]
impl CorroborationObj {
    /// The claims asserting the same subject, relation and object (this one included),
    /// refuted ones left out.
    async fn claims(&self, ctx: &Context<'_>) -> GraphResult<Vec<ClaimObj>> {
        many(ctx, &self.0.claims).await
    }
    /// Their distinct sources, and those of the confirming stances.
    async fn sources(&self, ctx: &Context<'_>) -> GraphResult<Vec<SourceObj>> {
        many(ctx, &self.0.sources).await
    }
    /// How many distinct sources.
    async fn source_count(&self) -> usize {
        self.0.sources.len()
    }
    /// How many of them are independent: sources reporting through one another (`via`) or
    /// from the same publisher count once.
    async fn independent_source_count(&self) -> usize {
        self.0.independent_sources
    }
    /// True when at least two independent sources carry it.
    async fn corroborated(&self) -> bool {
        self.0.independent_sources >= 2
    }
    /// The distinct known asserters.
    async fn asserters(&self, ctx: &Context<'_>) -> GraphResult<Vec<ActorObj>> {
        many(ctx, &self.0.asserters).await
    }
    /// True when only the party the claim is about asserts it (a group claiming its own
    /// attack), the one that benefits from it being believed, and nobody else confirms it.
    async fn self_asserted(&self) -> bool {
        self.0.self_asserted
    }
    /// CONFIRMS stances on these claims by parties other than the claim's subject and
    /// object: their sources count among `sources`. A party's own stance never counts.
    async fn confirming_stances(&self, ctx: &Context<'_>) -> GraphResult<Vec<StanceObj>> {
        many(ctx, &self.0.confirmations).await
    }
    /// DENIES and DISPUTES stances on these claims, by anyone (the accused party's denial
    /// included): shown beside the count, never counted in it.
    async fn contrary_stances(&self, ctx: &Context<'_>) -> GraphResult<Vec<StanceObj>> {
        many(ctx, &self.0.contrary).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinals_read_as_english() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101]
            .map(super::ordinal)
            .to_vec();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
    }
}
