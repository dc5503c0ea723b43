//! The root `Subscription`: changes as they are committed, over WebSocket
//! (`graphql-transport-ws`). Each notice is answered from the graph as it is when it arrives.

use async_graphql::futures_util::FutureExt;
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

/// Every notice from now on. A subscriber that fell so far behind that notices were lost
/// gets `Err` with how many, and then the end of its stream: it must subscribe again and
/// re-read what it shows, since it cannot know what changed meanwhile.
fn notices(receiver: Receiver<Notice>) -> impl Stream<Item = Result<Notice, u64>> {
    stream::unfold(Some(receiver), |rx| async move {
        let mut rx = rx?;
        match rx.recv().await {
            Ok(n) => Some((Ok(n), Some(rx))),
            Err(RecvError::Lagged(missed)) => {
                if let Some(dropped) = crate::throttle::allow("graph::subscriber_lagged") {
                    tracing::warn!(missed, dropped, "a subscriber fell behind and was ended");
                }
                Some((Err(missed), None))
            }
            Err(RecvError::Closed) => None,
        }
    })
}

/// The error that ends a subscription that fell behind.
fn lagged(missed: u64) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    GraphError::Lagged { missed }.extend()
}

/// A ready answer, boxed like the loading ones so that both arms have one type.
fn futures_either<T: Send + 'static>(
    value: Option<T>,
) -> async_graphql::futures_util::future::BoxFuture<'static, Option<T>> {
    async move { value }.boxed()
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
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ClaimChange>> + use<>> {
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        let relation = relation.map(model::Relation::from);
        let subject = subject.map(|s| s.to_string());
        Ok(notices(receiver).filter_map(move |notice| {
            let db = db.clone();
            let notice = match notice {
                Ok(n) => n,
                Err(missed) => return futures_either(Some(Err(lagged(missed)))),
            };
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
                    Entity::Claim(c) => Some(Ok(ClaimChange {
                        action: action.into(),
                        claim: ClaimObj(c),
                    })),
                    _ => None,
                }
            }
            .boxed()
        }))
    }

    /// Events as they are added; only those at the location `within` or anywhere inside it,
    /// when given.
    async fn event_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events at this location or anywhere inside it.")] within: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<EventObj>> + use<>> {
        let within = match within {
            Some(id) => Some(known::<LocationObj>(ctx, "within", &id).await?),
            None => None,
        };
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        Ok(notices(receiver).filter_map(move |notice| {
            let db = db.clone();
            let notice = match notice {
                Ok(n) => n,
                Err(missed) => return futures_either(Some(Err(lagged(missed)))),
            };
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
                    Entity::Event(e) => Some(Ok(EventObj(e))),
                    _ => None,
                }
            }
            .boxed()
        }))
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::futures_util::StreamExt;
    use tokio::sync::broadcast;

    use super::notices;
    use crate::edit::Notice;

    fn notice(i: usize) -> Notice {
        Notice::EventAdded {
            id: format!("e{i}"),
            places: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_subscriber_that_fell_behind_hears_how_far_and_then_its_stream_ends() {
        let (tell, hear) = broadcast::channel(2);
        for i in 0..5 {
            let _ = tell.send(notice(i));
        }
        let heard: Vec<_> = notices(hear).take(4).collect().await;
        assert_eq!(heard.len(), 1, "{heard:?}");
        assert!(matches!(heard[0], Err(3)), "{heard:?}");
    }
}
