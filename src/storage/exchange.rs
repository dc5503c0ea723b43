//! What an export reads: every current record (merged-away actors and locations are left
//! out, as lists leave them out) with when each was created and last changed.

use std::collections::{HashMap, HashSet};

use super::conn::{Conn, params};
use super::{StorageError, snapshot};
use crate::model::GraphSet;

/// `(created, modified)` of each node, by id, as history's `at` (milliseconds, UTC).
pub type Stamps = HashMap<String, (String, String)>;

/// Every current record and its stamps, read in one transaction so they agree.
pub fn view(conn: &Conn<'_>) -> Result<(GraphSet, Stamps), StorageError> {
    let mut set = snapshot(conn)?;
    let merged = merged(conn)?;
    if !merged.is_empty() {
        set.actors.retain(|a| !merged.contains(a.id.as_str()));
        set.locations.retain(|l| !merged.contains(l.id.as_str()));
    }
    Ok((set, stamps(conn)?))
}

fn merged(conn: &Conn<'_>) -> Result<HashSet<String>, StorageError> {
    let ids = conn.query_rows(
        "SELECT id FROM nodes WHERE merged_into IS NOT NULL",
        params![],
        |r| r.get(0),
    )?;
    Ok(ids.into_iter().collect())
}

fn stamps(conn: &Conn<'_>) -> Result<Stamps, StorageError> {
    let rows = conn.query_rows(
        "SELECT node_id, min(at), max(at) FROM history GROUP BY node_id",
        params![],
        |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
    )?;
    Ok(rows.into_iter().collect())
}
