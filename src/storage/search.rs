//! Full-text search (SQLite FTS5) over names, aliases, descriptions and statement text.

use rusqlite::{Connection, params};

use super::StorageError;
use crate::model::{EntityType, Record};

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The node found.
    pub id: String,
    /// Its type.
    pub entity_type: EntityType,
    /// Higher is better.
    pub score: f64,
    /// The best matching passage, matches between `<mark>` and `</mark>`.
    pub snippet: String,
}

/// Replaces the index entry of a record (claims are not indexed: their words are their nodes').
pub fn index(conn: &Connection, record: Record<'_>) -> Result<(), StorageError> {
    let id = record.id().as_str();
    conn.prepare_cached("DELETE FROM search WHERE node_id = ?1")?
        .execute([id])?;
    let join = |texts: &[crate::model::Text]| {
        texts
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let (name, aliases, body) = match record {
        Record::Actor(a) => (a.name.to_string(), join(&a.aliases), a.description.clone()),
        Record::Location(l) => (l.name.to_string(), join(&l.aliases), l.description.clone()),
        Record::Event(e) => (e.title.to_string(), String::new(), e.description.clone()),
        Record::Source(s) => (s.title.to_string(), String::new(), s.description.clone()),
        Record::Statement(s) => (
            String::new(),
            String::new(),
            Some(format!(
                "{} {}",
                s.text,
                s.description.as_deref().unwrap_or("")
            )),
        ),
        Record::Claim(_) => return Ok(()),
    };
    conn.prepare_cached(
        "INSERT INTO search (node_id, type, name, aliases, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        record.entity_type().as_str(),
        name,
        aliases,
        body.unwrap_or_default()
    ])?;
    Ok(())
}

/// The FTS5 query for what a person typed: every word must match, as a word or a word's start.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The best `limit` matches for `text`, best first. Names weigh most, then aliases.
pub fn search(conn: &Connection, text: &str, limit: usize) -> Result<Vec<Hit>, StorageError> {
    let Some(query) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT node_id, type, -bm25(search, 0.0, 0.0, 10.0, 5.0, 1.0) AS score,
                snippet(search, -1, '<mark>', '</mark>', '…', 12)
         FROM search WHERE search MATCH ?1
         ORDER BY score DESC, node_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![query, limit as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, f64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut hits = Vec::new();
    for row in rows {
        let (id, t, score, snippet) = row?;
        let entity_type = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("search entry type {t:?}")))?;
        hits.push(Hit {
            id,
            entity_type,
            score,
            snippet,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_words_become_prefix_terms_and_punctuation_is_dropped() {
        assert_eq!(
            fts_query("Qasem al-Jabarin").as_deref(),
            Some("\"qasem\"* \"al\"* \"jabarin\"*")
        );
        assert_eq!(fts_query("\" * - ()"), None);
        assert_eq!(
            fts_query("a OR b").as_deref(),
            Some("\"a\"* \"or\"* \"b\"*")
        );
    }
}
