//! Graph reasoning (`paths`, `neighborhood` and `Actor.patronChain`) on generated graphs,
//! checked against simple reference implementations written here. The reference uses
//! breadth-first search over an in-memory adjacency list, counts shortest paths layer by
//! layer, and lists them by depth-first search. The graphs are random graphs with several
//! components, cycles, parallel claims, self-loops, value claims and refuted claims; a hub of
//! 50,000 links; a dense clique; and chains, cycles and a knot of patrons.
//!
//! Beyond matching the reference, every request must return, and must say `truncated: true`
//! exactly when one of the server's bounds (rows per search, partial paths explored, edges per
//! neighbourhood, the caller's `limit`) cut the answer. Arguments out of range, and ids that
//! name nothing, must be refused with `BAD_USER_INPUT`.
//!
//! The graphs are written straight into SQLite, not through fixtures, because fixture
//! validation forbids self-loops. They are served in-process. A seeded generator makes every
//! run build the same graphs. No assertion depends on timing; a generous timeout only keeps
//! a runaway request from hanging the run.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::Duration;

use actix_web::{App, test};
use claimgraph::http::{AppState, configure};
use claimgraph::storage::traverse::{
    MAX_EDGES, MAX_HOPS, MAX_NEIGHBORHOOD_HOPS, MAX_PATHS_EXPLORED, MAX_PATRON_DEPTH, MAX_ROWS,
};
use claimgraph::storage::{Database, Store};
use serde_json::{Value, json};

/// How long one request may take before the test gives up on it: only a guard against a
/// hang, far above what any request needs.
const PATIENCE: Duration = Duration::from_secs(600);

/// The relations the generated actor-to-actor claims use.
const RELATIONS: [&str; 9] = [
    "front_for",
    "backed_by",
    "aligned_with",
    "leads",
    "commands",
    "member_of",
    "opposes",
    "killed",
    "targeted",
];

/// The statuses of claims that are not refuted.
const STANDING: [&str; 3] = ["asserted", "disputed", "confirmed"];

/// The relations a patron chain climbs.
const PATRON_RELATIONS: [&str; 2] = ["front_for", "backed_by"];

// ---------------------------------------------------------------------------------------------
// A deterministic generator.

/// A small seeded pseudo-random generator (xorshift64*), so that every run builds the same
/// graphs.
struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; zero is replaced, as xorshift would stick at it).
    fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with a chance of `percent` in a hundred.
    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Generated graphs and how they are stored.

/// One generated claim. Its object is `None` for a value claim (`has_strength`).
#[derive(Debug, Clone)]
struct GenClaim {
    id: String,
    subject: usize,
    relation: &'static str,
    object: Option<usize>,
    confidence: u8,
    status: &'static str,
}

/// A generated graph: actors (by index) in components, and the claims among them.
#[derive(Debug, Default)]
struct Graph {
    /// Actor ids by index.
    actors: Vec<String>,
    /// Each actor's component, as generated (claims never cross components).
    component: Vec<usize>,
    /// The claims, in the order generated.
    claims: Vec<GenClaim>,
    /// Actor index by id.
    actor_index: HashMap<String, usize>,
    /// Claim index by id.
    claim_index: HashMap<String, usize>,
}

impl Graph {
    /// Adds an actor and returns its index.
    fn actor(&mut self, id: &str, component: usize) -> usize {
        let index = self.actors.len();
        assert!(
            self.actor_index.insert(id.to_owned(), index).is_none(),
            "duplicate actor id {id}"
        );
        self.actors.push(id.to_owned());
        self.component.push(component);
        index
    }

    /// Adds a claim between two actors and returns its index.
    fn claim(
        &mut self,
        subject: usize,
        relation: &'static str,
        object: Option<usize>,
        confidence: u8,
        status: &'static str,
    ) -> usize {
        let index = self.claims.len();
        let id = format!("cl-{index}");
        self.claim_index.insert(id.clone(), index);
        self.claims.push(GenClaim {
            id,
            subject,
            relation,
            object,
            confidence,
            status,
        });
        index
    }

    /// Adds a claim with a random relation, confidence and status (one in eight refuted).
    fn random_claim(&mut self, rng: &mut Rng, subject: usize, object: usize) -> usize {
        let relation = rng.pick(&RELATIONS);
        let confidence = rng.below(101) as u8;
        let status = if rng.percent(12) {
            "refuted"
        } else {
            rng.pick(&STANDING)
        };
        self.claim(subject, relation, Some(object), confidence, status)
    }

    /// The index of the actor with this id.
    fn at(&self, id: &str) -> usize {
        *self
            .actor_index
            .get(id)
            .unwrap_or_else(|| panic!("no generated actor {id}"))
    }

    /// The generated claim with this id, if there is one.
    fn claim_named(&self, id: &str) -> Option<&GenClaim> {
        self.claim_index.get(id).map(|&i| &self.claims[i])
    }

    /// Writes the graph into a fresh in-memory database, in one transaction, with prepared
    /// statements and without fixture validation.
    fn store(&self) -> Store {
        let store = Store::open_in_memory().expect("an in-memory database");
        let conn = store.sqlite().expect("an SQLite store");
        conn.execute_batch(
            "BEGIN;
             INSERT INTO nodes (id, type) VALUES ('src', 'source');
             INSERT INTO sources (id, kind, title) VALUES ('src', 'news_article', 'Source');",
        )
        .expect("the source is written");
        {
            let mut node = conn
                .prepare("INSERT INTO nodes (id, type) VALUES (?1, ?2)")
                .expect("prepared");
            let mut actor = conn
                .prepare("INSERT INTO actors (id, kind, name) VALUES (?1, 'armed_group', ?2)")
                .expect("prepared");
            let mut claim = conn
                .prepare(
                    "INSERT INTO claims (id, subject_id, relation, object_id, value_amount,
                         asserted_by_id, source_id, confidence, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, 'src', ?6, ?7)",
                )
                .expect("prepared");
            for id in &self.actors {
                node.execute((id, "actor")).expect("an actor node");
                actor
                    .execute((id, format!("Actor {id}")))
                    .expect("an actor");
            }
            for c in &self.claims {
                node.execute((&c.id, "claim")).expect("a claim node");
                let object = c.object.map(|o| self.actors[o].as_str());
                let amount = c.object.is_none().then_some(1500.0_f64);
                claim
                    .execute((
                        &c.id,
                        &self.actors[c.subject],
                        c.relation,
                        object,
                        amount,
                        c.confidence,
                        c.status,
                    ))
                    .expect("a claim");
            }
        }
        conn.execute_batch("COMMIT")
            .expect("the graph is committed");
        store
    }

    /// An in-process server over this graph.
    fn serve(&self) -> Api {
        Api {
            state: AppState::new(Database::in_memory(self.store()), Default::default()),
        }
    }
}

/// A random graph of 300 actors and about 900 claims, in 14 components. The largest is a
/// dense random graph. The second is a ring of 70 with a few chords, so that distances run
/// past six hops. The smallest are single actors. Claims may be parallel, there are
/// self-loops (one on an isolated actor), and there are a few value claims, which no walk
/// follows.
fn random_graph(seed: u64) -> Graph {
    let mut rng = Rng::new(seed);
    let mut g = Graph::default();
    let sizes = [110, 70, 45, 30, 20, 10, 5, 3, 2, 1, 1, 1, 1, 1];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (c, &n) in sizes.iter().enumerate() {
        members.push((0..n).map(|i| g.actor(&format!("g{c}-a{i}"), c)).collect());
    }
    for (c, m) in members.iter().enumerate() {
        let n = m.len();
        if n < 2 {
            continue;
        }
        if c == 1 {
            // A ring, each claim in a random direction, and four chords.
            for i in 0..n {
                let (s, o) = (m[i], m[(i + 1) % n]);
                let (s, o) = if rng.percent(50) { (s, o) } else { (o, s) };
                g.random_claim(&mut rng, s, o);
            }
            for _ in 0..4 {
                let (s, o) = (m[rng.below(n)], m[rng.below(n)]);
                if s != o {
                    g.random_claim(&mut rng, s, o);
                }
            }
            continue;
        }
        // A random spanning tree, then random extra claims (cycles and parallel claims).
        for i in 1..n {
            let (s, o) = (m[i], m[rng.below(i)]);
            let (s, o) = if rng.percent(50) { (s, o) } else { (o, s) };
            g.random_claim(&mut rng, s, o);
        }
        for _ in 0..(n * 13 / 5) {
            let (s, o) = (m[rng.below(n)], m[rng.below(n)]);
            if s != o {
                g.random_claim(&mut rng, s, o);
            }
        }
    }
    // Parallel claims: the same two actors again, either way round.
    for _ in 0..20 {
        let c = g.claims[rng.below(g.claims.len())].clone();
        let o = c.object.expect("only actor-to-actor claims so far");
        let (s, o) = if rng.percent(50) {
            (c.subject, o)
        } else {
            (o, c.subject)
        };
        g.random_claim(&mut rng, s, o);
    }
    // Self-loops, one of them on an isolated actor.
    let isolated = g.actors.len() - 1;
    g.claim(isolated, "aligned_with", Some(isolated), 90, "asserted");
    for _ in 0..8 {
        let a = rng.below(g.actors.len());
        g.random_claim(&mut rng, a, a);
    }
    // Value claims: an object-less claim leads nowhere.
    for _ in 0..5 {
        let a = rng.below(g.actors.len());
        g.claim(a, "has_strength", None, 80, "asserted");
    }
    g
}

/// The number of leaves around the hub.
const LEAVES: usize = 50_000;
/// The leaves (`leaf-1` to `leaf-12000`) also linked to `twin`.
const TWIN_LEAVES: usize = 12_000;

/// A hub with 50,000 links: `hub` and `leaf-1` … `leaf-50000`. Odd leaves are members of
/// the hub and the hub commands even ones, so that walks use both directions. `twin` is
/// linked to the first 12,000 leaves (12,000 shortest paths from `hub` to `twin`). Three
/// small hubs `hub-b`, `hub-c` and `hub-d` each back `leaf-1` and `leaf-2`. Apart from the
/// hub, a chain `far-0` … `far-8`. With `odd_cycle`, `leaf-1` is also aligned with `leaf-3`,
/// so that the leaves are found at every depth of a walk, not only every other one.
fn hub_graph(odd_cycle: bool) -> Graph {
    let mut g = Graph::default();
    let hub = g.actor("hub", 0);
    let twin = g.actor("twin", 0);
    let small: Vec<usize> = ["hub-b", "hub-c", "hub-d"]
        .iter()
        .map(|id| g.actor(id, 0))
        .collect();
    let leaves: Vec<usize> = (1..=LEAVES)
        .map(|i| g.actor(&format!("leaf-{i}"), 0))
        .collect();
    for (i, &leaf) in leaves.iter().enumerate() {
        let n = i + 1;
        let confidence = (40 + n % 61) as u8;
        if n % 2 == 1 {
            g.claim(leaf, "member_of", Some(hub), confidence, "asserted");
        } else {
            g.claim(hub, "commands", Some(leaf), confidence, "confirmed");
        }
    }
    for (i, &leaf) in leaves.iter().take(TWIN_LEAVES).enumerate() {
        g.claim(
            leaf,
            "aligned_with",
            Some(twin),
            (30 + i % 71) as u8,
            "asserted",
        );
    }
    for (k, &h) in small.iter().enumerate() {
        let k = k as u8;
        g.claim(leaves[0], "backed_by", Some(h), 91 - k, "asserted");
        g.claim(leaves[1], "backed_by", Some(h), 81 + k, "disputed");
    }
    let far: Vec<usize> = (0..=8).map(|i| g.actor(&format!("far-{i}"), 1)).collect();
    for pair in far.windows(2) {
        g.claim(pair[0], "opposes", Some(pair[1]), 70, "asserted");
    }
    if odd_cycle {
        g.claim(leaves[0], "aligned_with", Some(leaves[2]), 60, "asserted");
    }
    g
}

// ---------------------------------------------------------------------------------------------
// Talking to the server.

/// A server over one generated graph; every request gets a fresh in-process app over the
/// same database.
struct Api {
    state: AppState,
}

impl Api {
    /// `POST /graphql`; the whole response, which must be HTTP 200 JSON and come within
    /// [`PATIENCE`].
    async fn post(&self, query: &str, variables: Value) -> Value {
        let state = self.state.clone();
        let call = async move {
            let app = test::init_service(App::new().configure(move |c| configure(c, state))).await;
            let req = test::TestRequest::post()
                .uri("/graphql")
                .set_json(json!({ "query": query, "variables": variables }))
                .to_request();
            let resp = test::call_service(&app, req).await;
            let status = resp.status().as_u16();
            let bytes = test::read_body(resp).await;
            assert_eq!(
                status,
                200,
                "GraphQL answers HTTP 200: {}",
                String::from_utf8_lossy(&bytes)
            );
            serde_json::from_slice::<Value>(&bytes).expect("a JSON body")
        };
        tokio::time::timeout(PATIENCE, call)
            .await
            .unwrap_or_else(|_| panic!("no answer within {PATIENCE:?} to {query}"))
    }

    /// The `data` of a request that must succeed without errors.
    async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables.clone()).await;
        assert!(
            body.get("errors").is_none(),
            "unexpected errors for {variables}: {:#}",
            body["errors"]
        );
        body["data"].clone()
    }

    /// The `extensions.code` of every error of a request that must fail.
    async fn error_codes(&self, query: &str, variables: Value) -> Vec<String> {
        let body = self.post(query, variables.clone()).await;
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("expected errors for {variables}, got {body:#}"));
        assert!(!errors.is_empty(), "expected errors for {variables}");
        errors
            .iter()
            .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
            .collect()
    }
}

/// The `paths` query, with every argument a variable.
const PATHS: &str = "query ($from: ID!, $to: ID!, $maxHops: Int!, $relations: [Relation!],
    $minConfidence: Int!, $includeRefuted: Boolean!, $first: Int!) {
  paths(from: $from, to: $to, maxHops: $maxHops, relations: $relations,
        minConfidence: $minConfidence, includeRefuted: $includeRefuted, first: $first) {
    hops
    truncated
    paths {
      hops
      confidence
      nodes { id }
      steps { claim { id } direction from { id } to { id } confidence }
    }
  }
}";

/// The `neighborhood` query, with every argument a variable.
const NEIGHBORHOOD: &str = "query ($id: ID!, $hops: Int!, $relations: [Relation!],
    $minConfidence: Int!, $includeRefuted: Boolean!, $limit: Int!) {
  neighborhood(id: $id, hops: $hops, relations: $relations, minConfidence: $minConfidence,
               includeRefuted: $includeRefuted, limit: $limit) {
    center { id }
    truncated
    nodes { nodeId type kind label distance }
    edges { claimId relation source target direction confidence }
  }
}";

/// The `Actor.patronChain` query, with every argument a variable.
const PATRON_CHAIN: &str =
    "query ($id: ID!, $maxDepth: Int!, $minConfidence: Int!, $includeRefuted: Boolean!) {
  actor(id: $id) {
    patronChain(maxDepth: $maxDepth, minConfidence: $minConfidence,
                includeRefuted: $includeRefuted) {
      steps { depth client { id } patron { id } claim { id } }
      top { id }
      truncated
    }
  }
}";

/// A string field of a JSON answer.
fn text<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {v}"))
}

/// An array field of a JSON answer.
fn list<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is not a list: {v}"))
}

// ---------------------------------------------------------------------------------------------
// The reference: which claims are followed, breadth-first search, shortest paths.

/// Which claims a query follows: the reference twin of the filter arguments.
#[derive(Debug, Clone)]
struct Filter {
    min_confidence: u8,
    include_refuted: bool,
    relations: Option<&'static [&'static str]>,
}

impl Filter {
    /// Every claim that is not refuted (the defaults).
    const DEFAULT: Filter = Filter {
        min_confidence: 0,
        include_refuted: false,
        relations: None,
    };

    /// Whether a walk follows the claim: it links two nodes and passes the filters.
    fn follows(&self, c: &GenClaim) -> bool {
        c.object.is_some()
            && c.confidence >= self.min_confidence
            && (self.include_refuted || c.status != "refuted")
            && self.relations.is_none_or(|r| r.contains(&c.relation))
    }

    /// The filter as GraphQL variables.
    fn variables(&self) -> Value {
        json!({
            "minConfidence": self.min_confidence,
            "includeRefuted": self.include_refuted,
            "relations": self
                .relations
                .map(|r| r.iter().map(|x| x.to_uppercase()).collect::<Vec<_>>()),
        })
    }
}

/// Merges the fields of `more` into the object `base`.
fn with(mut base: Value, more: Value) -> Value {
    let fields = base.as_object_mut().expect("an object");
    for (k, v) in more.as_object().expect("an object") {
        fields.insert(k.clone(), v.clone());
    }
    base
}

/// One way to leave a node: the claim followed (either way) and the node it reaches.
#[derive(Debug, Clone, Copy)]
struct Link {
    claim: usize,
    to: usize,
}

/// The adjacency list of the claims a filter follows, both ways.
fn adjacency(g: &Graph, filter: &Filter) -> Vec<Vec<Link>> {
    let mut adj = vec![Vec::new(); g.actors.len()];
    for (i, c) in g.claims.iter().enumerate() {
        if let (true, Some(o)) = (filter.follows(c), c.object) {
            adj[c.subject].push(Link { claim: i, to: o });
            adj[o].push(Link {
                claim: i,
                to: c.subject,
            });
        }
    }
    adj
}

/// Each node's least number of hops from `start`, up to `max_hops` (breadth-first).
fn bfs(adj: &[Vec<Link>], start: usize, max_hops: u32) -> Vec<Option<u32>> {
    let mut dist = vec![None; adj.len()];
    dist[start] = Some(0);
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        let d = dist[u].expect("queued nodes have a distance");
        if d == max_hops {
            continue;
        }
        for l in &adj[u] {
            if dist[l.to].is_none() {
                dist[l.to] = Some(d + 1);
                queue.push_back(l.to);
            }
        }
    }
    dist
}

/// One side of the server's breadth-first search, replayed: the nodes reached with their
/// hops, the deepest level, and how many levels are done.
struct Side {
    hops: Vec<Option<u32>>,
    frontier: Vec<usize>,
    depth: u32,
}

impl Side {
    fn new(adj: &[Vec<Link>], start: usize) -> Side {
        let mut hops = vec![None; adj.len()];
        hops[start] = Some(0);
        Side {
            hops,
            frontier: vec![start],
            depth: 0,
        }
    }

    /// How many rows the next level reads: one per claim of each frontier node (a claim
    /// between two frontier nodes, or a self-loop, is read from both ends).
    fn rows(&self, adj: &[Vec<Link>]) -> usize {
        self.frontier.iter().map(|&u| adj[u].len()).sum()
    }

    /// Reaches the next level whole; gives the nodes first reached there.
    fn expand(&mut self, adj: &[Vec<Link>]) -> Vec<usize> {
        self.depth += 1;
        let mut fresh = Vec::new();
        for &u in &self.frontier {
            for l in &adj[u] {
                if self.hops[l.to].is_none() {
                    self.hops[l.to] = Some(self.depth);
                    fresh.push(l.to);
                }
            }
        }
        self.frontier = fresh.clone();
        fresh
    }
}

/// Whether the row bound cuts the server's search for paths (`storage::traverse::meet`),
/// replayed: both ends widen a level at a time, the side with the smaller frontier first
/// (the start's on a tie), until the sides meet, one runs out, the hops are spent, or a level
/// would read more than the [`MAX_ROWS`] rows left.
fn search_cut(adj: &[Vec<Link>], from: usize, to: usize, max_hops: u32) -> bool {
    let (mut ahead, mut behind) = (Side::new(adj, from), Side::new(adj, to));
    let mut budget = MAX_ROWS;
    while ahead.depth + behind.depth < max_hops {
        if ahead.frontier.is_empty() || behind.frontier.is_empty() || budget == 0 {
            return false;
        }
        let (side, other) = if ahead.frontier.len() <= behind.frontier.len() {
            (&mut ahead, &behind)
        } else {
            (&mut behind, &ahead)
        };
        let rows = side.rows(adj);
        if rows > budget {
            return true;
        }
        budget -= rows;
        if side.expand(adj).iter().any(|&n| other.hops[n].is_some()) {
            return false;
        }
    }
    false
}

/// Whether the row bound cuts the server's search for a neighbourhood, replayed: levels are
/// reached from the centre while there are hops left and at most `limit` nodes.
fn neighborhood_cut(adj: &[Vec<Link>], center: usize, hops: u32, limit: usize) -> bool {
    let mut side = Side::new(adj, center);
    let mut budget = MAX_ROWS;
    let mut reached = 1;
    while side.depth < hops && !side.frontier.is_empty() && reached <= limit && budget > 0 {
        let rows = side.rows(adj);
        if rows > budget {
            return true;
        }
        budget -= rows;
        reached += side.expand(adj).len();
    }
    false
}

/// What the reference expects of `paths` between two different nodes.
struct ExpectedPaths {
    /// The length of the shortest paths, when within `maxHops`.
    hops: Option<u32>,
    /// Whether a bound must cut the server's search: a search reaching the row bound, or more
    /// partial paths than the server explores.
    truncated: bool,
    /// Whether that cut comes from the row bound of the search, which may hide the target.
    search_cut: bool,
    /// How many shortest paths there are (each choice of claim counts).
    count: u64,
    /// Every shortest path as claim indices, most confident first then by claim ids, when
    /// there are few enough to list.
    listed: Option<Vec<Vec<usize>>>,
    /// Hops from the start, for checking that each step moves one hop farther.
    ahead: Vec<Option<u32>>,
}

/// The most shortest paths the reference lists one by one.
const LIST_AT_MOST: u64 = 20_000;

/// The reference answer to `paths(from, to, maxHops)` for two different nodes. The
/// shortest paths run through the nodes whose hops from both ends add up to the length,
/// each step one hop farther from the start. Counting the paths to each such node layer by
/// layer gives both the number of shortest paths and the number of partial paths the
/// server's search explores (one per path from the start to a node of the layered graph,
/// the empty one included).
fn expected_paths(
    g: &Graph,
    adj: &[Vec<Link>],
    from: usize,
    to: usize,
    max_hops: u32,
) -> ExpectedPaths {
    assert_ne!(from, to, "the reference is for two different nodes");
    let ahead = bfs(adj, from, max_hops);
    let search_cut = search_cut(adj, from, to, max_hops);
    let Some(length) = ahead[to] else {
        return ExpectedPaths {
            hops: None,
            truncated: search_cut,
            search_cut,
            count: 0,
            listed: Some(Vec::new()),
            ahead,
        };
    };
    let behind = bfs(adj, to, length);
    let on_path: Vec<bool> = (0..adj.len())
        .map(|v| matches!((ahead[v], behind[v]), (Some(a), Some(b)) if a + b == length))
        .collect();
    let mut layered: Vec<usize> = (0..adj.len()).filter(|&v| on_path[v]).collect();
    layered.sort_by_key(|&v| ahead[v]);
    let (on, hop) = (&on_path, &ahead);
    let steps_from = |u: usize| {
        adj[u]
            .iter()
            .filter(move |l| on[l.to] && hop[l.to] == hop[u].map(|d| d + 1))
    };
    let mut ways = vec![0_u64; adj.len()];
    ways[from] = 1;
    for &u in &layered {
        for l in steps_from(u) {
            ways[l.to] = ways[l.to].saturating_add(ways[u]);
        }
    }
    let explored: u64 = layered
        .iter()
        .fold(0_u64, |sum, &v| sum.saturating_add(ways[v]));
    let count = ways[to];
    let listed = (count <= LIST_AT_MOST).then(|| {
        let mut all = Vec::new();
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(from, Vec::new())];
        while let Some((at, path)) = stack.pop() {
            if at == to {
                all.push(path);
                continue;
            }
            for l in steps_from(at) {
                let mut longer = path.clone();
                longer.push(l.claim);
                stack.push((l.to, longer));
            }
        }
        let confidence = |p: &[usize]| -> f64 {
            p.iter()
                .map(|&c| f64::from(g.claims[c].confidence) / 100.0)
                .product()
        };
        let ids = |p: &[usize]| {
            p.iter()
                .map(|&c| g.claims[c].id.clone())
                .collect::<Vec<_>>()
        };
        all.sort_by(|a, b| {
            confidence(b)
                .total_cmp(&confidence(a))
                .then_with(|| ids(a).cmp(&ids(b)))
        });
        assert_eq!(all.len() as u64, count, "the listing agrees with the count");
        all
    });
    ExpectedPaths {
        hops: Some(length),
        truncated: search_cut || explored > MAX_PATHS_EXPLORED as u64,
        search_cut,
        count,
        listed,
        ahead,
    }
}

/// One `paths` question.
#[derive(Debug, Clone)]
struct PathCase {
    from: usize,
    to: usize,
    max_hops: u32,
    filter: Filter,
    first: usize,
}

impl PathCase {
    /// The question between two actors named by id, following every claim.
    fn named(g: &Graph, from: &str, to: &str, max_hops: u32, first: usize) -> PathCase {
        PathCase {
            from: g.at(from),
            to: g.at(to),
            max_hops,
            filter: Filter::DEFAULT,
            first,
        }
    }
}

/// What one checked `paths` answer was like, to make sure the cases cover what they should.
#[derive(Debug, Default, Clone, Copy)]
struct PathOutcome {
    reachable: bool,
    several: bool,
    capped: bool,
    truncated: bool,
}

/// Asks `paths` and checks the answer against the reference. `hops` must agree (null when
/// unreachable within `maxHops`) and every path must be valid: it starts and ends where
/// asked, its steps connect, each direction matches its claim's subject and object, each
/// step moves one hop farther, its length is `hops`, every claim passes the filters, and its
/// confidence is the product of its steps. The paths must be distinct, and `truncated` must
/// be true exactly when a bound cut the search. When nothing was cut, the paths must be
/// exactly the reference's `first` best.
async fn check_paths(api: &Api, g: &Graph, adj: &[Vec<Link>], case: &PathCase) -> PathOutcome {
    let (from, to) = (&g.actors[case.from], &g.actors[case.to]);
    let variables = with(
        json!({ "from": from, "to": to, "maxHops": case.max_hops, "first": case.first }),
        case.filter.variables(),
    );
    let data = api.data(PATHS, variables.clone()).await;
    let got = &data["paths"];
    let want = expected_paths(g, adj, case.from, case.to, case.max_hops);
    let what = format!("paths {variables}");
    let truncated = got["truncated"]
        .as_bool()
        .unwrap_or_else(|| panic!("{what}: truncated is not a boolean: {got}"));
    assert_eq!(
        truncated, want.truncated,
        "{what}: truncated (reference: {} shortest paths)",
        want.count
    );
    let paths = list(&got["paths"], "paths");
    if want.search_cut && got["hops"].is_null() {
        // The row bound may hide the target; the answer says so.
        assert!(paths.is_empty(), "{what}: paths without hops");
        return PathOutcome {
            truncated,
            ..PathOutcome::default()
        };
    }
    assert_eq!(
        got["hops"].as_u64(),
        want.hops.map(u64::from),
        "{what}: hops"
    );
    let Some(hops) = want.hops else {
        assert!(paths.is_empty(), "{what}: paths although unreachable");
        return PathOutcome {
            truncated,
            ..PathOutcome::default()
        };
    };
    let mut seen = HashSet::new();
    let mut sequences = Vec::new();
    for p in paths {
        let claims = check_path(g, &want, case, hops, p, &what);
        assert!(
            seen.insert(claims.clone()),
            "{what}: a path twice: {claims:?}"
        );
        sequences.push(claims);
    }
    assert!(paths.len() <= case.first, "{what}: more than `first` paths");
    if truncated {
        assert!(!paths.is_empty(), "{what}: hops {hops} but no path");
    } else {
        let listed = want
            .listed
            .as_ref()
            .expect("an uncut search has few enough paths to list");
        let best: Vec<Vec<String>> = listed
            .iter()
            .take(case.first)
            .map(|p| p.iter().map(|&c| g.claims[c].id.clone()).collect())
            .collect();
        assert_eq!(
            sequences, best,
            "{what}: the {} best of {} shortest paths",
            case.first, want.count
        );
    }
    PathOutcome {
        reachable: true,
        several: want.count > 1,
        capped: want.count > case.first as u64,
        truncated,
    }
}

/// Checks one returned path (see [`check_paths`]) and returns its claim ids.
fn check_path(
    g: &Graph,
    want: &ExpectedPaths,
    case: &PathCase,
    hops: u32,
    p: &Value,
    what: &str,
) -> Vec<String> {
    let steps = list(&p["steps"], "steps");
    assert_eq!(steps.len() as u64, u64::from(hops), "{what}: path length");
    assert_eq!(
        p["hops"].as_u64(),
        Some(u64::from(hops)),
        "{what}: path hops"
    );
    let mut at = g.actors[case.from].as_str();
    let mut nodes = vec![at.to_owned()];
    let mut claims = Vec::new();
    let mut confidence = 1.0_f64;
    for (i, s) in steps.iter().enumerate() {
        let id = text(&s["claim"]["id"], "claim id");
        let c = g
            .claim_named(id)
            .unwrap_or_else(|| panic!("{what}: unknown claim {id}"));
        assert!(
            case.filter.follows(c),
            "{what}: claim {c:?} does not pass the filters"
        );
        let step_from = text(&s["from"]["id"], "from");
        let step_to = text(&s["to"]["id"], "to");
        assert_eq!(
            step_from, at,
            "{what}: step {i} does not start where the last ended"
        );
        let subject = g.actors[c.subject].as_str();
        let object = g.actors[c.object.expect("followed claims have objects")].as_str();
        match text(&s["direction"], "direction") {
            "FORWARD" => assert_eq!(
                (step_from, step_to),
                (subject, object),
                "{what}: a FORWARD step goes from subject to object"
            ),
            "BACKWARD" => assert_eq!(
                (step_from, step_to),
                (object, subject),
                "{what}: a BACKWARD step goes from object to subject"
            ),
            other => panic!("{what}: direction {other}"),
        }
        assert_eq!(
            s["confidence"].as_u64(),
            Some(u64::from(c.confidence)),
            "{what}: step confidence"
        );
        assert_eq!(
            want.ahead[g.at(step_to)],
            Some(i as u32 + 1),
            "{what}: step {i} does not move one hop farther (not a shortest path)"
        );
        confidence *= f64::from(c.confidence) / 100.0;
        claims.push(id.to_owned());
        nodes.push(step_to.to_owned());
        at = step_to;
    }
    assert_eq!(at, g.actors[case.to], "{what}: the path ends elsewhere");
    let got_nodes: Vec<&str> = list(&p["nodes"], "nodes")
        .iter()
        .map(|n| text(&n["id"], "node id"))
        .collect();
    assert_eq!(got_nodes, nodes, "{what}: the nodes passed through");
    let got_confidence = p["confidence"].as_f64().expect("a confidence");
    assert!(
        (got_confidence - confidence).abs() < 1e-9,
        "{what}: confidence {got_confidence}, product of steps {confidence}"
    );
    claims
}

/// Asks `neighborhood` and checks it against the reference: nodes are the reference's
/// (distance, id) order cut to `limit`, each with its distance, type, kind and label; edges
/// are every followed claim with both ends among those nodes, each with its relation,
/// ends, confidence and direction from the centre; `truncated` is true exactly when the
/// limit or a bound left something out. Returns the number of nodes and edges returned.
async fn check_neighborhood(
    api: &Api,
    g: &Graph,
    adj: &[Vec<Link>],
    filter: &Filter,
    center: usize,
    hops: u32,
    limit: usize,
) -> (usize, usize) {
    let id = &g.actors[center];
    let variables = with(
        json!({ "id": id, "hops": hops, "limit": limit }),
        filter.variables(),
    );
    let data = api.data(NEIGHBORHOOD, variables.clone()).await;
    let got = &data["neighborhood"];
    let what = format!("neighborhood {variables}");
    assert_eq!(text(&got["center"]["id"], "center"), id, "{what}: center");

    let dist = bfs(adj, center, hops);
    let mut reach: Vec<(&str, u32)> = (0..g.actors.len())
        .filter_map(|v| dist[v].map(|d| (g.actors[v].as_str(), d)))
        .collect();
    reach.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    assert!(
        !neighborhood_cut(adj, center, hops, limit),
        "{what}: the reference cannot predict a cut search"
    );
    let nodes_cut = reach.len() > limit;
    reach.truncate(limit);

    let got_nodes = list(&got["nodes"], "nodes");
    let got_pairs: Vec<(&str, u64)> = got_nodes
        .iter()
        .map(|n| {
            (
                text(&n["nodeId"], "node id"),
                n["distance"].as_u64().expect("a distance"),
            )
        })
        .collect();
    let want_pairs: Vec<(&str, u64)> = reach.iter().map(|&(n, d)| (n, u64::from(d))).collect();
    assert_eq!(
        got_pairs, want_pairs,
        "{what}: nodes and distances, in order"
    );
    for n in got_nodes {
        let node = text(&n["nodeId"], "node id");
        assert_eq!(n["type"], "ACTOR", "{what}: type of {node}");
        assert_eq!(n["kind"], "armed_group", "{what}: kind of {node}");
        assert_eq!(
            n["label"],
            format!("Actor {node}"),
            "{what}: label of {node}"
        );
    }

    let inside: HashMap<&str, u32> = reach.iter().copied().collect();
    let mut want_edges: Vec<&GenClaim> = g
        .claims
        .iter()
        .filter(|c| {
            filter.follows(c)
                && inside.contains_key(g.actors[c.subject].as_str())
                && c.object
                    .is_some_and(|o| inside.contains_key(g.actors[o].as_str()))
        })
        .collect();
    want_edges.sort_by(|a, b| a.id.cmp(&b.id));
    let edges_cut = want_edges.len() > MAX_EDGES;
    let got_edges = list(&got["edges"], "edges");
    let mut got_ids = BTreeSet::new();
    for e in got_edges {
        let claim = text(&e["claimId"], "edge's claim id");
        assert!(got_ids.insert(claim), "{what}: edge {claim} twice");
        let c = g
            .claim_named(claim)
            .unwrap_or_else(|| panic!("{what}: unknown claim {claim}"));
        let (source, target) = (text(&e["source"], "source"), text(&e["target"], "target"));
        assert_eq!(source, g.actors[c.subject], "{what}: source of {claim}");
        assert_eq!(
            Some(target),
            c.object.map(|o| g.actors[o].as_str()),
            "{what}: target of {claim}"
        );
        assert_eq!(
            e["relation"],
            c.relation.to_uppercase(),
            "{what}: relation of {claim}"
        );
        assert_eq!(
            e["confidence"].as_u64(),
            Some(u64::from(c.confidence)),
            "{what}: confidence of {claim}"
        );
        let (ds, dt) = (inside[source], inside[target]);
        let direction = match ds.cmp(&dt) {
            std::cmp::Ordering::Less => "OUTWARD",
            std::cmp::Ordering::Greater => "INWARD",
            std::cmp::Ordering::Equal => "ACROSS",
        };
        assert_eq!(e["direction"], direction, "{what}: direction of {claim}");
    }
    let want_ids: BTreeSet<&str> = want_edges.iter().map(|c| c.id.as_str()).collect();
    if edges_cut {
        assert_eq!(got_ids.len(), MAX_EDGES, "{what}: edges cut at the bound");
        assert!(
            got_ids.is_subset(&want_ids),
            "{what}: edges not among the nodes"
        );
    } else {
        assert_eq!(got_ids, want_ids, "{what}: edges");
    }
    assert_eq!(
        got["truncated"].as_bool(),
        Some(nodes_cut || edges_cut),
        "{what}: truncated (nodes cut by the limit: {nodes_cut}; {} edges among them)",
        want_edges.len()
    );
    (got_nodes.len(), got_edges.len())
}

/// Patron-chain steps by claim id: (depth, client, patron).
type Steps = BTreeMap<String, (u32, String, String)>;

/// The reference patron chain of `root`: the claims FRONT_FOR or BACKED_BY that pass the
/// filters and link two different actors, followed upwards (subject to object). Each claim
/// whose subject the climb reaches within `max_depth - 1` steps is a step, once, at depth
/// one more than its subject's least distance. Claims that lead back to an actor already
/// reached are steps too, and the climb stops there. `top` is the patrons of the steps that
/// are no step's client. Returns steps by claim id as (depth, client, patron), and `top`.
fn expected_patrons(
    g: &Graph,
    root: usize,
    max_depth: u32,
    filter: &Filter,
) -> (Steps, BTreeSet<String>) {
    let climbs = |c: &GenClaim| {
        PATRON_RELATIONS.contains(&c.relation)
            && filter.follows(c)
            && c.object.is_some_and(|o| o != c.subject)
    };
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); g.actors.len()];
    for c in g.claims.iter().filter(|c| climbs(c)) {
        up[c.subject].push(c.object.expect("checked"));
    }
    let mut dist: Vec<Option<u32>> = vec![None; g.actors.len()];
    dist[root] = Some(0);
    let mut queue = VecDeque::from([root]);
    while let Some(u) = queue.pop_front() {
        let d = dist[u].expect("queued");
        for &p in &up[u] {
            if dist[p].is_none() {
                dist[p] = Some(d + 1);
                queue.push_back(p);
            }
        }
    }
    let mut steps = BTreeMap::new();
    for c in g.claims.iter().filter(|c| climbs(c)) {
        if let Some(d) = dist[c.subject].filter(|&d| d < max_depth) {
            let patron = c.object.expect("checked");
            steps.insert(
                c.id.clone(),
                (d + 1, g.actors[c.subject].clone(), g.actors[patron].clone()),
            );
        }
    }
    let clients: BTreeSet<&String> = steps.values().map(|(_, client, _)| client).collect();
    let top = steps
        .values()
        .map(|(_, _, patron)| patron)
        .filter(|p| !clients.contains(p))
        .cloned()
        .collect();
    (steps, top)
}

/// Asks for an actor's patron chain and returns its steps by claim id, checking that no
/// claim appears twice and that the steps come nearest first; with its `top` (sorted) and
/// `truncated`.
async fn patron_chain(
    api: &Api,
    id: &str,
    max_depth: u32,
    filter: &Filter,
) -> (Steps, BTreeSet<String>, bool) {
    let variables = with(
        json!({ "id": id, "maxDepth": max_depth }),
        json!({
            "minConfidence": filter.min_confidence,
            "includeRefuted": filter.include_refuted,
        }),
    );
    let data = api.data(PATRON_CHAIN, variables.clone()).await;
    let chain = &data["actor"]["patronChain"];
    let mut steps = BTreeMap::new();
    let mut last_depth = 0;
    for s in list(&chain["steps"], "steps") {
        let depth = s["depth"].as_u64().expect("a depth") as u32;
        assert!(
            depth >= last_depth,
            "patronChain {variables}: steps are not nearest first"
        );
        last_depth = depth;
        let claim = text(&s["claim"]["id"], "claim").to_owned();
        let step = (
            depth,
            text(&s["client"]["id"], "client").to_owned(),
            text(&s["patron"]["id"], "patron").to_owned(),
        );
        assert!(
            steps.insert(claim.clone(), step).is_none(),
            "patronChain {variables}: claim {claim} appears twice"
        );
    }
    let top = list(&chain["top"], "top")
        .iter()
        .map(|a| text(&a["id"], "top id").to_owned())
        .collect();
    let truncated = chain["truncated"].as_bool().expect("truncated");
    (steps, top, truncated)
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// The filter settings the random-graph tests use.
fn filters() -> Vec<Filter> {
    const LINKS: &[&str] = &["backed_by", "front_for", "aligned_with", "member_of"];
    vec![
        Filter::DEFAULT,
        Filter {
            min_confidence: 0,
            include_refuted: true,
            relations: None,
        },
        Filter {
            min_confidence: 40,
            include_refuted: false,
            relations: None,
        },
        Filter {
            min_confidence: 0,
            include_refuted: false,
            relations: Some(LINKS),
        },
        Filter {
            min_confidence: 70,
            include_refuted: true,
            relations: None,
        },
    ]
}

#[actix_web::test]
async fn paths_on_a_random_graph_match_breadth_first_search() {
    let g = random_graph(0x5EED_0001);
    let api = g.serve();
    let filters = filters();
    let adjs: Vec<Vec<Vec<Link>>> = filters.iter().map(|f| adjacency(&g, f)).collect();
    let mut rng = Rng::new(42);
    let by_component = |c: usize| -> Vec<usize> {
        (0..g.actors.len())
            .filter(|&v| g.component[v] == c)
            .collect()
    };
    // Pairs: mostly within a component, some across, and some chosen on purpose: around
    // the ring (farther than six hops), between isolated actors, onto a self-loop's actor.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    while pairs.len() < 70 {
        let from = rng.below(g.actors.len());
        let to = if rng.percent(70) {
            rng.pick(&by_component(g.component[from]))
        } else {
            rng.below(g.actors.len())
        };
        if from != to {
            pairs.push((from, to));
        }
    }
    let ring = by_component(1);
    pairs.push((ring[0], ring[35]));
    pairs.push((ring[0], ring[6]));
    pairs.push((ring[10], ring[4]));
    let (isolated_a, isolated_b) = (g.actors.len() - 1, g.actors.len() - 2);
    pairs.push((isolated_a, isolated_b));
    pairs.push((isolated_a, ring[0]));
    let loops: Vec<usize> = g
        .claims
        .iter()
        .filter(|c| c.object == Some(c.subject))
        .map(|c| c.subject)
        .collect();
    for &l in &loops {
        let other = (l + 1) % g.actors.len();
        pairs.push((other, l));
        pairs.push((l, other));
    }

    let settings: [(u32, usize); 5] = [(4, 10), (6, 100), (2, 3), (3, 1), (5, 5)];
    let mut outcomes = Vec::new();
    for (i, &(from, to)) in pairs.iter().enumerate() {
        for (k, &(max_hops, first)) in settings.iter().enumerate() {
            let which = (i + k) % filters.len();
            let case = PathCase {
                from,
                to,
                max_hops,
                filter: filters[which].clone(),
                first,
            };
            outcomes.push(check_paths(&api, &g, &adjs[which], &case).await);
        }
        // maxHops 1: only direct claims.
        let case = PathCase {
            from,
            to,
            max_hops: 1,
            filter: filters[1].clone(),
            first: 10,
        };
        outcomes.push(check_paths(&api, &g, &adjs[1], &case).await);
    }
    // The cases covered what they should: reachable and unreachable pairs, pairs with
    // several shortest paths, and pairs with more than `first`.
    let count = |f: fn(&PathOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    assert!(count(|o| o.reachable) >= 50, "too few reachable pairs");
    assert!(count(|o| !o.reachable) >= 50, "too few unreachable pairs");
    assert!(
        count(|o| o.several) >= 20,
        "too few pairs with several paths"
    );
    assert!(
        count(|o| o.capped) >= 10,
        "too few pairs with more paths than `first`"
    );
    eprintln!(
        "paths: {} questions, {} reachable, {} with several paths, {} capped by first, {} truncated",
        outcomes.len(),
        count(|o| o.reachable),
        count(|o| o.several),
        count(|o| o.capped),
        count(|o| o.truncated)
    );
}

#[actix_web::test]
async fn a_path_from_a_node_to_itself_has_no_steps_and_passes_through_that_node() {
    let g = random_graph(0x5EED_0001);
    let api = g.serve();
    // One actor with claims all around, and one isolated actor with a self-loop.
    for id in ["g0-a0", g.actors.last().expect("actors").as_str()] {
        let variables = with(
            json!({ "from": id, "to": id, "maxHops": 3, "first": 10 }),
            Filter::DEFAULT.variables(),
        );
        let data = api.data(PATHS, variables).await;
        let got = &data["paths"];
        assert_eq!(got["hops"], 0, "{id} to itself: {got:#}");
        assert_eq!(got["truncated"], false, "{id} to itself: {got:#}");
        let paths = list(&got["paths"], "paths");
        assert_eq!(paths.len(), 1, "{id} to itself: one empty path: {got:#}");
        assert_eq!(paths[0]["hops"], 0);
        assert_eq!(paths[0]["confidence"], 1.0);
        assert_eq!(paths[0]["steps"], json!([]));
        assert_eq!(
            paths[0]["nodes"],
            json!([{ "id": id }]),
            "the nodes passed through include both ends, here the same node"
        );
    }
}

#[actix_web::test]
async fn neighborhoods_on_a_random_graph_match_breadth_first_search() {
    let g = random_graph(0x5EED_0002);
    let api = g.serve();
    let filters = filters();
    let adjs: Vec<Vec<Vec<Link>>> = filters.iter().map(|f| adjacency(&g, f)).collect();
    let mut rng = Rng::new(7);
    let mut centers: Vec<usize> = (0..24).map(|_| rng.below(g.actors.len())).collect();
    centers.push(g.actors.len() - 1); // isolated, with a self-loop
    centers.extend(
        g.claims
            .iter()
            .filter(|c| c.object == Some(c.subject))
            .map(|c| c.subject)
            .take(3),
    );
    let mut biggest = 0;
    for (i, &center) in centers.iter().enumerate() {
        for hops in 0..=3 {
            for which in [0, 1 + (i + hops as usize) % (filters.len() - 1)] {
                let (nodes, _) =
                    check_neighborhood(&api, &g, &adjs[which], &filters[which], center, hops, 2000)
                        .await;
                biggest = biggest.max(nodes);
            }
        }
        // A small limit keeps the first nodes of the (distance, id) order.
        for limit in [1, 7, 25] {
            check_neighborhood(&api, &g, &adjs[0], &filters[0], center, 2, limit).await;
        }
    }
    // The largest component has 110 actors; some neighbourhood must reach most of it.
    assert!(
        biggest >= 60,
        "neighbourhoods too small to test much: {biggest}"
    );
}

#[actix_web::test]
async fn patron_chains_on_a_chain_of_twenty_stop_at_max_depth() {
    let mut g = Graph::default();
    // A long chain: ch-0 backed by ch-1 … by ch-20 (20 claims).
    let chain: Vec<usize> = (0..=20).map(|i| g.actor(&format!("ch-{i}"), 0)).collect();
    for pair in chain.windows(2) {
        g.claim(pair[0], "backed_by", Some(pair[1]), 85, "asserted");
    }
    // A diamond: two ways up to d3, whose claim to dtop appears once, at its least depth.
    let [d0, d1, d2, d3, dtop] = ["d0", "d1", "d2", "d3", "dtop"].map(|id| g.actor(id, 1));
    g.claim(d0, "front_for", Some(d1), 90, "asserted");
    g.claim(d0, "backed_by", Some(d2), 90, "asserted");
    g.claim(d1, "backed_by", Some(d3), 90, "asserted");
    g.claim(d2, "front_for", Some(d3), 90, "asserted");
    g.claim(d3, "backed_by", Some(dtop), 90, "asserted");
    // Claims the filters drop: a refuted patron and an unsure one; and a claim of another
    // relation, which a patron chain does not climb.
    let [d4, d5, d6] = ["d4", "d5", "d6"].map(|id| g.actor(id, 1));
    g.claim(dtop, "backed_by", Some(d4), 90, "refuted");
    g.claim(dtop, "front_for", Some(d5), 20, "asserted");
    g.claim(dtop, "member_of", Some(d6), 90, "asserted");
    let api = g.serve();
    let sure = Filter {
        min_confidence: 50,
        include_refuted: false,
        relations: None,
    };
    let everything = Filter {
        min_confidence: 0,
        include_refuted: true,
        relations: None,
    };
    let cases: Vec<(&str, u32, &Filter)> = vec![
        ("ch-0", 12, &Filter::DEFAULT),
        ("ch-0", 5, &Filter::DEFAULT),
        ("ch-0", 1, &Filter::DEFAULT),
        ("ch-9", 12, &Filter::DEFAULT),
        ("ch-15", 12, &Filter::DEFAULT),
        ("ch-20", 12, &Filter::DEFAULT),
        ("d0", 12, &sure),
        ("d0", 12, &Filter::DEFAULT),
        ("d0", 12, &everything),
        ("d0", 3, &everything),
        ("d1", 2, &everything),
    ];
    for (id, max_depth, filter) in cases {
        let (steps, top, truncated) = patron_chain(&api, id, max_depth, filter).await;
        let (want_steps, want_top) = expected_patrons(&g, g.at(id), max_depth, filter);
        let what = format!("patron chain of {id} (maxDepth {max_depth}, {filter:?})");
        assert_eq!(steps, want_steps, "{what}: steps");
        assert_eq!(top, want_top, "{what}: top");
        assert!(
            steps.values().all(|(d, _, _)| *d <= max_depth),
            "{what}: deeper than maxDepth"
        );
        assert!(!truncated, "{what}: no row bound is near");
    }
    // Spelled out for the clearest cases.
    let (steps, top, _) = patron_chain(&api, "ch-0", 12, &Filter::DEFAULT).await;
    assert_eq!(steps.len(), 12, "twelve steps up the chain of twenty");
    assert_eq!(top, BTreeSet::from(["ch-12".to_owned()]));
    let (steps, top, _) = patron_chain(&api, "ch-15", 12, &Filter::DEFAULT).await;
    assert_eq!(steps.len(), 5);
    assert_eq!(top, BTreeSet::from(["ch-20".to_owned()]));
    let (steps, top, _) = patron_chain(&api, "d0", 12, &sure).await;
    assert_eq!(top, BTreeSet::from(["dtop".to_owned()]));
    assert_eq!(steps.len(), 5, "the diamond's claims, each once: {steps:?}");
    assert_eq!(steps["cl-24"].0, 3, "d3 → dtop at depth 3: {steps:?}");
}

#[actix_web::test]
async fn patron_chains_terminate_on_cycles_and_self_loops_with_each_claim_once() {
    // A closed cycle pa → pb → pc → pa, with a self-loop on pb.
    let mut g = Graph::default();
    let [a, b, c] = ["pa", "pb", "pc"].map(|id| g.actor(id, 0));
    g.claim(a, "front_for", Some(b), 90, "asserted");
    g.claim(b, "backed_by", Some(c), 80, "asserted");
    g.claim(c, "backed_by", Some(a), 70, "asserted");
    g.claim(b, "backed_by", Some(b), 60, "asserted"); // self-loop
    let api = g.serve();
    for (root, id) in [(a, "pa"), (b, "pb"), (c, "pc")] {
        let (steps, top, truncated) = patron_chain(&api, id, 12, &Filter::DEFAULT).await;
        assert!(!truncated, "nothing cut the chain of {id}");
        assert!(
            steps.values().all(|(_, client, patron)| client != patron),
            "a self-loop makes nobody their own patron: {steps:?}"
        );
        // Every claim of the cycle is a step, once; every patron on it has a patron, so
        // there is no top.
        let (want_steps, want_top) = expected_patrons(&g, root, 12, &Filter::DEFAULT);
        assert!(want_top.is_empty() && want_steps.len() == 3);
        assert_eq!(
            (&steps, &top),
            (&want_steps, &want_top),
            "patron chain of {id} round a closed cycle: (steps by claim, top)"
        );
    }
}

#[actix_web::test]
async fn patron_chains_above_a_cycle_reach_the_top_with_every_claim_once() {
    // A cycle with a way out: qa → qb → qc → qa, and qc → qtop; a self-loop on qb.
    let mut g = Graph::default();
    let [qa, qb, qc, qtop] = ["qa", "qb", "qc", "qtop"].map(|id| g.actor(id, 0));
    g.claim(qa, "front_for", Some(qb), 90, "asserted");
    g.claim(qb, "backed_by", Some(qc), 80, "asserted");
    g.claim(qc, "backed_by", Some(qa), 70, "asserted");
    g.claim(qc, "backed_by", Some(qtop), 65, "confirmed");
    g.claim(qb, "front_for", Some(qb), 60, "asserted");
    let api = g.serve();
    for (id, max_depth) in [("qa", 12), ("qb", 12), ("qc", 12), ("qa", 2)] {
        let (steps, top, truncated) = patron_chain(&api, id, max_depth, &Filter::DEFAULT).await;
        let (want_steps, want_top) = expected_patrons(&g, g.at(id), max_depth, &Filter::DEFAULT);
        assert_eq!(
            (&steps, &top),
            (&want_steps, &want_top),
            "patron chain of {id} (maxDepth {max_depth}): (steps by claim, top)"
        );
        assert!(!truncated);
    }
    let (steps, top, _) = patron_chain(&api, "qa", 12, &Filter::DEFAULT).await;
    assert_eq!(top, BTreeSet::from(["qtop".to_owned()]));
    assert_eq!(
        steps.len(),
        4,
        "qa→qb, qb→qc, qc→qa and qc→qtop, each once: {steps:?}"
    );
}

#[actix_web::test]
async fn a_knot_of_mutual_backers_does_not_cut_the_patron_chain_above_it() {
    // Ten actors each backed by every other (90 claims); kn-9 is also backed by a chain of
    // nine above it. Nineteen actors and 99 claims, all within ten steps of kn-0.
    let mut g = Graph::default();
    let knot: Vec<usize> = (0..10).map(|i| g.actor(&format!("kn-{i}"), 0)).collect();
    for &s in &knot {
        for &o in &knot {
            if s != o {
                g.claim(s, "backed_by", Some(o), 90, "asserted");
            }
        }
    }
    let above: Vec<usize> = (0..9).map(|i| g.actor(&format!("up-{i}"), 0)).collect();
    g.claim(knot[9], "backed_by", Some(above[0]), 90, "asserted");
    for pair in above.windows(2) {
        g.claim(pair[0], "front_for", Some(pair[1]), 90, "asserted");
    }
    let api = g.serve();
    let (steps, top, truncated) = patron_chain(&api, "kn-0", 12, &Filter::DEFAULT).await;
    let (want_steps, want_top) = expected_patrons(&g, knot[0], 12, &Filter::DEFAULT);
    assert_eq!(want_steps.len(), 99);
    assert_eq!(want_top, BTreeSet::from(["up-8".to_owned()]));
    assert_eq!(
        (steps.len(), &top, truncated),
        (want_steps.len(), &want_top, false),
        "the chain of kn-0: (steps, top, truncated)"
    );
    assert_eq!(steps, want_steps);
}

#[actix_web::test]
async fn patron_chains_on_a_random_graph_match_the_reference() {
    let g = random_graph(0x5EED_0003);
    let api = g.serve();
    let settings = [
        (12, Filter::DEFAULT),
        (
            12,
            Filter {
                min_confidence: 30,
                include_refuted: true,
                relations: None,
            },
        ),
        (3, Filter::DEFAULT),
    ];
    let mut nonempty = 0;
    let mut asked = 0;
    let mut wrong = Vec::new();
    for (root, id) in g.actors.iter().enumerate() {
        for (max_depth, filter) in &settings {
            let (steps, top, truncated) = patron_chain(&api, id, *max_depth, filter).await;
            let (want_steps, want_top) = expected_patrons(&g, root, *max_depth, filter);
            asked += 1;
            nonempty += usize::from(!want_steps.is_empty());
            if (&steps, &top, truncated) != (&want_steps, &want_top, false) {
                let missing: Vec<&String> = want_steps
                    .keys()
                    .filter(|k| !steps.contains_key(*k))
                    .collect();
                let extra: Vec<&String> = steps
                    .keys()
                    .filter(|k| !want_steps.contains_key(*k))
                    .collect();
                wrong.push(format!(
                    "{id} (maxDepth {max_depth}, {filter:?}): missing steps {missing:?}, \
                     unexpected steps {extra:?}, top {top:?} instead of {want_top:?}, \
                     truncated {truncated}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {asked} patron chains differ from the reference; the first: {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    assert!(nonempty >= 100, "too few actors with patrons: {nonempty}");
}

#[actix_web::test]
async fn a_hub_of_fifty_thousand_links_answers_within_bounds() {
    let g = hub_graph(false);
    let api = g.serve();
    let all = adjacency(&g, &Filter::DEFAULT);
    let case = |from: &str, to: &str, max_hops: u32, first: usize| {
        PathCase::named(&g, from, to, max_hops, first)
    };

    // Two leaves: two hops, through hub, twin, hub-b, hub-c and hub-d; `first` caps them.
    let o = check_paths(&api, &g, &all, &case("leaf-1", "leaf-2", 4, 10)).await;
    assert!(o.reachable && !o.truncated);
    let data = api
        .data(
            PATHS,
            with(
                json!({ "from": "leaf-1", "to": "leaf-2", "maxHops": 4, "first": 10 }),
                Filter::DEFAULT.variables(),
            ),
        )
        .await;
    assert_eq!(data["paths"]["hops"], 2);
    assert_eq!(list(&data["paths"]["paths"], "paths").len(), 5);
    let o = check_paths(&api, &g, &all, &case("leaf-1", "leaf-2", 4, 2)).await;
    assert!(o.capped);
    check_paths(&api, &g, &all, &case("leaf-1", "leaf-50000", 6, 10)).await;
    check_paths(&api, &g, &all, &case("leaf-49999", "leaf-2", 3, 10)).await;

    // 12,000 shortest paths from hub to twin: more than the search explores.
    let o = check_paths(&api, &g, &all, &case("hub", "twin", 4, 10)).await;
    assert!(o.truncated, "12,000 paths exceed the paths explored");
    let data = api
        .data(
            PATHS,
            with(
                json!({ "from": "hub", "to": "twin", "maxHops": 4, "first": 10 }),
                Filter::DEFAULT.variables(),
            ),
        )
        .await;
    assert_eq!(data["paths"]["hops"], 2);
    assert_eq!(data["paths"]["truncated"], true);
    assert!(!list(&data["paths"]["paths"], "paths").is_empty());

    // Neighbourhoods cut by `limit`.
    let (nodes, edges) =
        check_neighborhood(&api, &g, &all, &Filter::DEFAULT, g.at("hub"), 1, 100).await;
    assert_eq!((nodes, edges), (100, 99), "hub, 99 leaves and their claims");
    let (nodes, _) =
        check_neighborhood(&api, &g, &all, &Filter::DEFAULT, g.at("leaf-1"), 2, 2000).await;
    assert_eq!(nodes, 2000);
    check_neighborhood(&api, &g, &all, &Filter::DEFAULT, g.at("twin"), 4, 2000).await;
    check_neighborhood(&api, &g, &all, &Filter::DEFAULT, g.at("hub-b"), 3, 1500).await;

    // Far from the hub: the chain far-0 … far-8, and walks from a leaf that cross the whole
    // hub three times (about 150,000 rows) without finding it.
    let o = check_paths(&api, &g, &all, &case("leaf-1", "far-0", 6, 10)).await;
    assert!(!o.reachable && !o.truncated);
    let o = check_paths(&api, &g, &all, &case("far-0", "far-6", 6, 10)).await;
    assert!(o.reachable);
    let o = check_paths(&api, &g, &all, &case("far-0", "far-8", 6, 10)).await;
    assert!(!o.reachable);
    let o = check_paths(&api, &g, &all, &case("far-8", "leaf-7", 6, 10)).await;
    assert!(!o.reachable);
}

/// Two stars that nothing links: `a-hub` and `b-hub`, each with `leaves` leaves.
fn two_stars(leaves: usize) -> Graph {
    let mut g = Graph::default();
    for side in ["a", "b"] {
        let hub = g.actor(&format!("{side}-hub"), 0);
        for i in 1..=leaves {
            let leaf = g.actor(&format!("{side}-leaf-{i}"), 0);
            g.claim(leaf, "member_of", Some(hub), 50, "asserted");
        }
    }
    g
}

#[actix_web::test]
async fn a_search_that_reaches_the_row_bound_stops_and_says_truncated() {
    // From a leaf of one star to a leaf of the other, each side widens to its whole star and
    // the start's side reads its star once more before running out: 3 × 85,000 rows, more
    // than the bound of one search, which stops and says so.
    let g = two_stars(85_000);
    let api = g.serve();
    let all = adjacency(&g, &Filter::DEFAULT);
    let case = |from: &str, to: &str, max_hops: u32| PathCase::named(&g, from, to, max_hops, 10);
    assert!(search_cut(&all, g.at("a-leaf-1"), g.at("b-leaf-1"), 6));
    let o = check_paths(&api, &g, &all, &case("a-leaf-1", "b-leaf-1", 6)).await;
    assert!(!o.reachable && o.truncated, "{o:?}");
    // Four hops end the search after both stars are read once: an exact "no path".
    let o = check_paths(&api, &g, &all, &case("a-leaf-1", "b-leaf-1", 4)).await;
    assert!(!o.reachable && !o.truncated, "{o:?}");
    // Across one hub, the two sides meet at once.
    let o = check_paths(&api, &g, &all, &case("a-leaf-1", "a-leaf-2", 6)).await;
    assert!(o.reachable && !o.truncated, "{o:?}");
    let (nodes, _) =
        check_neighborhood(&api, &g, &all, &Filter::DEFAULT, g.at("a-leaf-3"), 4, 2000).await;
    assert_eq!(nodes, 2000);
}

#[actix_web::test]
async fn a_search_with_a_hub_on_one_side_widens_the_other_side() {
    // leaf-1 reaches 50,000 leaves in two hops; far-0's side stays small, so the search
    // widens it until it runs out and answers "no path" exactly, without reading the hub.
    let g = hub_graph(true);
    let api = g.serve();
    let all = adjacency(&g, &Filter::DEFAULT);
    let case = |from: &str, to: &str, max_hops: u32| PathCase::named(&g, from, to, max_hops, 10);
    let o = check_paths(&api, &g, &all, &case("leaf-1", "far-0", 6)).await;
    assert!(!o.reachable && !o.truncated, "{o:?}");
    let o = check_paths(&api, &g, &all, &case("leaf-1", "leaf-2", 6)).await;
    assert!(o.reachable && !o.truncated, "{o:?}");
}

#[actix_web::test]
async fn a_dense_neighborhood_returns_at_most_the_edge_bound_and_says_truncated() {
    // A complete graph on 210 actors: 21,945 claims, more than the edges a neighbourhood
    // returns.
    let mut g = Graph::default();
    let actors: Vec<usize> = (0..210).map(|i| g.actor(&format!("k-{i}"), 0)).collect();
    for (i, &s) in actors.iter().enumerate() {
        for &o in &actors[i + 1..] {
            g.claim(
                s,
                "aligned_with",
                Some(o),
                50 + (s + o) as u8 % 50,
                "asserted",
            );
        }
    }
    assert!(g.claims.len() > MAX_EDGES);
    let api = g.serve();
    let all = adjacency(&g, &Filter::DEFAULT);
    let (nodes, edges) =
        check_neighborhood(&api, &g, &all, &Filter::DEFAULT, actors[0], 1, 2000).await;
    assert_eq!((nodes, edges), (210, MAX_EDGES));
    // Fewer nodes, fewer claims: 100 nodes hold 4,950 claims, all returned.
    let (nodes, edges) =
        check_neighborhood(&api, &g, &all, &Filter::DEFAULT, actors[0], 1, 100).await;
    assert_eq!((nodes, edges), (100, 4950));
    let o = check_paths(
        &api,
        &g,
        &all,
        &PathCase {
            from: actors[0],
            to: actors[209],
            max_hops: 6,
            filter: Filter::DEFAULT,
            first: 100,
        },
    )
    .await;
    assert!(o.reachable && !o.truncated);
}

#[actix_web::test]
async fn out_of_range_arguments_and_unknown_ids_are_bad_user_input() {
    let g = random_graph(0x5EED_0004);
    let api = g.serve();
    let paths = |extra: Value| {
        with(
            json!({ "from": "g0-a0", "to": "g0-a1", "maxHops": 4, "first": 10,
                    "minConfidence": 0, "includeRefuted": false, "relations": null }),
            extra,
        )
    };
    let neighborhood = |extra: Value| {
        with(
            json!({ "id": "g0-a0", "hops": 1, "limit": 100,
                    "minConfidence": 0, "includeRefuted": false, "relations": null }),
            extra,
        )
    };
    let patrons = |extra: Value| {
        with(
            json!({ "id": "g0-a0", "maxDepth": 12, "minConfidence": 0, "includeRefuted": false }),
            extra,
        )
    };
    let refused: Vec<(&str, Value)> = vec![
        (PATHS, paths(json!({ "maxHops": MAX_HOPS + 1 }))),
        (PATHS, paths(json!({ "maxHops": 0 }))),
        (PATHS, paths(json!({ "maxHops": -1 }))),
        (PATHS, paths(json!({ "first": 101 }))),
        (PATHS, paths(json!({ "first": 0 }))),
        (PATHS, paths(json!({ "minConfidence": 101 }))),
        (PATHS, paths(json!({ "minConfidence": -1 }))),
        (PATHS, paths(json!({ "from": "no-such-node" }))),
        (PATHS, paths(json!({ "to": "no-such-node" }))),
        (
            NEIGHBORHOOD,
            neighborhood(json!({ "hops": MAX_NEIGHBORHOOD_HOPS + 1 })),
        ),
        (NEIGHBORHOOD, neighborhood(json!({ "hops": -1 }))),
        (NEIGHBORHOOD, neighborhood(json!({ "limit": 0 }))),
        (NEIGHBORHOOD, neighborhood(json!({ "limit": 2001 }))),
        (NEIGHBORHOOD, neighborhood(json!({ "minConfidence": 101 }))),
        (NEIGHBORHOOD, neighborhood(json!({ "id": "no-such-node" }))),
        (
            PATRON_CHAIN,
            patrons(json!({ "maxDepth": MAX_PATRON_DEPTH + 1 })),
        ),
        (PATRON_CHAIN, patrons(json!({ "maxDepth": 0 }))),
        (PATRON_CHAIN, patrons(json!({ "minConfidence": 101 }))),
    ];
    for (query, variables) in refused {
        let codes = api.error_codes(query, variables.clone()).await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{variables}");
    }
    // The bounds themselves are accepted.
    let accepted: Vec<(&str, Value)> = vec![
        (
            PATHS,
            paths(json!({ "maxHops": MAX_HOPS, "first": 100, "minConfidence": 100 })),
        ),
        (PATHS, paths(json!({ "maxHops": 1, "first": 1 }))),
        (
            NEIGHBORHOOD,
            neighborhood(json!({ "hops": MAX_NEIGHBORHOOD_HOPS, "limit": 2000 })),
        ),
        (NEIGHBORHOOD, neighborhood(json!({ "hops": 0, "limit": 1 }))),
        (
            PATRON_CHAIN,
            patrons(json!({ "maxDepth": MAX_PATRON_DEPTH })),
        ),
        (
            PATRON_CHAIN,
            patrons(json!({ "maxDepth": 1, "minConfidence": 100 })),
        ),
    ];
    for (query, variables) in accepted {
        api.data(query, variables).await;
    }
}
