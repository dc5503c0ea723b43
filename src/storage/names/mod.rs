//! Names as reporting spells them: every name and alias of an actor or a location, stored
//! folded and word by word under the romanisation rules of [`spelling`], and found however a
//! search spells them, exactly, by the rules, or one typo away.

pub mod duplicates;
pub mod spelling;

use std::collections::{HashMap, HashSet};

use super::{StorageError, array};
use crate::model::EntityType;
use crate::storage::conn::{Conn, params};
use spelling::Token;

/// How a name matched a search, from the strictest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    /// The search is the node's name (case, diacritics and punctuation aside).
    Exact,
    /// The search is one of the node's aliases.
    Alias,
    /// Every word of the search is a word of a name or alias under the romanisation rules.
    Normalised,
    /// As [`Match::Normalised`], with a word one typo (two in long words) away.
    Fuzzy,
    /// Full-text search found the words in a name, title, description or statement.
    Text,
}

/// A node whose name matched.
#[derive(Debug, Clone, PartialEq)]
pub struct NameHit {
    /// The node.
    pub id: String,
    /// Its type.
    pub entity_type: EntityType,
    /// How it matched.
    pub how: Match,
    /// The name or alias that matched, as written.
    pub text: String,
    /// How far the spelling is from the name's: the edit distance between their keys,
    /// typos counting one more.
    pub distance: usize,
    /// Words of the name the search did not mention.
    pub extra_words: usize,
}

/// The names of one node, to be written.
#[derive(Debug, Clone)]
pub struct Names {
    /// The node.
    pub id: String,
    /// Its type.
    pub entity_type: EntityType,
    /// Its name first, then its aliases.
    pub texts: Vec<String>,
    /// The node is new: it has no names to replace.
    pub fresh: bool,
}

/// Replaces the names of these nodes.
pub fn write(conn: &Conn<'_>, all: &[Names]) -> Result<(), StorageError> {
    const INSERT_NAME: &str =
        "INSERT INTO names (node_id, type, alias, text, folded, joined, words)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING row";
    const INSERT_WORD: &str = "INSERT OR IGNORE INTO name_words (skeleton, name_row, key, position) VALUES (?1, ?2, ?3, ?4)";
    const INSERT_GRAM: &str =
        "INSERT OR IGNORE INTO skeleton_grams (gram, skeleton) VALUES (?1, ?2)";
    // Skeletons repeat across names ("Abu", "Kataib"): their trigrams are gathered first
    // and written once each, which halved the time a large seed spends here.
    let mut new_grams: HashSet<(String, String)> = HashSet::new();
    for names in all {
        if !names.fresh {
            remove(conn, &names.id)?;
        }
        for (i, text) in names.texts.iter().enumerate() {
            let words = spelling::name_tokens(text);
            // RETURNING rather than SQLite's last rowid, so that the text is portable.
            let row: i64 = conn.query_one(
                INSERT_NAME,
                params![
                    names.id,
                    names.entity_type.as_str(),
                    i > 0,
                    text,
                    spelling::fold(text),
                    spelling::joined(text),
                    words.len() as i64
                ],
                |r| r.get(0),
            )?;
            for (position, forms) in words.iter().enumerate() {
                for form in forms {
                    conn.execute(
                        INSERT_WORD,
                        params![form.skeleton, row, form.key, position as i64],
                    )?;
                    for gram in grams(&form.skeleton) {
                        new_grams.insert((gram, form.skeleton.clone()));
                    }
                }
            }
        }
    }
    for (gram, skeleton) in new_grams {
        conn.execute(INSERT_GRAM, params![gram, skeleton])?;
    }
    Ok(())
}

/// Takes a node's names out. The trigrams of their words stay: a skeleton no name has any
/// more only finds nothing.
pub fn remove(conn: &Conn<'_>, id: &str) -> Result<(), StorageError> {
    conn.execute(
        "DELETE FROM name_words WHERE name_row IN (SELECT row FROM names WHERE node_id = ?1)",
        params![id],
    )?;
    conn.execute("DELETE FROM names WHERE node_id = ?1", params![id])?;
    Ok(())
}

/// Fills the name tables from the actors and locations stored (after the migration that
/// makes them, for a database written before it).
pub fn rebuild(conn: &Conn<'_>) -> Result<(), StorageError> {
    let mut all: Vec<Names> = Vec::new();
    for (table, entity_type) in [
        ("actors", EntityType::Actor),
        ("locations", EntityType::Location),
    ] {
        let sql = format!(
            "SELECT t.id, t.name, a.alias FROM {table} t
               LEFT JOIN aliases a ON a.node_id = t.id
              ORDER BY t.id, a.position"
        );
        conn.for_each_row(&sql, params![], |row| {
            let id: String = row.get(0)?;
            let alias: Option<String> = row.get(2)?;
            if all.last().is_none_or(|n| n.id != id) {
                all.push(Names {
                    id,
                    entity_type,
                    texts: vec![row.get(1)?],
                    fresh: true,
                });
            }
            if let (Some(alias), Some(last)) = (alias, all.last_mut()) {
                last.texts.push(alias);
            }
            Ok(())
        })?;
    }
    write(conn, &all)
}

/// The trigrams of a skeleton, with its start and end marked, for finding words a typo away.
fn grams(skeleton: &str) -> Vec<String> {
    let padded: Vec<char> = std::iter::once('^')
        .chain(skeleton.chars())
        .chain(std::iter::once('$'))
        .collect();
    if padded.len() < 4 {
        return Vec::new();
    }
    let mut out: Vec<String> = padded.windows(3).map(|w| w.iter().collect()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many consonants a word's skeleton may be off a name's to match as a typo: vowels are
/// free already, so one consonant in four is a lot.
fn typos_allowed(skeleton: &str) -> usize {
    match skeleton.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Most name rows one search word is looked up in: a word shared by more names than this
/// (a common first name) narrows the search little, and the other words do the work.
const ROWS_PER_WORD: i64 = 20_000;
/// Most skeletons a typo's trigrams propose for the edit distance to judge.
const TYPO_CANDIDATES: i64 = 200;

/// The best `limit` nodes whose names match `text`: exact names and aliases first, then
/// names every word of the search matches by the romanisation rules, then by a typo; within
/// a class the closer spelling, then the name with fewer other words.
pub fn find(conn: &Conn<'_>, text: &str, limit: usize) -> Result<Vec<NameHit>, StorageError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut hits = exact(conn, text, limit)?;
    let mut query: Vec<Vec<Token>> = spelling::tokens(text);
    query.dedup();
    query.truncate(super::search::MAX_TERMS);
    if !query.is_empty() {
        let mut seen: HashSet<String> = hits.iter().map(|h| h.id.clone()).collect();
        for hit in by_words(conn, text, &query)? {
            if hits.len() >= limit {
                break;
            }
            if seen.insert(hit.id.clone()) {
                hits.push(hit);
            }
        }
    }
    hits.truncate(limit);
    Ok(hits)
}

/// Nodes one of whose names or aliases is the search, folded.
fn exact(conn: &Conn<'_>, text: &str, limit: usize) -> Result<Vec<NameHit>, StorageError> {
    let folded = spelling::fold(text);
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let rows = conn.query_rows(
        "SELECT node_id, type, alias, text, words FROM names WHERE folded = ?1
          ORDER BY alias, node_id LIMIT ?2",
        params![folded, limit as i64 * 4],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<bool>(2)?,
                r.get::<String>(3)?,
            ))
        },
    )?;
    let mut hits: Vec<NameHit> = Vec::new();
    for (id, t, alias, text) in rows {
        if hits.iter().any(|h| h.id == id) {
            continue;
        }
        hits.push(NameHit {
            id,
            entity_type: entity_type(&t)?,
            how: if alias { Match::Alias } else { Match::Exact },
            text,
            distance: 0,
            extra_words: 0,
        });
    }
    Ok(hits)
}

fn entity_type(t: &str) -> Result<EntityType, StorageError> {
    EntityType::parse(t).ok_or_else(|| StorageError::Corrupt(format!("name entry type {t:?}")))
}

/// How one search word matched one name row: its class and distance.
type WordMatch = (Match, usize);

/// Keeps the better of two matches of a row.
fn keep(matches: &mut HashMap<i64, WordMatch>, row: i64, found: WordMatch) {
    matches
        .entry(row)
        .and_modify(|m| *m = (*m).min(found))
        .or_insert(found);
}

/// Name rows the search matches, best first per node: every word by skeleton (or a typo or
/// an ending away); all words but one, the last a consonant off; or the whole name's
/// consonants joined.
fn by_words(
    conn: &Conn<'_>,
    text: &str,
    query: &[Vec<Token>],
) -> Result<Vec<NameHit>, StorageError> {
    let mut per_word: Vec<HashMap<i64, WordMatch>> = Vec::with_capacity(query.len());
    for forms in query {
        per_word.push(word_matches(conn, forms)?);
    }
    let mut rows: HashMap<i64, WordMatch> = HashMap::new();
    let mut all_but_one: HashMap<i64, (usize, WordMatch)> = HashMap::new();
    let mut counts: HashMap<i64, (usize, Match, usize)> = HashMap::new();
    for matches in &per_word {
        for (&row, &(how, distance)) in matches {
            let entry = counts.entry(row).or_insert((0, Match::Exact, 0));
            entry.0 += 1;
            entry.1 = entry.1.max(how);
            entry.2 += distance;
        }
    }
    for (&row, &(n, how, distance)) in &counts {
        if n == query.len() {
            rows.insert(row, (how, distance));
        } else if n + 1 == query.len() && query.len() >= 2 {
            let missing = per_word
                .iter()
                .position(|m| !m.contains_key(&row))
                .unwrap_or(0);
            all_but_one.insert(row, (missing, (how.max(Match::Fuzzy), distance)));
        }
    }
    for (row, found) in one_consonant_off(conn, query, &all_but_one)? {
        keep(&mut rows, row, found);
    }
    for row in joined_rows(conn, text, query.len())? {
        keep(&mut rows, row, (Match::Normalised, 1));
    }
    hits_of(conn, &rows, query.len())
}

/// Rows that every search word but one matches, whose remaining word is a consonant away
/// from the search's ("Mohammad Javad Sarif" for "Mohammad Javad Zarif"): the other words
/// make a short word's typo safe to accept.
fn one_consonant_off(
    conn: &Conn<'_>,
    query: &[Vec<Token>],
    candidates: &HashMap<i64, (usize, WordMatch)>,
) -> Result<Vec<(i64, WordMatch)>, StorageError> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = candidates.keys().take(2000).map(i64::to_string).collect();
    let words = conn.query_rows(
        "SELECT name_row, skeleton FROM name_words
          WHERE name_row IN (SELECT CAST(value AS INTEGER) FROM rarray(?1))",
        params![array(&ids)],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
    )?;
    let mut found = Vec::new();
    for (row, skeleton) in words {
        let Some(&(missing, (how, distance))) = candidates.get(&row) else {
            continue;
        };
        let close = query[missing].iter().find_map(|form| {
            let d = strsim::levenshtein(&form.skeleton, &skeleton);
            (d <= 1 && form.skeleton.chars().count() >= 2).then_some(d + 2 + form.penalty)
        });
        if let Some(d) = close {
            found.push((row, (how, distance + d)));
        }
    }
    Ok(found)
}

/// Rows whose consonants, joined across words, are the search's, written in another number
/// of words ("Albukamal" for "Abu Kamal"): in as many words, the words themselves are
/// compared, and their consonants alone would make "Hamid" of "Ahmad".
fn joined_rows(conn: &Conn<'_>, text: &str, words: usize) -> Result<Vec<i64>, StorageError> {
    let joined = spelling::joined(text);
    if joined.chars().count() < 4 {
        return Ok(Vec::new());
    }
    let rows = conn.query_rows(
        "SELECT row FROM names WHERE joined = ?1 AND words <> ?2 LIMIT ?3",
        params![joined, words as i64, ROWS_PER_WORD],
        |r| r.get::<i64>(0),
    )?;
    Ok(rows.into_iter().collect())
}

/// The hits of matched rows, the best row of each node, best first.
fn hits_of(
    conn: &Conn<'_>,
    rows: &HashMap<i64, WordMatch>,
    query_words: usize,
) -> Result<Vec<NameHit>, StorageError> {
    let ids: Vec<String> = rows.keys().map(i64::to_string).collect();
    let found = conn.query_rows(
        "SELECT row, node_id, type, text, words FROM names
          WHERE row IN (SELECT CAST(value AS INTEGER) FROM rarray(?1))",
        params![array(&ids)],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<i64>(4)?,
            ))
        },
    )?;
    let mut best: HashMap<String, NameHit> = HashMap::new();
    for (row, id, t, text, words) in found {
        let Some(&(how, distance)) = rows.get(&row) else {
            continue;
        };
        let hit = NameHit {
            id: id.clone(),
            entity_type: entity_type(&t)?,
            how,
            text,
            distance,
            extra_words: usize::try_from(words)
                .unwrap_or(0)
                .saturating_sub(query_words),
        };
        match best.get(&id) {
            Some(old) if rank(old) <= rank(&hit) => {}
            _ => {
                best.insert(id, hit);
            }
        }
    }
    let mut hits: Vec<NameHit> = best.into_values().collect();
    hits.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id)));
    Ok(hits)
}

/// The order of hits: class, closeness of spelling, fewer unmentioned words.
fn rank(hit: &NameHit) -> (Match, usize, usize) {
    (hit.how, hit.distance, hit.extra_words)
}

/// The name rows one search word (in any of its forms) matches: by skeleton (the distance
/// being the keys' and the form's penalty); else, as a typo, by a skeleton a consonant or
/// two away, or one that adds an ending to it or lacks one ("Guards"/"Guard",
/// "Revolution"/"Revolutionary").
fn word_matches(conn: &Conn<'_>, forms: &[Token]) -> Result<HashMap<i64, WordMatch>, StorageError> {
    let mut matches: HashMap<i64, WordMatch> = HashMap::new();
    let skeletons: Vec<&str> = forms.iter().map(|f| f.skeleton.as_str()).collect();
    for (row, key, skeleton) in rows_with_skeletons(conn, &skeletons)? {
        let distance = forms
            .iter()
            .filter(|f| f.skeleton == skeleton)
            .map(|f| strsim::levenshtein(&f.key, &key) + f.penalty)
            .min()
            .unwrap_or(0);
        keep(&mut matches, row, (Match::Normalised, distance));
    }
    for form in forms {
        let mut near: Vec<(String, usize)> = Vec::new();
        let allowed = typos_allowed(&form.skeleton);
        if allowed > 0 {
            near.extend(skeletons_nearby(conn, &form.skeleton, allowed)?);
        }
        near.extend(endings(conn, &form.skeleton)?);
        let near_skeletons: Vec<&str> = near.iter().map(|(s, _)| s.as_str()).collect();
        for (row, key, skeleton) in rows_with_skeletons(conn, &near_skeletons)? {
            let off = near
                .iter()
                .find(|(s, _)| *s == skeleton)
                .map_or(1, |(_, d)| *d);
            let distance = strsim::levenshtein(&form.key, &key).max(off) + 1 + form.penalty;
            keep(&mut matches, row, (Match::Fuzzy, distance));
        }
    }
    Ok(matches)
}

/// (row, key, skeleton) of the name words with one of these skeletons.
fn rows_with_skeletons(
    conn: &Conn<'_>,
    skeletons: &[&str],
) -> Result<Vec<(i64, String, String)>, StorageError> {
    if skeletons.is_empty() {
        return Ok(Vec::new());
    }
    let rows = conn.query_rows(
        "SELECT name_row, key, skeleton FROM name_words WHERE skeleton IN rarray(?1) LIMIT ?2",
        params![array(skeletons), ROWS_PER_WORD],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows.into_iter().collect())
}

/// Skeletons within `allowed` edits of `skeleton` (other than itself), with their distance.
fn skeletons_nearby(
    conn: &Conn<'_>,
    skeleton: &str,
    allowed: usize,
) -> Result<Vec<(String, usize)>, StorageError> {
    let grams = grams(skeleton);
    // One edit changes at most three trigrams.
    let needed = grams.len().saturating_sub(3 * allowed).max(1);
    let candidates = conn.query_rows(
        "SELECT skeleton FROM skeleton_grams WHERE gram IN rarray(?1)
          GROUP BY skeleton HAVING count(*) >= ?2
          ORDER BY count(*) DESC, skeleton LIMIT ?3",
        params![array(&grams), needed as i64, TYPO_CANDIDATES],
        |r| r.get::<String>(0),
    )?;
    let mut near = Vec::new();
    for candidate in candidates {
        let distance = strsim::levenshtein(skeleton, &candidate);
        if candidate != skeleton && distance <= allowed {
            near.push((candidate, distance));
        }
    }
    Ok(near)
}

/// Skeletons that are this one with an ending of one or two consonants more, or less:
/// plurals and adjectives of a word ("Guard"/"Guards", "Revolution"/"Revolutionary").
fn endings(conn: &Conn<'_>, skeleton: &str) -> Result<Vec<(String, usize)>, StorageError> {
    let len = skeleton.chars().count();
    if len < 3 {
        return Ok(Vec::new());
    }
    let mut found: Vec<(String, usize)> = Vec::new();
    let longer = conn.query_rows(
        "SELECT DISTINCT skeleton FROM name_words
          WHERE skeleton > ?1 AND skeleton < ?1 || '~' AND length(skeleton) <= ?2 LIMIT 50",
        params![skeleton, (len + 2) as i64],
        |r| r.get::<String>(0),
    )?;
    for s in longer {
        let d = s.chars().count() - len;
        found.push((s, d));
    }
    let chars: Vec<char> = skeleton.chars().collect();
    for cut in 1..=2 {
        if len - cut >= 3 {
            found.push((chars[..len - cut].iter().collect(), cut));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::grams;

    #[test]
    fn a_skeleton_has_its_trigrams_with_its_ends_marked() {
        assert_eq!(grams("hzbl"), ["^hz", "bl$", "hzb", "zbl"]);
        assert!(
            grams("k").is_empty(),
            "too short for a typo to be told apart"
        );
    }
}
