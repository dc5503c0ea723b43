//! `Actor`: people, groups, states, bodies, forces, coalitions, outlets.

use async_graphql::{Context, ID, Object};

use super::links::{
    ActorLinkConnection, End, EventLinkConnection, MotiveConnection, motives, record_connection,
};
use super::node::{Node, id_of};
use super::{ClaimConnection, SourceConnection, StanceConnection, StatementConnection};
use crate::graph::connection::Paging;
use crate::graph::enums::{ActorKind, MotiveVia, StancePosition};
use crate::graph::error::GraphResult;
use crate::graph::loaders;
use crate::model::{Actor, Relation};
use crate::storage::related::Related;

/// A person, armed group, front group, state, government body, military force, coalition or outlet.
#[derive(Clone)]
pub struct ActorObj(pub Actor);

record_connection!(
    /// A page of actors.
    ActorConnection, ActorEdge, ActorObj
);

/// A person, armed group, front group, state, government body, military force, coalition,
/// media outlet or body of officials, as the sources name it; claims link it to others.
#[Object(name = "Actor")]
impl ActorObj {
    /// The stable id.
    pub async fn id(&self) -> ID {
        id_of(&self.0.id)
    }
    /// The version of the last change; an update names it, and fails if it is stale.
    pub async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(super::history::version_of(ctx, &self.0.id).await?)
    }
    /// Every change of this node, oldest first: who, when, why, and which fields.
    pub async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::Change>> {
        Ok(super::history::changes_of(ctx, &self.0.id).await?)
    }
    /// What kind of actor.
    async fn kind(&self) -> ActorKind {
        self.0.kind.into()
    }
    /// The name most used in the sources.
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }
    /// Other spellings and names.
    async fn aliases(&self, ctx: &Context<'_>) -> GraphResult<Vec<String>> {
        Ok(loaders::aliases_of(ctx, self.0.id.as_str()).await?.to_vec())
    }
    /// What the sources say the actor is.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Events the actor claimed responsibility for, each with the claim.
    async fn claimed_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<EventLinkConnection> {
        EventLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::ClaimedResponsibilityFor]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Who is said to stand behind the actor: claims that it is a front for, or backed by, another.
    async fn suspected_patrons(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::FrontFor, Relation::BackedBy]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// The inverse of `suspectedPatrons`: actors said to be fronts for, or backed by, this one.
    async fn clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsTo(vec![Relation::FrontFor, Relation::BackedBy]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Actors this one is aligned with (without a claim of control).
    async fn aligned_with(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::AlignedWith]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Who leads or commands this actor.
    async fn leaders(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsTo(vec![Relation::Leads, Relation::Commands]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// What this actor leads or commands.
    async fn leads(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::Leads, Relation::Commands]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Members of this actor.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsTo(vec![Relation::MemberOf]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// What this actor is a member of.
    async fn member_of(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ActorLinkConnection> {
        ActorLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::MemberOf]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Statements the actor made.
    async fn statements(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<StatementConnection> {
        StatementConnection::related(
            ctx,
            Related::StatementsBySpeaker,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Motives asserted for this actor (anniversaries it marked, events that motivated it).
    async fn motives(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<MotiveConnection> {
        motives(
            ctx,
            vec![(Node::Actor(self.clone()), MotiveVia::Actor)],
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// The actors above this one: FRONT_FOR and BACKED_BY claims followed upwards to the
    /// top, each step with its claim. Cycles stop; `maxDepth` is at most 12.
    async fn patron_chain(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 12, desc = "The most steps to climb (1–12).")] max_depth: i32,
        #[graphql(
            default = 0,
            desc = "Follow only claims at least this confident (0–100)."
        )]
        min_confidence: i32,
        #[graphql(default = false, desc = "Whether to follow REFUTED claims too.")]
        include_refuted: bool,
    ) -> GraphResult<crate::graph::reasoning::types::PatronChain> {
        crate::graph::reasoning::patron_chain(
            ctx,
            &self.0.id,
            max_depth,
            min_confidence,
            include_refuted,
        )
        .await
    }
    /// Every claim with this actor as subject or object.
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ClaimConnection> {
        ClaimConnection::related(
            ctx,
            Related::ClaimsTouching,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Claims this actor asserts.
    async fn asserted_claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<ClaimConnection> {
        ClaimConnection::related(
            ctx,
            Related::ClaimsAssertedBy,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Positions this actor took on claims (what it denied, confirmed, disputed), in the order
    /// taken, undated last.
    #[allow(clippy::too_many_arguments)]
    async fn stances(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only stances with one of these positions (`DENIES`, or a list).")]
        position: Option<Vec<StancePosition>>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<StanceConnection> {
        let mut positions: Vec<crate::model::StancePosition> = position
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        // One key per set of positions, whatever order the query lists them in.
        positions.sort();
        positions.dedup();
        StanceConnection::related(
            ctx,
            Related::StancesBy(positions),
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Sources this actor published.
    async fn published(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<SourceConnection> {
        SourceConnection::related(
            ctx,
            Related::Published,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }

    /// Sources that mention the actor.
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items from the start (after `after`): 50 when neither `first` nor `last` is given, at most 500."
        )]
        first: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page starts after that item.")]
        after: Option<String>,
        #[graphql(desc = "How many items from the end (before `before`), at most 500.")]
        last: Option<i32>,
        #[graphql(desc = "A cursor from this list: the page ends before that item.")]
        before: Option<String>,
    ) -> GraphResult<SourceConnection> {
        SourceConnection::related(
            ctx,
            Related::Sources,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
}
