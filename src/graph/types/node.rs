//! The `Node` interface every record type implements, and typed lookups by id.

use std::sync::Arc;

use async_graphql::{Context, ID, Interface, SimpleObject};

use super::{ActorObj, ClaimObj, EventObj, LocationObj, SourceObj, StanceObj, StatementObj};
use crate::graph::enums::{NodeType, Relation};
use crate::graph::error::{GraphError, GraphResult};
use crate::graph::loaders::{entities_in_order, entity};
use crate::model::{self, Entity, EntityType, ObjectKind};

/// Anything in the graph with a stable id.
#[derive(Interface, Clone)]
#[graphql(
    field(
        name = "id",
        ty = "ID",
        desc = "The stable, human-readable id, unique across the graph."
    ),
    field(
        name = "version",
        ty = "i64",
        desc = "The version of the last change; an update names it, and fails if it is stale."
    ),
    field(
        name = "history",
        ty = "Vec<super::Change>",
        desc = "Every change of this node, oldest first: who, when, why, and which fields."
    )
)]
pub enum Node {
    /// An actor.
    Actor(ActorObj),
    /// A location.
    Location(LocationObj),
    /// An event.
    Event(EventObj),
    /// A source.
    Source(SourceObj),
    /// A statement.
    Statement(StatementObj),
    /// A claim.
    Claim(ClaimObj),
    /// A stance.
    Stance(StanceObj),
}

impl From<&Entity> for Node {
    fn from(e: &Entity) -> Node {
        match e {
            Entity::Actor(r) => Node::Actor(ActorObj(r.clone())),
            Entity::Location(r) => Node::Location(LocationObj(r.clone())),
            Entity::Event(r) => Node::Event(EventObj(r.clone())),
            Entity::Source(r) => Node::Source(SourceObj(r.clone())),
            Entity::Statement(r) => Node::Statement(StatementObj(r.clone())),
            Entity::Claim(r) => Node::Claim(ClaimObj(r.clone())),
            Entity::Stance(r) => Node::Stance(StanceObj(r.clone())),
        }
    }
}

/// Picks one record type out of an entity.
pub trait FromEntity: Sized {
    /// "an actor", for messages.
    const WHAT: &'static str;
    /// "actor", for messages.
    const NAME: &'static str;
    /// The object, if the entity is of this type.
    fn from_entity(e: &Entity) -> Option<Self>;
}

macro_rules! from_entity {
    ($obj:ident, $variant:ident) => {
        impl FromEntity for $obj {
            const WHAT: &'static str = EntityType::$variant.with_article();
            const NAME: &'static str = EntityType::$variant.as_str();
            fn from_entity(e: &Entity) -> Option<Self> {
                match e {
                    Entity::$variant(r) => Some($obj(r.clone())),
                    _ => None,
                }
            }
        }
    };
}
from_entity!(ActorObj, Actor);
from_entity!(LocationObj, Location);
from_entity!(EventObj, Event);
from_entity!(SourceObj, Source);
from_entity!(StatementObj, Statement);
from_entity!(ClaimObj, Claim);
from_entity!(StanceObj, Stance);

impl FromEntity for Node {
    const WHAT: &'static str = "a node";
    const NAME: &'static str = "node";
    fn from_entity(e: &Entity) -> Option<Self> {
        Some(Node::from(e))
    }
}

/// The node with this id, if it is of type `T`; a missing id is NOT_FOUND.
pub async fn require<T: FromEntity>(ctx: &Context<'_>, id: &str) -> GraphResult<T> {
    let found = entity(ctx, id).await?;
    match found.as_deref() {
        Some(e) => T::from_entity(e).ok_or_else(|| {
            GraphError::NotFound(format!(
                "{id:?} is {}, not {}",
                e.as_record().entity_type().with_article(),
                T::WHAT
            ))
        }),
        None => Err(GraphError::NotFound(format!("no {} {id:?}", T::NAME))),
    }
}

/// The node this record field points at, if the field is set (a dangling link reads as null).
pub async fn optional<T: FromEntity>(
    ctx: &Context<'_>,
    id: Option<&model::Id>,
) -> GraphResult<Option<T>> {
    let Some(id) = id else { return Ok(None) };
    Ok(entity(ctx, id.as_str())
        .await?
        .and_then(|e| T::from_entity(&e)))
}

/// The nodes with these ids that are of type `T`, in order.
pub async fn many<T: FromEntity>(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<T>> {
    Ok(entities_in_order(ctx, ids)
        .await?
        .iter()
        .filter_map(|e| T::from_entity(e))
        .collect())
}

/// The nodes with these ids, of any type, in order.
pub async fn nodes(ctx: &Context<'_>, ids: &[String]) -> GraphResult<Vec<Node>> {
    let found: Vec<Arc<Entity>> = entities_in_order(ctx, ids).await?;
    Ok(found.iter().map(|e| Node::from(e.as_ref())).collect())
}

/// One relation of the vocabulary and what it may link.
#[derive(SimpleObject)]
pub struct RelationInfo {
    /// The relation.
    pub relation: Relation,
    /// The types a subject may have.
    pub subjects: Vec<NodeType>,
    /// The types an object may have (empty when the object is a value).
    pub objects: Vec<NodeType>,
    /// Whether the object is a literal value instead of a node.
    pub takes_value: bool,
    /// What a claim with this relation says.
    pub meaning: String,
}

impl RelationInfo {
    /// The whole vocabulary.
    pub fn all() -> Vec<RelationInfo> {
        model::VOCABULARY
            .iter()
            .map(|spec| RelationInfo {
                relation: spec.relation.into(),
                subjects: spec.subjects.iter().map(|t| (*t).into()).collect(),
                objects: match spec.object {
                    ObjectKind::Entity(types) => types.iter().map(|t| (*t).into()).collect(),
                    ObjectKind::Value => Vec::new(),
                },
                takes_value: spec.object == ObjectKind::Value,
                meaning: spec.meaning.to_owned(),
            })
            .collect()
    }
}

/// The `id` field every object shares.
pub fn id_of(id: &model::Id) -> ID {
    ID(id.to_string())
}
