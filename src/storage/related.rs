//! What is linked to many nodes at once: one statement per kind of link, whatever the
//! number of nodes asked about. The GraphQL layer's loaders call these.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

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

impl Related {
    /// The SQL: `?1` is the array of node ids, `?2` the relations, `?3` whether to filter by
    /// them; rows are (node, id). A statement names only the parameters it needs.
    fn sql(&self) -> String {
        let claims = |side: &str| {
            format!(
                "SELECT c.{side}, c.id FROM claims c WHERE c.{side} IN rarray(?1)
                 AND (?3 = 0 OR c.relation IN rarray(?2)) ORDER BY c.{side}, {CLAIM_ORDER}"
            )
        };
        match self {
            Related::ClaimsFrom(_) => claims("subject_id"),
            Related::ClaimsTo(_) => claims("object_id"),
            Related::ClaimsInSource => claims("source_id"),
            Related::ClaimsAssertedBy => claims("asserted_by_id"),
            Related::ClaimsTouching => format!(
                "SELECT n.value, c.id FROM rarray(?1) n JOIN claims c
                   ON c.subject_id = n.value OR c.object_id = n.value
                 ORDER BY n.value, {CLAIM_ORDER}"
            ),
            Related::ClaimsCiting => format!(
                "SELECT e.statement_id, c.id FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
                 WHERE e.statement_id IN rarray(?1)
                 ORDER BY e.statement_id, {CLAIM_ORDER}"
            ),
            Related::StatementsInSource => statements("s.source_id"),
            Related::StatementsBySpeaker => statements("s.speaker_id"),
            Related::StatementsAbout => "SELECT n.value, s.id FROM rarray(?1) n JOIN statements s
                   ON s.event_id = n.value
                   OR s.id IN (SELECT statement_id FROM statement_about WHERE node_id = n.value)
                 ORDER BY n.value, coalesce(s.first_day, '9999-12-31'), s.id"
                .into(),
            Related::EventsAt(false) => events("e.location_id", "e.location_id IN rarray(?1)"),
            Related::EventsAt(true) => "WITH RECURSIVE inside(root, id) AS (
                     SELECT value, value FROM rarray(?1)
                     UNION SELECT i.root, l.id FROM locations l JOIN inside i ON l.parent_id = i.id)
                 SELECT i.root, e.id FROM inside i JOIN events e ON e.location_id = i.id
                 ORDER BY i.root, coalesce(e.first_day, '9999-12-31'), e.id"
                .into(),
            Related::Parts => events("e.campaign_id", "e.campaign_id IN rarray(?1)"),
            Related::Campaigns => chain("events", "campaign_id"),
            Related::Children => "SELECT l.parent_id, l.id FROM locations l
                 WHERE l.parent_id IN rarray(?1)
                 ORDER BY l.parent_id, l.name, l.id"
                .into(),
            Related::Ancestors => chain("locations", "parent_id"),
            // The depth bound stops a cycle a corrupt file might hold.
            Related::Descendants => "WITH RECURSIVE down(root, id, depth) AS (
                     SELECT parent_id, id, 1 FROM locations WHERE parent_id IN rarray(?1)
                     UNION
                     SELECT d.root, l.id, d.depth + 1 FROM down d JOIN locations l ON l.parent_id = d.id
                      WHERE d.depth < 100)
                 SELECT d.root, d.id FROM down d JOIN locations l ON l.id = d.id
                 GROUP BY d.root, d.id
                 ORDER BY d.root, min(d.depth), l.name, d.id"
                .into(),
            Related::Sources => "SELECT node_id, source_id FROM node_sources
                 WHERE node_id IN rarray(?1)
                 ORDER BY node_id, position"
                .into(),
            Related::Published => "SELECT publisher_id, id FROM sources
                 WHERE publisher_id IN rarray(?1)
                 ORDER BY publisher_id, coalesce(published, '9999'), id"
                .into(),
        }
    }

    fn relations(&self) -> &[Relation] {
        match self {
            Related::ClaimsFrom(r) | Related::ClaimsTo(r) => r,
            _ => &[],
        }
    }
}

fn statements(column: &str) -> String {
    format!(
        "SELECT {column}, s.id FROM statements s WHERE {column} IN rarray(?1)
          
         ORDER BY {column}, coalesce(s.first_day, '9999-12-31'), s.id"
    )
}

fn events(column: &str, condition: &str) -> String {
    format!(
        "SELECT {column}, e.id FROM events e WHERE {condition}
         ORDER BY {column}, coalesce(e.first_day, '9999-12-31'), e.id"
    )
}

/// Follows a link column upwards from each node, nearest first; stops on a repeat.
fn chain(table: &str, column: &str) -> String {
    format!(
        "WITH RECURSIVE up(root, id, depth) AS (
             SELECT n.value, t.{column}, 1 FROM rarray(?1) n JOIN {table} t ON t.id = n.value
             WHERE t.{column} IS NOT NULL
             UNION
             SELECT up.root, t.{column}, up.depth + 1 FROM up JOIN {table} t ON t.id = up.id
             WHERE t.{column} IS NOT NULL AND up.depth < 64)
         SELECT root, id FROM up ORDER BY root, depth"
    )
}

/// For each node, the ids linked to it in this way, in a stable order.
pub fn related(
    conn: &Connection,
    kind: &Related,
    nodes: &[String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    let sql = kind.sql();
    let relations = relation_names(kind.relations());
    let filtered = i64::from(!relations.is_empty());
    let mut stmt = conn.prepare_cached(&sql)?;
    let count = stmt.parameter_count();
    stmt.raw_bind_parameter(1, array(nodes))?;
    if count >= 2 {
        stmt.raw_bind_parameter(2, array(&relations))?;
    }
    if count >= 3 {
        stmt.raw_bind_parameter(3, filtered)?;
    }
    let mut rows = stmt.raw_query();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut seen = HashSet::new();
    while let Some(row) = rows.next()? {
        let (node, id): (String, String) = (row.get(0)?, row.get(1)?);
        if seen.insert((node.clone(), id.clone())) {
            out.entry(node).or_default().push(id);
        }
    }
    Ok(out)
}
