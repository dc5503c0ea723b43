//! Statements in SQLite.

use super::conn::{Conn, Row, params};
use super::lists::ABOUT;
use super::{Outcome, StorageError, all_ids, array, columns as col, take_ids};
use crate::model::{Id, Statement};

const SELECT: &str = "SELECT id, speaker_id, text, when_date, when_until, part_of_day,
    location_id, event_id, source_id, description FROM statements";

fn from_row(r: &Row<'_>) -> Result<Statement, StorageError> {
    Ok(Statement {
        id: col::id(r, 0)?,
        speaker: col::opt_id(r, 1)?,
        text: col::text(r, 2)?,
        when: col::when(r, 3)?,
        location: col::opt_id(r, 6)?,
        event: col::opt_id(r, 7)?,
        source: col::id(r, 8)?,
        description: r.get(9)?,
        about: Vec::new(),
    })
}

/// The statements with these ids, by id; ids that name no statement are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String]) -> Result<Vec<Statement>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows: Vec<Statement> = conn.query_rows(&sql, params![array(ids)], from_row)?;
    let mut about = ABOUT.read_many(conn, ids)?;
    let mut out = rows;
    for r in &mut out {
        r.about = take_ids(&mut about, r.id.as_str())?;
    }
    Ok(out)
}

/// The statement with this id.
pub fn get(conn: &Conn<'_>, id: &str) -> Result<Option<Statement>, StorageError> {
    Ok(get_many(conn, &[id.to_owned()])?.pop())
}

/// Every statement, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Statement>, StorageError> {
    let ids = all_ids(conn, "statements")?;
    get_many(conn, &ids)
}

/// Inserts or updates the statement, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(
    conn: &Conn<'_>,
    s: &Statement,
    before: Option<&Statement>,
) -> Result<Outcome, StorageError> {
    if before == Some(s) {
        return Ok(Outcome::Unchanged);
    }
    let [date, until, part, first, last] = col::when_params(s.when.as_ref());
    conn.execute(
        "INSERT INTO statements (id, speaker_id, text, when_date, when_until, part_of_day,
             first_day, last_day, location_id, event_id, source_id, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET speaker_id = excluded.speaker_id, text = excluded.text,
             when_date = excluded.when_date, when_until = excluded.when_until,
             part_of_day = excluded.part_of_day, first_day = excluded.first_day,
             last_day = excluded.last_day, location_id = excluded.location_id,
             event_id = excluded.event_id, source_id = excluded.source_id,
             description = excluded.description",
        params![
            s.id.as_str(),
            s.speaker.as_ref().map(Id::as_str),
            s.text.as_str(),
            date,
            until,
            part,
            first,
            last,
            s.location.as_ref().map(Id::as_str),
            s.event.as_ref().map(Id::as_str),
            s.source.as_str(),
            s.description,
        ],
    )?;
    ABOUT.replace(conn, s.id.as_str(), before.map(|b| &b.about[..]), &s.about)?;
    Ok(Outcome::written(before.is_some()))
}
