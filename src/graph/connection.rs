//! Relay cursor connections: `first`/`after`, `last`/`before`, `pageInfo`, `totalCount`.
//!
//! Top-level lists page in SQL by sort key (see `storage::query`); lists under a node page in
//! SQL too, one statement for all the nodes asked about (see `storage::related`), by the
//! position of the cursor's item. Lists put together from several kinds of link are loaded
//! whole and paged here, in memory, the same way. A cursor holds the item's sort key or id,
//! so it stays valid while the graph grows.

use async_graphql::{Context, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::{GraphError, GraphResult};
use super::loaders::data;
use crate::storage::query::{ListSpec, Window};
use crate::storage::related::ListPage;

/// Items on a page when the query does not say.
pub const DEFAULT_PAGE: usize = 50;
/// The most items a page may ask for.
pub const MAX_PAGE: usize = 500;

/// Where a page sits in its list.
#[derive(SimpleObject, Debug, Clone, Default, PartialEq)]
pub struct PageInfo {
    /// Whether items follow this page.
    pub has_next_page: bool,
    /// Whether items precede this page.
    pub has_previous_page: bool,
    /// The first edge's cursor.
    pub start_cursor: Option<String>,
    /// The last edge's cursor.
    pub end_cursor: Option<String>,
}

/// The paging arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct Paging {
    /// Items from the start (after `after`).
    pub first: Option<i32>,
    /// Exclusive start cursor.
    pub after: Option<String>,
    /// Items from the end (before `before`).
    pub last: Option<i32>,
    /// Exclusive end cursor.
    pub before: Option<String>,
}

/// An opaque cursor for a sort key.
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

fn decode_cursor(name: &str, cursor: &str) -> GraphResult<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| {
            GraphError::BadUserInput(format!(
                "`{name}` is not a cursor of this list: pass a `cursor`, `startCursor` or `endCursor` it returned"
            ))
        })
}

impl Paging {
    /// Paging from the four arguments.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Paging {
        Paging {
            first,
            after,
            last,
            before,
        }
    }

    /// The page size and direction, refusing contradictory or out-of-range arguments.
    fn size(&self) -> GraphResult<(usize, bool)> {
        let check = |name: &str, n: i32| {
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE)
                .ok_or_else(|| {
                    GraphError::BadUserInput(format!(
                        "`{name}` must be from 0 to {MAX_PAGE}, not {n}"
                    ))
                })
        };
        match (self.first, self.last) {
            (Some(_), Some(_)) => Err(GraphError::BadUserInput(
                "give `first` or `last`, not both".into(),
            )),
            (Some(n), None) => Ok((check("first", n)?, false)),
            (None, Some(n)) => Ok((check("last", n)?, true)),
            (None, None) => Ok((DEFAULT_PAGE, self.before.is_some() && self.after.is_none())),
        }
    }

    /// The SQL window for a top-level list.
    pub fn window(&self) -> GraphResult<Window> {
        let (limit, backward) = self.size()?;
        Ok(Window {
            after: self
                .after
                .as_deref()
                .map(|c| decode_cursor("after", c))
                .transpose()?,
            before: self
                .before
                .as_deref()
                .map(|c| decode_cursor("before", c))
                .transpose()?,
            limit,
            backward,
        })
    }

    /// A page of an in-memory list of (sort key, item).
    pub fn slice<T>(&self, items: Vec<(String, T)>) -> GraphResult<(Vec<(String, T)>, PageInfo)> {
        let window = self.window()?;
        let position = |key: &Option<String>, name: &str| -> GraphResult<Option<usize>> {
            key.as_ref()
                .map(|k| {
                    items.iter().position(|(item, _)| item == k).ok_or_else(|| {
                        GraphError::BadUserInput(format!("`{name}` names no item of this list"))
                    })
                })
                .transpose()
        };
        let start = position(&window.after, "after")?.map_or(0, |i| i + 1);
        let end = position(&window.before, "before")?.unwrap_or(items.len());
        let (from, to) = if start >= end {
            (start, start)
        } else if window.backward {
            (end.saturating_sub(window.limit).max(start), end)
        } else {
            (start, (start + window.limit).min(end))
        };
        let total = items.len();
        let page: Vec<(String, T)> = items
            .into_iter()
            .skip(from)
            .take(to - from)
            .map(|(k, v)| (encode_cursor(&k), v))
            .collect();
        let info = PageInfo {
            has_next_page: to < total,
            has_previous_page: from > 0,
            start_cursor: page.first().map(|(c, _)| c.clone()),
            end_cursor: page.last().map(|(c, _)| c.clone()),
        };
        Ok((page, info))
    }
}

/// Where a page read by `storage::related::related_pages` sits, or why its cursors are wrong.
pub fn page_info(page: &ListPage, cursors: &[String]) -> GraphResult<PageInfo> {
    if !page.after_found {
        return Err(GraphError::BadUserInput(
            "`after` names no item of this list".into(),
        ));
    }
    if !page.before_found {
        return Err(GraphError::BadUserInput(
            "`before` names no item of this list".into(),
        ));
    }
    Ok(PageInfo {
        has_next_page: page.skipped + page.ids.len() < page.total,
        has_previous_page: page.skipped > 0,
        start_cursor: cursors.first().cloned(),
        end_cursor: cursors.last().cloned(),
    })
}

/// How a connection's `totalCount` is known.
#[derive(Debug, Clone)]
pub enum Total {
    /// Counted already.
    Known(usize),
    /// Counted in SQL when asked for.
    Query(ListSpec),
}

impl Total {
    /// The number of items in the whole list.
    pub async fn count(&self, ctx: &Context<'_>) -> GraphResult<i64> {
        match self {
            Total::Known(n) => Ok(*n as i64),
            Total::Query(spec) => {
                let spec = spec.clone();
                Ok(data(ctx)?.reads.read(move |conn| spec.count(conn)).await?)
            }
        }
    }
}

/// Declares a connection type and its edge type, with optional extra edge fields.
macro_rules! connection {
    ($(#[$doc:meta])* $conn:ident, $edge:ident, $node:ty $(, $(#[$extra_doc:meta])* $extra:ident : $ty:ty)* ) => {
        $crate::graph::connection::connection!(@list $(#[$doc])* $conn, $edge, $node);

        /// An item of the list with its cursor.
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Pass as `after` or `before` to page from here.
            pub cursor: String,
            $($(#[$extra_doc])* pub $extra: $ty,)*
            /// The item.
            pub node: $node,
        }
    };
    // The connection alone, for edges defined by hand.
    (@list $(#[$doc:meta])* $conn:ident, $edge:ident, $node:ty) => {
        $(#[$doc])*
        pub struct $conn {
            /// The edges of this page.
            pub edges: Vec<$edge>,
            /// Where the page sits.
            pub page_info: $crate::graph::connection::PageInfo,
            /// How to count the whole list.
            pub total: $crate::graph::connection::Total,
        }

        $(#[$doc])*
        #[async_graphql::Object]
        impl $conn {
            /// The edges of this page.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }
            /// The nodes of this page, without their edges.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }
            /// Where this page sits in the list.
            async fn page_info(&self) -> &$crate::graph::connection::PageInfo {
                &self.page_info
            }
            /// How many items the whole list has, across all pages.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> $crate::graph::error::GraphResult<i64> {
                self.total.count(ctx).await
            }
        }
    };
}
pub(crate) use connection;
