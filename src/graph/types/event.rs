//! `Event`: attacks, strikes, speeches, discoveries, policy changes, takeovers, campaigns.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, Object};

use super::details::{EventDetails, Time};
use super::links::{
    ActorLinkConnection, End, MotiveConnection, NodeLinkConnection, claim_links, motives,
    record_connection,
};
use super::node::{Node, id_of, many, optional};
use super::{
    ActorObj, ClaimConnection, ClaimObj, LocationObj, SourceConnection, StatementConnection,
};
use crate::graph::connection::Paging;
use crate::graph::enums::{EventKind, MotiveVia, PartOfDay};
use crate::graph::error::GraphResult;
use crate::graph::loaders::related_ids;
use crate::graph::scalars::Date;
use crate::model::{Event, Relation};
use crate::storage::related::Related;

/// Something that happened at a time and place.
#[derive(Clone)]
pub struct EventObj(pub Event);

record_connection!(
    /// A page of events.
    EventConnection, EventEdge, EventObj
);

/// Relations by which an actor is behind an event, and which end the actor is.
const BEHIND: [(Relation, End); 3] = [
    (Relation::ClaimedResponsibilityFor, End::Subject),
    (Relation::CarriedOut, End::Subject),
    (Relation::AttributedTo, End::Object),
];

impl EventObj {
    /// The actors behind `event` by any claim in `BEHIND`.
    async fn actors_behind(
        ctx: &Context<'_>,
        event: &str,
    ) -> GraphResult<Vec<(ClaimObj, ActorObj)>> {
        let lookups = BEHIND.iter().map(|(relation, end)| {
            let kind = match end {
                End::Subject => Related::ClaimsTo(vec![*relation]),
                End::Object => Related::ClaimsFrom(vec![*relation]),
            };
            claim_links::<ActorObj>(ctx, event, kind, *end)
        });
        Ok(try_join_all(lookups).await?.into_iter().flatten().collect())
    }
}

/// Something that happened at a time and place (an attack, a strike, a speech, a
/// campaign of several events), with what it involved and the claims about it.
#[Object(name = "Event")]
impl EventObj {
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
    /// What kind of event.
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }
    /// A short title.
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }
    /// What happened, in more words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// When it happened, with its precision.
    async fn when(&self) -> Option<Time> {
        self.0.when.clone().map(Time)
    }
    /// The (first) date it happened on, as precise as known.
    async fn occurred_on(&self) -> Option<Date> {
        self.0.when.as_ref().map(|w| Date(w.date))
    }
    /// The last date, for events that span several days.
    async fn ended_on(&self) -> Option<Date> {
        self.0.when.as_ref().and_then(|w| w.until).map(Date)
    }
    /// The part of the day, if known.
    async fn part_of_day(&self) -> Option<PartOfDay> {
        self.0
            .when
            .as_ref()
            .and_then(|w| w.part_of_day)
            .map(Into::into)
    }
    /// Where it happened (claims asserting a place are under `claims`).
    async fn location(&self, ctx: &Context<'_>) -> GraphResult<Option<LocationObj>> {
        optional(ctx, self.0.location.as_ref()).await
    }
    /// Munitions, casualties, damage, distances and counts.
    async fn details(&self) -> Option<EventDetails> {
        self.0.details.clone().map(EventDetails)
    }
    /// The campaign this event is part of.
    async fn campaign(&self, ctx: &Context<'_>) -> GraphResult<Option<EventObj>> {
        optional(ctx, self.0.campaign.as_ref()).await
    }
    /// Every campaign above this event, nearest first.
    async fn campaigns(&self, ctx: &Context<'_>) -> GraphResult<Vec<EventObj>> {
        let ids = related_ids(ctx, Related::Campaigns, self.0.id.as_str()).await?;
        many(ctx, &ids.ids).await
    }
    /// Events that are part of this one (its campaign is this event), in time order.
    async fn parts(
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
    ) -> GraphResult<EventConnection> {
        EventConnection::related(
            ctx,
            Related::Parts,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors that claimed responsibility, each with the claim (usually asserted by the claimant itself).
    async fn claimants(
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
            Related::ClaimsTo(vec![Relation::ClaimedResponsibilityFor]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors others attribute the event to, each with the claim.
    async fn attributions(
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
            Related::ClaimsFrom(vec![Relation::AttributedTo]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors said to have carried the event out.
    async fn perpetrators(
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
            Related::ClaimsTo(vec![Relation::CarriedOut]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors said to have taken part (speakers, parties to an agreement).
    async fn participants(
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
            Related::ClaimsTo(vec![Relation::ParticipatedIn]),
            End::Subject,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// What the event targeted (actors or locations), each with the claim.
    async fn targets(
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
    ) -> GraphResult<NodeLinkConnection> {
        NodeLinkConnection::page(
            ctx,
            self.0.id.as_str(),
            Related::ClaimsFrom(vec![Relation::Targeted]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors or events the event killed, and other direct effects asserted by claims.
    async fn killed(
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
            Related::ClaimsFrom(vec![Relation::Killed]),
            End::Object,
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Why it happened when it did: motives asserted for the event itself, for the campaigns
    /// it is part of, and for the actors behind it (claimants, perpetrators, attributions).
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
        let id = self.0.id.as_str();
        let campaign_ids = related_ids(ctx, Related::Campaigns, id).await?;
        let campaigns: Vec<EventObj> = many(ctx, &campaign_ids.ids).await?;
        let mut subjects = vec![(Node::Event(self.clone()), MotiveVia::Event)];
        subjects.extend(
            campaigns
                .iter()
                .map(|c| (Node::Event(c.clone()), MotiveVia::Campaign)),
        );
        let events: Vec<String> = std::iter::once(id.to_owned())
            .chain(campaigns.iter().map(|c| c.0.id.to_string()))
            .collect();
        let behind = try_join_all(events.iter().map(|e| EventObj::actors_behind(ctx, e))).await?;
        let mut seen = std::collections::HashSet::new();
        for (_, actor) in behind.into_iter().flatten() {
            if seen.insert(actor.0.id.clone()) {
                subjects.push((Node::Actor(actor), MotiveVia::Actor));
            }
        }
        motives(ctx, subjects, &Paging::new(first, after, last, before)).await
    }
    /// Earlier events whose calendar day this event falls on, within `windowDays` (0–31,
    /// default 3), some years later. Derived from the dates, asserted by nobody; where a
    /// source also asserts the motive, `assertedBy` lists its claims. Needs a date to the day.
    async fn anniversaries(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 3,
            desc = "How many days this event may fall before or after the anniversary (0–31)."
        )]
        window_days: i32,
    ) -> GraphResult<Vec<crate::graph::reasoning::types::AnniversaryLink>> {
        crate::graph::reasoning::anniversaries(ctx, &self.0.id, window_days).await
    }
    /// Great-circle distance in km from this event's location to `location`; null when
    /// either has no coordinates.
    async fn distance_to(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the location to measure to.")] location: ID,
    ) -> GraphResult<Option<f64>> {
        crate::graph::reasoning::distance_to(ctx, &self.0, &location).await
    }
    /// Statements made at the event or about it.
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
            Related::StatementsAbout,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Every claim with this event as subject or object.
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
    /// Sources that report the event.
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
