//! What is linked to many nodes at once: one statement per kind of link, whatever the
//! number of nodes asked about. The GraphQL layer's loaders call these.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::Connection;

use super::query::Window;
use super::{StorageError, array};
use crate::model::Relation;

/// A kind of link from a node to a list of other nodes' ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Related {
    /// Claims whose subject is the node, with one of these relations (all when empty).
    ClaimsFrom(Vec<Relation>),
    /// Claims whose object is the node, with one of these relations (all when empty).
    ClaimsTo(Vec<Relation>),
    /// Claims whose subject or object is the node.
    ClaimsTouching,
    /// Claims made in the source.
    ClaimsInSource,
    /// Claims asserted by the actor.
    ClaimsAssertedBy,
    /// Claims that cite the statement as evidence.
    ClaimsCiting,
    /// Statements reported by the source.
    StatementsInSource,
    /// Statements the actor made.
    StatementsBySpeaker,
    /// Statements made at the event or about the node.
    StatementsAbout,
    /// Events at the location, or (when true) at it or anywhere inside it.
    EventsAt(bool),
    /// Events whose campaign is the event.
    Parts,
    /// The campaign, its campaign, and so on up (nearest first).
    Campaigns,
    /// Locations whose parent is the location.
    Children,
    /// The location's parent, its parent, and so on up (nearest first).
    Ancestors,
    /// Every location inside the location, at any depth (nearest first, then by name).
    Descendants,
    /// Sources that mention the node.
    Sources,
    /// Sources published by the actor.
    Published,
}

fn relation_names(relations: &[Relation]) -> Vec<&'static str> {
    relations.iter().map(Relation::as_str).collect()
}

const CLAIM_ORDER: &str = "c.confidence DESC, c.id";

/// How one kind of link is read: for every node in `?1`, the linked ids in list order.
/// `?2` is the array of relations, for the kinds that filter by relation.
struct ListSql {
    /// The common table expressions the list needs (separated by commas), or nothing.
    with: &'static str,
    /// The node's id, as an expression over `from`.
    node: &'static str,
    /// The linked id.
    id: &'static str,
    /// `FROM … WHERE … [GROUP BY …]`.
    from: String,
    /// The order of one node's list.
    order: String,
}

impl ListSql {
    fn new(node: &'static str, id: &'static str, from: String, order: &str) -> ListSql {
        ListSql {
            with: "",
            node,
            id,
            from,
            order: order.to_owned(),
        }
    }

    /// `WITH RECURSIVE` and the list's own expressions, then a comma if `more` follow; or
    /// nothing, when neither.
    fn with(&self, more: bool) -> String {
        match (self.with.is_empty(), more) {
            (true, false) => String::new(),
            (true, true) => "WITH RECURSIVE".into(),
            (false, false) => format!("WITH RECURSIVE {}", self.with),
            (false, true) => format!("WITH RECURSIVE {},", self.with),
        }
    }

    /// Every item of every node's list as (node, id, rn, total): its position in its node's
    /// list, and the list's length.
    fn numbered(&self) -> String {
        let ListSql {
            node,
            id,
            from,
            order,
            ..
        } = self;
        format!(
            "SELECT {node} AS node, {id} AS id,
                    row_number() OVER (PARTITION BY {node} ORDER BY {order}) AS rn,
                    count(*) OVER (PARTITION BY {node}) AS total
             {from}"
        )
    }

    /// Every node's whole list.
    fn whole(&self) -> String {
        let ListSql {
            node,
            id,
            from,
            order,
            ..
        } = self;
        let with = self.with(false);
        format!("{with} SELECT {node}, {id} {from} ORDER BY {node}, {order}")
    }

    /// The first or last `?6` items of every node's list (`?7`: from the end), with each
    /// list's length: the common case of a page without cursors, in one pass. One row per
    /// item; a list that gives no item (`first: 0`) still gives one row, for its length.
    fn ends(&self) -> String {
        let (with, numbered) = (self.with(false), self.numbered());
        format!(
            "{with}
             SELECT node, total, rn, id FROM ({numbered})
             WHERE CASE WHEN ?7 THEN rn > total - max(?6, 1) ELSE rn <= max(?6, 1) END
             ORDER BY node, rn"
        )
    }

    /// One page of every node's list, numbered in SQL so that only the page's ids leave it.
    /// `?4`/`?5` are the ids after/before which the page sits, `?6` its size and `?7` whether
    /// it is taken from the end. One row per node, with the page's ids (NULL when empty), the
    /// list's length, the cursors' positions (NULL when not in the list) and the page's bounds.
    /// The bounds mirror `Paging::slice`, which pages in-memory lists the same way.
    fn page(&self) -> String {
        let (with, numbered) = (self.with(true), self.numbered());
        format!(
            "{with}
             numbered AS ({numbered}),
             cursors AS (
               SELECT node, max(total) AS total,
                      max(CASE WHEN id = ?4 THEN rn END) AS a,
                      max(CASE WHEN id = ?5 THEN rn END) AS b
               FROM numbered GROUP BY node),
             span AS (
               SELECT node, total, a, b, coalesce(a, 0) AS s, coalesce(b - 1, total) AS e
               FROM cursors),
             bounds AS (
               SELECT node, total, a, b,
                      CASE WHEN s >= e THEN s WHEN ?7 THEN max(e - ?6, s) ELSE s END AS lo,
                      CASE WHEN s >= e THEN s WHEN ?7 THEN e ELSE min(s + ?6, e) END AS hi
               FROM span)
             SELECT b.node, b.total, b.a, b.b, b.lo, b.hi, n.id
             FROM bounds b LEFT JOIN numbered n ON n.node = b.node AND n.rn > b.lo AND n.rn <= b.hi
             ORDER BY b.node, n.rn"
        )
    }
}

impl Related {
    fn sql(&self) -> ListSql {
        // The filter is left out, not switched off by a parameter, when every relation is
        // wanted: the planner can then seek the (node, relation) indexes when it is there.
        let filter = if self.relations().is_empty() {
            ""
        } else {
            "AND c.relation IN rarray(?2)"
        };
        let claims = |side: &'static str| {
            ListSql::new(
                side,
                "c.id",
                format!("FROM claims c WHERE {side} IN rarray(?1) {filter}"),
                CLAIM_ORDER,
            )
        };
        match self {
            Related::ClaimsFrom(_) => claims("c.subject_id"),
            Related::ClaimsTo(_) => claims("c.object_id"),
            Related::ClaimsInSource => claims("c.source_id"),
            Related::ClaimsAssertedBy => claims("c.asserted_by_id"),
            Related::ClaimsTouching => ListSql::new(
                "n.value",
                "c.id",
                "FROM rarray(?1) n JOIN claims c
                   ON c.subject_id = n.value OR c.object_id = n.value"
                    .into(),
                CLAIM_ORDER,
            ),
            Related::ClaimsCiting => ListSql::new(
                "e.statement_id",
                "c.id",
                "FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
                 WHERE e.statement_id IN rarray(?1)"
                    .into(),
                CLAIM_ORDER,
            ),
            Related::StatementsInSource => statements("s.source_id"),
            Related::StatementsBySpeaker => statements("s.speaker_id"),
            Related::StatementsAbout => ListSql::new(
                "n.value",
                "s.id",
                "FROM rarray(?1) n JOIN statements s
                   ON s.event_id = n.value
                   OR s.id IN (SELECT statement_id FROM statement_about WHERE node_id = n.value)"
                    .into(),
                STATEMENT_ORDER,
            ),
            Related::EventsAt(false) => events("e.location_id", "e.location_id IN rarray(?1)"),
            Related::EventsAt(true) => ListSql {
                with: "inside(root, id) AS (
                     SELECT value, value FROM rarray(?1)
                     UNION SELECT i.root, l.id FROM locations l JOIN inside i ON l.parent_id = i.id)",
                ..ListSql::new(
                    "i.root",
                    "e.id",
                    "FROM inside i JOIN events e ON e.location_id = i.id".into(),
                    EVENT_ORDER,
                )
            },
            Related::Parts => events("e.campaign_id", "e.campaign_id IN rarray(?1)"),
            Related::Campaigns => chain(
                "up(root, id, depth) AS (
                     SELECT n.value, t.campaign_id, 1 FROM rarray(?1) n JOIN events t ON t.id = n.value
                     WHERE t.campaign_id IS NOT NULL
                     UNION
                     SELECT up.root, t.campaign_id, up.depth + 1 FROM up JOIN events t ON t.id = up.id
                     WHERE t.campaign_id IS NOT NULL AND up.depth < 64)",
            ),
            Related::Children => ListSql::new(
                "l.parent_id",
                "l.id",
                "FROM locations l WHERE l.parent_id IN rarray(?1)".into(),
                "l.name, l.id",
            ),
            Related::Ancestors => chain(
                "up(root, id, depth) AS (
                     SELECT n.value, t.parent_id, 1 FROM rarray(?1) n JOIN locations t ON t.id = n.value
                     WHERE t.parent_id IS NOT NULL
                     UNION
                     SELECT up.root, t.parent_id, up.depth + 1 FROM up JOIN locations t ON t.id = up.id
                     WHERE t.parent_id IS NOT NULL AND up.depth < 64)",
            ),
            // The depth bound stops a cycle a corrupt file might hold.
            Related::Descendants => ListSql {
                with: "down(root, id, depth) AS (
                     SELECT parent_id, id, 1 FROM locations WHERE parent_id IN rarray(?1)
                     UNION
                     SELECT d.root, l.id, d.depth + 1 FROM down d JOIN locations l ON l.parent_id = d.id
                      WHERE d.depth < 100)",
                ..ListSql::new(
                    "d.root",
                    "d.id",
                    "FROM down d JOIN locations l ON l.id = d.id GROUP BY d.root, d.id".into(),
                    "min(d.depth), l.name, d.id",
                )
            },
            Related::Sources => ListSql::new(
                "node_id",
                "source_id",
                "FROM node_sources WHERE node_id IN rarray(?1)".into(),
                "position",
            ),
            Related::Published => ListSql::new(
                "publisher_id",
                "id",
                "FROM sources WHERE publisher_id IN rarray(?1)".into(),
                "coalesce(published, '9999'), id",
            ),
        }
    }

    fn relations(&self) -> &[Relation] {
        match self {
            Related::ClaimsFrom(r) | Related::ClaimsTo(r) => r,
            _ => &[],
        }
    }
}

const STATEMENT_ORDER: &str = "coalesce(s.first_day, '9999-12-31'), s.id";
const EVENT_ORDER: &str = "coalesce(e.first_day, '9999-12-31'), e.id";

fn statements(column: &'static str) -> ListSql {
    ListSql::new(
        column,
        "s.id",
        format!("FROM statements s WHERE {column} IN rarray(?1)"),
        STATEMENT_ORDER,
    )
}

fn events(column: &'static str, condition: &str) -> ListSql {
    ListSql::new(
        column,
        "e.id",
        format!("FROM events e WHERE {condition}"),
        EVENT_ORDER,
    )
}

/// A link column followed upwards from each node by `with` (a recursive `up(root, id,
/// depth)` that stops at depth 64), nearest first; an id met twice counts at its nearest.
fn chain(with: &'static str) -> ListSql {
    ListSql {
        with,
        ..ListSql::new(
            "root",
            "id",
            "FROM up GROUP BY root, id".into(),
            "min(depth)",
        )
    }
}

/// Binds the node ids and the relation filter of `kind` to a prepared list statement.
fn bind(
    stmt: &mut rusqlite::CachedStatement<'_>,
    kind: &Related,
    nodes: &[String],
) -> Result<(), StorageError> {
    let relations = relation_names(kind.relations());
    let count = stmt.parameter_count();
    stmt.raw_bind_parameter(1, array(nodes))?;
    if count >= 2 {
        stmt.raw_bind_parameter(2, array(&relations))?;
    }
    Ok(())
}

/// For each node, the ids linked to it in this way, in a stable order.
pub fn related(
    conn: &Connection,
    kind: &Related,
    nodes: &[String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    let mut stmt = conn.prepare_cached(&kind.sql().whole())?;
    bind(&mut stmt, kind, nodes)?;
    let mut rows = stmt.raw_query();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let (node, id): (String, String) = (row.get(0)?, row.get(1)?);
        out.entry(node).or_default().push(id);
    }
    Ok(out)
}

/// One page of a node's list of links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    /// The page's ids, in list order.
    pub ids: Vec<String>,
    /// How many items the whole list has.
    pub total: usize,
    /// How many items precede the page.
    pub skipped: usize,
    /// Whether the window's `after` id is in the list (true when there is none).
    pub after_found: bool,
    /// Whether the window's `before` id is in the list (true when there is none).
    pub before_found: bool,
}

impl ListPage {
    /// A page of the whole list, for a list that has no paging of its own.
    pub fn whole(ids: Vec<String>) -> ListPage {
        ListPage {
            total: ids.len(),
            ids,
            skipped: 0,
            after_found: true,
            before_found: true,
        }
    }
}

/// For each node, the page of its list in this way that `window` picks (its `after` and
/// `before` are ids of the list). Only the page's ids are read out of SQL, so the cost is a
/// page's, whatever the length of a hub's list. Nodes with empty lists are absent.
pub fn related_pages(
    conn: &Connection,
    kind: &Related,
    nodes: &[String],
    window: &Window,
) -> Result<HashMap<String, ListPage>, StorageError> {
    if window.after.is_none() && window.before.is_none() {
        return list_ends(conn, kind, nodes, window);
    }
    let mut stmt = conn.prepare_cached(&kind.sql().page())?;
    bind(&mut stmt, kind, nodes)?;
    stmt.raw_bind_parameter(4, window.after.as_deref())?;
    stmt.raw_bind_parameter(5, window.before.as_deref())?;
    stmt.raw_bind_parameter(6, i64::try_from(window.limit).unwrap_or(i64::MAX))?;
    stmt.raw_bind_parameter(7, window.backward)?;
    let mut rows = stmt.raw_query();
    let mut out: HashMap<String, ListPage> = HashMap::new();
    while let Some(row) = rows.next()? {
        let node: String = row.get(0)?;
        let page = match out.entry(node) {
            Entry::Occupied(page) => page.into_mut(),
            Entry::Vacant(slot) => slot.insert(ListPage {
                ids: Vec::new(),
                total: count(row.get(1)?),
                skipped: count(row.get(4)?),
                after_found: window.after.is_none() || row.get::<_, Option<i64>>(2)?.is_some(),
                before_found: window.before.is_none() || row.get::<_, Option<i64>>(3)?.is_some(),
            }),
        };
        if let Some(id) = row.get::<_, Option<String>>(6)? {
            page.ids.push(id);
        }
    }
    Ok(out)
}

/// `related_pages` for a window without cursors: the first or last items of each list.
fn list_ends(
    conn: &Connection,
    kind: &Related,
    nodes: &[String],
    window: &Window,
) -> Result<HashMap<String, ListPage>, StorageError> {
    let mut stmt = conn.prepare_cached(&kind.sql().ends())?;
    bind(&mut stmt, kind, nodes)?;
    stmt.raw_bind_parameter(6, i64::try_from(window.limit).unwrap_or(i64::MAX))?;
    stmt.raw_bind_parameter(7, window.backward)?;
    let mut rows = stmt.raw_query();
    let mut out: HashMap<String, ListPage> = HashMap::new();
    while let Some(row) = rows.next()? {
        let node: String = row.get(0)?;
        let total = count(row.get(1)?);
        let page = out.entry(node).or_insert_with(|| ListPage {
            total,
            skipped: if window.backward {
                total.saturating_sub(window.limit)
            } else {
                0
            },
            ..ListPage::whole(Vec::new())
        });
        // Past the page only when the page is empty (`first: 0` or `last: 0`).
        let position = count(row.get(2)?);
        if page.ids.len() < window.limit && position > page.skipped {
            page.ids.push(row.get(3)?);
        }
    }
    Ok(out)
}

/// A count or position from SQL, which is never negative.
fn count(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}
