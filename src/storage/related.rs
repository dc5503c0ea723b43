//! What is linked to many nodes at once: one statement per kind of link, whatever the
//! number of nodes asked about. The GraphQL layer's loaders call these.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::conn::{self, Conn, Param, bind};
use super::query::Window;
use super::{StorageError, array};
use crate::model::{Relation, StancePosition};

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
    /// Stances taken on the claim.
    StancesOn,
    /// Stances the actor took, with one of these positions (all when empty).
    StancesBy(Vec<StancePosition>),
}

/// Stances in the order they were taken (undated last), then by id.
const STANCE_ORDER: &str = "coalesce(s.date, '9999'), s.id";

const CLAIM_ORDER: &str = "c.confidence DESC, c.id";

/// The terms of an `ORDER BY` list, each with whether it is descending: the list split at
/// its top-level commas.
fn order_keys(order: &str) -> Vec<(&str, bool)> {
    let mut keys = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in order.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                keys.push(key(&order[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    keys.push(key(&order[start..]));
    keys
}

/// One `ORDER BY` term as (expression, descending).
fn key(term: &str) -> (&str, bool) {
    let term = term.trim();
    match term.strip_suffix(" DESC") {
        Some(expr) => (expr.trim_end(), true),
        None => (term.strip_suffix(" ASC").unwrap_or(term).trim_end(), false),
    }
}

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
    /// `FROM … WHERE …` for one node, `n.value`, when the list is a plain filter of one table
    /// by a column: its ends are then read per node through the column's index (see `ends`).
    one: Option<String>,
    /// For a list of claims by one end, the other end, read with each id by `ends`.
    other: Option<&'static str>,
}

impl ListSql {
    fn new(node: &'static str, id: &'static str, from: String, order: &str) -> ListSql {
        ListSql {
            with: "",
            node,
            id,
            from,
            order: order.to_owned(),
            one: None,
            other: None,
        }
    }

    /// The rows of `table` (with its alias) whose `column` is the node, with `filter` (`AND
    /// …` or nothing) on top.
    fn by_column(
        column: &'static str,
        id: &'static str,
        table: &str,
        filter: &str,
        order: &str,
    ) -> ListSql {
        ListSql {
            one: Some(format!("FROM {table} WHERE {column} = n.value {filter}")),
            ..ListSql::new(
                column,
                id,
                format!("FROM {table} WHERE {column} IN rarray(?1) {filter}"),
                order,
            )
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

    /// The first (or, when `backward`, last) `?6` items of every node's list, with each
    /// list's length: the common case of a page without cursors. One row per node: (node,
    /// length, the ids in list order separated by spaces, or NULL when there are none).
    ///
    /// A plain list is read node by node through its column's index: the length is a count
    /// of index entries and the ids a sort bounded by the page, so a hub costs its page. Any
    /// other list is numbered whole with window functions, which sort every node's whole list.
    fn ends(&self, backward: bool) -> String {
        let Some(one) = &self.one else {
            return self.numbered_ends(backward);
        };
        let keys = order_keys(&self.order);
        let by = |flip: bool| {
            keys.iter()
                .enumerate()
                .map(|(i, (_, desc))| format!("k{i}{}", if *desc != flip { " DESC" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let columns: String = keys
            .iter()
            .enumerate()
            .map(|(i, (expr, _))| format!(", {expr} AS k{i}"))
            .collect();
        let (forward, taken, id) = (by(false), by(backward), self.id);
        let item = match self.other {
            Some(other) => format!("{id} || '=' || coalesce({other}, '')"),
            None => id.to_owned(),
        };
        format!(
            "SELECT n.value,
                    (SELECT count(*) {one}),
                    (SELECT group_concat(item, ' ' ORDER BY {forward})
                     FROM (SELECT {item} AS item{columns} {one} ORDER BY {taken} LIMIT ?6) AS taken)
             FROM rarray(?1) n"
        )
    }

    /// `ends` for a list that is not a plain filter: every node's list numbered in SQL.
    fn numbered_ends(&self, backward: bool) -> String {
        let (with, numbered) = (self.with(true), self.numbered());
        let keep = if backward {
            "rn > total - ?6"
        } else {
            "rn <= ?6"
        };
        format!(
            "{with}
             numbered AS ({numbered})
             SELECT node, max(total), group_concat(id, ' ' ORDER BY rn) FILTER (WHERE {keep})
             FROM numbered GROUP BY node"
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
                      CASE WHEN s >= e THEN s WHEN ?7 THEN (CASE WHEN e - ?6 > s THEN e - ?6 ELSE s END) ELSE s END AS lo,
                      CASE WHEN s >= e THEN s WHEN ?7 THEN e ELSE (CASE WHEN s + ?6 < e THEN s + ?6 ELSE e END) END AS hi
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
        let claims = |side: &'static str, other: Option<&'static str>| ListSql {
            other,
            ..ListSql::by_column(side, "c.id", "claims c", filter, CLAIM_ORDER)
        };
        match self {
            Related::ClaimsFrom(_) => claims("c.subject_id", Some("c.object_id")),
            Related::ClaimsTo(_) => claims("c.object_id", Some("c.subject_id")),
            Related::ClaimsInSource => claims("c.source_id", None),
            Related::ClaimsAssertedBy => claims("c.asserted_by_id", None),
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
            Related::EventsAt(false) => events("e.location_id"),
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
            Related::Parts => events("e.campaign_id"),
            Related::Campaigns => chain(
                "up(root, id, depth) AS (
                     SELECT n.value, t.campaign_id, 1 FROM rarray(?1) n JOIN events t ON t.id = n.value
                     WHERE t.campaign_id IS NOT NULL
                     UNION
                     SELECT up.root, t.campaign_id, up.depth + 1 FROM up JOIN events t ON t.id = up.id
                     WHERE t.campaign_id IS NOT NULL AND up.depth < 64)",
            ),
            Related::Children => ListSql::by_column("l.parent_id", "l.id", "locations l", "", "l.name, l.id"),
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
                    "FROM down d JOIN locations l ON l.id = d.id GROUP BY d.root, d.id, l.name".into(),
                    "min(d.depth), l.name, d.id",
                )
            },
            Related::Sources => ListSql::by_column("node_id", "source_id", "node_sources", "", "position"),
            Related::Published => ListSql::by_column(
                "publisher_id",
                "id",
                "sources",
                "",
                "coalesce(published, '9999'), id",
            ),
            Related::StancesOn => {
                ListSql::by_column("s.claim_id", "s.id", "stances s", "", STANCE_ORDER)
            }
            Related::StancesBy(positions) => ListSql::by_column(
                "s.actor_id",
                "s.id",
                "stances s",
                if positions.is_empty() {
                    ""
                } else {
                    "AND s.position IN rarray(?2)"
                },
                STANCE_ORDER,
            ),
        }
    }

    fn relations(&self) -> &[Relation] {
        match self {
            Related::ClaimsFrom(r) | Related::ClaimsTo(r) => r,
            _ => &[],
        }
    }

    /// The words a list filters by (`?2`): relations for claims, positions for stances.
    fn words(&self) -> Vec<&'static str> {
        match self {
            Related::StancesBy(positions) => positions.iter().map(StancePosition::as_str).collect(),
            _ => self.relations().iter().map(Relation::as_str).collect(),
        }
    }
}

const STATEMENT_ORDER: &str = "coalesce(s.first_day, '9999-12-31'), s.id";
const EVENT_ORDER: &str = "coalesce(e.first_day, '9999-12-31'), e.id";

fn statements(column: &'static str) -> ListSql {
    ListSql::by_column(column, "s.id", "statements s", "", STATEMENT_ORDER)
}

fn events(column: &'static str) -> ListSql {
    ListSql::by_column(column, "e.id", "events e", "", EVENT_ORDER)
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

/// The parameters of a list statement of `kind`: the node ids (`?1`), the relation filter
/// (`?2`, NULL when the text has none), then `rest` from `?3` on (NULL where a text skips
/// a number, as an unbound parameter was before).
fn list_params(kind: &Related, nodes: &[String], rest: Vec<Param<'static>>) -> Vec<Param<'static>> {
    let words = kind.words();
    let mut params = vec![array(nodes)];
    if !words.is_empty() || !rest.is_empty() {
        params.push(if words.is_empty() {
            Param::Null
        } else {
            array(&words)
        });
    }
    params.extend(rest);
    params
}

/// For each node, the ids linked to it in this way, in a stable order.
pub fn related(
    conn: &Conn<'_>,
    kind: &Related,
    nodes: &[String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    let params = list_params(kind, nodes, Vec::new());
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    conn.for_each_row(&kind.sql().whole(), &bind(&params), |row| {
        let (node, id): (String, String) = (row.get(0)?, row.get(1)?);
        out.entry(node).or_default().push(id);
        Ok(())
    })?;
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
    /// For a page of claims by one end read without cursors, the node at each claim's
    /// other end (none for a value); empty otherwise.
    pub others: Vec<Option<String>>,
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
            others: Vec::new(),
        }
    }
}

/// For each node, the page of its list in this way that `window` picks (its `after` and
/// `before` are ids of the list). Only the page's ids are read out of SQL, so the cost is a
/// page's, whatever the length of a hub's list. Nodes with empty lists are absent.
pub fn related_pages(
    conn: &Conn<'_>,
    kind: &Related,
    nodes: &[String],
    window: &Window,
) -> Result<HashMap<String, ListPage>, StorageError> {
    if window.after.is_none() && window.before.is_none() {
        return list_ends(conn, kind, nodes, window);
    }
    let params = list_params(
        kind,
        nodes,
        vec![
            Param::Null,
            window.after.clone().map_or(Param::Null, conn::text),
            window.before.clone().map_or(Param::Null, conn::text),
            Param::Integer(i64::try_from(window.limit).unwrap_or(i64::MAX)),
            Param::Bool(window.backward),
        ],
    );
    let mut out: HashMap<String, ListPage> = HashMap::new();
    conn.for_each_row(&kind.sql().page(), &bind(&params), |row| {
        let node: String = row.get(0)?;
        let page = match out.entry(node) {
            Entry::Occupied(page) => page.into_mut(),
            Entry::Vacant(slot) => slot.insert(ListPage {
                ids: Vec::new(),
                total: count(row.get(1)?),
                skipped: count(row.get(4)?),
                after_found: window.after.is_none() || row.get::<Option<i64>>(2)?.is_some(),
                before_found: window.before.is_none() || row.get::<Option<i64>>(3)?.is_some(),
                others: Vec::new(),
            }),
        };
        if let Some(id) = row.get::<Option<String>>(6)? {
            page.ids.push(id);
        }
        Ok(())
    })?;
    Ok(out)
}

/// `related_pages` for a window without cursors: the first or last items of each list.
fn list_ends(
    conn: &Conn<'_>,
    kind: &Related,
    nodes: &[String],
    window: &Window,
) -> Result<HashMap<String, ListPage>, StorageError> {
    let params = list_params(
        kind,
        nodes,
        vec![
            Param::Null,
            Param::Null,
            Param::Null,
            Param::Integer(i64::try_from(window.limit).unwrap_or(i64::MAX)),
        ],
    );
    let mut out: HashMap<String, ListPage> = HashMap::new();
    conn.for_each_row(&kind.sql().ends(window.backward), &bind(&params), |row| {
        let total = count(row.get(1)?);
        if total == 0 {
            return Ok(());
        }
        // Ids never hold a space or `=` (see `model::id`), so the list splits back.
        let items: Option<String> = row.get(2)?;
        let mut ids = Vec::new();
        let mut others = Vec::new();
        for item in items.iter().flat_map(|items| items.split(' ')) {
            match item.split_once('=') {
                Some((id, other)) => {
                    ids.push(id.to_owned());
                    others.push((!other.is_empty()).then(|| other.to_owned()));
                }
                None => ids.push(item.to_owned()),
            }
        }
        let skipped = if window.backward {
            total - ids.len()
        } else {
            0
        };
        let page = ListPage {
            ids,
            total,
            skipped,
            others,
            ..ListPage::whole(Vec::new())
        };
        out.insert(row.get(0)?, page);
        Ok(())
    })?;
    Ok(out)
}

/// A count or position from SQL, which is never negative.
fn count(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::storage::conn::params;
    use crate::storage::{Edit, Store};

    fn seeded() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let loaded = fixture::bundled();
        store
            .load(|w| w.apply(&loaded.set, &Edit::by("test")))
            .unwrap();
        store
    }

    /// Every kind of list, plain filters and numbered ones alike.
    fn kinds() -> Vec<Related> {
        vec![
            Related::ClaimsFrom(vec![]),
            Related::ClaimsFrom(vec![Relation::FrontFor, Relation::BackedBy]),
            Related::ClaimsTo(vec![Relation::ClaimedResponsibilityFor]),
            Related::ClaimsTouching,
            Related::ClaimsInSource,
            Related::ClaimsAssertedBy,
            Related::ClaimsCiting,
            Related::StatementsInSource,
            Related::StatementsBySpeaker,
            Related::StatementsAbout,
            Related::EventsAt(false),
            Related::EventsAt(true),
            Related::Parts,
            Related::Campaigns,
            Related::Children,
            Related::Ancestors,
            Related::Descendants,
            Related::Sources,
            Related::Published,
            Related::StancesOn,
            Related::StancesBy(vec![]),
            Related::StancesBy(vec![StancePosition::Denies]),
        ]
    }

    /// The `column` of each of these claims, in order.
    fn other_ends(conn: &Conn<'_>, claims: &[String], column: &str) -> Vec<Option<String>> {
        let sql = format!("SELECT {column} FROM claims WHERE id = ?1");
        claims
            .iter()
            .map(|id| conn.query_one(&sql, params![id], |r| r.get(0)).unwrap())
            .collect()
    }

    #[test]
    fn the_ends_of_every_list_are_the_ends_of_the_whole_list() {
        let store = seeded();
        let conn = &store.conn();
        let nodes = super::super::all_ids(conn, "nodes").unwrap();
        for kind in kinds() {
            let whole = related(conn, &kind, &nodes).unwrap();
            for limit in [0, 1, 2, 5, 1000] {
                for backward in [false, true] {
                    let window = Window {
                        limit,
                        backward,
                        ..Window::default()
                    };
                    let pages = list_ends(conn, &kind, &nodes, &window).unwrap();
                    assert_eq!(pages.len(), whole.len(), "{kind:?}: lists");
                    for (node, ids) in &whole {
                        let take = limit.min(ids.len());
                        let skipped = if backward { ids.len() - take } else { 0 };
                        let page_ids = ids[skipped..skipped + take].to_vec();
                        let others = match &kind {
                            Related::ClaimsFrom(_) => other_ends(conn, &page_ids, "object_id"),
                            Related::ClaimsTo(_) => other_ends(conn, &page_ids, "subject_id"),
                            _ => Vec::new(),
                        };
                        let expected = ListPage {
                            ids: page_ids,
                            total: ids.len(),
                            skipped,
                            after_found: true,
                            before_found: true,
                            others,
                        };
                        assert_eq!(
                            pages[node],
                            expected,
                            "{kind:?} of {node}, {limit} from the {}",
                            if backward { "end" } else { "start" }
                        );
                    }
                }
            }
        }
    }
}
