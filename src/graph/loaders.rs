//! Per-request DataLoaders: every record and every list of links a query needs at one depth
//! is fetched in one batch, so the number of SQL statements grows with the query's depth,
//! not with the number of results.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};

use super::error::{GraphError, GraphResult};
use crate::model::Entity;
use crate::storage::related::{Related, related};
use crate::storage::{Database, entities};

/// Loads records of any type by id.
pub struct EntityLoader(Database);

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
pub struct RelatedLoader(Database);

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

/// Everything a request's resolvers share: the database and the loaders.
pub struct RequestData {
    /// The database, counting the statements this request runs.
    pub db: Database,
    entities: DataLoader<EntityLoader>,
    related: DataLoader<RelatedLoader>,
}

impl RequestData {
    /// Fresh loaders for one request.
    pub fn new(db: Database) -> RequestData {
        RequestData {
            entities: DataLoader::new(EntityLoader(db.clone()), tokio::spawn),
            related: DataLoader::new(RelatedLoader(db.clone()), tokio::spawn),
            db,
        }
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
    data(ctx)?.entities.load_one(id.to_owned()).await
}

/// The records with these ids, in the same order; ids that name nothing are skipped.
pub async fn entities_in_order(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<Arc<Entity>>> {
    let mut found = data(ctx)?.entities.load_many(ids.iter().cloned()).await?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The ids linked to `node` in the way `kind` says.
pub async fn related_ids(
    ctx: &Context<'_>,
    kind: Related,
    node: &str,
) -> GraphResult<Arc<Vec<String>>> {
    Ok(data(ctx)?
        .related
        .load_one((kind, node.to_owned()))
        .await?
        .unwrap_or_default())
}
