//! Reading model values out of columns, refusing what the model would refuse.

use super::StorageError;
use super::conn::Row;
use super::error::bad_value as bad;
use crate::model::{Id, PartOfDay, PartialDate, Text, When};

/// A required id.
pub fn id(row: &Row<'_>, i: usize) -> Result<Id, StorageError> {
    let s: String = row.get(i)?;
    Id::parse(&s).map_err(|e| bad(i, e))
}

/// An optional id.
pub fn opt_id(row: &Row<'_>, i: usize) -> Result<Option<Id>, StorageError> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| Id::parse(&s).map_err(|e| bad(i, e))).transpose()
}

/// A required non-empty text.
pub fn text(row: &Row<'_>, i: usize) -> Result<Text, StorageError> {
    let s: String = row.get(i)?;
    Text::try_from(s).map_err(|e| bad(i, e))
}

/// A word of a closed vocabulary.
pub fn word<T>(row: &Row<'_>, i: usize, parse: fn(&str) -> Option<T>) -> Result<T, StorageError> {
    let s: String = row.get(i)?;
    parse(&s).ok_or_else(|| bad(i, format!("unknown value {s:?}")))
}

/// An optional word of a closed vocabulary.
pub fn opt_word<T>(
    row: &Row<'_>,
    i: usize,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, StorageError> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| parse(&s).ok_or_else(|| bad(i, format!("unknown value {s:?}"))))
        .transpose()
}

/// An optional date.
pub fn date(row: &Row<'_>, i: usize) -> Result<Option<PartialDate>, StorageError> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| PartialDate::parse(&s).map_err(|e| bad(i, e)))
        .transpose()
}

/// A [`When`] stored in three columns starting at `i`: date, until, part of day.
pub fn when(row: &Row<'_>, i: usize) -> Result<Option<When>, StorageError> {
    let Some(date) = date(row, i)? else {
        return Ok(None);
    };
    Ok(Some(When {
        date,
        until: self::date(row, i + 1)?,
        part_of_day: opt_word(row, i + 2, PartOfDay::parse)?,
    }))
}

/// A JSON column decoded into a model type.
pub fn json<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    i: usize,
) -> Result<Option<T>, StorageError> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| bad(i, e.to_string())))
        .transpose()
}

/// The five columns a [`When`] is written as: date, until, part of day, first day, last day.
pub fn when_params(w: Option<&When>) -> [Option<String>; 5] {
    match w {
        None => [None, None, None, None, None],
        Some(w) => [
            Some(w.date.to_string()),
            w.until.map(|d| d.to_string()),
            w.part_of_day.map(|p| p.as_str().to_owned()),
            Some(w.first_day().to_string()),
            Some(w.last_day().to_string()),
        ],
    }
}
