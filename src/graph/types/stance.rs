//! `Stance`: a party's position on a claim (a denial, a confirmation), as a source reports it.

use async_graphql::{Context, ID, Object};

use super::links::record_connection;
use super::node::{FromEntity, id_of, optional};
use super::{ActorObj, ClaimConnection, ClaimObj, SourceObj, StatementObj};
use crate::graph::connection::Paging;
use crate::graph::enums::StancePosition;
use crate::graph::error::{GraphError, GraphResult};
use crate::graph::scalars::Date;
use crate::model::{Id, Stance};
use crate::storage::related::Related;

/// A party's position on a claim, as someone reports it in a source.
#[derive(Clone)]
pub struct StanceObj(pub Stance);

record_connection!(
    /// A page of stances.
    StanceConnection, StanceEdge, StanceObj
);

impl StanceObj {
    /// The node a required field of the stance names; NOT_FOUND should it be missing.
    async fn required<T: FromEntity>(&self, ctx: &Context<'_>, id: &Id) -> GraphResult<T> {
        optional(ctx, Some(id)).await?.ok_or_else(|| {
            GraphError::NotFound(format!(
                "{} {:?} of stance {} is missing",
                T::NAME,
                id.as_str(),
                self.0.id
            ))
        })
    }
}

/// A party's position on someone else's claim ("Iran denied any involvement", "U.S.
/// officials confirmed"), with who reports it, in which source, when and how sure.
#[Object(name = "Stance")]
impl StanceObj {
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
    /// The claim the party takes a position on.
    async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
        self.required(ctx, &self.0.claim).await
    }
    /// The party whose position it is.
    async fn actor(&self, ctx: &Context<'_>) -> GraphResult<ActorObj> {
        self.required(ctx, &self.0.actor).await
    }
    /// What the party says of the claim.
    async fn position(&self) -> StancePosition {
        self.0.position.into()
    }
    /// Who reports the stance; null when the source says it in its own voice.
    async fn asserted_by(&self, ctx: &Context<'_>) -> GraphResult<Option<ActorObj>> {
        optional(ctx, self.0.asserted_by.actor()).await
    }
    /// Whether nobody known reports it: the source states it in its own voice.
    async fn asserter_unknown(&self) -> bool {
        self.0.asserted_by.actor().is_none()
    }
    /// The source that reports the stance.
    async fn source(&self, ctx: &Context<'_>) -> GraphResult<Option<SourceObj>> {
        optional(ctx, Some(&self.0.source)).await
    }
    /// When the party took the position, as precisely as known.
    async fn date(&self) -> Option<Date> {
        self.0.date.map(Date)
    }
    /// The statement in which the party takes the position (its words), if recorded.
    async fn evidence(&self, ctx: &Context<'_>) -> GraphResult<Option<StatementObj>> {
        optional(ctx, self.0.evidence.as_ref()).await
    }
    /// How sure, 0–100, that the party took this position (not that the claim is true).
    async fn confidence(&self) -> i32 {
        i32::from(self.0.confidence.get())
    }
    /// The source's wording or the encoder's remark.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Every claim with this stance as subject or object (what was said about the stance).
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
}
