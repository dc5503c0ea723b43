//! Per-request DataLoaders: every record and every list of links a query needs at one depth
//! is fetched in one batch, so the number of SQL statements grows with the query's depth,
//! not with the number of results.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::Loader;

use super::batch::{Batched, Flush, Rounds, Tracker};
use super::error::{GraphError, GraphResult};
use super::reasoning::loaders::{
    AnniversaryLoader, CorroborationLoader, PatronLoader, ReasoningLoaders,
};
use crate::auth::Access;
use crate::model::Entity;
use crate::storage::claims::{self, Ends};
use crate::storage::history::{self, Entry, Meta};
use crate::storage::query::Window;
use crate::storage::related::{ListPage, Related, related, related_pages};
use crate::storage::{Conn, Database, Lists, Snapshot, StorageError, aliases, entities_with};

/// Loads records of any type by id, without their aliases and the sources that mention them
/// (see `Lists::Core`): the types read those through [`AliasLoader`] and as connections.
pub struct EntityLoader(Snapshot);

impl Loader<String> for EntityLoader {
    type Value = Arc<Entity>;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Arc<Entity>>, GraphError> {
        let ids = keys.to_vec();
        let found = self
            .0
            .read(move |conn| entities_with(conn, &ids, Lists::Core))
            .await?;
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Loads the aliases of actors and locations by id.
pub struct AliasLoader(Snapshot);

impl Loader<String> for AliasLoader {
    type Value = Arc<Vec<String>>;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Arc<Vec<String>>>, GraphError> {
        let ids = keys.to_vec();
        let found = self.0.read(move |conn| aliases(conn, &ids)).await?;
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// A kind of link from a node, and which page of the list (all of it when `None`).
pub type RelatedKey = (Related, Option<Window>, String);

/// Loads lists of linked ids, one statement per kind of link and page.
pub struct RelatedLoader(Snapshot);

impl Loader<RelatedKey> for RelatedLoader {
    type Value = Arc<ListPage>;
    type Error = GraphError;

    async fn load(
        &self,
        keys: &[RelatedKey],
    ) -> Result<HashMap<RelatedKey, Arc<ListPage>>, GraphError> {
        let mut groups: HashMap<(Related, Option<Window>), Vec<String>> = HashMap::new();
        for (kind, window, node) in keys {
            groups
                .entry((kind.clone(), window.clone()))
                .or_default()
                .push(node.clone());
        }
        let found = self
            .0
            .read(move |conn| {
                let mut out = HashMap::new();
                for ((kind, window), nodes) in groups {
                    let mut pages = match &window {
                        None => related(conn, &kind, &nodes)?
                            .into_iter()
                            .map(|(node, ids)| (node, ListPage::whole(ids)))
                            .collect(),
                        Some(window) => related_pages(conn, &kind, &nodes, window)?,
                    };
                    for node in nodes {
                        let page = pages.remove(&node).unwrap_or_else(|| ListPage {
                            after_found: window.as_ref().is_none_or(|w| w.after.is_none()),
                            before_found: window.as_ref().is_none_or(|w| w.before.is_none()),
                            ..ListPage::default()
                        });
                        out.insert((kind.clone(), window.clone(), node), Arc::new(page));
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

/// Loads claims' ends by claim id.
pub struct EndsLoader(Snapshot);

impl Loader<String> for EndsLoader {
    type Value = Ends;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Ends>, GraphError> {
        let ids = keys.to_vec();
        Ok(self
            .0
            .read(move |conn| claims::ends_many(conn, &ids))
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

/// Reads outside the loaders, counted as work in flight so that a round of loads waits for
/// them (see `batch`).
#[derive(Clone)]
pub struct Reads {
    snapshot: Snapshot,
    tracker: Arc<Tracker>,
}

impl Reads {
    /// Runs `f` on the request's snapshot, on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Conn<'_>) -> Result<T, StorageError> + Send + 'static,
    {
        let _in_flight = self.tracker.start();
        self.snapshot.read(f).await
    }

    /// Ends the snapshot: the next read sees the graph as it is then.
    pub async fn end(&self) {
        self.snapshot.end().await;
    }
}

/// Everything a request's resolvers share: the database, the loaders, and who is asking.
pub struct RequestData {
    /// The database, counting the statements this request runs; for writes.
    pub db: Database,
    /// What the request reads through: one snapshot of the graph (fresh reads for
    /// subscriptions), so that a node's version and its fields always agree.
    pub reads: Reads,
    /// Who sent the request, for mutations.
    pub access: Access,
    entities: Arc<Batched<String, EntityLoader>>,
    aliases: Arc<Batched<String, AliasLoader>>,
    related: Arc<Batched<RelatedKey, RelatedLoader>>,
    meta: Arc<Batched<String, MetaLoader>>,
    ends: Arc<Batched<String, EndsLoader>>,
    history: Arc<Batched<String, HistoryLoader>>,
    /// Patron chains, anniversaries, corroboration.
    pub(crate) reasoning: ReasoningLoaders,
    rounds: Arc<Rounds>,
}

impl RequestData {
    /// Fresh loaders for one request by someone who may not write.
    pub fn new(db: Database) -> RequestData {
        RequestData::with_access(db, Access::ReadOnlyServer)
    }

    /// Loaders for a long-lived subscription: they batch but never cache or hold a
    /// snapshot, so every notice is answered from the graph as it is then.
    pub fn uncached(db: Database) -> RequestData {
        RequestData::build(db.fresh(), db, Access::ReadOnlyServer, false)
    }

    /// Forgets what was read, after this request wrote: later reads see the graph as it is
    /// then. `written` (a node and its version, as the write left them) stays known.
    pub async fn forget(&self, written: Option<(&Entity, i64)>) {
        self.reads.end().await;
        self.entities.clear();
        self.aliases.clear();
        self.related.clear();
        self.meta.clear();
        self.ends.clear();
        self.history.clear();
        self.reasoning.clear();
        if let Some((entity, version)) = written {
            let id = entity.id().to_string();
            let meta = Meta {
                version,
                merged_into: None,
            };
            self.entities.feed(id.clone(), Arc::new(entity.clone()));
            self.meta.feed(id, meta);
        }
    }

    /// Fresh loaders for one request by `access`, reading one snapshot.
    pub fn with_access(db: Database, access: Access) -> RequestData {
        RequestData::build(db.snapshot(), db, access, true)
    }

    fn build(snapshot: Snapshot, db: Database, access: Access, cache: bool) -> RequestData {
        let tracker = Arc::new(Tracker::default());
        let t = || tracker.clone();
        let reasoning = ReasoningLoaders {
            patrons: Arc::new(Batched::new(PatronLoader(snapshot.clone()), t(), cache)),
            anniversaries: Arc::new(Batched::new(
                AnniversaryLoader(snapshot.clone()),
                t(),
                cache,
            )),
            corroboration: Arc::new(Batched::new(
                CorroborationLoader(snapshot.clone()),
                t(),
                cache,
            )),
        };
        let entities = Arc::new(Batched::new(EntityLoader(snapshot.clone()), t(), cache));
        let aliases = Arc::new(Batched::new(AliasLoader(snapshot.clone()), t(), cache));
        let related = Arc::new(Batched::new(RelatedLoader(snapshot.clone()), t(), cache));
        let meta = Arc::new(Batched::new(MetaLoader(snapshot.clone()), t(), cache));
        let history = Arc::new(Batched::new(HistoryLoader(snapshot.clone()), t(), cache));
        let ends = Arc::new(Batched::new(EndsLoader(snapshot.clone()), t(), cache));
        let loaders: Vec<Arc<dyn Flush>> = vec![
            entities.clone(),
            aliases.clone(),
            related.clone(),
            meta.clone(),
            ends.clone(),
            history.clone(),
            reasoning.patrons.clone(),
            reasoning.anniversaries.clone(),
            reasoning.corroboration.clone(),
        ];
        RequestData {
            access,
            reasoning,
            entities,
            aliases,
            related,
            meta,
            ends,
            history,
            rounds: Arc::new(Rounds {
                tracker: tracker.clone(),
                loaders,
            }),
            reads: Reads { snapshot, tracker },
            db,
        }
    }

    /// The request's loaders, for the driver that flushes them.
    pub(crate) fn rounds(&self) -> Arc<Rounds> {
        self.rounds.clone()
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
    data.entities.load_one(id.to_owned()).await
}

/// The records with these ids, in the same order; ids that name nothing are skipped.
pub async fn entities_in_order(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<Arc<Entity>>> {
    let data = data(ctx)?;
    let mut found = data.entities.load_many(ids.iter().cloned()).await?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The ends of the claims with these ids, in the same order; ids that name no claim are
/// skipped.
pub async fn claim_ends(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<(String, Ends)>> {
    let data = data(ctx)?;
    let mut found = data.ends.load_many(ids.iter().cloned()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(id).map(|e| (id.clone(), e)))
        .collect())
}

/// The ids linked to `node` in the way `kind` says: the whole list.
pub async fn related_ids(
    ctx: &Context<'_>,
    kind: Related,
    node: &str,
) -> GraphResult<Arc<ListPage>> {
    load_related(ctx, (kind, None, node.to_owned())).await
}

/// The page of the ids linked to `node` in the way `kind` says that `window` picks.
pub async fn related_page(
    ctx: &Context<'_>,
    kind: Related,
    node: &str,
    window: Window,
) -> GraphResult<Arc<ListPage>> {
    load_related(ctx, (kind, Some(window), node.to_owned())).await
}

async fn load_related(ctx: &Context<'_>, key: RelatedKey) -> GraphResult<Arc<ListPage>> {
    let data = data(ctx)?;
    Ok(data.related.load_one(key).await?.unwrap_or_default())
}

/// The aliases of the actor or location with this id, in order.
pub async fn aliases_of(ctx: &Context<'_>, id: &str) -> GraphResult<Arc<Vec<String>>> {
    let data = data(ctx)?;
    Ok(data
        .aliases
        .load_one(id.to_owned())
        .await?
        .unwrap_or_default())
}

/// The version of the node with this id (1 for one never changed).
pub async fn version(ctx: &Context<'_>, id: &str) -> GraphResult<i64> {
    let data = data(ctx)?;
    Ok(data
        .meta
        .load_one(id.to_owned())
        .await?
        .map_or(1, |m| m.version))
}

/// The history of the node with this id, oldest first.
pub async fn history_of(ctx: &Context<'_>, id: &str) -> GraphResult<Arc<Vec<Entry>>> {
    let data = data(ctx)?;
    Ok(data
        .history
        .load_one(id.to_owned())
        .await?
        .unwrap_or_default())
}

/// The request's reasoning loaders, for something derived.
pub(crate) fn reasoning<'a>(ctx: &Context<'a>) -> GraphResult<&'a ReasoningLoaders> {
    Ok(&data(ctx)?.reasoning)
}
