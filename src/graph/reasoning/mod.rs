//! Graph reasoning: the root fields `paths`, `neighborhood` and `eventsNear`, and the derived
//! fields other types delegate to (`Actor.patronChain`, `Event.anniversaries`,
//! `Event.distanceTo`, `Claim.corroboration`). Every traversal runs in SQLite and is bounded
//! (see `storage::traverse`); answers say when a bound cut them.

pub mod loaders;
pub mod types;

use async_graphql::{Context, ID, Object};

use self::loaders::PatronArgs;
use self::types::{
    AnniversaryLink, CorroborationObj, EdgeDirection, EventNear, GraphPath, Neighborhood,
    NeighborhoodEdge, NeighborhoodNode, PathSearch, PatronChain, describe,
};
use super::enums::Relation;
use super::error::{GraphError, GraphResult};
use super::loaders::{data, entities_in_order, entity, reasoning};
use super::types::Node;
use crate::model::{self, Entity};
use crate::storage::anniversary::MAX_WINDOW_DAYS;
use crate::storage::geo::{MAX_DISTANCE_KM, events_near, great_circle_km};
use crate::storage::traverse::{
    Follow, MAX_HOPS, MAX_NEIGHBORHOOD_HOPS, MAX_PATRON_DEPTH, neighborhood, shortest_paths,
};

/// The most paths `paths` returns.
pub const MAX_PATHS: i32 = 100;
/// The most nodes `neighborhood` returns.
pub const MAX_LIMIT: i32 = 2_000;
/// The most events `eventsNear` returns.
pub const MAX_NEAR: i32 = 500;

/// Root fields that reason over the graph.
#[derive(Default)]
pub struct ReasoningQuery;

/// An argument within bounds, or BAD_USER_INPUT naming it and the bounds.
fn within_bounds(name: &str, value: i32, lo: i32, hi: i32) -> GraphResult<u32> {
    if (lo..=hi).contains(&value) {
        Ok(value as u32)
    } else {
        Err(GraphError::BadUserInput(format!(
            "`{name}` must be from {lo} to {hi}, not {value}"
        )))
    }
}

/// The claims a traversal follows, from its arguments.
fn follow(
    relations: Option<Vec<Relation>>,
    min_confidence: i32,
    include_refuted: bool,
) -> GraphResult<Follow> {
    Ok(Follow {
        relations: relations
            .unwrap_or_default()
            .into_iter()
            .map(model::Relation::from)
            .collect(),
        min_confidence: within_bounds("minConfidence", min_confidence, 0, 100)? as u8,
        include_refuted,
    })
}

/// The node an argument names (a merged actor's id gives the survivor), or BAD_USER_INPUT.
async fn node_named(ctx: &Context<'_>, argument: &str, id: &ID) -> GraphResult<Entity> {
    match entity(ctx, id.as_str()).await? {
        Some(e) => Ok(Entity::clone(&e)),
        None => Err(GraphError::BadUserInput(format!(
            "`{argument}`: no node {:?}",
            id.as_str()
        ))),
    }
}

/// Root fields that reason over the graph.
#[Object]
impl ReasoningQuery {
    /// The shortest paths between two nodes, following claims either way. Every step carries
    /// its claim and direction; a path's confidence is the product of its claims'
    /// confidences. Refuted claims are followed only with `includeRefuted`. At most
    /// `maxHops` (up to 6) steps and `first` (up to 100) paths, most confident first.
    #[allow(clippy::too_many_arguments)]
    async fn paths(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the node the paths start at.")] from: ID,
        #[graphql(desc = "The id of the node the paths end at.")] to: ID,
        #[graphql(default = 4, desc = "The most steps a path may take (1–6).")] max_hops: i32,
        #[graphql(desc = "Follow only claims with these relations (all relations when left out).")]
        relations: Option<Vec<Relation>>,
        #[graphql(
            default = 0,
            desc = "Follow only claims at least this confident (0–100)."
        )]
        min_confidence: i32,
        #[graphql(default = false, desc = "Whether to follow REFUTED claims too.")]
        include_refuted: bool,
        #[graphql(default = 10, desc = "How many paths, most confident first (1–100).")] first: i32,
    ) -> GraphResult<PathSearch> {
        let max_hops = within_bounds("maxHops", max_hops, 1, MAX_HOPS as i32)?;
        let first = within_bounds("first", first, 1, MAX_PATHS)? as usize;
        let follow = follow(relations, min_confidence, include_refuted)?;
        let from = node_named(ctx, "from", &from).await?.id().to_string();
        let to = node_named(ctx, "to", &to).await?.id().to_string();
        let found = data(ctx)?
            .reads
            .read(move |conn| shortest_paths(conn, &from, &to, max_hops, &follow, first))
            .await?;
        Ok(PathSearch {
            hops: found.hops,
            truncated: found.truncated,
            paths: found.paths.into_iter().map(GraphPath).collect(),
        })
    }

    /// The nodes within `hops` (up to 4) of a node and the claims among them, shaped for a
    /// graph drawing: at most `limit` (up to 2000) nodes, nearest first, with `truncated`
    /// saying when some were left out.
    #[allow(clippy::too_many_arguments)]
    async fn neighborhood(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The id of the node at the centre.")] id: ID,
        #[graphql(default = 1, desc = "How many steps from the centre (0–4).")] hops: i32,
        #[graphql(desc = "Follow only claims with these relations (all relations when left out).")]
        relations: Option<Vec<Relation>>,
        #[graphql(
            default = 0,
            desc = "Follow only claims at least this confident (0–100)."
        )]
        min_confidence: i32,
        #[graphql(default = false, desc = "Whether to follow REFUTED claims too.")]
        include_refuted: bool,
        #[graphql(
            default = 100,
            desc = "The most nodes to return, nearest first (1–2000)."
        )]
        limit: i32,
    ) -> GraphResult<Neighborhood> {
        let hops = within_bounds("hops", hops, 0, MAX_NEIGHBORHOOD_HOPS as i32)?;
        let limit = within_bounds("limit", limit, 1, MAX_LIMIT)? as usize;
        let follow = follow(relations, min_confidence, include_refuted)?;
        let center = node_named(ctx, "id", &id).await?;
        let start = center.id().to_string();
        let found = data(ctx)?
            .reads
            .read(move |conn| neighborhood(conn, &start, hops, &follow, limit))
            .await?;
        let ids: Vec<String> = found.nodes.iter().map(|(n, _)| n.clone()).collect();
        let records = entities_in_order(ctx, &ids).await?;
        let distance: std::collections::HashMap<&str, u32> =
            found.nodes.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let nodes = records
            .iter()
            .map(|e| {
                let (node_type, kind, label) = describe(e);
                NeighborhoodNode {
                    node_id: ID(e.id().to_string()),
                    node_type,
                    kind,
                    label,
                    distance: distance.get(e.id().as_str()).copied().unwrap_or(0),
                    node: Node::from(e.as_ref()),
                }
            })
            .collect();
        let edges = found
            .edges
            .into_iter()
            .map(|edge| {
                let s = distance.get(edge.subject.as_str()).copied().unwrap_or(0);
                let o = distance.get(edge.object.as_str()).copied().unwrap_or(0);
                let direction = match s.cmp(&o) {
                    std::cmp::Ordering::Less => EdgeDirection::Outward,
                    std::cmp::Ordering::Greater => EdgeDirection::Inward,
                    std::cmp::Ordering::Equal => EdgeDirection::Across,
                };
                NeighborhoodEdge { edge, direction }
            })
            .collect();
        Ok(Neighborhood {
            center: Node::from(&center),
            nodes,
            edges,
            truncated: found.truncated,
        })
    }

    /// Events at places within `radiusKm` of a point (great-circle distance to the event's
    /// location), nearest first. Places without coordinates, or known less precisely than
    /// the radius (a country's centre for a 50 km search), are left out.
    async fn events_near(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Latitude of the point, in degrees (−90 to 90).")] lat: f64,
        #[graphql(desc = "Longitude of the point, in degrees (−180 to 180).")] lon: f64,
        #[graphql(desc = "How far from the point, in kilometres (great-circle distance).")]
        radius_km: f64,
        #[graphql(default = 50, desc = "How many events, nearest first (1–500).")] first: i32,
    ) -> GraphResult<Vec<EventNear>> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GraphError::BadUserInput(format!(
                "`lat` must be from -90 to 90, not {lat}"
            )));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GraphError::BadUserInput(format!(
                "`lon` must be from -180 to 180, not {lon}"
            )));
        }
        if !(radius_km > 0.0 && radius_km <= MAX_DISTANCE_KM) {
            return Err(GraphError::BadUserInput(format!(
                "`radiusKm` must be more than 0 and at most {MAX_DISTANCE_KM:.0} (half the Earth's circumference), not {radius_km}"
            )));
        }
        let first = within_bounds("first", first, 1, MAX_NEAR)? as usize;
        let mut found = data(ctx)?
            .reads
            .read(move |conn| events_near(conn, lat, lon, radius_km))
            .await?;
        found.truncate(first);
        Ok(found.into_iter().map(EventNear).collect())
    }
}

/// `Actor.patronChain`.
pub async fn patron_chain(
    ctx: &Context<'_>,
    actor: &model::Id,
    max_depth: i32,
    min_confidence: i32,
    include_refuted: bool,
) -> GraphResult<PatronChain> {
    let args = PatronArgs {
        max_depth: within_bounds("maxDepth", max_depth, 1, MAX_PATRON_DEPTH as i32)?,
        min_confidence: within_bounds("minConfidence", min_confidence, 0, 100)? as u8,
        include_refuted,
    };
    let chain = reasoning(ctx)?
        .patrons
        .load_one((actor.to_string(), args))
        .await?
        .unwrap_or_default();
    Ok(PatronChain(chain))
}

/// `Event.anniversaries`.
pub async fn anniversaries(
    ctx: &Context<'_>,
    event: &model::Id,
    window_days: i32,
) -> GraphResult<Vec<AnniversaryLink>> {
    let window = within_bounds("windowDays", window_days, 0, MAX_WINDOW_DAYS as i32)?;
    let found = reasoning(ctx)?
        .anniversaries
        .load_one((event.to_string(), window))
        .await?
        .unwrap_or_default();
    Ok(found
        .0
        .iter()
        .cloned()
        .map(|a| AnniversaryLink(a, window))
        .collect())
}

/// `Claim.corroboration`.
pub async fn corroboration(ctx: &Context<'_>, claim: &model::Id) -> GraphResult<CorroborationObj> {
    let found = reasoning(ctx)?
        .corroboration
        .load_one(claim.to_string())
        .await?
        .unwrap_or_default();
    Ok(CorroborationObj(found))
}

/// `Event.distanceTo`: km from the event's location to another location; null when either
/// has no coordinates.
pub async fn distance_to(
    ctx: &Context<'_>,
    event: &model::Event,
    location: &ID,
) -> GraphResult<Option<f64>> {
    let Entity::Location(target) = node_named(ctx, "location", location).await? else {
        return Err(GraphError::BadUserInput(format!(
            "`location`: {:?} is not a location",
            location.as_str()
        )));
    };
    let Some(at) = &event.location else {
        return Ok(None);
    };
    let here = entity(ctx, at.as_str()).await?;
    let here = match here.as_deref() {
        Some(Entity::Location(l)) => l.coordinates.clone(),
        _ => None,
    };
    Ok(here
        .zip(target.coordinates)
        .map(|(a, b)| great_circle_km((a.lat, a.lon), (b.lat, b.lon))))
}
