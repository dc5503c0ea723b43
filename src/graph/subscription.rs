//! The root `Subscription`: changes as they are committed, over WebSocket
//! (`graphql-transport-ws`). Each notice is answered from the graph as it is when it arrives.

use async_graphql::futures_util::FutureExt;
use async_graphql::futures_util::stream::{self, Stream, StreamExt};
use async_graphql::{Context, ID, SimpleObject, Subscription as SubscriptionRoot};
use tokio::sync::broadcast::{Receiver, error::RecvError};

use super::enums::{Relation, StancePosition};
use super::error::{GraphError, GraphResult};
use super::loaders::data;
use super::query::known_if;
use super::types::{ActorObj, ChangeAction, ClaimObj, EventObj, LocationObj, StanceObj};
use crate::edit::{Notice, Notices};
use crate::model::{self, Entity};
use crate::storage::history::Action;
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

/// A stance that changed, and how.
#[derive(SimpleObject)]
pub struct StanceChange {
    /// What happened: CREATED (taken), UPDATED, or RELINKED by a merge of its party or asserter.
    pub action: ChangeAction,
    /// The stance as it is now.
    pub stance: StanceObj,
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

/// The changes a subscription asked for: every notice `pick` wants, as the changed node's id
/// and what happened to it, read fresh and answered by `answer` (which may still skip it).
fn changes<T: Send + 'static>(
    receiver: Receiver<Notice>,
    db: Database,
    pick: impl Fn(&Notice) -> Option<(String, Action)> + Send + 'static,
    answer: fn(Entity, Action) -> Option<T>,
) -> impl Stream<Item = async_graphql::Result<T>> {
    notices(receiver).filter_map(move |notice| {
        let db = db.clone();
        let picked = match notice {
            Ok(n) => pick(&n),
            Err(missed) => return futures_either(Some(Err(lagged(missed)))),
        };
        async move {
            let (id, action) = picked?;
            answer(load(&db, id).await?, action).map(Ok)
        }
        .boxed()
    })
}

/// Live changes of the graph, over WebSocket (graphql-transport-ws) on `/graphql`.
#[SubscriptionRoot]
impl Subscription {
    /// Claims as they are asserted, change status, or have a link moved by a merge; only
    /// those with this subject, relation and node at either end, when given.
    async fn claim_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only claims about this node (their subject).")] subject: Option<ID>,
        #[graphql(desc = "Only claims with this relation.")] relation: Option<Relation>,
        #[graphql(
            desc = "Only claims with this node at either end (their subject or their object): what a node's page shows."
        )]
        touching: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ClaimChange>> + use<>> {
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        let relation = relation.map(model::Relation::from);
        let subject = subject.map(|s| s.to_string());
        let touching = touching.map(|s| s.to_string());
        let pick = move |notice: &Notice| match notice {
            Notice::Claim {
                id,
                subject: s,
                relation: r,
                object: o,
                action,
            } if subject.as_ref().is_none_or(|want| want == s)
                && relation.is_none_or(|want| want == *r)
                && touching
                    .as_ref()
                    .is_none_or(|want| want == s || o.as_ref() == Some(want)) =>
            {
                Some((id.clone(), *action))
            }
            _ => None,
        };
        Ok(changes(receiver, db, pick, |node, action| match node {
            Entity::Claim(c) => Some(ClaimChange {
                action: action.into(),
                claim: ClaimObj(c),
            }),
            _ => None,
        }))
    }

    /// Stances as they are taken, changed, or have their party or asserter moved by a merge;
    /// only those on this claim, by this party and with one of these positions, when given.
    async fn stance_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only stances on this claim.")] claim: Option<ID>,
        #[graphql(desc = "Only stances this actor took.")] by: Option<ID>,
        #[graphql(desc = "Only stances with one of these positions (`DENIES`, or a list).")]
        position: Option<Vec<StancePosition>>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<StanceChange>> + use<>>
    {
        let claim = known_if::<ClaimObj>(ctx, "claim", claim).await?;
        let by = known_if::<ActorObj>(ctx, "by", by).await?;
        let positions: Option<Vec<model::StancePosition>> =
            position.map(|p| p.into_iter().map(Into::into).collect());
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        let pick = move |notice: &Notice| match notice {
            Notice::Stance {
                id,
                claim: c,
                actor,
                position: p,
                action,
            } if claim.as_ref().is_none_or(|want| want == c)
                && by.as_ref().is_none_or(|want| want == actor)
                && positions.as_ref().is_none_or(|want| want.contains(p)) =>
            {
                Some((id.clone(), *action))
            }
            _ => None,
        };
        Ok(changes(receiver, db, pick, |node, action| match node {
            Entity::Stance(s) => Some(StanceChange {
                action: action.into(),
                stance: StanceObj(s),
            }),
            _ => None,
        }))
    }

    /// Events as they are added; only those at the location `within` or anywhere inside it,
    /// when given.
    async fn event_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events at this location or anywhere inside it.")] within: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<EventObj>> + use<>> {
        let within = known_if::<LocationObj>(ctx, "within", within).await?;
        let receiver = channel(ctx)?.subscribe();
        let db = data(ctx)?.db.clone();
        let pick = move |notice: &Notice| match notice {
            Notice::EventAdded { id, places }
                if within.as_ref().is_none_or(|w| places.contains(w)) =>
            {
                Some((id.clone(), Action::Created))
            }
            _ => None,
        };
        Ok(changes(receiver, db, pick, |node, _| match node {
            Entity::Event(e) => Some(EventObj(e)),
            _ => None,
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
