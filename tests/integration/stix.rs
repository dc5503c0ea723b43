//! STIX 2.1 exchange (issue 12): the export's mapping and determinism, the exact round trip,
//! imports of bundles OASIS published with their provenance intact, and bad bundles refused
//! with `file:line` and nothing written. The OASIS validator checks the same exports in CI
//! (`tests/stix/run.sh`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::graphql_api::{AYN_AL_ASSAD_ATTACK, HEADLINE};
use super::support::cli::claimgraph;
use super::support::engine;
use super::support::graphql::Api;
use super::support::{ALICE, root};

/// `SOURCE_DATE_EPOCH` of the golden bundle (2022-01-06): every timestamp is that instant.
const EPOCH: &str = "1641427200";

fn oasis(name: &str) -> PathBuf {
    root().join("tests/fixtures/stix/oasis").join(name)
}

/// `claimgraph export ARGS` with a fixed epoch; the bundle's text.
fn export(args: &[&str]) -> String {
    let out = claimgraph()
        .arg("export")
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run claimgraph export");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// `claimgraph import --db DB FILES`, asserting success; stdout.
fn import(db: &Path, files: &[&Path]) -> String {
    let out = claimgraph()
        .arg("import")
        .arg("--db")
        .arg(db)
        .args(files)
        .output()
        .expect("run claimgraph import");
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// `claimgraph import` expected to fail: (exit code, stderr).
fn import_refused(db: &Path, files: &[&Path]) -> (i32, String) {
    let out = claimgraph()
        .arg("import")
        .arg("--db")
        .arg(db)
        .args(files)
        .output()
        .expect("run claimgraph import");
    assert!(
        !out.status.success(),
        "import should fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn objects(bundle: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(bundle).expect("the export is JSON");
    v["objects"]
        .as_array()
        .cloned()
        .expect("a bundle has objects")
}

/// The object carrying this claimgraph record.
fn carrying<'a>(objects: &'a [Value], record_id: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| {
            o["extensions"]
                .as_object()
                .into_iter()
                .flat_map(|e| e.values())
                .any(|e| e["record"]["id"] == record_id)
        })
        .unwrap_or_else(|| panic!("no object carries {record_id}"))
}

fn by_id<'a>(objects: &'a [Value], id: &Value) -> &'a Value {
    objects
        .iter()
        .find(|o| o["id"] == *id)
        .unwrap_or_else(|| panic!("no object {id}"))
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

#[test]
fn the_headline_chain_exports_to_the_golden_bundle() {
    let bundle = export(&["--seed", "tests/fixtures/stix/chain.yaml"]);
    let v: Value = serde_json::from_str(&bundle).unwrap();
    // The bundle id of docs/stix-design.md §7: same objects at the same versions.
    assert_eq!(v["id"], "bundle--8bf1a4b6-a177-5b19-af42-b88cecae2cea");
    insta::assert_snapshot!("stix_chain_bundle", bundle);
}

#[test]
fn a_claim_is_a_relationship_created_by_its_asserter_with_its_source_and_confidence() {
    let objects = objects(&export(&["--seed", "seed"]));
    let claim = carrying(
        &objects,
        "saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack",
    );
    assert_eq!(claim["type"], "relationship");
    assert_eq!(claim["relationship_type"], "claimed-responsibility-for");
    assert_eq!(claim["confidence"], 90);
    assert_eq!(
        claim["external_references"][0]["external_id"],
        "article-iraq-syria-bases-attacked-2022-01"
    );
    // The group claims its own attack: the claim is created by its identity twin.
    let creator = by_id(&objects, &claim["created_by_ref"]);
    assert_eq!(creator["type"], "identity");
    assert_eq!(creator["name"], "Saraya Qasem al-Jabarin");
    let subject = by_id(&objects, &claim["source_ref"]);
    assert_eq!(subject["type"], "threat-actor");
    assert_eq!(by_id(&objects, &claim["target_ref"])["type"], "event");

    let front = carrying(
        &objects,
        "saraya-qasem-al-jabarin-front-for-iran-backed-militias",
    );
    assert_eq!(front["relationship_type"], "front-for");
    assert_eq!(
        by_id(&objects, &front["created_by_ref"])["name"],
        "Western and Iraqi officials"
    );
}

#[test]
fn a_claim_of_the_sources_own_voice_has_no_creator_and_a_judged_claim_has_the_desks_opinion() {
    let tmp = tempfile::tempdir().unwrap();
    // The chain with one more claim, disputed: Iran as the militias' patron, in the source's
    // own voice.
    let disputed = write(
        tmp.path(),
        "disputed.yaml",
        "actors:\n  - {id: iran, kind: state, name: Iran}\nclaims:\n  - {id: militias-backed-by-iran, subject: iran-backed-militias, relation: backed_by, object: iran,\n     asserted_by: unknown, source: article-iraq-syria-bases-attacked-2022-01, confidence: 60, status: disputed}\n",
    );
    let objects = objects(&export(&[
        "--seed",
        "tests/fixtures/stix/chain.yaml",
        disputed.to_str().unwrap(),
    ]));
    let claim = carrying(&objects, "militias-backed-by-iran");
    assert!(
        claim.get("created_by_ref").is_none(),
        "no invented asserter"
    );
    let opinion = objects
        .iter()
        .find(|o| o["type"] == "opinion" && o["object_refs"][0] == claim["id"])
        .expect("a disputed claim has the producer's opinion");
    assert_eq!(opinion["opinion"], "neutral");
    assert_eq!(
        opinion["created_by_ref"], objects[0]["id"],
        "by claimgraph itself"
    );
    assert_eq!(objects[0]["identity_class"], "system");
}

#[test]
fn every_record_kind_has_its_stix_object() {
    let objects = objects(&export(&["--seed", "seed"]));
    let count = |t: &str| objects.iter().filter(|o| o["type"] == t).count();
    for t in [
        "threat-actor",
        "identity",
        "location",
        "event",
        "campaign",
        "report",
        "note",
        "relationship",
    ] {
        assert!(count(t) > 0, "no {t} in the seed's export");
    }
    // A base in Iraq is in the country its ancestors name.
    assert_eq!(carrying(&objects, "ayn-al-assad")["country"], "IQ");
    assert_eq!(carrying(&objects, "syria")["country"], "SY");
    assert!(carrying(&objects, "middle-east").get("country").is_none());
    let attack = carrying(&objects, AYN_AL_ASSAD_ATTACK);
    assert_eq!(attack["type"], "event");
    assert_eq!(attack["start_time"], "2022-01-05T00:00:00.000Z");
    assert_eq!(attack["start_time_fidelity"], "day");
    assert_eq!(
        attack["extensions"]["extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"]["extension_type"],
        "new-sdo"
    );
    let statement = objects
        .iter()
        .find(|o| o["type"] == "note" && o.get("authors").is_some())
        .expect("a statement");
    assert!(statement["content"].as_str().is_some_and(|c| !c.is_empty()));
    let report = carrying(&objects, "article-iraq-syria-bases-attacked-2022-01");
    assert_eq!(report["type"], "report");
    assert!(
        report["object_refs"]
            .as_array()
            .is_some_and(|r| r.len() > 20)
    );
}

#[test]
fn exports_of_one_graph_are_identical_and_ids_stay_put() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    super::support::cli::seed(&db, &["seed"]);
    let run = || {
        let out = claimgraph()
            .args(["export", "--db"])
            .arg(&db)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    // The id of a record's object depends on the record's id alone.
    let saraya = carrying(&objects(&first), "saraya-qasem-al-jabarin")["id"].clone();
    assert_eq!(saraya, "threat-actor--dee0d1b6-b0cf-53aa-af3f-5500a3054bca");
}

#[test]
fn a_neighbourhood_holds_what_it_needs_to_import_alone() {
    let bundle = export(&[
        "--seed",
        "seed",
        "--root",
        AYN_AL_ASSAD_ATTACK,
        "--hops",
        "1",
    ]);
    let objects = objects(&bundle);
    carrying(&objects, AYN_AL_ASSAD_ATTACK);
    carrying(&objects, "saraya-qasem-al-jabarin");
    // The place and its province, named by record fields, come along.
    carrying(&objects, "ayn-al-assad");
    carrying(&objects, "anbar");
    let whole = self::objects(&export(&["--seed", "seed"]));
    assert!(
        objects.len() < whole.len() / 2,
        "{} of {}",
        objects.len(),
        whole.len()
    );
    // A shared object is the same in both exports.
    assert_eq!(
        carrying(&objects, "ayn-al-assad"),
        carrying(&whole, "ayn-al-assad")
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("n.json");
    std::fs::write(&file, &bundle).unwrap();
    let out = import(&tmp.path().join("n.db"), &[&file]);
    assert!(out.contains(" 0 changed"), "{out}");
}

#[test]
fn an_unknown_root_is_refused_with_what_to_give() {
    let out = claimgraph()
        .args(["export", "--seed", "seed", "--root", "no-such-node"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no node has the id \"no-such-node\""));
}

// ---------------------------------------------------------------------------------------------
// Round trip
// ---------------------------------------------------------------------------------------------

#[test]
fn export_import_export_gives_the_same_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let first = export(&["--seed", "seed"]);
    let file = tmp.path().join("seed.json");
    std::fs::write(&file, &first).unwrap();
    // Through PostgreSQL when the suite runs there: the same bytes either way.
    let db = engine::fresh_postgres()
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("rt.db"));
    import(&db, &[&file]);
    let again = export(&["--db", db.to_str().unwrap()]);
    assert!(first == again, "the round trip changed the bundle");
}

#[test]
fn without_a_fixed_epoch_the_round_trip_differs_only_in_timestamps() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    super::support::cli::seed(&db, &["seed"]);
    let plain = |db: &Path| {
        let out = claimgraph()
            .args(["export", "--db"])
            .arg(db)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let first = plain(&db);
    let file = tmp.path().join("g.json");
    std::fs::write(&file, &first).unwrap();
    let copy = tmp.path().join("copy.db");
    import(&copy, &[&file]);
    let strip = |text: &str| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        v.as_object_mut().unwrap().remove("id");
        for o in v["objects"].as_array_mut().unwrap() {
            let o = o.as_object_mut().unwrap();
            o.remove("created");
            o.remove("modified");
        }
        v
    };
    assert_eq!(strip(&first), strip(&plain(&copy)));
}

#[actix_web::test]
async fn the_headline_query_answers_the_same_after_a_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("seed.json");
    std::fs::write(&file, export(&["--seed", "seed"])).unwrap();
    let db = tmp.path().join("rt.db");
    import(&db, &[&file]);
    let vars = json!({ "id": AYN_AL_ASSAD_ATTACK });
    let before = Api::seed().post(HEADLINE, vars.clone()).await;
    let after = Api::from_database(&db).post(HEADLINE, vars).await;
    assert!(before.get("errors").is_none(), "{before:#}");
    assert_eq!(before, after);
}

#[test]
fn importing_a_bundle_again_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    let apt1 = oasis("apt1.json");
    let first = import(&db, &[&apt1]);
    assert!(first.contains("18 added"), "{first}");
    let dump = super::support::cli::dump(&db);
    let again = import(&db, &[&apt1]);
    assert!(
        again.contains("0 added, 0 changed, 18 unchanged"),
        "{again}"
    );
    assert!(again.contains("already kept: 58"), "{again}");
    let history = |rows: &[String]| rows.iter().filter(|r| r.starts_with("history:")).count();
    assert_eq!(history(&dump), history(&super::support::cli::dump(&db)));
}

// ---------------------------------------------------------------------------------------------
// Bundles OASIS published
// ---------------------------------------------------------------------------------------------

async fn data(api: &Api, query: &str, vars: Value) -> Value {
    let body = api.post(query, vars).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"].clone()
}

fn names(edges: &Value) -> Vec<String> {
    let mut out: Vec<String> = edges["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["name"].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out
}

#[actix_web::test]
async fn apt1_imports_with_its_attribution_chain_and_keeps_what_the_graph_cannot_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    let out = import(&db, &[&oasis("apt1.json")]);
    assert!(out.contains("kept verbatim, not in the graph: 7 attack-pattern, 12 indicator, 6 malware, 23 relationship, 10 tool"), "{out}");
    let api = Api::from_database(&db);
    let q = r#"query($id: ID!) { actor(id: $id) { name kind
        suspectedPatrons { edges { claim { assertedBy { id } source { title } confidence }
                                   node { name suspectedPatrons { edges { node { name } } } } } } } }"#;
    let apt1 = data(&api, q, json!({ "id": "apt1-da1065ce" })).await;
    let patrons = &apt1["actor"]["suspectedPatrons"];
    assert_eq!(
        names(patrons),
        ["Communist Party of China", "Ugly Gorilla", "Unit 61398"]
    );
    let edge = &patrons["edges"][0];
    assert_eq!(
        edge["claim"]["source"]["title"],
        "APT1: Exposing One of China's Cyber Espionage Units"
    );
    // No created_by_ref anywhere in apt1.json, nor on its report: the asserter is unknown.
    assert_eq!(edge["claim"]["assertedBy"], Value::Null);
    // Two hops: Ugly Gorilla is attributed to the people behind it.
    let gorilla = patrons["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["name"] == "Ugly Gorilla")
        .unwrap();
    assert_eq!(
        names(&gorilla["node"]["suspectedPatrons"]),
        ["JackWang", "Wang Dong"]
    );
    let kept: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM stix_objects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 58);
}

#[actix_web::test]
async fn an_authored_bundle_keeps_its_creators_as_asserters_and_its_report_as_source() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    import(
        &db,
        &[
            &oasis("bundle--21531315-283d-4604-8501-4b7166e58c84.json"),
            &oasis("poisonivy.json"),
        ],
    );
    let api = Api::from_database(&db);
    let q = r#"{ actor(id: "aig-e1f0169d") { name
        claims(first: 5) { edges { node { relation assertedBy { name } source { title publisher { name } } } } } } }"#;
    let found = data(&api, q, json!({})).await;
    let claims = &found["actor"]["claims"]["edges"];
    let located = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["node"]["relation"] == "STATIONED_IN")
        .expect("AIG located-at");
    assert_eq!(located["node"]["assertedBy"]["name"], "IRF");
    assert_eq!(located["node"]["source"]["title"], "IRF-20");
    assert_eq!(located["node"]["source"]["publisher"]["name"], "IRF");
    // The bundle writes the country "us"; it is kept as the ISO code.
    let q = r#"{ location(id: "gs-dbd84684") { name kind countryCode } }"#;
    let place = data(&api, q, json!({})).await;
    assert_eq!(
        place["location"],
        json!({ "name": "GS", "kind": "CITY", "countryCode": "US" })
    );
    // FireEye wrote the Poison Ivy report: its publisher, from created_by_ref.
    let q = r#"{ search(query: "Poison Ivy", first: 1) { node { ... on Source { title publisher { name } } } } }"#;
    let report = data(&api, q, json!({})).await;
    assert_eq!(
        report["search"][0]["node"]["publisher"]["name"],
        "FireEye, Inc."
    );
}

#[actix_web::test]
async fn a_campaigns_attribution_walks_to_the_patron_behind_the_front() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    import(
        &db,
        &[&oasis(
            "defining-campaigns-threat-actors-intrusion-sets.json",
        )],
    );
    let api = Api::from_database(&db);
    let q = r#"query($id: ID!) { event(id: $id) { title
        attributions { edges { node { name suspectedPatrons { edges { node { name
            suspectedPatrons { edges { node { name } } } } } } } } } } }"#;
    let flakes = data(&api, q, json!({ "id": "operation-bran-flakes-e5268b6e" })).await;
    let by = &flakes["event"]["attributions"];
    assert_eq!(names(by), ["APT BPP", "Fake BPP (Branistan Peoples Party)"]);
    let apt = by["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["name"] == "APT BPP")
        .unwrap();
    let fake = &apt["node"]["suspectedPatrons"]["edges"][0]["node"];
    assert_eq!(fake["name"], "Fake BPP (Branistan Peoples Party)");
    assert_eq!(names(&fake["suspectedPatrons"]), ["Franistan Intelligence"]);
}

// ---------------------------------------------------------------------------------------------
// Bad bundles
// ---------------------------------------------------------------------------------------------

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_bad_bundle_is_refused_at_its_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    let bundle = write(
        tmp.path(),
        "bad.json",
        r#"{
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {
      "type": "identity", "spec_version": "2.1",
      "id": "identity--e88ab115-7768-4630-baa3-3d49a7d946ea",
      "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
      "name": "Wang Dong", "identity_class": "individual"
    },
    {
      "type": "relationship", "spec_version": "2.1",
      "id": "relationship--a20b8626-a15e-41f0-bcb1-c05321e126f0",
      "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
      "relationship_type": "attributed-to",
      "source_ref": "identity--e88ab115-7768-4630-baa3-3d49a7d946ea",
      "target_ref": "identity--e88ab115-7768-4630-baa3-3d49a7d946ea",
      "created_by_ref": "identity--00000000-0000-4000-8000-000000000000"
    },
    { "type": "threat-actor", "id": "threat-actor--not-a-uuid" }
  ]
}
"#,
    );
    let (code, stderr) = import_refused(&db, &[&bundle]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "bad.json:18: objects[1].created_by_ref: created_by_ref names identity--00000000"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("add that identity to the bundle"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "bad.json:20: objects[2]: the id \"threat-actor--not-a-uuid\" is not a STIX id"
        ),
        "{stderr}"
    );
    assert!(!db.exists(), "a refused import leaves no database behind");

    let syntax = write(
        tmp.path(),
        "cut.json",
        "{\"type\": \"bundle\", \"objects\": [\n  {\"type\": ",
    );
    let (_, stderr) = import_refused(&db, &[&syntax]);
    assert!(stderr.contains("cut.json:2: JSON syntax"), "{stderr}");
}

#[test]
fn a_tampered_claimgraph_record_is_refused_where_it_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v: Value =
        serde_json::from_str(&export(&["--seed", "tests/fixtures/stix/chain.yaml"])).unwrap();
    let objects = v["objects"].as_array_mut().unwrap();
    let claim = objects
        .iter_mut()
        .find(|o| o["relationship_type"] == "front-for")
        .unwrap();
    let ext = claim["extensions"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .next()
        .unwrap();
    ext["record"]["confidence"] = json!(900);
    ext["record"]["object"] = json!("nobody-at-all");
    let file = write(
        tmp.path(),
        "tampered.json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    let db = tmp.path().join("g.db");
    super::support::cli::seed(&db, &["tests/fixtures/small/v1.yaml"]);
    let before = super::support::cli::dump(&db);
    let (code, stderr) = import_refused(&db, &[&file]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(".record.confidence: confidence must be from 0 to 100, not 900"),
        "{stderr}"
    );
    assert!(stderr.contains("tampered.json:"), "{stderr}");
    assert_eq!(
        before,
        super::support::cli::dump(&db),
        "nothing half-imported"
    );
}

#[test]
fn an_older_version_of_an_object_does_not_overwrite_a_newer_one() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    let version = |modified: &str, name: &str| {
        json!({ "type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
            { "type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--94624865-2709-443f-9b4c-2891985fd69b",
              "created": "2015-05-15T09:12:16.432Z", "modified": modified, "name": name }
        ]})
        .to_string()
    };
    let newer = write(
        tmp.path(),
        "newer.json",
        &version("2020-01-01T00:00:00.000Z", "Unit 61398 (PLA)"),
    );
    let older = write(
        tmp.path(),
        "older.json",
        &version("2015-05-15T09:12:16.432Z", "Unit 61398"),
    );
    import(&db, &[&newer]);
    let out = import(&db, &[&older]);
    assert!(out.contains("skipped: 1 object(s) older"), "{out}");
    // The node keeps its id (from its first name) and its newer name.
    let rows = super::support::cli::dump(&db);
    assert!(
        rows.iter().any(|r| r.starts_with("actors:")
            && r.contains("unit-61398-pla-94624865")
            && r.contains("Unit 61398 (PLA)")),
        "{rows:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Over HTTP
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn http_export_serves_stix_and_import_takes_an_editors_bundle() {
    let api = Api::seed_for_editors();
    let reply = api
        .get(&format!("/export/stix?root={AYN_AL_ASSAD_ATTACK}&hops=1"))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/stix+json;version=2.1");
    carrying(&objects(&reply.text()), AYN_AL_ASSAD_ATTACK);

    let bundle = std::fs::read_to_string(oasis("apt1.json")).unwrap();
    let post = |token: Option<&'static str>| {
        let mut req = actix_web::test::TestRequest::post()
            .uri("/import/stix")
            .insert_header(("content-type", "application/stix+json;version=2.1"))
            .set_payload(bundle.clone());
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        req
    };
    let anonymous = api.call(post(None)).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        anonymous.json()["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let imported = api.call(post(Some(ALICE))).await;
    assert_eq!(imported.status, 200, "{}", imported.text());
    let report = imported.json();
    assert_eq!(report["added"].as_array().map(Vec::len), Some(18));
    // The editor is named in the history of what the import wrote.
    let q = r#"{ actor(id: "unit-61398-94624865") { name history { editor } } }"#;
    let unit = data(&api, q, json!({})).await;
    assert_eq!(unit["actor"]["history"][0]["editor"], "alice");
}

// ---------------------------------------------------------------------------------------------
// The README
// ---------------------------------------------------------------------------------------------

/// The README's section on STIX, up to the next section.
fn readme_section() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("## Exchanging data (STIX 2.1)")
        .expect("the README has the STIX section");
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end].to_owned()
}

#[test]
fn the_readmes_export_and_import_commands_run_as_written() {
    let section = readme_section();
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section opens with a shell example");
    let tmp = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for line in block.lines().filter(|l| l.starts_with("claimgraph ")) {
        // Bare file names (graph.db, ayn.json) are the reader's own files: here, a temporary
        // folder's; paths with a folder are the repository's.
        let args: Vec<String> = line
            .split_whitespace()
            .skip(1)
            .map(|a| {
                let local = !a.contains('/') && (a.ends_with(".db") || a.ends_with(".json"));
                if local {
                    tmp.path().join(a).display().to_string()
                } else {
                    a.to_owned()
                }
            })
            .collect();
        let out = claimgraph().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert_eq!(ran, 4, "{block}");
    // The import printed in the README is what the last command prints.
    let again = import(&tmp.path().join("other.db"), &[&oasis("apt1.json")]);
    let shown = section
        .split("```text\n")
        .filter_map(|b| b.split("```").next())
        .find(|b| b.starts_with("imported "))
        .expect("the README shows an import's report");
    for line in shown.lines().skip(1) {
        assert!(
            again.contains(line),
            "README shows {line:?}; the import printed:\n{again}"
        );
    }
}

#[test]
fn a_generated_graph_with_every_relation_survives_the_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = tmp.path().join("gen");
    let out = claimgraph()
        .args(["generate", "--claims", "2000", "--out"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert!(out.status.success());
    let db = tmp.path().join("g.db");
    super::support::cli::seed(&db, &[fixtures.to_str().unwrap()]);
    let first = export(&["--db", db.to_str().unwrap()]);
    let relations: std::collections::HashSet<String> = objects(&first)
        .iter()
        .flat_map(|o| {
            o["extensions"]
                .as_object()
                .cloned()
                .unwrap_or_default()
                .into_values()
        })
        .filter_map(|e| e["record"]["relation"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        relations.len(),
        claimgraph::model::VOCABULARY.len(),
        "{relations:?}"
    );
    let file = tmp.path().join("g.json");
    std::fs::write(&file, &first).unwrap();
    let copy = tmp.path().join("copy.db");
    import(&copy, &[&file]);
    assert!(
        first == export(&["--db", copy.to_str().unwrap()]),
        "the round trip changed the bundle"
    );
}

#[test]
fn stances_travel_as_the_partys_opinions_and_come_back_exactly() {
    let first = export(&["--seed", "seed", "tests/fixtures/stances/iran-denies.yaml"]);
    let objects = objects(&first);
    let opinions: Vec<&Value> = objects
        .iter()
        .filter(|o| o["type"] == "opinion" && o["created_by_ref"] != objects[0]["id"])
        .collect();
    assert_eq!(opinions.len(), 3, "one opinion per stance");
    let denial = opinions
        .iter()
        .find(|o| o["opinion"] == "strongly-disagree")
        .expect("Iran's denial");
    assert_eq!(by_id(&objects, &denial["created_by_ref"])["name"], "Iran");
    let claim = by_id(&objects, &denial["object_refs"][0]);
    assert_eq!(claim["relationship_type"], "backed-by");
    assert!(
        opinions.iter().any(|o| o["opinion"] == "neutral"),
        "declining to comment is neutral"
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "s.json", &first);
    let db = tmp.path().join("s.db");
    import(&db, &[&file]);
    assert!(
        first == export(&["--db", db.to_str().unwrap()]),
        "the round trip changed the bundle"
    );
}

#[actix_web::test]
async fn another_producers_opinion_on_a_relationship_becomes_the_partys_stance() {
    let tmp = tempfile::tempdir().unwrap();
    let t = "2024-03-01T00:00:00.000Z";
    let bundle = json!({ "type": "bundle", "id": "bundle--1f6ad3a5-5a3e-4d1c-9d0e-0f1b2c3d4e5f", "objects": [
        { "type": "identity", "spec_version": "2.1", "id": "identity--6f3a1c0e-1111-4a7b-9c1d-000000000001",
          "created": t, "modified": t, "name": "Analyst Desk", "identity_class": "organization" },
        { "type": "identity", "spec_version": "2.1", "id": "identity--6f3a1c0e-1111-4a7b-9c1d-000000000002",
          "created": t, "modified": t, "name": "Iran", "identity_class": "organization", "sectors": ["government-national"] },
        { "type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--6f3a1c0e-1111-4a7b-9c1d-000000000003",
          "created": t, "modified": t, "name": "Kataib Hezbollah", "aliases": ["KH"] },
        { "type": "relationship", "spec_version": "2.1", "id": "relationship--6f3a1c0e-1111-4a7b-9c1d-000000000004",
          "created": t, "modified": t, "relationship_type": "attributed-to", "confidence": 70,
          "created_by_ref": "identity--6f3a1c0e-1111-4a7b-9c1d-000000000001",
          "source_ref": "threat-actor--6f3a1c0e-1111-4a7b-9c1d-000000000003",
          "target_ref": "identity--6f3a1c0e-1111-4a7b-9c1d-000000000002" },
        { "type": "opinion", "spec_version": "2.1", "id": "opinion--6f3a1c0e-1111-4a7b-9c1d-000000000005",
          "created": t, "modified": t, "opinion": "strongly-disagree", "explanation": "Iran denies any tie.",
          "created_by_ref": "identity--6f3a1c0e-1111-4a7b-9c1d-000000000002",
          "object_refs": ["relationship--6f3a1c0e-1111-4a7b-9c1d-000000000004"] }
    ]});
    let file = write(tmp.path(), "desk.json", &bundle.to_string());
    let db = tmp.path().join("d.db");
    let out = import(&db, &[&file]);
    assert!(out.contains("1 opinion → stance"), "{out}");
    let api = Api::from_database(&db);
    let q = r#"{ actor(id: "kataib-hezbollah-6f3a1c0e") { suspectedPatrons { edges {
        claim { assertedBy { name } confidence source { title } stances { position actor { name } note } }
        node { name kind } } } } }"#;
    let found = data(&api, q, json!({})).await;
    let edge = &found["actor"]["suspectedPatrons"]["edges"][0];
    assert_eq!(edge["node"]["name"], "Iran");
    assert_eq!(edge["node"]["kind"], "GOVERNMENT_BODY");
    assert_eq!(edge["claim"]["assertedBy"]["name"], "Analyst Desk");
    assert_eq!(edge["claim"]["confidence"], 70);
    assert_eq!(edge["claim"]["source"]["title"], "STIX bundle desk.json");
    let stance = &edge["claim"]["stances"][0];
    assert_eq!(stance["position"], "DENIES");
    assert_eq!(stance["actor"]["name"], "Iran");
    assert_eq!(stance["note"], "Iran denies any tie.");
}

#[actix_web::test]
async fn importing_again_after_a_merge_leaves_the_survivor_as_the_editor_made_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    let apt1 = oasis("apt1.json");
    import(&db, &[&apt1]);
    {
        // "DOTA" and "SuperHard" share their aliases: an editor decides they are one.
        let api = Api::from_database(&db).with_editors();
        let merged = api
            .post_as(
                Some(ALICE),
                r#"mutation { mergeActor(id: "dota-d84cf283", version: 1, into: "superhard-02e7c48f", intoVersion: 1, reason: "one group") { id name } }"#,
                json!({}),
            )
            .await;
        assert!(merged.get("errors").is_none(), "{merged:#}");
    }
    import(&db, &[&apt1]);
    let api = Api::from_database(&db);
    let q = r#"{ a: actor(id: "superhard-02e7c48f") { id name } b: actor(id: "dota-d84cf283") { id name } }"#;
    let found = data(&api, q, json!({})).await;
    assert_eq!(found["a"]["name"], "SuperHard");
    // The merged id still resolves to the survivor.
    assert_eq!(found["b"]["id"], "superhard-02e7c48f");
    assert_eq!(found["b"]["name"], "SuperHard");
}

#[test]
fn a_country_code_must_be_an_assigned_iso_code_in_capitals() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(
        tmp.path(),
        "places.yaml",
        "locations:\n  - {id: iraq, kind: country, name: Iraq, country_code: iq}\n  - {id: kosovo, kind: country, name: Kosovo, country_code: XK}\n",
    );
    let out = claimgraph().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("places.yaml:2: locations[0].country_code: \"iq\" is not an ISO 3166-1 alpha-2 country code; write it in capitals: \"IQ\""), "{stderr}");
    assert!(stderr.contains("places.yaml:3: locations[1].country_code: \"XK\" is not an ISO 3166-1 alpha-2 country code"), "{stderr}");
}

#[test]
fn what_an_import_kept_comes_back_with_include_foreign() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("g.db");
    import(&db, &[&oasis("apt1.json")]);
    let own = objects(&export(&["--db", db.to_str().unwrap()]));
    let all = objects(&export(&[
        "--db",
        db.to_str().unwrap(),
        "--include-foreign",
    ]));
    assert_eq!(all.len(), own.len() + 58);
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(oasis("apt1.json")).unwrap()).unwrap();
    let tool = original["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["type"] == "tool")
        .unwrap();
    assert!(all.contains(tool), "a kept object comes back unchanged");
    assert!(!own.iter().any(|o| o["type"] == "tool"));
    let refused = claimgraph()
        .args(["export", "--db"])
        .arg(&db)
        .args(["--include-foreign", "--root", "apt1-da1065ce"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "whole-graph exports only");
}
