//! `Statement`: words someone said, as a source reports them.

use async_graphql::{Context, ID, Object};

use super::details::Time;
use super::links::record_connection;
use super::node::{Node, id_of, nodes, optional};
use super::{ActorObj, ClaimConnection, EventObj, LocationObj, SourceObj};
use crate::graph::connection::Paging;
use crate::graph::error::GraphResult;
use crate::graph::scalars::Date;
use crate::model::Statement;
use crate::storage::related::Related;

/// Words someone said, verbatim, with who, when, where, and the source that reports them.
#[derive(Clone)]
pub struct StatementObj(pub Statement);

record_connection!(
    /// A page of statements.
    StatementConnection, StatementEdge, StatementObj
);

/// Words someone said, verbatim, with who, when, where, and the source that reports them.
#[Object(name = "Statement")]
impl StatementObj {
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
    /// Who said it.
    async fn speaker(&self, ctx: &Context<'_>) -> GraphResult<Option<ActorObj>> {
        optional(ctx, self.0.speaker.as_ref()).await
    }
    /// The words, verbatim.
    async fn text(&self) -> &str {
        self.0.text.as_str()
    }
    /// When it was said.
    async fn when(&self) -> Option<Time> {
        self.0.when.clone().map(Time)
    }
    /// The date it was said on, as precise as known.
    async fn said_on(&self) -> Option<Date> {
        self.0.when.as_ref().map(|w| Date(w.date))
    }
    /// Where it was said.
    async fn location(&self, ctx: &Context<'_>) -> GraphResult<Option<LocationObj>> {
        optional(ctx, self.0.location.as_ref()).await
    }
    /// The event at which it was said.
    async fn event(&self, ctx: &Context<'_>) -> GraphResult<Option<EventObj>> {
        optional(ctx, self.0.event.as_ref()).await
    }
    /// The source that reports it.
    async fn source(&self, ctx: &Context<'_>) -> GraphResult<Option<SourceObj>> {
        optional(ctx, Some(&self.0.source)).await
    }
    /// What it is about.
    async fn about(&self, ctx: &Context<'_>) -> GraphResult<Vec<Node>> {
        let ids: Vec<String> = self.0.about.iter().map(|i| i.to_string()).collect();
        nodes(ctx, &ids).await
    }
    /// How the source introduces the words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Claims that cite this statement as evidence.
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
            Related::ClaimsCiting,
            self.0.id.as_str(),
            &Paging::new(first, after, last, before),
        )
        .await
    }
}
