//! Search: names and aliases however they are spelled ([`super::names`]), then full-text
//! search (SQLite FTS5) over names, aliases, titles, descriptions and statement text.

use super::StorageError;
use super::conn::{Conn, Engine, params};
use super::names::{self, Match, Names};
use crate::model::{EntityType, Record};

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The node found.
    pub id: String,
    /// Its type.
    pub entity_type: EntityType,
    /// Higher is better, and each class of match scores above the next: 5 an exact name, 4
    /// an alias, from 3 up to 4 a name by the romanisation rules, from 2 up to 3 a name with
    /// a typo, below 2 full text (from 1 up to 2 whole words, from 0 up to 1 words' starts).
    pub score: f64,
    /// How it matched.
    pub how: Match,
    /// The name or alias that matched, for a match of a name.
    pub name: Option<String>,
    /// The best matching passage, matches between `<mark>` and `</mark>`.
    pub snippet: String,
}

/// What the index holds of one record, waiting to be written.
#[derive(Debug, Clone)]
pub struct Entry {
    id: String,
    entity_type: EntityType,
    name: String,
    aliases: String,
    body: String,
    /// The name and aliases of an actor or a location, for [`names`].
    names: Vec<String>,
    fresh: bool,
}

impl Entry {
    /// The node's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The index entry of a record (claims are not indexed: their words are their nodes').
/// `fresh` says the record was just created, so it has no entry to replace.
pub fn entry(record: Record<'_>, fresh: bool) -> Option<Entry> {
    let join = |texts: &[crate::model::Text]| {
        texts
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let named = |name: &crate::model::Text, aliases: &[crate::model::Text]| {
        std::iter::once(name)
            .chain(aliases)
            .map(|t| t.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    let names = match record {
        Record::Actor(a) => named(&a.name, &a.aliases),
        Record::Location(l) => named(&l.name, &l.aliases),
        _ => Vec::new(),
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
        // Claims and stances are found through what they link, not by words of their own.
        Record::Claim(_) | Record::Stance(_) => return None,
    };
    Some(Entry {
        id: record.id().to_string(),
        entity_type: record.entity_type(),
        name: names::spelling::for_index(&name),
        aliases: names::spelling::for_index(&aliases),
        body: names::spelling::for_index(&body.unwrap_or_default()),
        names,
        fresh,
    })
}

/// Writes index entries, each replacing the node's old one.
///
/// A writer gathers a transaction's entries and writes them last: FTS5 keeps what it is given
/// in memory until the transaction's next statement that may need undoing, and flushes it
/// then as a new segment; written between the other rows of a batch, every record would leave
/// a segment of its own, and a large seed would spend most of its time merging them.
pub fn write(conn: &Conn<'_>, entries: &[Entry]) -> Result<(), StorageError> {
    // Every row is found or made before the first write to the index, for the same reason.
    let rows: Vec<(i64, bool)> = entries
        .iter()
        .map(|e| row_of(conn, &e.id, e.fresh))
        .collect::<Result<_, _>>()?;
    for (e, (row, existed)) in entries.iter().zip(rows) {
        if existed {
            conn.execute("DELETE FROM search WHERE rowid = ?1", params![row])?;
        }
        conn.execute(
            "INSERT INTO search (rowid, node_id, type, name, aliases, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![row, e.id, e.entity_type.as_str(), e.name, e.aliases, e.body],
        )?;
    }
    let named: Vec<Names> = entries
        .iter()
        .filter(|e| !e.names.is_empty())
        .map(|e| Names {
            id: e.id.clone(),
            entity_type: e.entity_type,
            texts: e.names.clone(),
            fresh: e.fresh,
        })
        .collect();
    names::write(conn, &named)
}

/// Rewrites the index's text as [`entry`] writes it now (apostrophes inside words dropped,
/// numbers apart from units), for a database indexed before.
pub fn reindex(conn: &Conn<'_>) -> Result<(), StorageError> {
    let rows: Vec<(i64, String, String, String)> = conn.query_rows(
        "SELECT rowid, name, aliases, body FROM search",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (row, name, aliases, body) in rows {
        let (n, a, b) = (
            names::spelling::for_index(&name),
            names::spelling::for_index(&aliases),
            names::spelling::for_index(&body),
        );
        if (&n, &a, &b) != (&name, &aliases, &body) {
            conn.execute(
                "UPDATE search SET name = ?2, aliases = ?3, body = ?4 WHERE rowid = ?1",
                params![row, n, a, b],
            )?;
        }
    }
    Ok(())
}

/// Takes a node out of the index.
pub fn remove(conn: &Conn<'_>, id: &str) -> Result<(), StorageError> {
    names::remove(conn, id)?;
    let row: Option<i64> = conn.query_optional(
        "DELETE FROM search_rows WHERE node_id = ?1 RETURNING row",
        params![id],
        |r| r.get(0),
    )?;
    if let Some(row) = row {
        conn.execute("DELETE FROM search WHERE rowid = ?1", params![row])?;
    }
    Ok(())
}

/// The rowid of the node's index entry, and whether the node had one; a new rowid for a
/// new node.
fn row_of(conn: &Conn<'_>, id: &str, fresh: bool) -> Result<(i64, bool), StorageError> {
    let existing: Option<i64> = if fresh {
        None
    } else {
        conn.query_optional(
            "SELECT row FROM search_rows WHERE node_id = ?1",
            params![id],
            |r| r.get(0),
        )?
    };
    match existing {
        Some(row) => Ok((row, true)),
        None => {
            // RETURNING rather than SQLite's last rowid, so that the text is portable.
            let row = conn.query_one(
                "INSERT INTO search_rows (node_id) VALUES (?1) RETURNING row",
                params![id],
                |r| r.get(0),
            )?;
            Ok((row, false))
        }
    }
}

/// How a typed word matches the index's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// As a whole word.
    Whole,
    /// As a whole word or a word's start.
    Prefix,
}

/// The most distinct words one search matches on; the server refuses more before it runs
/// (see `graph::cost`), and this caps callers that do not ask it.
pub const MAX_TERMS: usize = 16;
/// The longest word kept, in characters: no name is longer, and a longer one only costs.
const MAX_TERM_CHARS: usize = 64;

/// The distinct words of what a person typed, folded as the index is (lower case, no
/// diacritics or apostrophes, numbers apart from units), in the order typed: repeating a
/// word changes nothing, so "a a a …" costs what "a" costs.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in names::spelling::fold(text).split(' ') {
        if word.is_empty() {
            continue;
        }
        let word: String = word.chars().take(MAX_TERM_CHARS).collect();
        if !terms.contains(&word) {
            terms.push(word);
        }
    }
    terms
}

/// How many distinct words a search text holds (what its cost limit counts).
pub fn distinct_terms(text: &str) -> usize {
    terms(text).len()
}

/// The FTS5 query for what a person typed: every distinct word (the first [`MAX_TERMS`])
/// must match, as `words` says.
pub fn fts_query(text: &str, words: Words) -> Option<String> {
    let star = if words == Words::Prefix { "*" } else { "" };
    let terms: Vec<String> = terms(text)
        .into_iter()
        .take(MAX_TERMS)
        .map(|w| format!("\"{w}\"{star}"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// [`fts_query`] for PostgreSQL: a `tsquery` of every distinct word, each quoted, with
/// `:*` for a word's start.
pub fn ts_query(text: &str, words: Words) -> Option<String> {
    let star = if words == Words::Prefix { ":*" } else { "" };
    let terms: Vec<String> = terms(text)
        .into_iter()
        .take(MAX_TERMS)
        .map(|w| format!("'{}'{star}", w.replace('\\', "\\\\").replace('\'', "''")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// How many of a query's matches are scored at most (see `search.sql`). A word found in
/// fewer places than this is ranked over all of them; a common one over the most recent.
const CANDIDATES: i64 = 2000;

/// The best `limit` matches for `text`, best first: names and aliases matched exactly, by
/// the romanisation rules, then with a typo ([`names::find`]), then full text
/// ([`text_search`]); a node found twice is listed where it ranks best.
pub fn search(conn: &Conn<'_>, text: &str, limit: usize) -> Result<Vec<Hit>, StorageError> {
    let mut hits: Vec<Hit> = names::find(conn, text, limit)?
        .into_iter()
        .map(|h| Hit {
            score: name_score(&h),
            snippet: format!("<mark>{}</mark>", h.text),
            id: h.id,
            entity_type: h.entity_type,
            how: h.how,
            name: Some(h.text),
        })
        .collect();
    if hits.len() < limit {
        for hit in text_search(conn, text, limit)? {
            if hits.len() < limit && !hits.iter().any(|h| h.id == hit.id) {
                hits.push(hit);
            }
        }
    }
    Ok(hits)
}

/// A name match's score: its class's base, and within the class more for a closer spelling
/// and fewer unmentioned words (see [`Hit::score`]).
fn name_score(hit: &names::NameHit) -> f64 {
    let within = 0.99 / (1.0 + hit.distance as f64 + 0.1 * hit.extra_words as f64);
    match hit.how {
        Match::Exact => 5.0,
        Match::Alias => 4.0,
        Match::Normalised => 3.0 + within,
        Match::Fuzzy => 2.0 + within,
        Match::Text => within,
    }
}

/// The best `limit` full-text matches for `text`, best first. Matches of the whole words
/// come before matches of words that start with them ("rocket" before "rockets"); within
/// each, names weigh most, then aliases. Each kind is read only as far as `limit` needs and
/// scored over at most [`CANDIDATES`] matches, so that the time does not grow with how
/// common a word is.
pub fn text_search(conn: &Conn<'_>, text: &str, limit: usize) -> Result<Vec<Hit>, StorageError> {
    let mut hits: Vec<Hit> = Vec::new();
    // Whole-word matches score in [1, 2), the others in [0, 1): scores fall down the list.
    for (words, base) in [(Words::Whole, 1.0), (Words::Prefix, 0.0)] {
        if hits.len() >= limit {
            break;
        }
        let query = match conn.engine() {
            Engine::Sqlite => fts_query(text, words),
            Engine::Postgres => ts_query(text, words),
        };
        let Some(query) = query else {
            return Ok(hits);
        };
        for mut hit in ranked(conn, &query, limit)? {
            if hits.len() < limit && !hits.iter().any(|h| h.id == hit.id) {
                hit.score = base + hit.score / (1.0 + hit.score);
                hits.push(hit);
            }
        }
    }
    Ok(hits)
}

/// The best `limit` matches of one FTS5 query among its most recent [`CANDIDATES`].
fn ranked(conn: &Conn<'_>, query: &str, limit: usize) -> Result<Vec<Hit>, StorageError> {
    let rows = conn.query_rows(
        conn.pick(include_str!("search.sql"), include_str!("search.pg.sql")),
        params![query, limit as i64, CANDIDATES],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<f64>(2)?,
                r.get::<String>(3)?,
            ))
        },
    )?;
    let mut hits = Vec::new();
    for (id, t, score, snippet) in rows {
        let entity_type = EntityType::parse(&t)
            .ok_or_else(|| StorageError::Corrupt(format!("search entry type {t:?}")))?;
        hits.push(Hit {
            id,
            entity_type,
            score,
            how: Match::Text,
            name: None,
            snippet,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::{Words, distinct_terms, fts_query};

    #[test]
    fn typed_words_become_terms_and_punctuation_is_dropped() {
        assert_eq!(
            fts_query("Qasem al-Jabarin", Words::Prefix).as_deref(),
            Some("\"qasem\"* \"al\"* \"jabarin\"*")
        );
        assert_eq!(
            fts_query("Qasem al-Jabarin", Words::Whole).as_deref(),
            Some("\"qasem\" \"al\" \"jabarin\"")
        );
        assert_eq!(fts_query("\" * - ()", Words::Prefix), None);
        assert_eq!(
            fts_query("a OR b", Words::Prefix).as_deref(),
            Some("\"a\"* \"or\"* \"b\"*")
        );
    }

    #[test]
    fn repeated_words_fold_into_one_term_and_many_words_are_capped() {
        let repeated = "a ".repeat(20_000);
        assert_eq!(fts_query(&repeated, Words::Whole).as_deref(), Some("\"a\""));
        assert_eq!(distinct_terms("Rocket rocket ROCKET attack"), 2);
        // Words of letters only: digits are words of their own ("w7" is "w 7").
        let many: String = (0..100u8)
            .map(|i| {
                format!(
                    "w{}{} ",
                    char::from(b'a' + i / 10),
                    char::from(b'a' + i % 10)
                )
            })
            .collect();
        assert_eq!(distinct_terms(&many), 100);
        assert_eq!(distinct_terms("w7 w8"), 3);
        let query = fts_query(&many, Words::Whole).unwrap_or_default();
        assert_eq!(query.matches('"').count(), 2 * super::MAX_TERMS);
    }
}
