//! Events in SQLite.

use super::conn::{Conn, Row, params};
use super::entities::Lists;
use super::lists::NODE_SOURCES;
use super::{Outcome, StorageError, all_ids, array, columns as col, take_ids};
use crate::model::{Event, EventKind, Id};

const SELECT: &str = "SELECT id, kind, title, description, when_date, when_until, part_of_day,
    location_id, campaign_id, details FROM events";

fn from_row(r: &Row<'_>) -> Result<Event, StorageError> {
    Ok(Event {
        id: col::id(r, 0)?,
        kind: col::word(r, 1, EventKind::parse)?,
        title: col::text(r, 2)?,
        description: r.get(3)?,
        when: col::when(r, 4)?,
        location: col::opt_id(r, 7)?,
        campaign: col::opt_id(r, 8)?,
        details: col::json(r, 9)?,
        sources: Vec::new(),
    })
}

/// The events with these ids, by id, with the `lists` asked for; ids that name no event
/// are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String], lists: Lists) -> Result<Vec<Event>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows: Vec<Event> = conn.query_rows(&sql, params![array(ids)], from_row)?;
    let mut sources = lists.sources(conn, ids)?;
    let mut out = rows;
    for r in &mut out {
        r.sources = take_ids(&mut sources, r.id.as_str())?;
    }
    Ok(out)
}

/// Every event, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Event>, StorageError> {
    let ids = all_ids(conn, "events")?;
    get_many(conn, &ids, Lists::All)
}

/// The id of the campaign this event belongs to.
pub fn campaign(conn: &Conn<'_>, id: &str) -> Result<Option<Id>, StorageError> {
    let c: Option<Option<String>> = conn.query_optional(
        "SELECT campaign_id FROM events WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    c.flatten()
        .map(|c| Id::parse(&c).map_err(StorageError::Corrupt))
        .transpose()
}

/// Inserts or updates the event, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(conn: &Conn<'_>, e: &Event, before: Option<&Event>) -> Result<Outcome, StorageError> {
    if before == Some(e) {
        return Ok(Outcome::Unchanged);
    }
    let [date, until, part, first, last] = col::when_params(e.when.as_ref());
    let details = e
        .details
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|err| StorageError::Corrupt(err.to_string()))?;
    conn.execute(
        "INSERT INTO events (id, kind, title, description, when_date, when_until, part_of_day,
             first_day, last_day, location_id, campaign_id, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
             description = excluded.description, when_date = excluded.when_date,
             when_until = excluded.when_until, part_of_day = excluded.part_of_day,
             first_day = excluded.first_day, last_day = excluded.last_day,
             location_id = excluded.location_id, campaign_id = excluded.campaign_id,
             details = excluded.details",
        params![
            e.id.as_str(),
            e.kind.as_str(),
            e.title.as_str(),
            e.description,
            date,
            until,
            part,
            first,
            last,
            e.location.as_ref().map(Id::as_str),
            e.campaign.as_ref().map(Id::as_str),
            details,
        ],
    )?;
    NODE_SOURCES.replace(
        conn,
        e.id.as_str(),
        before.map(|b| &b.sources[..]),
        &e.sources,
    )?;
    Ok(Outcome::written(before.is_some()))
}
