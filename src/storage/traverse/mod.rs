//! Traversals of the claim graph: shortest paths, neighbourhoods and patron chains. Paths and
//! neighbourhoods search breadth-first a level at a time, one SQL statement per level for the
//! whole frontier; paths search from both ends and widen the smaller side (`neighbours.sql`),
//! so a hub on one side does not flood the search, and neighbourhoods read a level in id
//! order only as far as their limit needs (`nearest.sql`), so a hub costs a page of links. Patron chains climb in one recursive CTE
//! (`patrons.sql`). Every traversal is bounded: hops have a ceiling, a search reads at most
//! a number of rows, and the answers say when they were cut (`truncated`) instead of running
//! away on a hub or a cycle.

use std::collections::HashMap;

use super::conn::{Conn, Param, params};
use super::{StorageError, array};
use crate::model::Relation;

/// The most hops a path may have.
pub const MAX_HOPS: u32 = 6;
/// The most hops a neighbourhood may reach.
pub const MAX_NEIGHBORHOOD_HOPS: u32 = 4;
/// The most rows one search (or patron walk) may read before it stops and reports itself
/// truncated.
pub const MAX_ROWS: usize = 250_000;
/// The most partial paths explored when listing shortest paths.
pub const MAX_PATHS_EXPLORED: usize = 10_000;
/// The most claims a neighbourhood returns.
pub const MAX_EDGES: usize = 20_000;
/// The most steps a patron chain may climb.
pub const MAX_PATRON_DEPTH: u32 = 12;

/// Which claims a traversal may follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Follow {
    /// Only these relations; all when empty.
    pub relations: Vec<Relation>,
    /// Only claims at least this sure (0–100).
    pub min_confidence: u8,
    /// Whether refuted claims are followed too.
    pub include_refuted: bool,
}

impl Follow {
    /// The SQL parameters of the walks' filters: minimum confidence, whether refuted claims
    /// are followed, whether only some relations are, and which.
    fn params(&self) -> (i64, bool, bool, Param<'static>) {
        let names: Vec<&str> = self.relations.iter().map(Relation::as_str).collect();
        (
            i64::from(self.min_confidence),
            self.include_refuted,
            !self.relations.is_empty(),
            array(&names),
        )
    }
}

/// A breadth-first search from one node, one level (hop) at a time, each level one SQL
/// statement for the whole frontier. Searches stop at a level instead of a row count, so
/// that what they hold is exact up to their depth: the nodes, their least hops, and for each
/// node the nodes one hop nearer that lead to it.
#[derive(Debug, Clone, Default)]
struct Search {
    /// Least hops from the start, by node.
    hops: HashMap<String, u32>,
    /// For each node reached, the nodes of the level before it that link to it.
    parents: HashMap<String, Vec<String>>,
    /// The nodes of the deepest level.
    frontier: Vec<String>,
    /// How many levels are done.
    depth: u32,
    /// Whether a level was cut short by the row bound, so that nodes may be missing.
    truncated: bool,
}

impl Search {
    fn new(start: &str) -> Search {
        Search {
            hops: HashMap::from([(start.to_owned(), 0)]),
            frontier: vec![start.to_owned()],
            ..Search::default()
        }
    }

    /// Reaches the next level, reading at most `budget` rows (and taking them off it);
    /// gives the nodes first reached there.
    fn expand(
        &mut self,
        conn: &Conn<'_>,
        follow: &Follow,
        budget: &mut usize,
    ) -> Result<Vec<String>, StorageError> {
        let (links, cut) = neighbours(conn, &self.frontier, follow, *budget)?;
        *budget -= links.len();
        self.truncated |= cut;
        self.depth += 1;
        let depth = self.depth;
        let mut fresh = Vec::new();
        for (from, to) in links {
            match self.hops.get(&to) {
                None => {
                    self.hops.insert(to.clone(), depth);
                    self.parents.insert(to.clone(), vec![from]);
                    fresh.push(to);
                }
                Some(&d) if d == depth => {
                    if let Some(p) = self.parents.get_mut(&to) {
                        p.push(from);
                    }
                }
                Some(_) => {}
            }
        }
        self.frontier = fresh.clone();
        Ok(fresh)
    }

    /// The nodes on the way back from `ends` to the start, each with its hops.
    fn trace(&self, ends: &[String]) -> HashMap<String, u32> {
        let mut out = HashMap::new();
        let mut todo: Vec<&String> = ends.iter().collect();
        while let Some(n) = todo.pop() {
            let Some(&d) = self.hops.get(n) else { continue };
            if out.insert(n.clone(), d).is_some() {
                continue;
            }
            todo.extend(self.parents.get(n).into_iter().flatten());
        }
        out
    }
}

/// The nodes linked to any of `nodes` by a followed claim, either way, as (from, to) pairs
/// (a pair once per claim); at most `cap`, and true when there were more.
fn neighbours(
    conn: &Conn<'_>,
    nodes: &[String],
    follow: &Follow,
    cap: usize,
) -> Result<(Vec<(String, String)>, bool), StorageError> {
    let (min, refuted, only, relations) = follow.params();
    let rows = conn.query_rows(
        include_str!("neighbours.sql"),
        params![array(nodes), cap as i64 + 1, min, refuted, only, relations],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let mut links: Vec<(String, String)> = rows.into_iter().collect();
    let cut = links.len() > cap;
    links.truncate(cap);
    Ok((links, cut))
}

/// The distinct nodes linked to any of `nodes` by a followed claim, either way, in id order;
/// at most `cap`.
fn nearest(
    conn: &Conn<'_>,
    nodes: &[String],
    follow: &Follow,
    cap: usize,
) -> Result<Vec<String>, StorageError> {
    let (min, refuted, only, relations) = follow.params();
    let rows = conn.query_rows(
        include_str!("nearest.sql"),
        params![array(nodes), cap as i64, min, refuted, only, relations],
        |r| r.get::<String>(0),
    )?;
    Ok(rows.into_iter().collect())
}

/// A claim seen as an edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The claim's id.
    pub claim: String,
    /// Its subject.
    pub subject: String,
    /// Its object.
    pub object: String,
    /// Its relation.
    pub relation: Relation,
    /// Its confidence, 0–100.
    pub confidence: u8,
}

/// The claims both of whose ends are among `nodes`, at most `cap`; true when cut at the cap.
pub fn edges_between(
    conn: &Conn<'_>,
    nodes: &[String],
    follow: &Follow,
    cap: usize,
) -> Result<(Vec<Edge>, bool), StorageError> {
    let (min, refuted, only, relations) = follow.params();
    let rows = conn.query_rows(
        include_str!("between.sql"),
        params![
            array(nodes),
            Param::Null,
            cap as i64 + 1,
            min,
            refuted,
            only,
            relations
        ],
        |r| {
            let relation: String = r.get(3)?;
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                relation,
                r.get::<u8>(4)?,
            ))
        },
    )?;
    let mut edges = Vec::new();
    for (claim, subject, object, relation, confidence) in rows {
        let relation = Relation::parse(&relation)
            .ok_or_else(|| StorageError::Corrupt(format!("relation {relation:?}")))?;
        edges.push(Edge {
            claim,
            subject,
            object,
            relation,
            confidence,
        });
    }
    let truncated = edges.len() > cap;
    edges.truncate(cap);
    Ok((edges, truncated))
}

/// One step of a path: a claim followed from one node to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The claim followed.
    pub claim: String,
    /// The node the step leaves.
    pub from: String,
    /// The node it reaches.
    pub to: String,
    /// True when it follows the claim from subject to object, false when against it.
    pub forward: bool,
    /// The claim's confidence, 0–100.
    pub confidence: u8,
}

/// One path, with its confidence: the product of its steps' confidences (as fractions).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The node it starts at.
    pub start: String,
    /// The steps, from the start.
    pub steps: Vec<Step>,
    /// The product of the steps' confidences, 0–1.
    pub confidence: f64,
}

/// The shortest paths between two nodes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paths {
    /// The most confident shortest paths first.
    pub paths: Vec<Path>,
    /// Their length in hops, when there is one.
    pub hops: Option<u32>,
    /// Whether a bound cut the search, so that paths may be missing.
    pub truncated: bool,
}

/// The shortest paths (at most `first`) from `from` to `to` within `max_hops`.
pub fn shortest_paths(
    conn: &Conn<'_>,
    from: &str,
    to: &str,
    max_hops: u32,
    follow: &Follow,
    first: usize,
) -> Result<Paths, StorageError> {
    if from == to {
        return Ok(Paths {
            paths: vec![Path {
                start: from.to_owned(),
                steps: Vec::new(),
                confidence: 1.0,
            }],
            hops: Some(0),
            truncated: false,
        });
    }
    let met = meet(conn, from, to, max_hops, follow)?;
    let searched_cut = met.truncated;
    let Some((ahead, length)) = met.on_path else {
        return Ok(Paths {
            truncated: searched_cut,
            ..Paths::default()
        });
    };
    let on_path: Vec<String> = ahead.keys().cloned().collect();
    let (edges, cut) = edges_between(conn, &on_path, follow, MAX_ROWS)?;
    let mut next: HashMap<&str, Vec<Step>> = HashMap::new();
    for e in &edges {
        let (Some(&ds), Some(&dobj)) = (ahead.get(&e.subject), ahead.get(&e.object)) else {
            continue;
        };
        let step = |from: &str, to: &str, forward| Step {
            claim: e.claim.clone(),
            from: from.to_owned(),
            to: to.to_owned(),
            forward,
            confidence: e.confidence,
        };
        if ds + 1 == dobj {
            next.entry(e.subject.as_str())
                .or_default()
                .push(step(&e.subject, &e.object, true));
        } else if dobj + 1 == ds {
            next.entry(e.object.as_str())
                .or_default()
                .push(step(&e.object, &e.subject, false));
        }
    }
    let mut found = Vec::new();
    let mut explored = 0;
    let mut stack: Vec<Vec<Step>> = vec![Vec::new()];
    while let Some(path) = stack.pop() {
        explored += 1;
        if explored > MAX_PATHS_EXPLORED {
            break;
        }
        let at = path.last().map_or(from, |s| s.to.as_str());
        if at == to {
            let confidence = path
                .iter()
                .map(|s| f64::from(s.confidence) / 100.0)
                .product();
            found.push(Path {
                start: from.to_owned(),
                steps: path,
                confidence,
            });
            continue;
        }
        for step in next.get(at).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(step.clone());
            stack.push(longer);
        }
    }
    let truncated = searched_cut || cut || explored > MAX_PATHS_EXPLORED;
    found.sort_by(|a, b| {
        b.confidence.total_cmp(&a.confidence).then_with(|| {
            let ids = |p: &Path| p.steps.iter().map(|s| s.claim.clone()).collect::<Vec<_>>();
            ids(a).cmp(&ids(b))
        })
    });
    found.truncate(first);
    Ok(Paths {
        paths: found,
        hops: Some(length),
        truncated,
    })
}

/// Where two searches met.
struct Met {
    /// The nodes on a shortest path with their hops from the start, and the path's length;
    /// `None` when no path is within the hops allowed.
    on_path: Option<(HashMap<String, u32>, u32)>,
    /// Whether the row bound cut a level, so that paths may be missing.
    truncated: bool,
}

/// Searches from both ends at once, a level at a time, always widening the side with the
/// smaller frontier, and stops at the first level where they meet: the length of the
/// shortest paths is then known, and so is every node on one (traced back to both ends).
fn meet(
    conn: &Conn<'_>,
    from: &str,
    to: &str,
    max_hops: u32,
    follow: &Follow,
) -> Result<Met, StorageError> {
    let mut ahead = Search::new(from);
    let mut behind = Search::new(to);
    let mut budget = MAX_ROWS;
    while ahead.depth + behind.depth < max_hops {
        if ahead.frontier.is_empty() || behind.frontier.is_empty() || budget == 0 {
            break;
        }
        let forward = ahead.frontier.len() <= behind.frontier.len();
        let (side, other) = if forward {
            (&mut ahead, &behind)
        } else {
            (&mut behind, &ahead)
        };
        let fresh = side.expand(conn, follow, &mut budget)?;
        let depth = side.depth;
        let Some(length) = fresh
            .iter()
            .filter_map(|n| other.hops.get(n).map(|d| depth + d))
            .min()
        else {
            continue;
        };
        let met: Vec<String> = fresh
            .into_iter()
            .filter(|n| other.hops.get(n).is_some_and(|d| depth + d == length))
            .collect();
        let mut on_path = ahead.trace(&met);
        for (node, hops) in behind.trace(&met) {
            on_path.insert(node, length - hops);
        }
        return Ok(Met {
            on_path: Some((on_path, length)),
            truncated: ahead.truncated || behind.truncated,
        });
    }
    Ok(Met {
        on_path: None,
        truncated: ahead.truncated || behind.truncated,
    })
}

/// The nodes within some hops of a centre and the claims among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighborhood {
    /// Node ids with their hops from the centre, nearest first, then by id.
    pub nodes: Vec<(String, u32)>,
    /// The claims both of whose ends are among the nodes.
    pub edges: Vec<Edge>,
    /// Whether the limit or a bound left nodes or claims out.
    pub truncated: bool,
}

/// The neighbourhood of `center`: at most `limit` nodes within `hops`, and their claims.
pub fn neighborhood(
    conn: &Conn<'_>,
    center: &str,
    hops: u32,
    follow: &Follow,
    limit: usize,
) -> Result<Neighborhood, StorageError> {
    // Levels are reached until they hold more than `limit` nodes: the nearest `limit` are
    // then known (ties broken by id), and so is whether any was left out. A level is read in
    // id order and only as far as it can matter: past `limit + 1` new nodes (the nodes
    // already reached may come back among them), so a hub costs a page of its links.
    let mut search = Search::new(center);
    let mut budget = MAX_ROWS;
    while search.depth < hops
        && !search.frontier.is_empty()
        && search.hops.len() <= limit
        && budget > 0
    {
        let cap = limit + 1 + search.hops.len();
        let level = nearest(conn, &search.frontier, follow, cap)?;
        budget = budget.saturating_sub(level.len());
        search.depth += 1;
        let fresh: Vec<String> = level
            .into_iter()
            .filter(|n| !search.hops.contains_key(n))
            .collect();
        for node in &fresh {
            search.hops.insert(node.clone(), search.depth);
        }
        search.frontier = fresh;
    }
    let more_beyond = search.depth < hops && !search.frontier.is_empty();
    let mut nodes: Vec<(String, u32)> = search.hops.into_iter().collect();
    nodes.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let mut truncated = search.truncated || nodes.len() > limit || (more_beyond && budget == 0);
    nodes.truncate(limit);
    let ids: Vec<String> = nodes.iter().map(|(n, _)| n.clone()).collect();
    let (edges, cut) = edges_between(conn, &ids, follow, MAX_EDGES)?;
    truncated |= cut;
    Ok(Neighborhood {
        nodes,
        edges,
        truncated,
    })
}

/// One step up a patron chain: `client` is a front for, or backed by, `patron`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronStep {
    /// The actor lower in the chain.
    pub client: String,
    /// The claim that says so.
    pub claim: String,
    /// The actor above it.
    pub patron: String,
    /// Steps from the actor the chain starts at (1 for its own patrons).
    pub depth: u32,
}

/// The patron chains of these actors: for each, every front-for and backed-by claim made
/// about an actor it reaches within `max_depth` steps, once, at the least depth at which it
/// applies (a claim closing a cycle is listed too), and whether the row bound cut a walk.
pub fn patrons(
    conn: &Conn<'_>,
    actors: &[String],
    max_depth: u32,
    follow: &Follow,
) -> Result<(HashMap<String, Vec<PatronStep>>, bool), StorageError> {
    let (min, refuted, _, _) = follow.params();
    // Each root's reachable actors at their least depth.
    let mut reached: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut rows = 0;
    {
        let found = conn.query_rows(
            conn.pick(include_str!("patrons.sql"), include_str!("patrons.pg.sql")),
            params![array(actors), max_depth, MAX_ROWS as i64, min, refuted],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<u32>(2)?)),
        )?;
        for (root, node, depth) in found {
            rows += 1;
            reached
                .entry(root)
                .or_default()
                .entry(node)
                .and_modify(|d| *d = (*d).min(depth))
                .or_insert(depth);
        }
    }
    // The claims leaving every actor reached above its depth limit, in one statement.
    let mut subjects: Vec<&str> = reached
        .values()
        .flat_map(|nodes| nodes.iter())
        .filter(|(_, d)| **d < max_depth)
        .map(|(n, _)| n.as_str())
        .collect();
    subjects.sort_unstable();
    subjects.dedup();
    let mut leaving: HashMap<String, Vec<(String, String)>> = HashMap::new();
    {
        let found = conn.query_rows(
            include_str!("patron_claims.sql"),
            params![array(&subjects), min, refuted],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                ))
            },
        )?;
        for (subject, claim, object) in found {
            leaving.entry(subject).or_default().push((claim, object));
        }
    }
    let chains = reached
        .into_iter()
        .map(|(root, nodes)| {
            let mut steps: Vec<PatronStep> = nodes
                .iter()
                .filter(|(_, d)| **d < max_depth)
                .flat_map(|(client, depth)| {
                    leaving
                        .get(client)
                        .into_iter()
                        .flatten()
                        .map(move |(claim, patron)| PatronStep {
                            client: client.clone(),
                            claim: claim.clone(),
                            patron: patron.clone(),
                            depth: depth + 1,
                        })
                })
                .collect();
            steps.sort_by(|a, b| {
                (a.depth, &a.client, &a.claim).cmp(&(b.depth, &b.client, &b.claim))
            });
            (root, steps)
        })
        .collect();
    Ok((chains, rows >= MAX_ROWS))
}
