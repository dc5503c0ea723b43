//! `claimgraph serve` and `claimgraph schema` as a user runs them: a real process on a free
//! port, spoken to over HTTP.

use crate::support::cli::claimgraph;
use crate::support::live::{self, Live};
use crate::support::root;

/// One HTTP request; gives the status code and the body.
fn http(address: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    live::http(address, method, path, "", body).expect("the server answers")
}

fn graphql(address: &str, query: &str) -> serde_json::Value {
    let body = serde_json::json!({ "query": query }).to_string();
    let (status, text) = http(address, "POST", "/graphql", &body);
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_checked_in_sdl_matches_the_code() {
    let out = claimgraph().arg("schema").output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let checked_in = std::fs::read_to_string(root().join("schema/schema.graphql")).unwrap();
    assert!(
        generated == checked_in,
        "schema/schema.graphql differs from the code's schema; frontends read that file, so \
         update it deliberately with\n  cargo run -q -- schema > schema/schema.graphql"
    );
}

#[test]
fn every_seed_file_is_embedded_in_the_binary() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("seed"))
        .unwrap()
        .map(|e| format!("seed/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = claimgraph::fixture::BUNDLED
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(on_disk, embedded, "list the seed files in fixture::BUNDLED");
    for (name, text) in claimgraph::fixture::BUNDLED {
        assert_eq!(std::fs::read_to_string(root().join(name)).unwrap(), *text);
    }
}

#[test]
fn serve_with_seed_and_no_db_serves_those_fixtures_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/small/v1.yaml");
    let server = Live::start(&["--seed", fixture.to_str().unwrap()], dir.path());
    assert!(
        server
            .banner
            .iter()
            .any(|l| l.contains("in-memory graph of 1 actor, 1 location, 1 source")),
        "{:?}",
        server.banner
    );
    let answer = graphql(
        &server.address,
        "{ actor(id: \"iran\") { name } actors { totalCount } }",
    );
    assert_eq!(answer["data"]["actor"]["name"], "Iran");
    assert_eq!(answer["data"]["actors"]["totalCount"], 1);
    assert_eq!(http(&server.address, "GET", "/healthz", "").0, 200);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing is written to disk"
    );
}

#[test]
fn serve_with_no_arguments_seeds_a_local_database_once_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = Live::start(&[], dir.path());
    assert!(
        first
            .banner
            .iter()
            .any(|l| l.contains("data/claimgraph.db (new, seeded from the bundled seed/)")),
        "{:?}",
        first.banner
    );
    let answer = graphql(
        &first.address,
        "{ event(id: \"ayn-al-assad-rocket-attack-2022-01-05\") { claimants { edges { node { name } } } } }",
    );
    assert_eq!(
        answer["data"]["event"]["claimants"]["edges"][0]["node"]["name"],
        "Saraya Qasem al-Jabarin"
    );
    drop(first);
    assert!(dir.path().join("data/claimgraph.db").exists());
    let second = Live::start(&[], dir.path());
    assert!(
        second.banner.iter().any(|l| l.contains("(existing)")),
        "{:?}",
        second.banner
    );
    let (status, sdl) = http(&second.address, "GET", "/schema.graphql", "");
    assert_eq!(status, 200);
    assert!(sdl.contains("type Query"));
}

#[test]
fn serve_refuses_an_address_it_cannot_listen_on() {
    let fixture = root().join("tests/fixtures/small/v1.yaml");
    claimgraph()
        .args(["serve", "--seed"])
        .arg(fixture)
        .args(["--bind", "not-an-address"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("cannot serve on not-an-address"));
}

#[test]
fn serve_says_whether_it_is_read_only_or_writable_and_by_how_many_editors() {
    let dir = tempfile::tempdir().unwrap();
    let seed = root().join("seed");
    let seed = seed.to_str().unwrap();
    let read_only = Live::start(&["--seed", seed], dir.path());
    assert!(
        read_only.banner.iter().any(|l| l.contains("read-only")),
        "{:?}",
        read_only.banner
    );
    let tokens = dir.path().join("editors.txt");
    std::fs::write(
        &tokens,
        "alice 0123456789abcdef0123\nbob fedcba9876543210fedc\n",
    )
    .unwrap();
    let writable = Live::start(
        &["--seed", seed, "--tokens", tokens.to_str().unwrap()],
        dir.path(),
    );
    let banner = writable.banner.join("\n");
    assert!(banner.contains("writable by 2 editor token(s)"), "{banner}");
    assert!(
        !banner.contains("0123456789abcdef0123"),
        "tokens are never printed"
    );
}

#[test]
fn serve_refuses_a_malformed_tokens_file_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("editors.txt");
    std::fs::write(&tokens, "# editors\nalice short\n").unwrap();
    claimgraph()
        .args([
            "serve",
            "--seed",
            "seed",
            "--bind",
            "127.0.0.1:0",
            "--tokens",
        ])
        .arg(&tokens)
        .assert()
        .code(5)
        .stderr(predicates::str::contains("editors.txt:2:"))
        .stderr(predicates::str::contains("openssl rand"));
}
