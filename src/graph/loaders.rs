//! Per-request DataLoaders: every record and every list of links a query needs at one depth
//! is fetched in one batch, so the number of SQL statements grows with the query's depth,
//! not with the number of results.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::futures_util::future::BoxFuture;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

use super::error::{GraphError, GraphResult};
use super::reasoning::loaders::{
    AnniversaryLoader, CorroborationLoader, PatronLoader, ReasoningLoaders,
};
use crate::auth::Access;
use crate::model::Entity;
use crate::storage::history::{self, Entry, Meta};
use crate::storage::related::{Related, related};
use crate::storage::{Database, Snapshot, entities};

/// Loads records of any type by id.
pub struct EntityLoader(Snapshot);

impl Loader<String> for EntityLoader {
    type Value = Arc<Entity>;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Arc<Entity>>, GraphError> {
        let ids = keys.to_vec();
        let found = self.0.read(move |conn| entities(conn, &ids)).await?;
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Loads lists of linked ids, one statement per kind of link.
pub struct RelatedLoader(Snapshot);

impl Loader<(Related, String)> for RelatedLoader {
    type Value = Arc<Vec<String>>;
    type Error = GraphError;

    async fn load(
        &self,
        keys: &[(Related, String)],
    ) -> Result<HashMap<(Related, String), Arc<Vec<String>>>, GraphError> {
        let mut groups: HashMap<Related, Vec<String>> = HashMap::new();
        for (kind, node) in keys {
            groups.entry(kind.clone()).or_default().push(node.clone());
        }
        let found = self
            .0
            .read(move |conn| {
                let mut out = HashMap::new();
                for (kind, nodes) in groups {
                    let mut lists = related(conn, &kind, &nodes)?;
                    for node in nodes {
                        let list = lists.remove(&node).unwrap_or_default();
                        out.insert((kind.clone(), node), Arc::new(list));
                    }
                }
                Ok(out)
            })
            .await?;
        Ok(found)
    }
}

/// Loads nodes' versions (and merge targets) by id.
pub struct MetaLoader(Snapshot);

impl Loader<String> for MetaLoader {
    type Value = Meta;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Meta>, GraphError> {
        let ids = keys.to_vec();
        Ok(self
            .0
            .read(move |conn| history::meta_many(conn, &ids))
            .await?)
    }
}

/// Loads nodes' histories by id.
pub struct HistoryLoader(Snapshot);

impl Loader<String> for HistoryLoader {
    type Value = Arc<Vec<Entry>>;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Arc<Vec<Entry>>>, GraphError> {
        let ids = keys.to_vec();
        let found = self
            .0
            .read(move |conn| history::for_nodes(conn, &ids))
            .await?;
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Everything a request's resolvers share: the database, the loaders, and who is asking.
pub struct RequestData {
    /// The database, counting the statements this request runs; for writes.
    pub db: Database,
    /// What the request reads through: one snapshot of the graph (fresh reads for
    /// subscriptions), so that a node's version and its fields always agree.
    pub reads: Snapshot,
    /// Who sent the request, for mutations.
    pub access: Access,
    entities: DataLoader<EntityLoader, HashMapCache>,
    related: DataLoader<RelatedLoader, HashMapCache>,
    meta: DataLoader<MetaLoader, HashMapCache>,
    history: DataLoader<HistoryLoader, HashMapCache>,
    /// Patron chains, anniversaries, corroboration.
    pub(crate) reasoning: ReasoningLoaders,
    asked: Arc<AtomicUsize>,
}

impl RequestData {
    /// Fresh loaders for one request by someone who may not write.
    pub fn new(db: Database) -> RequestData {
        RequestData::with_access(db, Access::ReadOnlyServer)
    }

    /// Loaders for a long-lived subscription: they batch but never cache or hold a
    /// snapshot, so every notice is answered from the graph as it is then.
    pub fn uncached(db: Database) -> RequestData {
        let data = RequestData::build(db.fresh(), db, Access::ReadOnlyServer);
        data.entities.enable_all_cache(false);
        data.related.enable_all_cache(false);
        data.meta.enable_all_cache(false);
        data.history.enable_all_cache(false);
        data.reasoning.uncached();
        data
    }

    /// Forgets what was read, after this request wrote: later reads see the graph as it is
    /// then. `written` (a node and its version, as the write left them) stays known.
    pub async fn forget(&self, written: Option<(&Entity, i64)>) {
        self.reads.end().await;
        self.entities.clear::<String>();
        self.related.clear::<(Related, String)>();
        self.meta.clear::<String>();
        self.history.clear::<String>();
        self.reasoning.clear();
        if let Some((entity, version)) = written {
            let id = entity.id().to_string();
            let meta = Meta {
                version,
                merged_into: None,
            };
            self.entities
                .feed_one(id.clone(), Arc::new(entity.clone()))
                .await;
            self.meta.feed_one(id, meta).await;
        }
    }

    /// Fresh loaders for one request by `access`, reading one snapshot.
    pub fn with_access(db: Database, access: Access) -> RequestData {
        RequestData::build(db.snapshot(), db, access)
    }

    fn build(reads: Snapshot, db: Database, access: Access) -> RequestData {
        let asked = Arc::new(AtomicUsize::new(0));
        let loader = |asked: &Arc<AtomicUsize>| (settled(asked.clone()), HashMapCache::default());
        let (spawn_p, cache_p) = loader(&asked);
        let (spawn_a, cache_a) = loader(&asked);
        let (spawn_c, cache_c) = loader(&asked);
        let reasoning = ReasoningLoaders {
            patrons: DataLoader::with_cache(PatronLoader(reads.clone()), spawn_p, cache_p),
            anniversaries: DataLoader::with_cache(
                AnniversaryLoader(reads.clone()),
                spawn_a,
                cache_a,
            ),
            corroboration: DataLoader::with_cache(
                CorroborationLoader(reads.clone()),
                spawn_c,
                cache_c,
            ),
        };
        RequestData {
            access,
            reasoning,
            meta: DataLoader::with_cache(
                MetaLoader(reads.clone()),
                settled(asked.clone()),
                HashMapCache::default(),
            ),
            history: DataLoader::with_cache(
                HistoryLoader(reads.clone()),
                settled(asked.clone()),
                HashMapCache::default(),
            ),
            // Caching lives as long as the request: a record asked for twice is read once.
            entities: DataLoader::with_cache(
                EntityLoader(reads.clone()),
                settled(asked.clone()),
                HashMapCache::default(),
            ),
            related: DataLoader::with_cache(
                RelatedLoader(reads.clone()),
                settled(asked.clone()),
                HashMapCache::default(),
            ),
            asked,
            reads,
            db,
        }
    }

    fn ask(&self) {
        self.asked.fetch_add(1, Ordering::Relaxed);
    }
}

/// Spawns a batch only once the request's resolvers have stopped asking for more.
///
/// async-graphql resolves list items through `FuturesUnordered`, which hands control back to
/// the executor every few dozen items; a batch started on a timer alone would then close
/// before the rest of the items had asked, and a long list would cost several statements.
fn settled(asked: Arc<AtomicUsize>) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
    move |batch| {
        let asked = asked.clone();
        tokio::spawn(async move {
            let mut before = asked.load(Ordering::Relaxed);
            loop {
                tokio::task::yield_now().await;
                let now = asked.load(Ordering::Relaxed);
                if now == before {
                    break;
                }
                before = now;
            }
            batch.await;
        });
    }
}

/// The request's data, or INTERNAL if the server forgot to attach it.
pub fn data<'a>(ctx: &Context<'a>) -> GraphResult<&'a RequestData> {
    ctx.data::<RequestData>().map_err(|_| {
        tracing::error!("a request arrived without its loaders");
        GraphError::Internal
    })
}

/// The record with this id, if any.
pub async fn entity(ctx: &Context<'_>, id: &str) -> GraphResult<Option<Arc<Entity>>> {
    let data = data(ctx)?;
    data.ask();
    data.entities.load_one(id.to_owned()).await
}

/// The records with these ids, in the same order; ids that name nothing are skipped.
pub async fn entities_in_order(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<Arc<Entity>>> {
    let data = data(ctx)?;
    data.ask();
    let mut found = data.entities.load_many(ids.iter().cloned()).await?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The ids linked to `node` in the way `kind` says.
pub async fn related_ids(
    ctx: &Context<'_>,
    kind: Related,
    node: &str,
) -> GraphResult<Arc<Vec<String>>> {
    let data = data(ctx)?;
    data.ask();
    Ok(data
        .related
        .load_one((kind, node.to_owned()))
        .await?
        .unwrap_or_default())
}

/// The version of the node with this id (1 for one never changed).
pub async fn version(ctx: &Context<'_>, id: &str) -> GraphResult<i64> {
    let data = data(ctx)?;
    data.ask();
    Ok(data
        .meta
        .load_one(id.to_owned())
        .await?
        .map_or(1, |m| m.version))
}

/// The history of the node with this id, oldest first.
pub async fn history_of(ctx: &Context<'_>, id: &str) -> GraphResult<Arc<Vec<Entry>>> {
    let data = data(ctx)?;
    data.ask();
    Ok(data
        .history
        .load_one(id.to_owned())
        .await?
        .unwrap_or_default())
}

/// Asks for something derived through the request's reasoning loaders; counts as asking, so
/// that batches wait for it.
pub(crate) fn reasoning<'a>(ctx: &Context<'a>) -> GraphResult<&'a ReasoningLoaders> {
    let data = data(ctx)?;
    data.ask();
    Ok(&data.reasoning)
}
