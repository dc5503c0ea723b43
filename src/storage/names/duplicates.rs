//! Possible duplicates: pairs of actors (or of locations) that probably name the same thing,
//! with a score and the reasons for it. Names weigh most (the same words by the spelling
//! rules, the same consonants joined, a typo apart, a name in common); links to the same
//! nodes and the same parent place add to it; different kinds take from it.

use std::collections::{HashMap, HashSet};

use super::spelling;
use crate::model::{EntityType, GraphSet};
use crate::storage::conn::{Conn, params};
use crate::storage::{StorageError, array};

/// What is compared of one node.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The node.
    pub id: String,
    /// Actor or location.
    pub entity_type: EntityType,
    /// Its kind, in the fixture spelling (`armed_group`, `city`).
    pub kind: String,
    /// Its name, then its aliases.
    pub names: Vec<String>,
    /// The place it lies in (locations).
    pub parent: Option<String>,
}

/// Why two nodes may be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Their names are spellings of each other.
    SimilarNames,
    /// They have a name or alias in common.
    SharedName,
    /// They are linked to the same nodes.
    SharedLinks,
    /// They lie in the same place.
    SameParent,
    /// Their kinds differ (which counts against).
    DifferentKind,
}

/// One reason with what it found and what it added to the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Because {
    /// The reason.
    pub reason: Reason,
    /// What was found, in words.
    pub detail: String,
    /// What it added to the score (negative: took away).
    pub weight: f64,
}

/// Two nodes that may be one, `a` before `b` by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// One node.
    pub a: String,
    /// The other.
    pub b: String,
    /// From 0 to 1: how sure the pair is one node.
    pub score: f64,
    /// Why, strongest first.
    pub reasons: Vec<Because>,
}

/// A word shared by more nodes than this does not propose pairs ("Abu", "Kataib"): the rest
/// of their names must.
const COMMON_WORD: usize = 50;

/// The actors or locations of a fixture set, as candidates.
pub fn of_set(set: &GraphSet) -> Vec<Candidate> {
    let names = |name: &crate::model::Text, aliases: &[crate::model::Text]| {
        std::iter::once(name)
            .chain(aliases)
            .map(|t| t.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    let actors = set.actors.iter().map(|a| Candidate {
        id: a.id.to_string(),
        entity_type: EntityType::Actor,
        kind: a.kind.as_str().to_owned(),
        names: names(&a.name, &a.aliases),
        parent: None,
    });
    let locations = set.locations.iter().map(|l| Candidate {
        id: l.id.to_string(),
        entity_type: EntityType::Location,
        kind: l.kind.as_str().to_owned(),
        names: names(&l.name, &l.aliases),
        parent: l.parent.as_ref().map(ToString::to_string),
    });
    actors.chain(locations).collect()
}

/// The actors and locations stored (merged ones, which resolve to their survivor, left out).
pub fn stored(conn: &Conn<'_>, entity_type: EntityType) -> Result<Vec<Candidate>, StorageError> {
    let sql = match entity_type {
        EntityType::Actor => include_str!("stored_actors.sql"),
        _ => include_str!("stored_locations.sql"),
    };
    let mut out: Vec<Candidate> = Vec::new();
    conn.for_each_row(sql, params![], |row| {
        let id: String = row.get(0)?;
        let name: String = row.get(3)?;
        match out.last_mut() {
            Some(last) if last.id == id => last.names.push(name),
            _ => out.push(Candidate {
                id,
                entity_type,
                kind: row.get(1)?,
                parent: row.get(2)?,
                names: vec![name],
            }),
        }
        Ok(())
    })?;
    Ok(out)
}

/// The pairs among `candidates` (of one type each) scoring `min_score` or more, best first.
/// With `involving`, only pairs with at least one of those ids.
pub fn by_names(
    candidates: &[Candidate],
    min_score: f64,
    involving: Option<&HashSet<String>>,
) -> Vec<Pair> {
    let words: Vec<NameWords> = candidates.iter().map(NameWords::of).collect();
    let mut pairs = Vec::new();
    for (i, j) in proposed(candidates, &words) {
        let (a, b) = (&candidates[i], &candidates[j]);
        if a.entity_type != b.entity_type {
            continue;
        }
        if involving.is_some_and(|ids| !ids.contains(&a.id) && !ids.contains(&b.id)) {
            continue;
        }
        let pair = score(a, &words[i], b, &words[j], None);
        if pair.score >= min_score {
            pairs.push(pair);
        }
    }
    sort(&mut pairs);
    pairs
}

/// The stored pairs of `entity_type` scoring `min_score` or more, best first, at most
/// `first`, their links compared too.
pub fn in_database(
    conn: &Conn<'_>,
    entity_type: EntityType,
    min_score: f64,
    first: usize,
) -> Result<Vec<Pair>, StorageError> {
    let candidates = stored(conn, entity_type)?;
    // Links add at most LINKS_WEIGHT: pairs that fall short by more cannot make it.
    let named = by_names(&candidates, (min_score - LINKS_WEIGHT).max(0.0), None);
    let ids: Vec<&str> = named
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let links = linked(conn, &ids)?;
    let by_id: HashMap<&str, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut pairs = Vec::new();
    for pair in named {
        let (Some(&i), Some(&j)) = (by_id.get(pair.a.as_str()), by_id.get(pair.b.as_str())) else {
            continue;
        };
        let (a, b) = (&candidates[i], &candidates[j]);
        let shared = (links.get(&a.id), links.get(&b.id));
        let rescored = score(a, &NameWords::of(a), b, &NameWords::of(b), Some(shared));
        if rescored.score >= min_score {
            pairs.push(rescored);
        }
    }
    sort(&mut pairs);
    pairs.truncate(first);
    Ok(pairs)
}

fn sort(pairs: &mut [Pair]) {
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
}

/// The nodes each of `ids` is linked to by claims, with the relation.
fn linked(
    conn: &Conn<'_>,
    ids: &[&str],
) -> Result<HashMap<String, HashSet<(String, String)>>, StorageError> {
    let mut out: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = conn.query_rows(include_str!("linked.sql"), params![array(ids)], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<String>(2)?,
        ))
    })?;
    for (node, other, relation) in rows {
        out.entry(node).or_default().insert((other, relation));
    }
    Ok(out)
}

/// A candidate's names as the comparison needs them.
struct NameWords {
    folded: Vec<String>,
    joined: Vec<String>,
    /// Each name's word skeletons (first form).
    words: Vec<HashSet<String>>,
}

impl NameWords {
    fn of(c: &Candidate) -> NameWords {
        NameWords {
            folded: c.names.iter().map(|n| spelling::fold(n)).collect(),
            joined: c.names.iter().map(|n| spelling::joined(n)).collect(),
            words: c
                .names
                .iter()
                .map(|n| {
                    spelling::name_tokens(n)
                        .into_iter()
                        .filter_map(|forms| forms.into_iter().last().map(|t| t.skeleton))
                        .collect()
                })
                .collect(),
        }
    }
}

/// Pairs of candidates worth scoring: those sharing a word that few share, or a name's
/// joined consonants.
fn proposed(candidates: &[Candidate], words: &[NameWords]) -> HashSet<(usize, usize)> {
    let mut blocks: HashMap<(EntityType, String), Vec<usize>> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        let t = candidates[i].entity_type;
        let mut keys: HashSet<String> = w.words.iter().flatten().cloned().collect();
        keys.extend(w.joined.iter().map(|j| format!("joined:{j}")));
        for key in keys {
            blocks.entry((t, key)).or_default().push(i);
        }
    }
    let mut pairs = HashSet::new();
    for members in blocks.values() {
        if members.len() < 2 || members.len() > COMMON_WORD {
            continue;
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    pairs
}

/// The (node, relation) pairs a node is linked to.
type Links = HashSet<(String, String)>;

/// What shared links may add to a score.
const LINKS_WEIGHT: f64 = 0.2;

/// Scores a pair: the best likeness of any name of one to any name of the other, then the
/// other reasons.
fn score(
    a: &Candidate,
    aw: &NameWords,
    b: &Candidate,
    bw: &NameWords,
    links: Option<(Option<&Links>, Option<&Links>)>,
) -> Pair {
    let mut reasons = Vec::new();
    let mut best = (0.0f64, String::new());
    for (i, an) in a.names.iter().enumerate() {
        for (j, bn) in b.names.iter().enumerate() {
            let (likeness, how) = likeness(aw, i, bw, j);
            if likeness > best.0 {
                best = (likeness, format!("“{an}” and “{bn}” {how}"));
            }
        }
    }
    let mut score = best.0;
    if best.0 > 0.0 {
        reasons.push(Because {
            reason: Reason::SimilarNames,
            detail: best.1,
            weight: best.0,
        });
    }
    let shared: Vec<&String> = a
        .names
        .iter()
        .zip(&aw.folded)
        .filter(|(_, f)| bw.folded.contains(f))
        .map(|(n, _)| n)
        .collect();
    if !shared.is_empty() && best.0 < 1.0 {
        let weight = (0.05 * shared.len() as f64).min(1.0 - score);
        score += weight;
        reasons.push(Because {
            reason: Reason::SharedName,
            detail: format!(
                "both are called {}",
                shared
                    .iter()
                    .map(|n| format!("“{n}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            weight,
        });
    }
    if let Some((Some(la), Some(lb))) = links {
        let common = la.intersection(lb).count();
        if common > 0 {
            let jaccard = common as f64 / la.union(lb).count() as f64;
            let weight = (LINKS_WEIGHT * jaccard).min(1.0 - score);
            score += weight;
            reasons.push(Because {
                reason: Reason::SharedLinks,
                detail: format!(
                    "{common} of their {} links are the same (same relation, same node)",
                    la.union(lb).count()
                ),
                weight,
            });
        }
    }
    if let (Some(pa), Some(pb)) = (&a.parent, &b.parent)
        && pa == pb
    {
        let weight = 0.05f64.min(1.0 - score);
        score += weight;
        reasons.push(Because {
            reason: Reason::SameParent,
            detail: format!("both lie in {pa}"),
            weight,
        });
    }
    if a.kind != b.kind {
        let weight = -score * 0.3;
        score += weight;
        reasons.push(Because {
            reason: Reason::DifferentKind,
            detail: format!("one is a {}, the other a {}", a.kind, b.kind).replace('_', " "),
            weight,
        });
    }
    reasons.sort_by(|x, y| y.weight.abs().total_cmp(&x.weight.abs()));
    let (a_id, b_id) = if a.id <= b.id {
        (a.id.clone(), b.id.clone())
    } else {
        (b.id.clone(), a.id.clone())
    };
    Pair {
        a: a_id,
        b: b_id,
        score: (score * 1000.0).round() / 1000.0,
        reasons,
    }
}

/// How alike name `i` of one and name `j` of the other are, from 0 to 1, and why in words.
fn likeness(a: &NameWords, i: usize, b: &NameWords, j: usize) -> (f64, &'static str) {
    if a.folded[i] == b.folded[j] {
        return (1.0, "are the same name");
    }
    let (wa, wb) = (&a.words[i], &b.words[j]);
    // The same consonants say less the fewer there are ("Qaim" and "Qom"); the rest of the
    // spelling says how close the two are.
    let spelling = strsim::normalized_levenshtein(&a.folded[i], &b.folded[j]);
    let short = if a.joined[i].chars().count() < 5 {
        0.9
    } else {
        1.0
    };
    if !wa.is_empty() && wa == wb {
        return (short * (0.75 + 0.2 * spelling), "spell the same words");
    }
    // Joined consonants only compare names written in another number of words ("Abu Kamal",
    // "Albukamal"); in as many words, "Hamid" and "Ahmad" would be one.
    if a.joined[i].chars().count() >= 4 && a.joined[i] == b.joined[j] && wa.len() != wb.len() {
        return (
            short * (0.7 + 0.2 * spelling),
            "are the same words written apart or together",
        );
    }
    let common = wa.intersection(wb).count() as f64;
    let words = if wa.is_empty() || wb.is_empty() {
        0.0
    } else {
        common / wa.union(wb).count() as f64
    };
    // A typo: the whole spelling nearly the same (consonants alone would make "Hamid" of
    // "Ahmad").
    if spelling >= 0.85 && a.folded[i].chars().count() >= 8 {
        return (0.8 * spelling, "are a letter or two apart");
    }
    (0.8 * words, "share words")
}

#[cfg(test)]
mod tests {
    use super::{Candidate, Reason, by_names};
    use crate::model::EntityType;

    fn actor(id: &str, kind: &str, names: &[&str]) -> Candidate {
        Candidate {
            id: id.into(),
            entity_type: EntityType::Actor,
            kind: kind.into(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            parent: None,
        }
    }

    #[test]
    fn spellings_of_one_name_pair_up_and_other_names_do_not() {
        let candidates = [
            actor(
                "kataib-hezbollah",
                "armed_group",
                &["Kataib Hizballah", "KH"],
            ),
            actor("kataib-hezbollah-2", "armed_group", &["Kata'ib Hezbollah"]),
            actor("harakat-al-nujaba", "armed_group", &["Harakat al-Nujaba"]),
            actor(
                "kataib-sayyid-al-shuhada",
                "armed_group",
                &["Kata'ib Sayyid al-Shuhada"],
            ),
        ];
        let pairs = by_names(&candidates, 0.6, None);
        assert_eq!(pairs.len(), 1, "{pairs:#?}");
        assert_eq!(
            (pairs[0].a.as_str(), pairs[0].b.as_str()),
            ("kataib-hezbollah", "kataib-hezbollah-2")
        );
        assert!(pairs[0].score >= 0.9);
        assert_eq!(pairs[0].reasons[0].reason, Reason::SimilarNames);
    }

    #[test]
    fn a_different_kind_counts_against_a_pair() {
        let candidates = [
            actor("hezbollah", "armed_group", &["Hezbollah"]),
            actor("hizbollah-person", "person", &["Hizbollah"]),
        ];
        let pairs = by_names(&candidates, 0.0, None);
        assert!(pairs[0].score < 0.7, "{pairs:#?}");
        assert!(
            pairs[0]
                .reasons
                .iter()
                .any(|r| r.reason == Reason::DifferentKind)
        );
    }
}
