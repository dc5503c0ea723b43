//! Stances: a named party's position on someone else's claim ("Iran denied any involvement"),
//! from fixture to GraphQL. A fixture's stances seed and seed again without change, and a
//! broken one is reported at its file and line; a claim lists who denies and who confirms it,
//! `claims` finds the claims a party denies, and an actor lists the positions it took;
//! editors take and change stances through the same validation, with versions, history and
//! notices; corroboration counts an independent confirmation but never the accused party's
//! own denial; and a list of claims with their stances costs the same statements whatever
//! its length.
//!
//! The fixture `tests/fixtures/stances/` is made up, loaded on top of the seed: on the seed's
//! claim that Iran backs the major Iran-backed militias, Iran denies it, a test monitor
//! confirms it, and the militias decline to comment.

use claimgraph::storage::MIGRATIONS;
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::cli_rejects_bad_input::{assert_rejected, at};
use crate::no_n_plus_one::statements_over;
use crate::subscriptions::{self, Probe, STANCE_CHANGE, stance_change};
use crate::support::cli::{claimgraph, dump, seed};
use crate::support::graphql::{Api, codes, edge_ids, pluck};
use crate::support::{ALICE, root};

/// The seed's claim the fixture's stances are on.
const BACKING: &str = "iran-backed-militias-backed-by-iran";
/// The made-up fixture, relative to the crate root.
const FIXTURE: &str = "tests/fixtures/stances";
/// The article's source, for stances the tests take.
const ARTICLE: &str = "article-iraq-syria-bases-attacked-2022-01";

/// The seed with the fixture's stances, readable by anyone and writable by alice and bob.
fn api() -> Api {
    Api::from_paths(&[root().join("seed"), root().join(FIXTURE)]).with_editors()
}

const TAKE: &str = "mutation($input: StanceInput!, $reason: String) {
  takeStance(input: $input, reason: $reason) {
    id version position confidence date note
    claim { id } actor { id } assertedBy { id } source { id } evidence { id }
    history { version editor action reason changes { field old new } }
  }
}";

const UPDATE: &str = "mutation($id: ID!, $version: Int!, $set: StancePatch!, $reason: String) {
  updateStance(id: $id, version: $version, set: $set, reason: $reason) {
    id version position note
    history { version editor action reason changes { field old new } }
  }
}";

const CORROBORATION: &str = "query($id: ID!) { claim(id: $id) { corroboration {
  sourceCount independentSourceCount corroborated selfAsserted
  sources { id } confirmingStances { id } contraryStances { id }
} } }";

/// A stance on `claim` by `actor`, reported in the article in its own voice.
fn stance(id: &str, claim: &str, actor: &str, position: &str) -> Value {
    json!({
        "id": id, "claim": claim, "actor": actor, "position": position,
        "assertedBy": "unknown", "source": ARTICLE, "confidence": 70,
    })
}

/// The data of a mutation by alice that must succeed.
async fn ok(api: &Api, query: &str, variables: Value) -> Value {
    let body = api.post_as(Some(ALICE), query, variables).await;
    assert!(body.get("errors").is_none(), "{:#}", body["errors"]);
    body["data"].clone()
}

/// The errors of a mutation by alice that must fail, as (code, field).
async fn refused(api: &Api, query: &str, variables: Value) -> Vec<(String, String)> {
    let body = api.post_as(Some(ALICE), query, variables).await;
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("expected errors, got {body:#}"));
    errors
        .iter()
        .map(|e| {
            let code = e["extensions"]["code"].as_str().unwrap_or_default();
            let field = e["extensions"]["field"].as_str().unwrap_or_default();
            (code.to_owned(), field.to_owned())
        })
        .collect()
}

/// The corroboration of a claim.
async fn corroboration(api: &Api, claim: &str) -> Value {
    api.data(CORROBORATION, json!({ "id": claim })).await["claim"]["corroboration"].clone()
}

// --- fixtures ------------------------------------------------------------------------------

#[test]
fn the_fixture_checks_seeds_and_seeds_again_without_a_change() {
    claimgraph()
        .args(["check", "seed", FIXTURE])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("3 stances"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let first = seed(&db, &["seed", FIXTURE]);
    assert!(first.contains(" 0 changed, 0 unchanged"), "{first}");
    let before = dump(&db);
    assert!(
        before.iter().any(|row| row.starts_with("stances: ")),
        "no stance was written"
    );
    let again = seed(&db, &["seed", FIXTURE]);
    assert!(again.contains("0 added, 0 changed"), "{again}");
    assert_eq!(dump(&db), before, "seeding twice changed the database");
}

#[test]
fn a_large_first_seed_loads_stances_in_bulk_and_seeds_again_without_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("denied.yaml");
    // A source, 402 actors, 400 statements, 400 claims and 800 stances: a bulk load.
    std::fs::write(&file, denied_claims(400)).unwrap();
    let db = dir.path().join("graph.db");
    let file = file.to_str().expect("a UTF-8 path");
    let first = seed(&db, &[file]);
    assert!(first.contains("2003 added"), "{first}");
    let before = dump(&db);
    let stances = before
        .iter()
        .filter(|row| row.starts_with("stances: "))
        .count();
    let nodes = before
        .iter()
        .filter(|row| row.starts_with("nodes: ") && row.contains("\"stance\""))
        .count();
    assert_eq!((stances, nodes), (800, 800));
    let again = seed(&db, &[file]);
    assert!(again.contains("0 added, 0 changed"), "{again}");
    assert_eq!(dump(&db), before, "seeding twice changed the database");
}

#[test]
fn a_database_written_before_stances_is_migrated_and_takes_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let before_stances = MIGRATIONS
        .iter()
        .position(|(name, _)| *name == "0010_stances.sql")
        .expect("the stances migration");
    let conn = Connection::open(&db).unwrap();
    for (_, sql) in &MIGRATIONS[..before_stances] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA application_id = 1128755304; PRAGMA user_version = {before_stances};"
    ))
    .unwrap();
    drop(conn);
    seed(&db, &["seed", FIXTURE]);
    let conn = Connection::open(&db).unwrap();
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len());
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let stances: i64 = conn
        .query_row(
            "SELECT count(*) FROM nodes WHERE type = 'stance'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stances, 3);
    // The widened check still refuses a type nobody defined.
    let bogus = conn.execute("INSERT INTO nodes (id, type) VALUES ('x', 'bogus')", []);
    assert!(bogus.is_err(), "{bogus:?}");
}

#[actix_web::test]
async fn a_seeded_stance_reads_back_as_the_fixture_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["seed", FIXTURE]);
    let api = Api::from_database(&db);
    let data = api
        .data(
            r#"{ stance(id: "iran-denies-backing-militias") {
                id claim { id } actor { id } position assertedBy { id } asserterUnknown
                source { id } date evidence { id text } confidence note
                version history { version editor action }
            } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["stance"],
        json!({
            "id": "iran-denies-backing-militias",
            "claim": { "id": BACKING },
            "actor": { "id": "iran" },
            "position": "DENIES",
            "assertedBy": { "id": "test-wire-service" },
            "asserterUnknown": false,
            "source": { "id": "test-report-iran-denies" },
            "date": "2022-01-07",
            "evidence": {
                "id": "iran-no-ties-to-armed-groups",
                "text": "Iran has no ties to any armed group in Iraq."
            },
            "confidence": 90,
            "note": "\"Iran has no ties to any armed group in Iraq,\" a spokesman said.",
            "version": 1,
            "history": [{ "version": 1, "editor": "seed", "action": "CREATED" }]
        })
    );
}

#[test]
fn every_broken_stance_is_reported_at_its_file_and_line() {
    let file = "tests/fixtures/bad/stances.yaml";
    assert_rejected(
        &["check", "seed", file],
        &[
            at(
                format!("{file}:4: stances[0].claim:"),
                &[
                    "no entity \"iran-backed-militias-backed-by-irn\"",
                    "did you mean \"iran-backed-militias-backed-by-iran\"?",
                ],
            ),
            at(
                format!("{file}:12: stances[1].actor:"),
                &["is a source, but this must be an actor"],
            ),
            at(
                format!("{file}:23: stances[2].confidence:"),
                &["confidence must be from 0 to 100, not 150"],
            ),
            at(
                format!("{file}:27: stances[3].position:"),
                &["unknown value `denied`", "(did you mean `denies`?)"],
            ),
            at(
                format!("{file}:37: stances[4].evidence:"),
                &["is a claim, but this must be a statement"],
            ),
            at(
                format!("{file}:42: stances[5].position:"),
                &[
                    "\"western-and-iraqi-officials\" asserts claim",
                    "add a claim with that source",
                ],
            ),
        ],
    );
}

#[test]
fn the_readmes_stance_example_decodes_without_problems() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example = readme
        .split("```yaml\n")
        .map(|block| block.split("```").next().unwrap_or_default())
        .find(|block| block.starts_with("stances:"))
        .expect("the README shows a stances fixture");
    let doc = claimgraph::fixture::yaml::parse(example).unwrap().unwrap();
    let decoded = claimgraph::fixture::decode_document(&doc);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    assert_eq!(decoded.set.stances.len(), 1);
}

// --- reading -------------------------------------------------------------------------------

#[actix_web::test]
async fn a_claim_lists_who_denies_and_who_confirms_it_in_the_order_taken() {
    let data = api()
        .data(
            r#"query($id: ID!) { claim(id: $id) {
                stances { id position actor { id name } assertedBy { id } source { id } date }
                denials: stances(position: [DENIES, DISPUTES]) { id }
            } }"#,
            json!({ "id": BACKING }),
        )
        .await;
    let stances = &data["claim"]["stances"];
    // By date, undated last.
    assert_eq!(
        pluck(stances, "id"),
        [
            "iran-denies-backing-militias",
            "test-monitor-confirms-militia-backing",
            "militias-decline-to-comment-on-backing"
        ]
    );
    assert_eq!(
        pluck(stances, "position"),
        ["DENIES", "CONFIRMS", "DECLINES_TO_COMMENT"]
    );
    assert_eq!(stances[0]["actor"], json!({ "id": "iran", "name": "Iran" }));
    assert_eq!(stances[2]["assertedBy"], Value::Null);
    assert_eq!(stances[2]["date"], Value::Null);
    assert_eq!(
        pluck(&data["claim"]["denials"], "id"),
        ["iran-denies-backing-militias"]
    );
}

#[actix_web::test]
async fn claims_a_party_denies_are_found_by_the_stance_filter() {
    let api = api();
    let claims = |filter: &str| {
        format!("{{ claims(stance: {filter}) {{ totalCount edges {{ node {{ id }} }} }} }}")
    };
    let denied = api
        .data(&claims(r#"{ by: "iran", position: DENIES }"#), json!({}))
        .await;
    assert_eq!(edge_ids(&denied["claims"]), [BACKING]);
    assert_eq!(denied["claims"]["totalCount"], 1);
    let confirmed_by_iran = api
        .data(&claims(r#"{ by: "iran", position: CONFIRMS }"#), json!({}))
        .await;
    assert_eq!(confirmed_by_iran["claims"]["totalCount"], 0);
    let any_stance = api.data(&claims("{}"), json!({})).await;
    assert_eq!(edge_ids(&any_stance["claims"]), [BACKING]);
    let codes = api
        .error_codes(&claims(r#"{ by: "irn" }"#), json!({}))
        .await;
    assert_eq!(codes, ["BAD_USER_INPUT"]);
}

#[actix_web::test]
async fn an_actor_lists_the_positions_it_took_paged_and_by_position() {
    let api = api();
    ok(
        &api,
        TAKE,
        json!({ "input": stance("iran-disputes-front", "saraya-qasem-al-jabarin-front-for-iran-backed-militias", "iran", "DISPUTES") }),
    )
    .await;
    let data = api
        .data(
            r#"{ actor(id: "iran") {
                all: stances { totalCount edges { node { id claim { id } } } }
                first: stances(first: 1) { edges { node { id } } pageInfo { hasNextPage } }
                denials: stances(position: DENIES) { edges { node { id } } }
            } }"#,
            json!({}),
        )
        .await;
    let actor = &data["actor"];
    assert_eq!(
        edge_ids(&actor["all"]),
        ["iran-denies-backing-militias", "iran-disputes-front"]
    );
    assert_eq!(actor["all"]["totalCount"], 2);
    assert_eq!(edge_ids(&actor["first"]), ["iran-denies-backing-militias"]);
    assert_eq!(actor["first"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        edge_ids(&actor["denials"]),
        ["iran-denies-backing-militias"]
    );
}

#[actix_web::test]
async fn a_stance_is_a_node_found_by_id_and_listed_by_party_and_position() {
    let api = api();
    let data = api
        .data(
            r#"{
                node(id: "test-monitor-confirms-militia-backing") { __typename id }
                stances(position: [CONFIRMS, DECLINES_TO_COMMENT]) { totalCount edges { node { id } } }
                byMonitor: stances(by: "test-monitor") { edges { node { id } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["node"]["__typename"], "Stance");
    assert_eq!(
        edge_ids(&data["stances"]),
        [
            "militias-decline-to-comment-on-backing",
            "test-monitor-confirms-militia-backing"
        ]
    );
    assert_eq!(
        edge_ids(&data["byMonitor"]),
        ["test-monitor-confirms-militia-backing"]
    );
    let codes = api
        .error_codes(r#"{ stance(id: "iran") { id } }"#, json!({}))
        .await;
    assert_eq!(codes, ["NOT_FOUND"]);
}

// --- editing -------------------------------------------------------------------------------

#[actix_web::test]
async fn taking_a_stance_needs_an_editors_token_and_writes_nothing_without_one() {
    let api = api();
    let input = stance("iran-denies-front", BACKING, "iran", "DENIES");
    let body = api.post(TAKE, json!({ "input": input })).await;
    assert_eq!(
        codes(body["errors"].as_array().unwrap()),
        ["UNAUTHENTICATED"]
    );
    let found = api
        .post(r#"{ stance(id: "iran-denies-front") { id } }"#, json!({}))
        .await;
    assert_eq!(found["data"]["stance"], Value::Null);
}

#[actix_web::test]
async fn a_stance_taken_without_an_id_gets_a_readable_one_and_its_creation_in_history() {
    let api = api();
    let mut input = stance(
        "",
        "saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack",
        "iraqi-officials",
        "UNCERTAIN",
    );
    input.as_object_mut().unwrap().remove("id");
    input["date"] = json!("2022-01-06");
    input["note"] = json!("Officials said it was not yet clear who fired.");
    let data = ok(&api, TAKE, json!({ "input": input, "reason": "a test" })).await;
    let taken = &data["takeStance"];
    assert_eq!(
        taken["id"],
        "iraqi-officials-uncertain-saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack"
    );
    assert_eq!(taken["version"], 1);
    assert_eq!(taken["position"], "UNCERTAIN");
    assert_eq!(taken["date"], "2022-01-06");
    let history = taken["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["action"], "CREATED");
    assert_eq!(history[0]["editor"], "alice");
    assert_eq!(history[0]["reason"], "a test");
    let fields: Vec<&str> = history[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"position") && fields.contains(&"claim"),
        "{fields:?}"
    );
}

#[actix_web::test]
async fn a_bad_stance_is_refused_at_its_input_field_and_writes_nothing() {
    let api = api();
    let cases = [
        (
            stance("s1", "no-such-claim", "iran", "DENIES"),
            "input.claim",
        ),
        (
            stance("s2", BACKING, "test-report-iran-denies", "DENIES"),
            "input.actor",
        ),
        (
            with(
                stance("s3", BACKING, "iran", "DENIES"),
                json!({ "confidence": 150 }),
            ),
            "input.confidence",
        ),
        (
            with(
                stance("s4", BACKING, "iran", "DENIES"),
                json!({ "evidence": BACKING }),
            ),
            "input.evidence",
        ),
        (
            stance("s5", BACKING, "western-and-iraqi-officials", "CONFIRMS"),
            "input.position",
        ),
    ];
    for (input, field) in cases {
        let id = input["id"].as_str().unwrap().to_owned();
        let errors = refused(&api, TAKE, json!({ "input": input })).await;
        assert_eq!(
            errors,
            [("BAD_USER_INPUT".to_owned(), field.to_owned())],
            "{id}"
        );
        let found = api
            .post(
                "query($id: ID!) { stance(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(found["data"]["stance"], Value::Null, "{id} was written");
    }
}

/// `base` with the fields of `changes` set over its own.
fn with(mut base: Value, changes: Value) -> Value {
    if let (Some(fields), Value::Object(changes)) = (base.as_object_mut(), changes) {
        fields.extend(changes);
    }
    base
}

#[actix_web::test]
async fn a_stance_changes_at_its_version_with_the_change_in_its_history() {
    let api = api();
    let id = "iran-denies-backing-militias";
    let set = json!({ "position": "DISPUTES", "note": null });
    let data = ok(
        &api,
        UPDATE,
        json!({ "id": id, "version": 1, "set": set, "reason": "the report says disputes" }),
    )
    .await;
    let changed = &data["updateStance"];
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["position"], "DISPUTES");
    assert_eq!(changed["note"], Value::Null);
    let entry = &changed["history"][1];
    assert_eq!(entry["action"], "UPDATED");
    assert_eq!(entry["editor"], "alice");
    assert_eq!(entry["reason"], "the report says disputes");
    let changes = entry["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!(changes[0]["field"], "note");
    assert_eq!(changes[0]["new"], Value::Null);
    assert_eq!(
        changes[1],
        json!({ "field": "position", "old": "denies", "new": "disputes" })
    );
    // The creation entry keeps the fixture's values.
    assert_eq!(changed["history"][0]["editor"], "seed");

    let stale = refused(
        &api,
        UPDATE,
        json!({ "id": id, "version": 1, "set": { "confidence": 10 } }),
    )
    .await;
    assert_eq!(stale[0].0, "CONFLICT");
    let cleared = refused(
        &api,
        UPDATE,
        json!({ "id": id, "version": 2, "set": { "claim": null } }),
    )
    .await;
    assert_eq!(
        cleared,
        [("BAD_USER_INPUT".to_owned(), "set.claim".to_owned())]
    );
}

#[actix_web::test]
async fn merging_the_party_moves_its_stances_with_their_history() {
    let api = api();
    let actor =
        json!({ "id": "conflict-monitor", "kind": "ORGANIZATION", "name": "Conflict Monitor" });
    ok(
        &api,
        "mutation($input: ActorInput!) { createActor(input: $input) { id } }",
        json!({ "input": actor }),
    )
    .await;
    ok(
        &api,
        r#"mutation { mergeActor(id: "test-monitor", version: 1, into: "conflict-monitor", intoVersion: 1, reason: "one monitor") { id } }"#,
        json!({}),
    )
    .await;
    let data = api
        .data(
            r#"{ stance(id: "test-monitor-confirms-militia-backing") {
                actor { id } assertedBy { id } version history { action }
            } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["stance"],
        json!({
            "actor": { "id": "conflict-monitor" },
            "assertedBy": { "id": "conflict-monitor" },
            "version": 2,
            "history": [{ "action": "CREATED" }, { "action": "RELINKED" }]
        })
    );
}

// --- corroboration -------------------------------------------------------------------------

#[actix_web::test]
async fn an_independent_confirmation_corroborates_and_the_accused_partys_denial_never_does() {
    let api = api();
    let found = corroboration(&api, BACKING).await;
    assert_eq!(
        found,
        json!({
            "sourceCount": 2,
            "independentSourceCount": 2,
            "corroborated": true,
            "selfAsserted": false,
            "sources": [{ "id": ARTICLE }, { "id": "test-monitor-assessment" }],
            "confirmingStances": [{ "id": "test-monitor-confirms-militia-backing" }],
            "contraryStances": [{ "id": "iran-denies-backing-militias" }]
        })
    );
}

#[actix_web::test]
async fn a_partys_own_stance_and_a_confirmation_in_the_same_source_add_no_corroboration() {
    let api = Api::seed_for_editors();
    let claim = "saraya-qasem-al-jabarin-front-for-iran-backed-militias";
    let alone = corroboration(&api, claim).await;
    assert_eq!(alone["sourceCount"], 1);
    let source =
        json!({ "id": "another-report", "kind": "NEWS_REPORT", "title": "Another report" });
    ok(
        &api,
        "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
        json!({ "input": source }),
    )
    .await;
    // The accused party denies it and the group confirms it, both in another source; the
    // coalition confirms it in the claim's own article.
    for (id, actor, position, source) in [
        (
            "militias-deny-front",
            "iran-backed-militias",
            "DENIES",
            "another-report",
        ),
        (
            "group-confirms-front",
            "saraya-qasem-al-jabarin",
            "CONFIRMS",
            "another-report",
        ),
        (
            "coalition-confirms-front",
            "us-led-coalition",
            "CONFIRMS",
            ARTICLE,
        ),
    ] {
        let input = with(
            stance(id, claim, actor, position),
            json!({ "source": source }),
        );
        ok(&api, TAKE, json!({ "input": input })).await;
    }
    let found = corroboration(&api, claim).await;
    assert_eq!(found["sourceCount"], 1, "{found:#}");
    assert_eq!(found["independentSourceCount"], 1, "{found:#}");
    assert_eq!(found["corroborated"], false, "{found:#}");
    assert_eq!(
        found["confirmingStances"],
        json!([{ "id": "coalition-confirms-front" }])
    );
    assert_eq!(
        found["contraryStances"],
        json!([{ "id": "militias-deny-front" }])
    );
}

#[actix_web::test]
async fn a_claim_only_its_subject_asserts_stays_self_asserted_until_someone_else_confirms_it() {
    let api = Api::seed_for_editors();
    let claim = "saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack";
    assert_eq!(corroboration(&api, claim).await["selfAsserted"], true);
    // Doubt leaves the group alone behind its claim; a confirmation by others does not.
    for (id, position, alone) in [
        ("officials-doubt-claim", "DISPUTES", true),
        ("officials-confirm-claim", "CONFIRMS", false),
    ] {
        let input = stance(id, claim, "iraqi-officials", position);
        ok(&api, TAKE, json!({ "input": input })).await;
        assert_eq!(
            corroboration(&api, claim).await["selfAsserted"],
            alone,
            "{id}"
        );
    }
}

// --- notices -------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_subscriber_hears_stances_taken_and_changed_on_the_claim_it_watches() {
    let fixture = root().join(FIXTURE);
    let (server, _dir) =
        subscriptions::serve_with(&["--seed", fixture.to_str().expect("a UTF-8 path")]);
    let query = format!(r#"subscription {{ stanceChanged(claim: "{BACKING}") {STANCE_CHANGE} }}"#);
    let mut socket = subscriptions::listen(&server, &query, Probe::StanceOn(BACKING)).await;

    // A stance on another claim: not asked for.
    let other = stance(
        "iran-denies-front",
        "saraya-qasem-al-jabarin-front-for-iran-backed-militias",
        "iran",
        "DENIES",
    );
    subscriptions::mutate(&server, TAKE, json!({ "input": other })).await;
    let wanted = stance(
        "coalition-confirms-backing",
        BACKING,
        "us-led-coalition",
        "CONFIRMS",
    );
    subscriptions::mutate(&server, TAKE, json!({ "input": wanted })).await;
    let set = json!({ "position": "DISPUTES" });
    subscriptions::mutate(
        &server,
        UPDATE,
        json!({ "id": "iran-denies-backing-militias", "version": 1, "set": set }),
    )
    .await;

    let taken = subscriptions::next_data(&mut socket).await;
    assert_eq!(
        taken,
        stance_change(
            "CREATED",
            "coalition-confirms-backing",
            "us-led-coalition",
            "CONFIRMS",
            BACKING
        )
    );
    let changed = subscriptions::next_data(&mut socket).await;
    assert_eq!(
        changed,
        stance_change(
            "UPDATED",
            "iran-denies-backing-militias",
            "iran",
            "DISPUTES",
            BACKING
        )
    );
}

// --- batched loads -------------------------------------------------------------------------

/// `n` claims that a group is backed by a patron, each denied by the patron and confirmed by
/// a monitor, in statements of the patron's.
fn denied_claims(n: usize) -> String {
    let each = |line: &dyn Fn(usize) -> String| (0..n).map(line).collect::<String>();
    let groups = each(&|i| format!("  - {{id: group-{i}, kind: armed_group, name: Group {i}}}\n"));
    let statements = each(&|i| {
        format!(
            "  - {{id: no-ties-{i}, speaker: patron, text: No ties to group {i}, source: report}}\n"
        )
    });
    let claims = each(&|i| {
        format!(
            "  - {{id: backed-{i}, subject: group-{i}, relation: backed_by, object: patron, \
             asserted_by: unknown, source: report, confidence: 60}}\n"
        )
    });
    let stances = each(&|i| {
        format!(
            "  - {{id: denied-{i}, claim: backed-{i}, actor: patron, position: denies, \
             asserted_by: unknown, source: report, date: 2022-01-07, evidence: no-ties-{i}, \
             confidence: 80}}\n  \
             - {{id: confirmed-{i}, claim: backed-{i}, actor: monitor, position: confirms, \
             asserted_by: monitor, source: report, date: 2022-02, confidence: 50}}\n"
        )
    });
    format!(
        "sources:\n  - {{id: report, kind: report, title: Generated report}}\n\
         actors:\n  - {{id: patron, kind: state, name: Patron}}\n  \
         - {{id: monitor, kind: organization, name: Monitor}}\n{groups}\
         statements:\n{statements}claims:\n{claims}stances:\n{stances}"
    )
}

const CLAIMS_WITH_STANCES: &str = r#"{
  claims(first: 500) { edges { node {
    id
    stances { id position date actor { name } assertedBy { name } source { title } evidence { text } }
    corroboration { confirmingStances { actor { name } } contraryStances { actor { name } } }
    subject { ... on Actor { stances { edges { node { id } } } } }
  } } }
}"#;

#[actix_web::test]
async fn a_list_of_claims_with_their_stances_costs_the_same_statements_for_three_or_three_hundred()
{
    let (few, small) = statements_over(&denied_claims(3), CLAIMS_WITH_STANCES).await;
    let (many, large) = statements_over(&denied_claims(300), CLAIMS_WITH_STANCES).await;
    assert!(small["errors"].is_null(), "{small}");
    assert!(large["errors"].is_null(), "{large}");
    let edges = large["data"]["claims"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 300);
    for edge in edges {
        let stances = &edge["node"]["stances"];
        assert_eq!(pluck(stances, "position"), ["DENIES", "CONFIRMS"]);
        assert_eq!(stances[0]["actor"]["name"], "Patron");
        assert!(stances[0]["evidence"]["text"].is_string());
        let corroboration = &edge["node"]["corroboration"];
        assert_eq!(
            corroboration["contraryStances"][0]["actor"]["name"],
            "Patron"
        );
        assert_eq!(
            corroboration["confirmingStances"][0]["actor"]["name"],
            "Monitor"
        );
    }
    assert_eq!(
        many, few,
        "3 claims took {few} SQL statements but 300 took {many}: some stance loads per claim"
    );
}
