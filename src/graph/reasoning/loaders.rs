//! Loaders for derived answers asked of many nodes at once (patron chains, anniversaries,
//! corroboration): one SQL batch per depth of a query, like every other link.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use crate::graph::batch::Batched;

use crate::graph::error::GraphError;
use crate::storage::Snapshot;
use crate::storage::anniversary::{Anniversary, anniversaries};
use crate::storage::corroboration::{Corroboration, corroborations};
use crate::storage::traverse::{Follow, PatronStep, patrons};

/// How a patron chain is asked for: how deep, and which claims count.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PatronArgs {
    /// The most steps.
    pub max_depth: u32,
    /// The least confidence of a claim followed.
    pub min_confidence: u8,
    /// Whether refuted claims are followed.
    pub include_refuted: bool,
}

/// A patron chain: its steps, and whether a bound cut it.
pub type Chain = Arc<(Vec<PatronStep>, bool)>;

/// Loads patron chains by (actor, arguments).
pub struct PatronLoader(pub Snapshot);

impl Loader<(String, PatronArgs)> for PatronLoader {
    type Value = Chain;
    type Error = GraphError;

    async fn load(
        &self,
        keys: &[(String, PatronArgs)],
    ) -> Result<HashMap<(String, PatronArgs), Chain>, GraphError> {
        let mut groups: HashMap<PatronArgs, Vec<String>> = HashMap::new();
        for (id, args) in keys {
            groups.entry(args.clone()).or_default().push(id.clone());
        }
        Ok(self
            .0
            .read(move |conn| {
                let mut out = HashMap::new();
                for (args, ids) in groups {
                    let follow = Follow {
                        relations: Vec::new(),
                        min_confidence: args.min_confidence,
                        include_refuted: args.include_refuted,
                    };
                    let (mut chains, cut) = patrons(conn, &ids, args.max_depth, &follow)?;
                    for id in ids {
                        let steps = chains.remove(&id).unwrap_or_default();
                        out.insert((id, args.clone()), Arc::new((steps, cut)));
                    }
                }
                Ok(out)
            })
            .await?)
    }
}

/// Loads derived anniversary links by (event, window in days).
pub struct AnniversaryLoader(pub Snapshot);

impl Loader<(String, u32)> for AnniversaryLoader {
    type Value = Arc<(Vec<Anniversary>, bool)>;
    type Error = GraphError;

    async fn load(
        &self,
        keys: &[(String, u32)],
    ) -> Result<HashMap<(String, u32), Self::Value>, GraphError> {
        let mut groups: HashMap<u32, Vec<String>> = HashMap::new();
        for (id, window) in keys {
            groups.entry(*window).or_default().push(id.clone());
        }
        Ok(self
            .0
            .read(move |conn| {
                let mut out = HashMap::new();
                for (window, ids) in groups {
                    let (mut found, cut) = anniversaries(conn, &ids, window)?;
                    for id in ids {
                        let links = found.remove(&id).unwrap_or_default();
                        out.insert((id, window), Arc::new((links, cut)));
                    }
                }
                Ok(out)
            })
            .await?)
    }
}

/// Loads claims' corroboration by claim id.
pub struct CorroborationLoader(pub Snapshot);

impl Loader<String> for CorroborationLoader {
    type Value = Arc<Corroboration>;
    type Error = GraphError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, GraphError> {
        let ids = keys.to_vec();
        let found = self.0.read(move |conn| corroborations(conn, &ids)).await?;
        Ok(found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// The derived-answer loaders of one request.
pub struct ReasoningLoaders {
    /// Patron chains.
    pub patrons: Arc<Batched<(String, PatronArgs), PatronLoader>>,
    /// Anniversaries.
    pub anniversaries: Arc<Batched<(String, u32), AnniversaryLoader>>,
    /// Corroboration.
    pub corroboration: Arc<Batched<String, CorroborationLoader>>,
}

impl ReasoningLoaders {
    /// Forgets what was read.
    pub fn clear(&self) {
        self.patrons.clear();
        self.anniversaries.clear();
        self.corroboration.clear();
    }
}
