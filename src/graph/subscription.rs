//! The root `Subscription`: changes as they are committed, over WebSocket
//! (`graphql-transport-ws`). Each notice is answered from the graph as it is when it arrives.

use async_graphql::futures_util::stream::{self, Stream, StreamExt};
use async_graphql::{Context, ID, SimpleObject, Subscription as SubscriptionRoot};
use tokio::sync::broadcast::{Receiver, error::RecvError};

use super::enums::Relation;
use super::error::{GraphError, GraphResult};
use super::loaders::data;
use super::query::known;
use super::types::{ChangeAction, ClaimObj, EventObj, LocationObj};
use crate::edit::{Notice, Notices};
use crate::model::{self, Entity};
use crate::storage::{Database, entities};

/// Live changes of the graph.
pub struct Subscription;

/// A claim that changed, and how.
#[derive(SimpleObject)]
pub struct ClaimChange {
    /// What happened: CREATED (asserted), STATUS_CHANGED, or RELINKED by a merge.
    pub action: ChangeAction,
    /// The claim as it is now.
    pub claim: ClaimObj,
}

/// Every notice from now on; a subscriber that fell behind skips what it missed.
fn notices(receiver: Receiver<Notice>) -> impl Stream<Item = Notice> {
    stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(n) => return Some((n, rx)),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "a subscriber fell behind and missed notices");
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

async fn load(db: &Database, id: String) -> Option<Entity> {
    let found = db
        .read(move |conn| Ok(entities(conn, std::slice::from_ref(&id))?.remove(&id)))
        .await;
    match found {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "a subscription could not read a changed node");
            None
        }
    }
}

fn channel<'a>(ctx: &Context<'a>) -> GraphResult<&'a Notices> {
    ctx.data::<Notices>().map_err(|_| {
        tracing::error!("the schema was built without its notices channel");
        GraphError::Internal
    })
}

/// Live changes of the graph, over WebSocket (graphql-transport-ws) on `/graphql`.
#[SubscriptionRoot]
impl Subscription {
    /// Claims as they are asserted, change status, or have a link moved by a merge; only
    /// those with this subject and relation, when given.
    async fn claim_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only claims about this node (their subject).")] subject: Option<ID>,
        #[graphql(desc = "Only claims with this relation.")] relation: Option<Relation>,
    ) -> async_graphql::Result<impl Stream<Item = ClaimChange> + use<>> {
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        let relation = relation.map(model::Relation::from);
        let subject = subject.map(|s| s.to_string());
        Ok(notices(receiver).filter_map(move |notice| {
            let db = db.clone();
            let wanted = match &notice {
                Notice::Claim {
                    subject: s,
                    relation: r,
                    ..
                } => {
                    subject.as_ref().is_none_or(|want| want == s)
                        && relation.is_none_or(|want| want == *r)
                }
                Notice::EventAdded { .. } => false,
            };
            async move {
                let Notice::Claim { id, action, .. } = notice else {
                    return None;
                };
                if !wanted {
                    return None;
                }
                match load(&db, id).await? {
                    Entity::Claim(c) => Some(ClaimChange {
                        action: action.into(),
                        claim: ClaimObj(c),
                    }),
                    _ => None,
                }
            }
        }))
    }

    /// Events as they are added; only those at the location `within` or anywhere inside it,
    /// when given.
    async fn event_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events at this location or anywhere inside it.")] within: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = EventObj> + use<>> {
        let within = match within {
            Some(id) => Some(known::<LocationObj>(ctx, "within", &id).await?),
            None => None,
        };
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        Ok(notices(receiver).filter_map(move |notice| {
            let db = db.clone();
            let wanted = match &notice {
                Notice::EventAdded { places, .. } => {
                    within.as_ref().is_none_or(|w| places.contains(w))
                }
                Notice::Claim { .. } => false,
            };
            async move {
                let Notice::EventAdded { id, .. } = notice else {
                    return None;
                };
                if !wanted {
                    return None;
                }
                match load(&db, id).await? {
                    Entity::Event(e) => Some(EventObj(e)),
                    _ => None,
                }
            }
        }))
    }
}
