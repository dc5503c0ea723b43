//! Stances in SQLite.

use super::conn::{Conn, Row, params};
use super::{Outcome, StorageError, all_ids, array, columns as col};
use crate::model::{AssertedBy, Confidence, Id, Stance, StancePosition};

const SELECT: &str = "SELECT id, claim_id, actor_id, position, asserted_by_id, source_id, date,
    evidence_id, confidence, note FROM stances";

fn from_row(r: &Row<'_>) -> Result<Stance, StorageError> {
    let confidence: i64 = r.get(8)?;
    Ok(Stance {
        id: col::id(r, 0)?,
        claim: col::id(r, 1)?,
        actor: col::id(r, 2)?,
        position: col::word(r, 3, StancePosition::parse)?,
        asserted_by: col::opt_id(r, 4)?.map_or(AssertedBy::Unknown, AssertedBy::Actor),
        source: col::id(r, 5)?,
        date: col::date(r, 6)?,
        evidence: col::opt_id(r, 7)?,
        confidence: Confidence::try_from(confidence)
            .map_err(|e| super::error::bad_integer(8, e))?,
        note: r.get(9)?,
    })
}

/// The stances with these ids, by id; ids that name no stance are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String]) -> Result<Vec<Stance>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows = conn.query_rows(&sql, params![array(ids)], from_row)?;
    Ok(rows)
}

/// The stance with this id.
pub fn get(conn: &Conn<'_>, id: &str) -> Result<Option<Stance>, StorageError> {
    Ok(get_many(conn, &[id.to_owned()])?.pop())
}

/// Every stance, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Stance>, StorageError> {
    let ids = all_ids(conn, "stances")?;
    get_many(conn, &ids)
}

/// Inserts or updates the stance, given the stored one (`before`, which the caller reads for
/// history too).
pub fn upsert(
    conn: &Conn<'_>,
    s: &Stance,
    before: Option<&Stance>,
) -> Result<Outcome, StorageError> {
    if before == Some(s) {
        return Ok(Outcome::Unchanged);
    }
    conn.execute(
        "INSERT INTO stances (id, claim_id, actor_id, position, asserted_by_id, source_id, date,
             evidence_id, confidence, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET claim_id = excluded.claim_id,
             actor_id = excluded.actor_id, position = excluded.position,
             asserted_by_id = excluded.asserted_by_id, source_id = excluded.source_id,
             date = excluded.date, evidence_id = excluded.evidence_id,
             confidence = excluded.confidence, note = excluded.note",
        params![
            s.id.as_str(),
            s.claim.as_str(),
            s.actor.as_str(),
            s.position.as_str(),
            s.asserted_by.actor().map(Id::as_str),
            s.source.as_str(),
            s.date.map(|d| d.to_string()),
            s.evidence.as_ref().map(Id::as_str),
            s.confidence.get(),
            s.note,
        ],
    )?;
    Ok(Outcome::written(before.is_some()))
}
