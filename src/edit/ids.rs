//! Ids for claims, statements and stances an editor did not name: readable slugs made from
//! what the record says, with a number added when the slug is taken.

use serde_json::{Map, Value};

use crate::model::EntityType;
use crate::storage::{Conn, StorageError, nodes};

/// Room left under the 200-character id limit for a `-NNN` suffix.
const MAX_BASE: usize = 180;

/// An unused id for a new record of `section` with these fields.
pub fn fresh(
    conn: &Conn<'_>,
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
        EntityType::Stance => format!("{} {} {}", word("actor"), word("position"), word("claim")),
        _ => section.as_str().to_owned(),
    };
    let base = slug(&base, section.as_str());
    if nodes::node_type(conn, &base)?.is_none() {
        return Ok(base);
    }
    Ok(format!("{base}-{}", free_suffix(conn, &base)?))
}

/// A number n with `base-n` free, just past the run of taken ones (`base` itself counts as 1):
/// the next in sequence when the numbers were taken in order, as they are when claimgraph
/// names them. Found by doubling, then halving, so that a slug taken ten thousand times costs
/// about thirty lookups by id instead of a scan of every id that starts with it.
fn free_suffix(conn: &Conn<'_>, base: &str) -> Result<i64, StorageError> {
    let taken = |n: i64| -> Result<bool, StorageError> {
        Ok(nodes::node_type(conn, &format!("{base}-{n}"))?.is_some())
    };
    let (mut low, mut high) = (1_i64, 2_i64);
    while taken(high)? {
        low = high;
        high = high.checked_mul(2).ok_or_else(|| {
            StorageError::Corrupt(format!("no free number is left for the id {base:?}"))
        })?;
    }
    // `low` is taken (or is `base` itself) and `high` is free: find where the run ends.
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if taken(middle)? {
            low = middle;
        } else {
            high = middle;
        }
    }
    Ok(high)
}

/// The words of `text` as an id (see [`crate::model::slug`]), or `fallback` when it has none.
fn slug(text: &str, fallback: &str) -> String {
    let out = crate::model::slug(text, MAX_BASE);
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

    #[test]
    fn a_taken_slug_gets_the_number_after_the_last_one_taken() {
        let store = crate::storage::Store::open_in_memory().unwrap();
        let conn = &store.conn();
        let take = |id: &str| {
            conn.execute("INSERT INTO nodes (id, type) VALUES (?1, 'claim')", &[&id])
                .unwrap();
        };
        assert_eq!(free_suffix(conn, "a-b-c").unwrap(), 2);
        take("a-b-c");
        for n in 2..=37 {
            assert_eq!(free_suffix(conn, "a-b-c").unwrap(), n);
            take(&format!("a-b-c-{n}"));
        }
        assert_eq!(free_suffix(conn, "a-b-c").unwrap(), 38);
        // Other slugs that start the same way do not count.
        take("a-b-c-d");
        take("a-b-c-100");
        assert_eq!(free_suffix(conn, "a-b-c").unwrap(), 38);
    }
}
