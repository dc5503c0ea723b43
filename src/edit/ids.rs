//! Ids for claims and statements an editor did not name: readable slugs made from what the
//! record says, with a number added when the slug is taken.

use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::model::EntityType;
use crate::storage::{StorageError, nodes};

/// Room left under the 200-character id limit for a `-NNN` suffix.
const MAX_BASE: usize = 180;

/// An unused id for a new record of `section` with these fields.
pub fn fresh(
    conn: &Connection,
    section: EntityType,
    fields: &Map<String, Value>,
) -> Result<String, StorageError> {
    let word = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or("");
    let base = match section {
        EntityType::Claim => {
            let object = fields
                .get("object")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    let v = fields.get("value")?;
                    let amount = v.get("amount").map(|a| a.to_string());
                    let text = v.get("text").and_then(Value::as_str).map(str::to_owned);
                    amount.or(text)
                })
                .unwrap_or_default();
            format!("{} {} {}", word("subject"), word("relation"), object)
        }
        EntityType::Statement => format!("{} statement {}", word("speaker"), word("source")),
        _ => section.as_str().to_owned(),
    };
    let base = slug(&base, section.as_str());
    if nodes::node_type(conn, &base)?.is_none() {
        return Ok(base);
    }
    Ok(format!("{base}-{}", last_suffix(conn, &base)?.max(1) + 1))
}

/// The highest n of the ids `base-n` taken, 0 if none: one statement over the ids that start
/// with `base-` (an index range, since `.` follows `-`), however many are taken.
fn last_suffix(conn: &Connection, base: &str) -> Result<i64, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(CAST(substr(id, length(?1) + 2) AS INTEGER)), 0) FROM nodes
             WHERE id > ?1 || '-' AND id < ?1 || '.'
               AND substr(id, length(?1) + 2) NOT GLOB '*[^0-9]*'",
        )?
        .query_row([base], |r| r.get(0))?)
}

/// Lowercase ASCII words joined by single hyphens, at most [`MAX_BASE`] characters.
fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > MAX_BASE {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_keeps_words_and_drops_the_rest() {
        assert_eq!(
            slug("kataib-hezbollah suspected_patron_of iran", "claim"),
            "kataib-hezbollah-suspected-patron-of-iran"
        );
        assert_eq!(slug("  ", "claim"), "claim");
        assert!(slug(&"word ".repeat(100), "claim").len() <= MAX_BASE);
    }
}
