//! Locations in SQLite.

use super::conn::{Conn, Row, params};
use super::entities::Lists;
use super::lists::{ALIASES, NODE_SOURCES};
use super::{Outcome, StorageError, all_ids, array, columns as col, take_ids, take_texts};
use crate::model::{Coordinates, CountryCode, Id, Location, LocationKind};

const SELECT: &str = "SELECT id, kind, name, description, lat, lon, precision_km, parent_id, country_code FROM locations";

fn from_row(r: &Row<'_>) -> Result<Location, StorageError> {
    let lat: Option<f64> = r.get(4)?;
    let lon: Option<f64> = r.get(5)?;
    Ok(Location {
        id: col::id(r, 0)?,
        kind: col::word(r, 1, LocationKind::parse)?,
        name: col::text(r, 2)?,
        description: r.get(3)?,
        coordinates: match (lat, lon) {
            (Some(lat), Some(lon)) => Some(Coordinates {
                lat,
                lon,
                precision_km: r.get(6)?,
            }),
            _ => None,
        },
        parent: col::opt_id(r, 7)?,
        country_code: r
            .get::<Option<String>>(8)?
            .map(|c| {
                CountryCode::try_from(c).map_err(|e| super::error::bad_value(8, e.to_string()))
            })
            .transpose()?,
        aliases: Vec::new(),
        sources: Vec::new(),
    })
}

/// The locations with these ids, by id, with the `lists` asked for; ids that name no
/// location are skipped.
pub fn get_many(
    conn: &Conn<'_>,
    ids: &[String],
    lists: Lists,
) -> Result<Vec<Location>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows: Vec<Location> = conn.query_rows(&sql, params![array(ids)], from_row)?;
    let mut aliases = lists.aliases(conn, ids)?;
    let mut sources = lists.sources(conn, ids)?;
    let mut out = rows;
    for r in &mut out {
        r.aliases = take_texts(&mut aliases, r.id.as_str())?;
        r.sources = take_ids(&mut sources, r.id.as_str())?;
    }
    Ok(out)
}

/// Every location, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Location>, StorageError> {
    let ids = all_ids(conn, "locations")?;
    get_many(conn, &ids, Lists::All)
}

/// The id of the location that contains this one.
pub fn parent(conn: &Conn<'_>, id: &str) -> Result<Option<Id>, StorageError> {
    let parent: Option<Option<String>> = conn.query_optional(
        "SELECT parent_id FROM locations WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    parent
        .flatten()
        .map(|p| Id::parse(&p).map_err(StorageError::Corrupt))
        .transpose()
}

/// Inserts or updates the location, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(
    conn: &Conn<'_>,
    l: &Location,
    before: Option<&Location>,
) -> Result<Outcome, StorageError> {
    if before == Some(l) {
        return Ok(Outcome::Unchanged);
    }
    let c = l.coordinates.as_ref();
    conn.execute("INSERT INTO locations (id, kind, name, description, lat, lon, precision_km, parent_id, country_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
             description = excluded.description, lat = excluded.lat, lon = excluded.lon,
             precision_km = excluded.precision_km, parent_id = excluded.parent_id,
             country_code = excluded.country_code", params![
        l.id.as_str(),
        l.kind.as_str(),
        l.name.as_str(),
        l.description,
        c.map(|c| c.lat),
        c.map(|c| c.lon),
        c.and_then(|c| c.precision_km),
        l.parent.as_ref().map(Id::as_str),
        l.country_code.as_ref().map(CountryCode::as_str),
    ])?;
    ALIASES.replace(
        conn,
        l.id.as_str(),
        before.map(|b| &b.aliases[..]),
        &l.aliases,
    )?;
    NODE_SOURCES.replace(
        conn,
        l.id.as_str(),
        before.map(|b| &b.sources[..]),
        &l.sources,
    )?;
    Ok(Outcome::written(before.is_some()))
}
