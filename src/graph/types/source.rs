//! `Source`: the documents that report what the graph holds.

use async_graphql::{Context, ID, Object};

use super::links::record_connection;
use super::node::{id_of, optional};
use super::{ActorObj, ClaimConnection, StatementConnection};
use crate::graph::connection::Paging;
use crate::graph::enums::{Reliability, SourceKind};
use crate::graph::error::GraphResult;
use crate::graph::scalars::Date;
use crate::model::Source;
use crate::storage::related::Related;

/// A document that reports something.
#[derive(Clone)]
pub struct SourceObj(pub Source);

record_connection!(
    /// A page of sources.
    SourceConnection, SourceEdge, SourceObj
);

/// A document that reports something (an article, a report it cites, an official
/// statement), graded for reliability on the NATO Admiralty scale when known.
#[Object(name = "Source")]
impl SourceObj {
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
    /// What kind of document.
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }
    /// Its title, or a description of it.
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }
    /// Who published it.
    async fn publisher(&self, ctx: &Context<'_>) -> GraphResult<Option<ActorObj>> {
        optional(ctx, self.0.publisher.as_ref()).await
    }
    /// Where it can be read.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// When it was published.
    async fn published(&self) -> Option<Date> {
        self.0.published.map(Date)
    }
    /// Reliability A–F (NATO Admiralty code), if graded.
    async fn reliability(&self) -> Option<Reliability> {
        self.0.reliability.map(Into::into)
    }
    /// The source through which this one is known (a report cited by an article).
    async fn via(&self, ctx: &Context<'_>) -> GraphResult<Option<SourceObj>> {
        optional(ctx, self.0.via.as_ref()).await
    }
    /// Notes on the document.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Claims made or reported in this source.
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
            Related::ClaimsInSource,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
    /// Statements this source reports.
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
            Related::StatementsInSource,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
}
