//! What an export reads: every current record (merged-away actors and locations are left
//! out, as lists leave them out) with when each was created and last changed.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use super::{StorageError, snapshot};
use crate::model::GraphSet;

/// `(created, modified)` of each node, by id, as history's `at` (milliseconds, UTC).
pub type Stamps = HashMap<String, (String, String)>;

/// Every current record and its stamps, read in one transaction so they agree.
pub fn view(conn: &Connection) -> Result<(GraphSet, Stamps), StorageError> {
    let mut set = snapshot(conn)?;
    let merged = merged(conn)?;
    if !merged.is_empty() {
        set.actors.retain(|a| !merged.contains(a.id.as_str()));
        set.locations.retain(|l| !merged.contains(l.id.as_str()));
    }
    Ok((set, stamps(conn)?))
}

fn merged(conn: &Connection) -> Result<HashSet<String>, StorageError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM nodes WHERE merged_into IS NOT NULL")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

fn stamps(conn: &Connection) -> Result<Stamps, StorageError> {
    let mut stmt =
        conn.prepare_cached("SELECT node_id, min(at), max(at) FROM history GROUP BY node_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
