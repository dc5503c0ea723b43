//! `Location`: countries, provinces, cities, bases, airports, neighbourhoods.

use async_graphql::{Context, ID, Object};

use super::details::Coordinates;
use super::links::{ActorLinkConnection, End, claim_links, page_links, record_connection};
use super::node::{id_of, many, optional};
use super::{ClaimConnection, EventConnection, SourceConnection};
use crate::graph::connection::Paging;
use crate::graph::enums::LocationKind;
use crate::graph::error::GraphResult;
use crate::graph::loaders::{self, related_ids};
use crate::model::{Location, Relation};
use crate::storage::related::Related;

/// A place, possibly inside another place.
#[derive(Clone)]
pub struct LocationObj(pub Location);

record_connection!(
    /// A page of locations.
    LocationConnection, LocationEdge, LocationObj
);

/// A place (a country, province, city, base, airport, neighbourhood or site), inside the
/// place that contains it, with coordinates when known.
#[Object(name = "Location")]
impl LocationObj {
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
    /// What kind of place.
    async fn kind(&self) -> LocationKind {
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
    /// What the place is.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The ISO 3166-1 alpha-2 code of the country it is or lies in ("IQ"), when the record
    /// gives one (a place inside a country may leave it to its ancestors).
    async fn country_code(&self) -> Option<&str> {
        self.0.country_code.as_ref().map(|c| c.as_str())
    }
    /// Where it is, if known.
    async fn coordinates(&self) -> Option<Coordinates> {
        self.0.coordinates.as_ref().map(Into::into)
    }
    /// The location that contains this one.
    async fn parent(&self, ctx: &Context<'_>) -> GraphResult<Option<LocationObj>> {
        optional(ctx, self.0.parent.as_ref()).await
    }
    /// Every location containing this one, nearest first.
    async fn ancestors(&self, ctx: &Context<'_>) -> GraphResult<Vec<LocationObj>> {
        let ids = related_ids(ctx, Related::Ancestors, self.0.id.as_str()).await?;
        many(ctx, &ids.ids).await
    }
    /// Every location inside this one, at any depth: nearest first, then by name.
    async fn descendants(&self, ctx: &Context<'_>) -> GraphResult<Vec<LocationObj>> {
        let ids = related_ids(ctx, Related::Descendants, self.0.id.as_str()).await?;
        many(ctx, &ids.ids).await
    }
    /// Locations directly inside this one.
    async fn children(
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
    ) -> GraphResult<LocationConnection> {
        LocationConnection::related(
            ctx,
            Related::Children,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Events at this location and, unless `includeContained` is false, anywhere inside it; in time order.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = true,
            desc = "Whether to include events anywhere inside this location (true unless asked)."
        )]
        include_contained: bool,
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
            Related::EventsAt(include_contained),
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Actors whose forces this location hosts, or who are said to be stationed in it.
    async fn hosts(
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
        let id = self.0.id.as_str();
        let mut links = claim_links(
            ctx,
            id,
            Related::ClaimsFrom(vec![Relation::Hosts]),
            End::Object,
        )
        .await?;
        links.extend(
            claim_links(
                ctx,
                id,
                Related::ClaimsTo(vec![Relation::StationedIn]),
                End::Subject,
            )
            .await?,
        );
        Ok(ActorLinkConnection::from_links(page_links(
            links,
            &Paging::new(first, after, last, before),
        )?))
    }
    /// Every claim with this location as subject or object.
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
    /// Sources that mention the place.
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
