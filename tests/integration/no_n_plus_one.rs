//! The number of SQL statements a request runs grows with the depth of the query, not with
//! the number of results: link fields load through per-request DataLoaders.

use std::fmt::Write;

use actix_web::{App, test};
use claimgraph::fixture;
use claimgraph::http::{AppState, SQL_STATEMENTS_HEADER, ServerLimits, configure};
use claimgraph::storage::{Database, Store};

/// `n` attacks, each at its own base inside one country, claimed by its own group that is a
/// front for one patron, part of one campaign that marked an anniversary.
fn generated_graph(n: usize) -> String {
    let mut y = String::from(
        "sources:\n  - {id: report, kind: report, title: Generated report}\n\
         actors:\n  - {id: patron, kind: state, name: Patron}\n",
    );
    for i in 0..n {
        writeln!(
            y,
            "  - {{id: group-{i}, kind: armed_group, name: Group {i}, aliases: [G{i}]}}"
        )
        .unwrap();
    }
    y.push_str("locations:\n  - {id: country, kind: country, name: Country}\n");
    for i in 0..n {
        writeln!(
            y,
            "  - {{id: base-{i}, kind: base, name: Base {i}, parent: country}}"
        )
        .unwrap();
    }
    y.push_str(
        "events:\n  - {id: old-strike, kind: strike, title: Old strike, when: 2020-01-03}\n  \
         - {id: campaign, kind: campaign, title: Campaign, when: {date: 2022-01-03, until: 2022-01-05}}\n",
    );
    for i in 0..n {
        writeln!(
            y,
            "  - {{id: attack-{i}, kind: attack, title: Attack {i}, when: 2022-01-05, location: base-{i}, campaign: campaign, sources: [report]}}"
        )
        .unwrap();
    }
    y.push_str(
        "claims:\n  - {id: campaign-anniversary, subject: campaign, relation: marked_anniversary_of, \
         object: old-strike, asserted_by: unknown, source: report, confidence: 60, qualifiers: {years: 2}}\n",
    );
    for i in 0..n {
        writeln!(
            y,
            "  - {{id: claim-{i}, subject: group-{i}, relation: claimed_responsibility_for, object: attack-{i}, asserted_by: group-{i}, source: report, confidence: 90}}\n  \
             - {{id: front-{i}, subject: group-{i}, relation: front_for, object: patron, asserted_by: unknown, source: report, confidence: 50}}"
        )
        .unwrap();
    }
    y
}

const NESTED: &str = r#"{
  events(kind: ATTACK, first: 500) {
    totalCount
    edges { node {
      title occurredOn version history { editor }
      anniversaries { years dayGap event { title } assertedBy { id } }
      location { name parent { name } ancestors { name } }
      campaign { title }
      sources { edges { node { title } } }
      claimants { edges {
        claim { confidence assertedBy { name } source { title } corroboration { sourceCount selfAsserted } }
        node { name aliases suspectedPatrons { edges { claim { id } node { name } } }
               patronChain { top { name } steps { claim { id } } } }
      } }
      motives { edges { kind years claim { id } node { title } } }
    } }
  }
}"#;

async fn statements_for(n: usize) -> (usize, serde_json::Value) {
    run(n, NESTED).await
}

/// Runs `query` over the graph of `n` attacks: the statements it took, and its answer.
async fn run(n: usize, query: &str) -> (usize, serde_json::Value) {
    statements_over(&generated_graph(n), query).await
}

/// Runs `query` over the graph of the fixture `text`, without cost limits: the statements it
/// took, and its answer.
pub(crate) async fn statements_over(text: &str, query: &str) -> (usize, serde_json::Value) {
    let loaded = fixture::load_texts(&[("generated.yaml", text)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
        .unwrap();
    // The query asks for pages of 500 on purpose, which the default cost limit refuses.
    let mut limits = ServerLimits::default();
    limits.anonymous.complexity = u64::MAX;
    let state = AppState::with_limits(Database::in_memory(store), Default::default(), limits);
    let app = test::init_service(App::new().configure(move |c| configure(c, state))).await;
    let req = test::TestRequest::post()
        .uri("/graphql")
        .set_json(serde_json::json!({ "query": query }))
        .to_request();
    let resp = test::call_service(&app, req).await;
    let count: usize = resp
        .headers()
        .get(SQL_STATEMENTS_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("the response says how many statements it ran");
    let body: serde_json::Value = test::read_body_json(resp).await;
    (count, body)
}

#[actix_web::test]
async fn a_nested_query_over_three_hundred_events_runs_no_more_statements_than_over_three() {
    let (few, small) = statements_for(3).await;
    let (many, large) = statements_for(300).await;
    assert!(small["errors"].is_null(), "{small}");
    assert!(large["errors"].is_null(), "{large}");
    let edges = large["data"]["events"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 300);
    for edge in edges {
        let node = &edge["node"];
        assert_eq!(node["location"]["parent"]["name"], "Country");
        assert_eq!(
            node["claimants"]["edges"][0]["node"]["suspectedPatrons"]["edges"][0]["node"]["name"],
            "Patron"
        );
        assert_eq!(node["motives"]["edges"][0]["years"], 2);
        assert_eq!(node["anniversaries"][0]["years"], 2);
        let claimant = &node["claimants"]["edges"][0];
        assert_eq!(claimant["node"]["patronChain"]["top"][0]["name"], "Patron");
        assert_eq!(claimant["claim"]["corroboration"]["selfAsserted"], true);
    }
    println!("SQL statements: {few} for 3 events, {many} for 300 events");
    // Loads are batched in rounds (all keys asked at one depth, one load per loader), so the
    // count depends on the query's shape only, never on the number of results or on timing.
    assert_eq!(
        many, few,
        "3 events took {few} SQL statements but 300 took {many}: some field loads per result"
    );
}

/// The links of a query that asks for edges' nodes but not their claims, and of the same
/// query with the claims asked for (directly and through a fragment).
const LINKS_WITHOUT_CLAIMS: &str = r#"{ events(kind: ATTACK, first: 50) { edges { node {
  claimants { edges { cursor node { id suspectedPatrons { edges { cursor node { id } } } } } }
} } } }"#;
const LINKS_WITH_CLAIMS: &str = r#"{ events(kind: ATTACK, first: 50) { edges { node {
  claimants { edges { cursor claim { id } node { id suspectedPatrons { edges { ...Link } } } } }
} } } }
fragment Link on ActorLink { cursor node { id } claim { id subject { id } object { id } } }"#;

#[actix_web::test]
async fn links_whose_claims_nobody_asks_for_are_the_same_links_without_reading_the_claims() {
    let (without, bare) = run(20, LINKS_WITHOUT_CLAIMS).await;
    let (with, full) = run(20, LINKS_WITH_CLAIMS).await;
    assert!(bare["errors"].is_null(), "{bare}");
    assert!(full["errors"].is_null(), "{full}");
    let edges = |answer: &serde_json::Value| {
        answer["data"]["events"]["edges"]
            .as_array()
            .unwrap()
            .clone()
    };
    let (bare, full) = (edges(&bare), edges(&full));
    assert_eq!(bare.len(), 20);
    for (b, f) in bare.iter().zip(&full) {
        let (b, f) = (
            &b["node"]["claimants"]["edges"][0],
            &f["node"]["claimants"]["edges"][0],
        );
        assert_eq!(b["cursor"], f["cursor"]);
        assert_eq!(b["node"]["id"], f["node"]["id"]);
        let (bp, fp) = (
            &b["node"]["suspectedPatrons"]["edges"][0],
            &f["node"]["suspectedPatrons"]["edges"][0],
        );
        assert_eq!(bp["cursor"], fp["cursor"]);
        assert_eq!(bp["node"]["id"], "patron");
        // The claim read for the fragment is the one the edge stands for.
        assert_eq!(fp["node"]["id"], fp["claim"]["object"]["id"]);
        assert_eq!(fp["claim"]["subject"]["id"], f["node"]["id"]);
    }
    // Asked for, the claims of each level are read (the claims, their evidence and their
    // nodes' types); not asked for, only their ends, one statement a level.
    assert!(
        without < with,
        "links without their claims took {without} statements, with them {with}"
    );
}

#[actix_web::test]
async fn records_are_read_without_their_lists_until_a_query_asks_for_aliases() {
    let bare = "{ actors(first: 50) { edges { node { name } } } }";
    let named = "{ actors(first: 50) { edges { node { name aliases } } } }";
    let (bare_statements, body) = run(3, bare).await;
    assert!(body["errors"].is_null(), "{body}");
    let (named_statements, body) = run(3, named).await;
    assert!(body["errors"].is_null(), "{body}");
    // The page, the nodes' types and the actors' rows: no aliases and no sources.
    assert_eq!(bare_statements, 3, "{bare}");
    assert_eq!(named_statements, bare_statements + 1, "{named}");
}
