//! Sources in SQLite.

use super::conn::{Conn, Row, params};
use super::{Outcome, StorageError, all_ids, array, columns as col};
use crate::model::{Id, Reliability, Source, SourceKind};

const SELECT: &str = "SELECT id, kind, title, publisher_id, url, published, reliability, via_id, description FROM sources";

fn from_row(r: &Row<'_>) -> Result<Source, StorageError> {
    Ok(Source {
        id: col::id(r, 0)?,
        kind: col::word(r, 1, SourceKind::parse)?,
        title: col::text(r, 2)?,
        publisher: col::opt_id(r, 3)?,
        url: r.get(4)?,
        published: col::date(r, 5)?,
        reliability: col::opt_word(r, 6, Reliability::parse)?,
        via: col::opt_id(r, 7)?,
        description: r.get(8)?,
    })
}

/// The sources with these ids, by id; ids that name no source are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String]) -> Result<Vec<Source>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    conn.query_rows(&sql, params![array(ids)], from_row)
}

/// The source with this id.
pub fn get(conn: &Conn<'_>, id: &str) -> Result<Option<Source>, StorageError> {
    Ok(get_many(conn, &[id.to_owned()])?.pop())
}

/// Every source, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Source>, StorageError> {
    let ids = all_ids(conn, "sources")?;
    get_many(conn, &ids)
}

/// The id of the source through which this one is known.
pub fn via(conn: &Conn<'_>, id: &str) -> Result<Option<Id>, StorageError> {
    let v: Option<Option<String>> = conn.query_optional(
        "SELECT via_id FROM sources WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    v.flatten()
        .map(|v| Id::parse(&v).map_err(StorageError::Corrupt))
        .transpose()
}

/// Inserts or updates the source, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(
    conn: &Conn<'_>,
    s: &Source,
    before: Option<&Source>,
) -> Result<Outcome, StorageError> {
    if before == Some(s) {
        return Ok(Outcome::Unchanged);
    }
    conn.execute("INSERT INTO sources (id, kind, title, publisher_id, url, published, reliability, via_id, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
             publisher_id = excluded.publisher_id, url = excluded.url,
             published = excluded.published, reliability = excluded.reliability,
             via_id = excluded.via_id, description = excluded.description", params![
        s.id.as_str(),
        s.kind.as_str(),
        s.title.as_str(),
        s.publisher.as_ref().map(Id::as_str),
        s.url,
        s.published.map(|d| d.to_string()),
        s.reliability.map(|r| r.as_str()),
        s.via.as_ref().map(Id::as_str),
        s.description,
    ])?;
    Ok(Outcome::written(before.is_some()))
}
