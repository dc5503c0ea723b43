//! Corroboration: the claims that assert the same thing (same subject, relation and object or
//! value), the sources they come from, how many of those are independent of each other, and
//! whether only the party the claim is about asserts it.
//!
//! Stances on those claims count this way: a CONFIRMS stance by anyone but the claim's
//! parties (its subject and its object, the ones it accuses or credits) adds its source, which
//! counts as independent only if it is (a confirmation reported in the claim's own article
//! adds nothing). A party's own stance never counts, whatever it says: its denial is what a
//! party says of itself, and so is its confirmation. Denials and disputes never count for a
//! claim; they are listed beside it as contrary stances.

use std::collections::{BTreeSet, HashMap};

use super::conn::{Conn, params};
use super::{StorageError, array};
use crate::model::StancePosition;

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
    /// its own attack), the party that benefits from it, and nobody else confirms it.
    pub self_asserted: bool,
    /// CONFIRMS stances on those claims by others than the claim's parties: they count.
    pub confirmations: Vec<String>,
    /// DENIES and DISPUTES stances on those claims, by anyone: they never count.
    pub contrary: Vec<String>,
}

const SAME_ASSERTION: &str = "
    SELECT c.id, c.subject_id, c.object_id, o.id, o.source_id, o.asserted_by_id
      FROM claims c JOIN claims o
        ON o.subject_id = c.subject_id AND o.relation = c.relation
       AND o.object_id IS c.object_id AND o.value_amount IS c.value_amount
       AND o.value_unit IS c.value_unit AND o.value_text IS c.value_text
     WHERE c.id IN rarray(?1) AND (o.status <> 'refuted' OR o.id = c.id)
     ORDER BY c.id, o.id";

/// The stances on any of these claims, in id order.
const STANCES: &str = "
    SELECT claim_id, id, actor_id, position, source_id
      FROM stances WHERE claim_id IN rarray(?1) ORDER BY id";

/// Each source with every source it reports through and every publisher along the way.
const SOURCE_ROOTS: &str = "
    WITH RECURSIVE up(source, node, depth) AS (
        SELECT id, id, 0 FROM sources WHERE id IN rarray(?1)
        UNION
        SELECT u.source, s.via_id, u.depth + 1 FROM up u JOIN sources s ON s.id = u.node
         WHERE s.via_id IS NOT NULL AND u.depth < 100)
    SELECT u.source, u.node, s.publisher_id FROM up u JOIN sources s ON s.id = u.node";

/// A claim asked about, as a stance on a claim asserting the same thing bears on it.
struct Asking {
    /// The claim asked about.
    claim: String,
    /// Its subject and object: a party's own stance never counts.
    parties: [Option<String>; 2],
}

/// The corroboration of each of these claims.
pub fn corroborations(
    conn: &Conn<'_>,
    claims: &[String],
) -> Result<HashMap<String, Corroboration>, StorageError> {
    let rows = conn.query_rows(SAME_ASSERTION, params![array(claims)], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<Option<String>>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
            r.get::<Option<String>>(5)?,
        ))
    })?;
    let mut out: HashMap<String, Corroboration> = HashMap::new();
    let mut self_asserted: HashMap<String, bool> = HashMap::new();
    // The claims asked about, by each claim asserting the same thing.
    let mut asking: HashMap<String, Vec<Asking>> = HashMap::new();
    for (claim, subject, object, other, source, asserter) in rows {
        let own = asserter.as_deref() == Some(subject.as_str());
        asking.entry(other.clone()).or_default().push(Asking {
            claim: claim.clone(),
            parties: [Some(subject), object],
        });
        let entry = out.entry(claim.clone()).or_default();
        entry.claims.push(other);
        if !entry.sources.contains(&source) {
            entry.sources.push(source);
        }
        let flag = self_asserted.entry(claim).or_insert(true);
        *flag &= own;
        if let Some(a) = asserter
            && !entry.asserters.contains(&a)
        {
            entry.asserters.push(a);
        }
    }
    for confirmed in weigh_stances(conn, &asking, &mut out)? {
        self_asserted.insert(confirmed, false);
    }
    let sources: BTreeSet<&String> = out.values().flat_map(|c| &c.sources).collect();
    let sources: Vec<&String> = sources.into_iter().collect();
    let ties = ties(conn, &sources)?;
    for (claim, c) in &mut out {
        c.self_asserted = self_asserted.get(claim).copied().unwrap_or(false);
        c.independent_sources = independent(&c.sources, &ties);
    }
    Ok(out)
}

/// Adds the stances on the claims in `asking` to the corroboration of the claims asked
/// about: confirmations by others than a claim's parties with their sources, denials and
/// disputes by anyone apart. Gives the claims asked about that someone else confirmed.
fn weigh_stances(
    conn: &Conn<'_>,
    asking: &HashMap<String, Vec<Asking>>,
    out: &mut HashMap<String, Corroboration>,
) -> Result<Vec<String>, StorageError> {
    let on: Vec<&String> = asking.keys().collect();
    let rows = conn.query_rows(STANCES, params![array(&on)], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
            r.get::<String>(3)?,
            r.get::<String>(4)?,
        ))
    })?;
    let mut confirmed = Vec::new();
    for (on, stance, actor, position, source) in rows {
        let position = StancePosition::parse(&position)
            .ok_or_else(|| StorageError::Corrupt(format!("stance position {position:?}")))?;
        for asked in asking.get(&on).into_iter().flatten() {
            let Some(entry) = out.get_mut(&asked.claim) else {
                continue;
            };
            if position.is_contrary() {
                entry.contrary.push(stance.clone());
                continue;
            }
            let party = asked.parties.iter().flatten().any(|p| *p == actor);
            if position != StancePosition::Confirms || party {
                continue;
            }
            entry.confirmations.push(stance.clone());
            if !entry.sources.contains(&source) {
                entry.sources.push(source.clone());
            }
            confirmed.push(asked.claim.clone());
        }
    }
    Ok(confirmed)
}

/// For each source, the sources it reports through and the publishers along the way, as
/// keys: two sources sharing a key are not independent.
fn ties(
    conn: &Conn<'_>,
    sources: &[&String],
) -> Result<HashMap<String, Vec<String>>, StorageError> {
    let rows = conn.query_rows(SOURCE_ROOTS, params![array(sources)], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<Option<String>>(2)?,
        ))
    })?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (source, node, publisher) in rows {
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
