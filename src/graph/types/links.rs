//! Links that come from claims: each edge carries the claim (who asserts it, where, how sure)
//! beside the node at the other end. Also plain lists of records under a node.

use std::collections::HashMap;

use async_graphql::Context;
use async_graphql::futures_util::future::try_join_all;

use super::node::{FromEntity, Node, many};
use super::{ActorObj, ClaimObj, EventObj};
use crate::graph::connection::{PageInfo, Paging, Total, connection, encode_cursor, page_info};
use crate::graph::enums::{MotiveKind, MotiveVia};
use crate::graph::error::{GraphError, GraphResult};
use crate::graph::loaders::{claim_ends, entities_in_order, related_ids, related_page};
use crate::model::{Claim, Relation};
use crate::storage::claims::Ends;
use crate::storage::related::{ListPage, Related};

/// Which end of a claim the linked node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The claim's subject.
    Subject,
    /// The claim's object.
    Object,
}

fn end_id(claim: &Claim, end: End) -> Option<String> {
    match end {
        End::Subject => Some(claim.subject.to_string()),
        End::Object => claim.object.as_ref().map(|o| o.to_string()),
    }
}

/// The claims of this kind for `node`, each with the node of type `T` at `end`: the whole
/// list, for lists put together from several kinds of link.
pub async fn claim_links<T: FromEntity + Clone>(
    ctx: &Context<'_>,
    node: &str,
    kind: Related,
    end: End,
) -> GraphResult<Vec<(ClaimObj, T)>> {
    let list = related_ids(ctx, kind, node).await?;
    with_ends(ctx, &list.ids, end).await
}

/// The nodes with these ids that are of type `T`, by id.
async fn nodes_of_type<T: FromEntity>(
    ctx: &Context<'_>,
    ids: &[String],
) -> GraphResult<HashMap<String, T>> {
    Ok(entities_in_order(ctx, ids)
        .await?
        .iter()
        .filter_map(|e| T::from_entity(e).map(|t| (e.id().to_string(), t)))
        .collect())
}

/// The claims with these ids, each with the node of type `T` at `end`.
async fn with_ends<T: FromEntity + Clone>(
    ctx: &Context<'_>,
    ids: &[String],
    end: End,
) -> GraphResult<Vec<(ClaimObj, T)>> {
    let claims: Vec<ClaimObj> = many(ctx, ids).await?;
    let other_ids: Vec<String> = claims.iter().filter_map(|c| end_id(&c.0, end)).collect();
    let others = nodes_of_type::<T>(ctx, &other_ids).await?;
    Ok(claims
        .into_iter()
        .filter_map(|c| {
            let other = end_id(&c.0, end).and_then(|id| others.get(&id))?;
            Some((c, other.clone()))
        })
        .collect())
}

/// The claims of a page as links to the node of type `T` at `end`, without reading the
/// claims themselves: for a page whose edges' `claim` nobody asked for. The nodes at `end`
/// come with the page when its list read them, or else from the claims' ends.
async fn links_by_id<T: FromEntity + Clone>(
    ctx: &Context<'_>,
    kind: &Related,
    page: &ListPage,
    end: End,
) -> GraphResult<Vec<(LinkClaim, T)>> {
    let read_with_page = matches!(
        (kind, end),
        (Related::ClaimsFrom(_), End::Object) | (Related::ClaimsTo(_), End::Subject)
    ) && page.others.len() == page.ids.len();
    let pairs: Vec<(String, Option<String>)> = if read_with_page {
        page.ids
            .iter()
            .cloned()
            .zip(page.others.iter().cloned())
            .collect()
    } else {
        claim_ends(ctx, &page.ids)
            .await?
            .into_iter()
            .map(|(id, e): (String, Ends)| match end {
                End::Subject => (id, Some(e.subject)),
                End::Object => (id, e.object),
            })
            .collect()
    };
    let other_ids: Vec<String> = pairs.iter().filter_map(|(_, o)| o.clone()).collect();
    let others = nodes_of_type::<T>(ctx, &other_ids).await?;
    Ok(pairs
        .into_iter()
        .filter_map(|(id, other)| {
            let node = others.get(&other?)?;
            Some((LinkClaim::Id(id), node.clone()))
        })
        .collect())
}

/// A page of the claims of this kind for `node`, paged in SQL: only the page's claims and
/// the nodes at their `end` are read, and the claims only when the query asks for them.
pub async fn claim_page<T: FromEntity + Clone>(
    ctx: &Context<'_>,
    node: &str,
    kind: Related,
    end: End,
    paging: &Paging,
) -> GraphResult<LinkPage<T>> {
    let page = related_page(ctx, kind.clone(), node, paging.window()?).await?;
    let claims_asked = ctx.look_ahead().field("edges").field("claim").exists();
    let links: Vec<(LinkClaim, T)> = if claims_asked {
        with_ends::<T>(ctx, &page.ids, end)
            .await?
            .into_iter()
            .map(|(c, t)| (LinkClaim::from(c), t))
            .collect()
    } else {
        links_by_id::<T>(ctx, &kind, &page, end).await?
    };
    let edges: Vec<(String, LinkClaim, T)> = links
        .into_iter()
        .map(|(c, t)| (encode_cursor(c.id()), c, t))
        .collect();
    let cursors: Vec<String> = edges.iter().map(|(cursor, _, _)| cursor.clone()).collect();
    Ok((edges, page_info(&page, &cursors)?, page.total))
}

/// The claim behind a link: read with its page when the query asks for it, otherwise known
/// by id and read only if a resolver still needs it.
#[derive(Clone)]
pub enum LinkClaim {
    /// The claim, read.
    Read(Box<ClaimObj>),
    /// The claim's id.
    Id(String),
}

impl LinkClaim {
    /// The claim's id.
    pub fn id(&self) -> &str {
        match self {
            LinkClaim::Read(c) => c.0.id.as_str(),
            LinkClaim::Id(id) => id,
        }
    }

    /// The claim, read now if it was not read with the page.
    async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
        match self {
            LinkClaim::Read(c) => Ok(ClaimObj::clone(c)),
            LinkClaim::Id(id) => many::<ClaimObj>(ctx, std::slice::from_ref(id))
                .await?
                .pop()
                .ok_or_else(|| {
                    tracing::error!(claim = %id, "a linked claim vanished inside one snapshot");
                    GraphError::Internal
                }),
        }
    }
}

/// A page of claim links: (cursor, claim, node) edges, where the page sits, the list's length.
pub type LinkPage<T, C = LinkClaim> = (Vec<(String, C, T)>, PageInfo, usize);

impl From<ClaimObj> for LinkClaim {
    fn from(claim: ClaimObj) -> LinkClaim {
        LinkClaim::Read(Box::new(claim))
    }
}

/// A page of claim links, keyed by claim id.
pub fn page_links<T>(
    items: Vec<(ClaimObj, T)>,
    paging: &Paging,
) -> GraphResult<LinkPage<T, ClaimObj>> {
    let total = items.len();
    let keyed = items
        .into_iter()
        .map(|(c, t)| (c.0.id.to_string(), (c, t)))
        .collect();
    let (page, info) = paging.slice(keyed)?;
    Ok((
        page.into_iter()
            .map(|(cursor, (c, t))| (cursor, c, t))
            .collect(),
        info,
        total,
    ))
}

/// A page of records linked by record fields (no claim), paged in SQL.
pub async fn record_list<T: FromEntity + HasId>(
    ctx: &Context<'_>,
    kind: Related,
    node: &str,
    paging: &Paging,
) -> GraphResult<(Vec<(String, T)>, PageInfo, usize)> {
    let page = related_page(ctx, kind, node, paging.window()?).await?;
    let items: Vec<T> = many(ctx, &page.ids).await?;
    let keyed: Vec<(String, T)> = items
        .into_iter()
        .map(|t| (encode_cursor(&t.key()), t))
        .collect();
    let cursors: Vec<String> = keyed.iter().map(|(cursor, _)| cursor.clone()).collect();
    Ok((keyed, page_info(&page, &cursors)?, page.total))
}

/// The id an item is paged by.
pub trait HasId {
    /// The item's id.
    fn key(&self) -> String;
}

macro_rules! link_types {
    ($($(#[$doc:meta])* $conn:ident, $edge:ident, $node:ty;)+) => {$(
        connection!(
            @list
            $(#[$doc])*
            $conn, $edge, $node
        );

        /// An item of the list with its cursor.
        #[derive(async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $edge {
            /// Pass as `after` or `before` to page from here.
            pub cursor: String,
            #[graphql(skip)]
            /// The claim that makes the link.
            pub link: LinkClaim,
            /// The item.
            pub node: $node,
        }

        #[async_graphql::ComplexObject]
        impl $edge {
            /// The claim that makes the link: who asserts it, in which source, how sure.
            async fn claim(&self, ctx: &Context<'_>) -> GraphResult<ClaimObj> {
                self.link.claim(ctx).await
            }
        }

        impl $conn {
            /// The connection of a page of claim links.
            pub fn from_links<C: Into<LinkClaim>>(
                (page, page_info, total): LinkPage<$node, C>,
            ) -> $conn {
                $conn {
                    edges: page
                        .into_iter()
                        .map(|(cursor, link, node)| $edge { cursor, link: link.into(), node })
                        .collect(),
                    page_info,
                    total: Total::Known(total),
                }
            }

            /// A page of the claims of this kind for `node`, each with the node at `end`.
            pub async fn page(
                ctx: &Context<'_>,
                node: &str,
                kind: Related,
                end: End,
                paging: &Paging,
            ) -> GraphResult<$conn> {
                Ok($conn::from_links(claim_page(ctx, node, kind, end, paging).await?))
            }
        }
    )+};
}

link_types! {
    /// A page of actors linked by claims; each edge carries the claim that makes the link.
    ActorLinkConnection, ActorLink, ActorObj;
    /// A page of events linked by claims; each edge carries the claim that makes the link.
    EventLinkConnection, EventLink, EventObj;
    /// A page of nodes of any type linked by claims; each edge carries the claim that makes
    /// the link.
    NodeLinkConnection, NodeLink, Node;
}

connection!(
    /// Why an event happened when it did: motives asserted for it, its campaigns, or the
    /// actors behind it, each with the claim and where it came from.
    MotiveConnection, MotiveEdge, EventObj,
    /// ANNIVERSARY when the claim says an anniversary of the earlier event was marked,
    /// MOTIVE when it says the earlier event motivated it in another way.
    kind: MotiveKind,
    /// Which anniversary (2 for the second), when the claim says.
    years: Option<u32>,
    /// Whom the motive is asserted for: the event, a campaign it is part of, or an actor
    /// behind it.
    via: MotiveVia,
    /// The node the motive is asserted for: the event itself, the campaign or the actor.
    through: Node,
    /// The motive claim: who asserts it, in which source, how sure.
    claim: ClaimObj
);

/// Relations that state a motive.
pub const MOTIVES: [Relation; 2] = [Relation::MarkedAnniversaryOf, Relation::MotivatedBy];

/// The motive claims for each of `subjects` (with how each subject relates to the asker).
pub async fn motives(
    ctx: &Context<'_>,
    subjects: Vec<(Node, MotiveVia)>,
    paging: &Paging,
) -> GraphResult<MotiveConnection> {
    // All subjects at once, so that their loads share one batch.
    let lookups = subjects.iter().map(|(through, _)| {
        let id = node_id(through);
        async move {
            claim_links::<EventObj>(ctx, &id, Related::ClaimsFrom(MOTIVES.to_vec()), End::Object)
                .await
        }
    });
    let found = try_join_all(lookups).await?;
    let mut items = Vec::new();
    for ((through, via), links) in subjects.into_iter().zip(found) {
        for (claim, event) in links {
            items.push((claim, (event, via, through.clone())));
        }
    }
    let (page, page_info, total) = page_links(items, paging)?;
    Ok(MotiveConnection {
        edges: page
            .into_iter()
            .map(|(cursor, claim, (node, via, through))| MotiveEdge {
                cursor,
                kind: if claim.0.relation == Relation::MarkedAnniversaryOf {
                    MotiveKind::Anniversary
                } else {
                    MotiveKind::Motive
                },
                years: claim.0.qualifiers.years,
                via,
                through,
                claim,
                node,
            })
            .collect(),
        page_info,
        total: Total::Known(total),
    })
}

/// A node's id as text.
pub fn node_id(node: &Node) -> String {
    match node {
        Node::Actor(x) => x.0.id.to_string(),
        Node::Location(x) => x.0.id.to_string(),
        Node::Event(x) => x.0.id.to_string(),
        Node::Source(x) => x.0.id.to_string(),
        Node::Statement(x) => x.0.id.to_string(),
        Node::Claim(x) => x.0.id.to_string(),
        Node::Stance(x) => x.0.id.to_string(),
    }
}

/// Declares a connection of records (no claim on the edge) with its builders.
macro_rules! record_connection {
    ($(#[$doc:meta])* $conn:ident, $edge:ident, $node:ident) => {
        $crate::graph::connection::connection!($(#[$doc])* $conn, $edge, $node);

        impl $crate::graph::types::links::HasId for $node {
            fn key(&self) -> String {
                self.0.id.to_string()
            }
        }

        impl $conn {
            /// A connection from a page of (cursor, node).
            pub fn new(
                page: Vec<(String, $node)>,
                page_info: $crate::graph::connection::PageInfo,
                total: $crate::graph::connection::Total,
            ) -> $conn {
                $conn {
                    edges: page.into_iter().map(|(cursor, node)| $edge { cursor, node }).collect(),
                    page_info,
                    total,
                }
            }

            /// The records linked to `node` by record fields, paged.
            pub async fn related(
                ctx: &async_graphql::Context<'_>,
                kind: $crate::storage::related::Related,
                node: &str,
                paging: &$crate::graph::connection::Paging,
            ) -> $crate::graph::error::GraphResult<$conn> {
                let (page, info, total) =
                    $crate::graph::types::links::record_list::<$node>(ctx, kind, node, paging).await?;
                Ok($conn::new(page, info, $crate::graph::connection::Total::Known(total)))
            }

            /// A top-level page: ids and keys from SQL, records through the loader.
            pub async fn from_page(
                ctx: &async_graphql::Context<'_>,
                page: $crate::storage::query::Page,
                spec: $crate::storage::query::ListSpec,
            ) -> $crate::graph::error::GraphResult<$conn> {
                let nodes: Vec<$node> = $crate::graph::types::node::many(ctx, &page.ids).await?;
                let cursors: Vec<String> = page.keys.iter().map(|k| $crate::graph::connection::encode_cursor(k)).collect();
                let info = $crate::graph::connection::PageInfo {
                    has_next_page: page.has_next,
                    has_previous_page: page.has_previous,
                    start_cursor: cursors.first().cloned(),
                    end_cursor: cursors.last().cloned(),
                };
                Ok($conn::new(
                    cursors.into_iter().zip(nodes).collect(),
                    info,
                    $crate::graph::connection::Total::Query(spec),
                ))
            }
        }
    };
}
pub(crate) use record_connection;
