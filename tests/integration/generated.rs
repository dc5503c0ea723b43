//! `claimgraph generate`: large graphs for benchmarks and frontends' tests, which check, seed
//! and re-seed like hand-written fixtures; and the fast path for JSON fixtures, which must
//! still point at the line of a problem.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::cli::{claimgraph, dump, seed};
use crate::support::graphql::{Api, pluck};

fn generate(dir: &Path, claims: u32) {
    claimgraph()
        .args(["generate", "--claims", &claims.to_string(), "--out"])
        .arg(dir)
        .assert()
        .success();
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_generated_graph_passes_check_seeds_and_reseeds_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 3_000);
    let checked = claimgraph().arg("check").arg(&fixtures).output().unwrap();
    assert!(checked.status.success(), "{checked:?}");
    assert!(
        stdout(&checked).contains("3000 claims"),
        "{}",
        stdout(&checked)
    );

    let db = dir.path().join("graph.db");
    let fixtures = fixtures.to_str().unwrap();
    let first = seed(&db, &[fixtures]);
    assert!(first.contains(" added, 0 changed, 0 unchanged"), "{first}");
    let before = dump(&db);
    let second = seed(&db, &[fixtures]);
    assert!(second.contains(": 0 added, 0 changed, "), "{second}");
    assert_eq!(
        dump(&db),
        before,
        "re-seeding unchanged fixtures changed the database"
    );
}

#[test]
fn a_bad_record_in_a_large_json_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 500);
    // One record per line after the opening one: claims[41] is on line 43.
    let claims = fixtures.join("06-claims-000.json");
    let text = std::fs::read_to_string(&claims).unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            42 => line.replacen("\"confidence\":", "\"confidence\":1000,\"x\":", 1),
            99 => line.replacen("\"source\":\"source-", "\"source\":\"no-such-source-", 1),
            _ => line.to_owned(),
        })
        .collect();
    std::fs::write(&claims, broken.join("\n")).unwrap();
    let out = claimgraph().arg("check").arg(&fixtures).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = claims.display().to_string();
    assert!(
        stderr.contains(&format!("{file}:43: claims[41].confidence")),
        "a decoding problem names its line:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{file}:100: claims[98].source: no entity \"no-such-source-"
        )),
        "a reference problem names its line:\n{stderr}"
    );
}

#[test]
fn output_to_a_closed_pipe_is_dropped_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimgraph"))
        .args(["seed", "--db"])
        .arg(dir.path().join("graph.db"))
        .arg(crate::support::root().join("seed"))
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

const HUB_CLIENTS: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  actor(id: "state-0") {
    clients(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor claim { id } node { id } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }
}"#;

/// The same pages without their claims, which are then not read.
const HUB_CLIENT_NODES: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  actor(id: "state-0") {
    clients(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id } }
    }
  }
}"#;

#[actix_web::test]
async fn a_hubs_nested_list_pages_in_sql_exactly_like_the_whole_list() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 3_000);
    let api = Api::from_paths(&[fixtures]);
    let clients = |v: Value| v["actor"]["clients"].clone();
    let whole = clients(api.data(HUB_CLIENTS, json!({ "first": 500 })).await);
    let all = pluck(&whole["edges"], "claim/id");
    let total = whole["totalCount"].as_u64().unwrap() as usize;
    assert!(
        total > 20 && total == all.len(),
        "{total} clients, {} read",
        all.len()
    );

    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let vars = json!({ "first": 7, "after": after });
        let page = clients(api.data(HUB_CLIENTS, vars.clone()).await);
        let bare = clients(api.data(HUB_CLIENT_NODES, vars).await);
        for path in ["cursor", "node/id"] {
            assert_eq!(
                pluck(&bare["edges"], path),
                pluck(&page["edges"], path),
                "a page without its claims links other nodes ({path}) after {after:?}"
            );
        }
        assert_eq!(page["totalCount"].as_u64(), Some(total as u64));
        assert_eq!(page["pageInfo"]["hasPreviousPage"], json!(after.is_some()));
        paged.extend(pluck(&page["edges"], "claim/id"));
        if page["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = pluck(&page["edges"], "cursor").pop();
        assert!(paged.len() <= total, "paging does not end");
    }
    assert_eq!(paged, all, "pages of 7 differ from the whole list");

    let before = pluck(&whole["edges"], "cursor")[total - 1].clone();
    let tail = clients(
        api.data(HUB_CLIENTS, json!({ "last": 5, "before": before }))
            .await,
    );
    assert_eq!(pluck(&tail["edges"], "claim/id"), all[total - 6..total - 1]);
    assert_eq!(tail["pageInfo"]["hasNextPage"], json!(true));

    let wrong = api
        .error_codes(
            HUB_CLIENTS,
            json!({ "first": 2, "after": "bm8tc3VjaC1jbGFpbQ" }),
        )
        .await;
    assert_eq!(wrong, ["BAD_USER_INPUT"]);
}

/// The indexes of a database file, as the SQL that makes them.
fn indexes(db: &Path) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_bulk_load_into_a_new_database_ends_with_every_index_and_reference_intact() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 3_000);
    let bulk = dir.path().join("bulk.db");
    seed(&bulk, &[fixtures.to_str().unwrap()]);
    let small = dir.path().join("small.db");
    seed(
        &small,
        &[crate::support::root().join("seed").to_str().unwrap()],
    );
    assert_eq!(indexes(&bulk), indexes(&small));
    let conn = rusqlite::Connection::open(&bulk).unwrap();
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
}

/// The histories of an actor, events and their claimants' claims.
const HISTORIES: &str = "{
  actor(id: \"state-0\") { history { version editor action changes { field old new } } }
  events(first: 3) { edges { node { id
    history { version editor action changes { field old new } }
    claimants(first: 2) { edges { claim { id
      history { version editor action changes { field old new } } } } } } } } }";

#[actix_web::test]
async fn a_bulk_load_answers_the_same_histories_as_a_record_by_record_write() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 3_000);
    let db = dir.path().join("bulk.db");
    seed(&db, &[fixtures.to_str().unwrap()]);
    let bulk = Api::from_database(&db).data(HISTORIES, json!({})).await;
    let one_by_one = Api::from_paths(&[fixtures])
        .data(HISTORIES, json!({}))
        .await;
    assert_eq!(bulk, one_by_one);
    let created = &bulk["actor"]["history"][0];
    assert_eq!(created["action"], "CREATED", "{created}");
    assert!(
        created["changes"]
            .as_array()
            .is_some_and(|c| c.iter().any(|f| f["field"] == "name")),
        "the creation entry gives the fields: {created}"
    );
    let claims: usize = bulk["events"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["node"]["claimants"]["edges"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .sum();
    assert!(claims > 0, "the events have claimants: {bulk}");
}
