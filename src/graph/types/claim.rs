//! `Claim`: one assertion linking two things, with who asserts it, where, and how sure.

use async_graphql::{Context, ID, Object};

use super::details::{LiteralValue, Qualifiers, Time};
use super::links::record_connection;
use super::node::{Node, id_of, many, nodes, optional};
use super::{ActorObj, SourceObj, StanceObj, StatementObj};
use crate::graph::enums::{ClaimStatus, Relation, StancePosition};
use crate::graph::error::{GraphError, GraphResult};
use crate::graph::loaders::related_ids;
use crate::graph::scalars::Date;
use crate::model::{self, Claim};
use crate::storage::related::Related;

/// An assertion that links a subject to an object; conflicting claims stand side by side.
#[derive(Clone)]
pub struct ClaimObj(pub Claim);

record_connection!(
    /// A page of claims.
    ClaimConnection, ClaimEdge, ClaimObj
);

/// One assertion linking a subject to an object (a node or a value), made by someone in a
/// source, with a confidence and a status; conflicting claims stand side by side.
#[Object(name = "Claim")]
impl ClaimObj {
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
    /// What the claim is about.
    async fn subject(&self, ctx: &Context<'_>) -> GraphResult<Node> {
        let id = self.0.subject.to_string();
        nodes(ctx, std::slice::from_ref(&id))
            .await?
            .pop()
            .ok_or_else(|| {
                GraphError::NotFound(format!(
                    "the subject {id:?} of claim {} is missing",
                    self.0.id
                ))
            })
    }
    /// What backs this claim: the claims asserting the same thing, their sources and how
    /// many are independent, and whether only the party it is about asserts it.
    async fn corroboration(
        &self,
        ctx: &Context<'_>,
    ) -> GraphResult<crate::graph::reasoning::types::CorroborationObj> {
        crate::graph::reasoning::corroboration(ctx, &self.0.id).await
    }
    /// What the claim says of subject and object.
    async fn relation(&self) -> Relation {
        self.0.relation.into()
    }
    /// The node at the other end; null when the object is a value.
    async fn object(&self, ctx: &Context<'_>) -> GraphResult<Option<Node>> {
        let Some(id) = &self.0.object else {
            return Ok(None);
        };
        Ok(nodes(ctx, &[id.to_string()]).await?.pop())
    }
    /// The literal object, such as 2,500 soldiers; null when the object is a node.
    async fn value(&self) -> Option<LiteralValue> {
        self.0.value.as_deref().map(Into::into)
    }
    /// Who asserts it; null when the asserter is unknown (the source's own voice).
    async fn asserted_by(&self, ctx: &Context<'_>) -> GraphResult<Option<ActorObj>> {
        optional(ctx, self.0.asserted_by.actor()).await
    }
    /// Whether nobody known asserts it: the source states it in its own voice.
    async fn asserter_unknown(&self) -> bool {
        self.0.asserted_by.actor().is_none()
    }
    /// The source in which it is made or reported.
    async fn source(&self, ctx: &Context<'_>) -> GraphResult<Option<SourceObj>> {
        optional(ctx, Some(&self.0.source)).await
    }
    /// Statements that are its evidence.
    async fn evidence(&self, ctx: &Context<'_>) -> GraphResult<Vec<StatementObj>> {
        let ids: Vec<String> = self.0.evidence.iter().map(|i| i.to_string()).collect();
        many(ctx, &ids).await
    }
    /// How sure, 0–100.
    async fn confidence(&self) -> i32 {
        i32::from(self.0.confidence.get())
    }
    /// Credibility 1–6 (NATO Admiralty), if graded.
    async fn credibility(&self) -> Option<i32> {
        self.0.credibility.map(|c| i32::from(c.get()))
    }
    /// Asserted, disputed, confirmed or refuted.
    async fn status(&self) -> ClaimStatus {
        self.0.status.into()
    }
    /// When the assertion was made.
    async fn asserted_on(&self) -> Option<Time> {
        self.0.asserted_on.clone().map(Time)
    }
    /// From when the claim holds.
    async fn valid_from(&self) -> Option<Date> {
        self.0.valid_from.map(Date)
    }
    /// Until when the claim holds.
    async fn valid_to(&self) -> Option<Date> {
        self.0.valid_to.map(Date)
    }
    /// Refinements: which anniversary, where, in what role.
    async fn qualifiers(&self) -> Qualifiers {
        Qualifiers(self.0.qualifiers.clone())
    }
    /// The source's wording or the encoder's remark.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// What named parties say of this claim (who denies it, who confirms it), each with who
    /// reports it and where; in the order they were taken, undated last.
    async fn stances(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only stances with one of these positions (`DENIES`, or a list).")]
        position: Option<Vec<StancePosition>>,
    ) -> GraphResult<Vec<StanceObj>> {
        let list = related_ids(ctx, Related::StancesOn, self.0.id.as_str()).await?;
        let stances: Vec<StanceObj> = many(ctx, &list.ids).await?;
        let wanted: Option<Vec<model::StancePosition>> =
            position.map(|p| p.into_iter().map(Into::into).collect());
        Ok(stances
            .into_iter()
            .filter(|s| wanted.as_ref().is_none_or(|w| w.contains(&s.0.position)))
            .collect())
    }
}
