//! Corroboration: the claims that assert the same thing (same subject, relation and object or
//! value), the sources they come from, how many of those are independent of each other, and
//! whether only the party the claim is about asserts it.

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;

use super::{StorageError, array};

/// What backs one claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corroboration {
    /// The claims asserting the same thing, this one included, refuted ones left out.
    pub claims: Vec<String>,
    /// The distinct sources of those claims.
    pub sources: Vec<String>,
    /// How many of the sources are independent: sources reporting through one another
    /// (`via`) or from the same publisher count once.
    pub independent_sources: usize,
    /// The distinct known asserters.
    pub asserters: Vec<String>,
    /// True when every one of those claims is asserted by its own subject (a group claiming
    /// its own attack): the party that benefits from it.
    pub self_asserted: bool,
}

const SAME_ASSERTION: &str = "
    SELECT c.id, c.subject_id, o.id, o.source_id, o.asserted_by_id
      FROM claims c JOIN claims o
        ON o.subject_id = c.subject_id AND o.relation = c.relation
       AND o.object_id IS c.object_id AND o.value_amount IS c.value_amount
       AND o.value_unit IS c.value_unit AND o.value_text IS c.value_text
     WHERE c.id IN rarray(?1) AND (o.status <> 'refuted' OR o.id = c.id)
     ORDER BY c.id, o.id";

/// Each source with every source it reports through and every publisher along the way.
const SOURCE_ROOTS: &str = "
    WITH RECURSIVE up(source, node, depth) AS (
        SELECT id, id, 0 FROM sources WHERE id IN rarray(?1)
        UNION
        SELECT u.source, s.via_id, u.depth + 1 FROM up u JOIN sources s ON s.id = u.node
         WHERE s.via_id IS NOT NULL AND u.depth < 100)
    SELECT u.source, u.node, s.publisher_id FROM up u JOIN sources s ON s.id = u.node";

/// The corroboration of each of these claims.
pub fn corroborations(
    conn: &Connection,
    claims: &[String],
) -> Result<HashMap<String, Corroboration>, StorageError> {
    let mut stmt = conn.prepare_cached(SAME_ASSERTION)?;
    let rows = stmt.query_map([array(claims)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out: HashMap<String, Corroboration> = HashMap::new();
    let mut self_asserted: HashMap<String, bool> = HashMap::new();
    let mut all_sources = BTreeSet::new();
    for row in rows {
        let (claim, subject, other, source, asserter) = row?;
        let entry = out.entry(claim.clone()).or_default();
        entry.claims.push(other);
        if !entry.sources.contains(&source) {
            entry.sources.push(source.clone());
        }
        all_sources.insert(source);
        let own = asserter.as_deref() == Some(subject.as_str());
        let flag = self_asserted.entry(claim).or_insert(true);
        *flag &= own;
        if let Some(a) = asserter
            && !entry.asserters.contains(&a)
        {
            entry.asserters.push(a);
        }
    }
    let sources: Vec<String> = all_sources.into_iter().collect();
    let ties = ties(conn, &sources)?;
    for (claim, c) in &mut out {
        c.self_asserted = self_asserted.get(claim).copied().unwrap_or(false);
        c.independent_sources = independent(&c.sources, &ties);
    }
    Ok(out)
}

/// For each source, the sources it reports through and the publishers along the way, as
/// keys: two sources sharing a key are not independent.
fn ties(
    conn: &Connection,
    sources: &[String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    let mut stmt = conn.prepare_cached(SOURCE_ROOTS)?;
    let rows = stmt.query_map([array(sources)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        let (source, node, publisher) = row?;
        let keys = out.entry(source).or_default();
        keys.push(format!("source:{node}"));
        if let Some(p) = publisher {
            keys.push(format!("publisher:{p}"));
        }
    }
    Ok(out)
}

/// How many groups the sources fall into when sources sharing any key are one group.
fn independent(sources: &[String], ties: &HashMap<String, Vec<String>>) -> usize {
    let mut group: Vec<usize> = (0..sources.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        for key in ties.get(s).into_iter().flatten() {
            match owner.get(key.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut group, i), root(&mut group, j));
                    group[a] = b;
                }
                None => {
                    owner.insert(key.as_str(), i);
                }
            }
        }
    }
    (0..sources.len())
        .filter(|&i| root(&mut group, i) == i)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_through_one_another_or_from_one_publisher_count_once() {
        let sources: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let mut ties = HashMap::new();
        ties.insert("a".into(), vec!["source:a".into(), "publisher:wsj".into()]);
        ties.insert("b".into(), vec!["source:b".into(), "source:a".into()]);
        ties.insert("c".into(), vec!["source:c".into(), "publisher:wsj".into()]);
        ties.insert("d".into(), vec!["source:d".into(), "publisher:ap".into()]);
        assert_eq!(independent(&sources, &ties), 2);
        assert_eq!(independent(&sources[3..], &ties), 1);
        assert_eq!(independent(&[], &ties), 0);
    }
}
