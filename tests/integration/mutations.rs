//! Editors' writes over HTTP: each mutation, tokens, versions, history and merges, and the
//! validation errors a mutation shares with fixture files. Every refused write is checked to
//! have written nothing.

use serde_json::{Value, json};

use crate::support::graphql::{Api, codes};
use crate::support::{ALICE, BOB, cli};

const SOURCE: &str = "article-iraq-syria-bases-attacked-2022-01";

const ASSERT: &str = "mutation($input: ClaimInput!, $reason: String) {
  assertClaim(input: $input, reason: $reason) {
    id version status relation confidence
    subject { id } object { id }
    assertedBy { id } source { id }
    history { version editor action reason changes { field old new } }
  }
}";

const CREATE_ACTOR: &str = "mutation($input: ActorInput!) {
  createActor(input: $input) { id name aliases version history { editor action } }
}";

const UPDATE_ACTOR: &str =
    "mutation($id: ID!, $version: Int!, $set: ActorPatch!, $reason: String) {
  updateActor(id: $id, version: $version, set: $set, reason: $reason) {
    id name description aliases version
  }
}";

const SET_STATUS: &str =
    "mutation($id: ID!, $version: Int!, $status: ClaimStatus!, $reason: String!) {
  setClaimStatus(id: $id, version: $version, status: $status, reason: $reason) {
    id status version history { version editor action reason changes { field old new } }
  }
}";

const MERGE: &str =
    "mutation($id: ID!, $version: Int!, $into: ID!, $intoVersion: Int!, $reason: String!) {
  mergeActor(id: $id, version: $version, into: $into, intoVersion: $intoVersion, reason: $reason) {
    id name aliases version history { action editor reason }
  }
}";

/// A valid new claim: Harakat al-Nujaba backed by Iran, as the article's source says.
fn backing_claim(id: &str) -> Value {
    json!({
        "id": id,
        "subject": "harakat-al-nujaba",
        "relation": "BACKED_BY",
        "object": "iran",
        "assertedBy": "unknown",
        "source": SOURCE,
        "confidence": 70
    })
}

/// The data of a mutation sent by `token` that must succeed.
async fn ok(api: &Api, token: &str, query: &str, variables: Value) -> Value {
    let body = api.post_as(Some(token), query, variables).await;
    assert!(
        body.get("errors").is_none(),
        "unexpected errors: {:#}",
        body["errors"]
    );
    body["data"].clone()
}

/// The errors of a request sent with `token` (or none) that must fail.
async fn refused(api: &Api, token: Option<&str>, query: &str, variables: Value) -> Vec<Value> {
    let body = api.post_as(token, query, variables).await;
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("expected errors, got {body:#}"))
        .clone();
    assert!(!errors.is_empty());
    errors
}

/// Whether a node with this id can be read.
async fn exists(api: &Api, id: &str) -> bool {
    let body = api
        .post(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    !body["data"]["node"].is_null()
}

/// The `field` extension of each error.
fn fields(errors: &[Value]) -> Vec<String> {
    errors
        .iter()
        .map(|e| e["extensions"]["field"].as_str().unwrap_or("").to_owned())
        .collect()
}

// --- who may write -------------------------------------------------------------------------

#[actix_web::test]
async fn viewer_says_whether_a_token_may_edit_without_writing() {
    const VIEWER: &str = "{ viewer { canEdit editor whyNot code } }";
    let api = Api::seed_for_editors();
    let editor = api.post_as(Some(ALICE), VIEWER, json!({})).await;
    assert_eq!(
        editor["data"]["viewer"],
        json!({ "canEdit": true, "editor": "alice", "whyNot": null, "code": null })
    );
    let wrong = "not-a-token-of-this-server-at-all";
    for token in [None, Some(wrong)] {
        let body = api.post_as(token, VIEWER, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let viewer = &body["data"]["viewer"];
        assert_eq!(viewer["canEdit"], false, "{token:?}");
        assert_eq!(viewer["code"], "UNAUTHENTICATED", "{token:?}");
        assert!(
            viewer["whyNot"].as_str().unwrap().contains("token"),
            "{viewer}"
        );
        assert!(!body.to_string().contains(wrong));
    }
    let read_only = Api::seed().post_as(Some(ALICE), VIEWER, json!({})).await;
    assert_eq!(read_only["data"]["viewer"]["canEdit"], false);
    assert!(
        read_only["data"]["viewer"]["whyNot"]
            .as_str()
            .unwrap()
            .contains("--tokens")
    );
}

#[actix_web::test]
async fn a_mutation_without_a_token_is_unauthenticated_and_writes_nothing() {
    let api = Api::seed_for_editors();
    let errors = refused(
        &api,
        None,
        ASSERT,
        json!({ "input": backing_claim("no-token") }),
    )
    .await;
    assert_eq!(codes(&errors), ["UNAUTHENTICATED"]);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("Authorization: Bearer"), "{message}");
    assert!(!exists(&api, "no-token").await);
}

#[actix_web::test]
async fn a_wrong_token_is_unauthenticated_and_is_never_echoed() {
    let api = Api::seed_for_editors();
    let wrong = "not-a-token-of-this-server-at-all";
    let body = api
        .post_as(
            Some(wrong),
            ASSERT,
            json!({ "input": backing_claim("wrong-token") }),
        )
        .await;
    assert_eq!(
        codes(body["errors"].as_array().unwrap()),
        ["UNAUTHENTICATED"]
    );
    assert!(!body.to_string().contains(wrong));
    assert!(!exists(&api, "wrong-token").await);
}

#[actix_web::test]
async fn a_server_without_tokens_is_read_only_and_says_how_to_allow_edits() {
    let api = Api::seed();
    let errors = refused(
        &api,
        Some(ALICE),
        ASSERT,
        json!({ "input": backing_claim("ro") }),
    )
    .await;
    assert_eq!(codes(&errors), ["UNAUTHENTICATED"]);
    assert!(errors[0]["message"].as_str().unwrap().contains("--tokens"));
    assert!(!exists(&api, "ro").await);
}

#[actix_web::test]
async fn reads_need_no_token_on_a_writable_server() {
    let api = Api::seed_for_editors();
    let data = api
        .data(r#"{ actor(id: "iran") { name version } }"#, json!({}))
        .await;
    assert_eq!(data["actor"]["name"], "Iran");
    assert_eq!(data["actor"]["version"], 1);
}

#[actix_web::test]
async fn a_mutation_sent_with_get_is_refused_with_405() {
    let api = Api::seed_for_editors();
    let query =
        r#"mutation { setClaimStatus(id: "x", version: 1, status: REFUTED, reason: "r") { id } }"#;
    let uri = format!("/graphql?query={}", url_encode(query));
    let reply = api
        .call(
            actix_web::test::TestRequest::get()
                .uri(&uri)
                .insert_header(("authorization", format!("Bearer {ALICE}"))),
        )
        .await;
    assert_eq!(reply.status, 405, "{}", reply.text());
    assert_eq!(
        reply.json()["errors"][0]["extensions"]["code"],
        "METHOD_NOT_ALLOWED"
    );
    let read = api
        .get(&format!(
            "/graphql?query={}",
            url_encode("{ actor(id: \"iran\") { id } }")
        ))
        .await;
    assert_eq!(read.status, 200, "GET still reads: {}", read.text());
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// --- creating ------------------------------------------------------------------------------

#[actix_web::test]
async fn asserting_a_claim_links_seed_entities_and_records_who_and_why() {
    let api = Api::seed_for_editors();
    let data = ok(
        &api,
        ALICE,
        ASSERT,
        json!({ "input": backing_claim("nujaba-backed-by-iran"), "reason": "new report" }),
    )
    .await;
    let claim = &data["assertClaim"];
    assert_eq!(claim["id"], "nujaba-backed-by-iran");
    assert_eq!(claim["status"], "ASSERTED");
    assert_eq!(claim["version"], 1);
    assert_eq!(claim["subject"]["id"], "harakat-al-nujaba");
    assert_eq!(claim["object"]["id"], "iran");
    assert!(claim["assertedBy"].is_null());
    let entry = &claim["history"][0];
    assert_eq!(entry["editor"], "alice");
    assert_eq!(entry["action"], "CREATED");
    assert_eq!(entry["reason"], "new report");
    let changed: Vec<&str> = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(changed.contains(&"relation") && changed.contains(&"subject"));
    // The link reads from the other end too.
    let links = api
        .data(
            r#"{ actor(id: "iran") { claims { edges { node { id } } } } }"#,
            json!({}),
        )
        .await;
    assert!(
        links.to_string().contains("nujaba-backed-by-iran"),
        "{links}"
    );
}

#[actix_web::test]
async fn a_claim_or_statement_without_an_id_gets_a_readable_unused_one() {
    let api = Api::seed_for_editors();
    let mut input = backing_claim("x");
    input.as_object_mut().unwrap().remove("id");
    let first = ok(&api, ALICE, ASSERT, json!({ "input": input })).await;
    let second = ok(&api, ALICE, ASSERT, json!({ "input": input })).await;
    assert_eq!(
        first["assertClaim"]["id"],
        "harakat-al-nujaba-backed-by-iran"
    );
    assert_eq!(
        second["assertClaim"]["id"],
        "harakat-al-nujaba-backed-by-iran-2"
    );
    let statement = ok(
        &api,
        BOB,
        "mutation($input: StatementInput!) { recordStatement(input: $input) { id text speaker { id } source { id } } }",
        json!({ "input": { "speaker": "akram-al-kaabi", "text": "We will answer.", "source": SOURCE } }),
    )
    .await;
    assert_eq!(
        statement["recordStatement"]["id"],
        format!("akram-al-kaabi-statement-{SOURCE}")
    );
    assert_eq!(
        statement["recordStatement"]["speaker"]["id"],
        "akram-al-kaabi"
    );
}

#[actix_web::test]
async fn creating_actors_locations_events_and_sources_makes_readable_nodes() {
    let api = Api::seed_for_editors();
    let actor = ok(
        &api,
        ALICE,
        CREATE_ACTOR,
        json!({ "input": { "id": "kataib-hezbollah", "kind": "ARMED_GROUP", "name": "Kataib Hezbollah", "aliases": ["KH"] } }),
    )
    .await;
    assert_eq!(actor["createActor"]["version"], 1);
    assert_eq!(actor["createActor"]["history"][0]["action"], "CREATED");
    let location = ok(
        &api,
        ALICE,
        "mutation($input: LocationInput!) { createLocation(input: $input) { id parent { id } coordinates { lat lon } } }",
        json!({ "input": { "id": "al-qaim", "kind": "CITY", "name": "Al-Qaim", "parent": "anbar", "coordinates": { "lat": 34.37, "lon": 41.09 } } }),
    )
    .await;
    assert_eq!(location["createLocation"]["parent"]["id"], "anbar");
    let event = ok(
        &api,
        ALICE,
        "mutation($input: EventInput!) { createEvent(input: $input) { id occurredOn location { id parent { id } } details { casualties { killed } } } }",
        json!({ "input": {
            "id": "al-qaim-drone-attack-2022-01-06", "kind": "ATTACK", "title": "Drone attack near Al-Qaim",
            "when": { "date": "2022-01-06", "partOfDay": "NIGHT" }, "location": "al-qaim",
            "details": { "casualties": { "killed": 0 }, "counts": [{ "name": "drones", "value": 2 }] },
            "sources": [SOURCE]
        } }),
    )
    .await;
    assert_eq!(event["createEvent"]["location"]["parent"]["id"], "anbar");
    let source = ok(
        &api,
        BOB,
        "mutation($input: SourceInput!) { createSource(input: $input) { id url publisher { id } } }",
        json!({ "input": { "id": "wsj-follow-up", "kind": "NEWS_REPORT", "title": "Follow-up", "publisher": "wall-street-journal", "url": "https://www.wsj.com/x" } }),
    )
    .await;
    assert_eq!(
        source["createSource"]["publisher"]["id"],
        "wall-street-journal"
    );
    let found = api
        .data(r#"{ search(query: "Kataib") { node { id } } }"#, json!({}))
        .await;
    assert!(
        found.to_string().contains("kataib-hezbollah"),
        "new actors are searchable: {found}"
    );
}

#[actix_web::test]
async fn creating_an_id_that_exists_is_bad_user_input_on_the_id() {
    let api = Api::seed_for_editors();
    let errors = refused(
        &api,
        Some(ALICE),
        CREATE_ACTOR,
        json!({ "input": { "id": "iran", "kind": "STATE", "name": "Iran again" } }),
    )
    .await;
    assert_eq!(codes(&errors), ["BAD_USER_INPUT"]);
    assert_eq!(fields(&errors), ["input.id"]);
    let name = api
        .data(r#"{ actor(id: "iran") { name } }"#, json!({}))
        .await;
    assert_eq!(name["actor"]["name"], "Iran");
}

// --- validation: one path for fixtures and mutations ---------------------------------------

/// Asserts the claim `input` is refused with BAD_USER_INPUT on `field` and a message
/// containing `words`, and that nothing was written.
async fn claim_refused(api: &Api, input: Value, field: &str, words: &str) {
    let id = input["id"].as_str().unwrap_or("").to_owned();
    let errors = refused(api, Some(ALICE), ASSERT, json!({ "input": input })).await;
    assert_eq!(codes(&errors)[0], "BAD_USER_INPUT", "{errors:#?}");
    assert!(
        fields(&errors).contains(&field.to_owned()),
        "{field}: {errors:#?}"
    );
    assert!(
        errors
            .to_vec()
            .iter()
            .any(|e| e["message"].as_str().unwrap().contains(words)),
        "{words}: {errors:#?}"
    );
    if !id.is_empty() {
        assert!(!exists(api, &id).await, "{id} was written");
    }
}

#[actix_web::test]
async fn every_class_of_bad_claim_names_its_field_and_writes_nothing() {
    let api = Api::seed_for_editors();
    let with = |changes: Value| {
        let mut input = backing_claim("bad-claim");
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    // A dangling reference, with a suggestion.
    claim_refused(
        &api,
        with(json!({ "object": "irann" })),
        "input.object",
        "did you mean \"iran\"",
    )
    .await;
    // A reference to a node of the wrong type for the relation.
    claim_refused(
        &api,
        with(json!({ "object": "iraq" })),
        "input.object",
        "needs an actor as object",
    )
    .await;
    // A number out of range.
    claim_refused(
        &api,
        with(json!({ "confidence": 150 })),
        "input.confidence",
        "100",
    )
    .await;
    // A malformed id.
    claim_refused(
        &api,
        with(json!({ "id": "Bad Claim" })),
        "input.id",
        "lowercase",
    )
    .await;
    // A rule of the vocabulary: an anniversary needs its years.
    claim_refused(
        &api,
        with(json!({ "subject": "ayn-al-assad-rocket-attack-2022-01-05", "relation": "MARKED_ANNIVERSARY_OF", "object": "soleimani-strike-2020-01-03" })),
        "input.qualifiers.years",
        "years",
    )
    .await;
    // Dates out of order.
    claim_refused(
        &api,
        with(json!({ "validFrom": "2022-02", "validTo": "2022-01" })),
        "input.validTo",
        "before",
    )
    .await;
    // A claim linking a node to itself.
    claim_refused(
        &api,
        with(json!({ "object": "harakat-al-nujaba" })),
        "input.object",
        "itself",
    )
    .await;
}

#[actix_web::test]
async fn several_problems_of_one_input_are_all_reported() {
    let api = Api::seed_for_editors();
    let mut input = backing_claim("two-problems");
    input["object"] = json!("irann");
    input["source"] = json!("no-such-source");
    let errors = refused(&api, Some(ALICE), ASSERT, json!({ "input": input })).await;
    let mut got = fields(&errors);
    got.sort();
    assert_eq!(got, ["input.object", "input.source"]);
    assert!(!exists(&api, "two-problems").await);
}

#[actix_web::test]
async fn a_bad_claim_gets_the_same_message_from_a_fixture_file_and_from_a_mutation() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("bad.yaml");
    std::fs::write(
        &fixture,
        format!(
            "claims:\n  - id: bad-anniversary\n    subject: ayn-al-assad-rocket-attack-2022-01-05\n    relation: marked_anniversary_of\n    object: soleimani-strike-2020-01-03\n    asserted_by: unknown\n    source: {SOURCE}\n    confidence: 50\n"
        ),
    )
    .unwrap();
    let output = cli::claimgraph()
        .args(["check", "seed"])
        .arg(&fixture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let from_file = stderr
        .lines()
        .find(|l| l.contains("claims[0].qualifiers.years"))
        .and_then(|l| l.split("claims[0].qualifiers.years: ").nth(1))
        .unwrap_or_else(|| panic!("no message in {stderr}"))
        .to_owned();

    let api = Api::seed_for_editors();
    let errors = refused(
        &api,
        Some(ALICE),
        ASSERT,
        json!({ "input": {
            "id": "bad-anniversary", "subject": "ayn-al-assad-rocket-attack-2022-01-05",
            "relation": "MARKED_ANNIVERSARY_OF", "object": "soleimani-strike-2020-01-03",
            "assertedBy": "unknown", "source": SOURCE, "confidence": 50
        } }),
    )
    .await;
    assert_eq!(fields(&errors), ["input.qualifiers.years"]);
    assert_eq!(
        errors[0]["message"],
        format!("`input.qualifiers.years`: {from_file}")
    );
}

#[actix_web::test]
async fn bad_actors_events_and_locations_are_refused_with_their_fields() {
    let api = Api::seed_for_editors();
    let errors = refused(
        &api,
        Some(ALICE),
        CREATE_ACTOR,
        json!({ "input": { "id": "blank", "kind": "PERSON", "name": "   " } }),
    )
    .await;
    assert_eq!(fields(&errors), ["input.name"]);
    let errors = refused(
        &api,
        Some(ALICE),
        "mutation($input: EventInput!) { createEvent(input: $input) { id } }",
        json!({ "input": { "id": "late", "kind": "ATTACK", "title": "Late", "when": { "date": "2022-01-05", "until": "2022-01-01" }, "location": "iraq" } }),
    )
    .await;
    assert_eq!(fields(&errors), ["input.when.until"]);
    let errors = refused(
        &api,
        Some(ALICE),
        "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
        json!({ "input": { "id": "ftp-source", "kind": "REPORT", "title": "FTP", "url": "ftp://example.org/x" } }),
    )
    .await;
    assert_eq!(fields(&errors), ["input.url"]);
    // A parent link that would make a cycle.
    let version = api
        .data(r#"{ location(id: "iraq") { version } }"#, json!({}))
        .await;
    let errors = refused(
        &api,
        Some(ALICE),
        "mutation($v: Int!) { updateLocation(id: \"iraq\", version: $v, set: { parent: \"anbar\" }) { id } }",
        json!({ "v": version["location"]["version"] }),
    )
    .await;
    assert_eq!(fields(&errors), ["set.parent"]);
    assert!(errors[0]["message"].as_str().unwrap().contains("cycle"));
    for id in ["blank", "late", "ftp-source"] {
        assert!(!exists(&api, id).await, "{id}");
    }
}

// --- versions and patches -------------------------------------------------------------------

#[actix_web::test]
async fn an_update_changes_only_the_given_fields_and_bumps_the_version() {
    let api = Api::seed_for_editors();
    let before = api
        .data(
            r#"{ actor(id: "harakat-al-nujaba") { name aliases description version } }"#,
            json!({}),
        )
        .await["actor"]
        .clone();
    let data = ok(
        &api,
        BOB,
        UPDATE_ACTOR,
        json!({ "id": "harakat-al-nujaba", "version": before["version"], "set": { "description": null, "aliases": ["Nujaba"] }, "reason": "style" }),
    )
    .await;
    let after = &data["updateActor"];
    assert_eq!(after["name"], before["name"], "a field left out stays");
    assert!(
        after["description"].is_null(),
        "a field set to null is cleared"
    );
    assert_eq!(after["aliases"], json!(["Nujaba"]));
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
}

#[actix_web::test]
async fn a_stale_version_is_a_conflict_and_overwrites_nothing() {
    let api = Api::seed_for_editors();
    let set = |name: &str| json!({ "id": "iran", "version": 1, "set": { "name": name } });
    ok(&api, ALICE, UPDATE_ACTOR, set("Islamic Republic of Iran")).await;
    let errors = refused(&api, Some(BOB), UPDATE_ACTOR, set("Persia")).await;
    assert_eq!(codes(&errors), ["CONFLICT"]);
    assert_eq!(errors[0]["extensions"]["currentVersion"], 2);
    let now = api
        .data(r#"{ actor(id: "iran") { name version } }"#, json!({}))
        .await;
    assert_eq!(now["actor"]["name"], "Islamic Republic of Iran");
    assert_eq!(now["actor"]["version"], 2);
}

#[actix_web::test]
async fn clearing_a_required_field_is_bad_user_input_on_that_field() {
    let api = Api::seed_for_editors();
    let errors = refused(
        &api,
        Some(ALICE),
        UPDATE_ACTOR,
        json!({ "id": "iran", "version": 1, "set": { "name": null } }),
    )
    .await;
    assert_eq!(fields(&errors), ["set.name"]);
    let now = api
        .data(r#"{ actor(id: "iran") { name version } }"#, json!({}))
        .await;
    assert_eq!(now["actor"], json!({ "name": "Iran", "version": 1 }));
}

#[actix_web::test]
async fn updating_an_unknown_id_or_a_node_of_another_type_is_not_found() {
    let api = Api::seed_for_editors();
    for id in ["no-such-actor", "iraq"] {
        let errors = refused(
            &api,
            Some(ALICE),
            UPDATE_ACTOR,
            json!({ "id": id, "version": 1, "set": { "name": "X" } }),
        )
        .await;
        assert_eq!(codes(&errors), ["NOT_FOUND"], "{id}");
    }
}

// --- claim status ---------------------------------------------------------------------------

#[actix_web::test]
async fn a_disputed_then_refuted_claim_stays_queryable_with_each_reason_in_its_history() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        ASSERT,
        json!({ "input": backing_claim("contested") }),
    )
    .await;
    let disputed = ok(
        &api,
        BOB,
        SET_STATUS,
        json!({ "id": "contested", "version": 1, "status": "DISPUTED", "reason": "Iraqi officials deny it" }),
    )
    .await;
    assert_eq!(disputed["setClaimStatus"]["status"], "DISPUTED");
    assert_eq!(disputed["setClaimStatus"]["version"], 2);
    let refuted = ok(
        &api,
        ALICE,
        SET_STATUS,
        json!({ "id": "contested", "version": 2, "status": "REFUTED", "reason": "retracted by the source" }),
    )
    .await;
    let history = &refuted["setClaimStatus"]["history"];
    assert_eq!(history.as_array().unwrap().len(), 3);
    assert_eq!(history[1]["action"], "STATUS_CHANGED");
    assert_eq!(history[1]["editor"], "bob");
    assert_eq!(history[1]["reason"], "Iraqi officials deny it");
    assert_eq!(
        history[1]["changes"],
        json!([{ "field": "status", "old": null, "new": "disputed" }]),
        "asserted is the default and is not written out, so it shows as absent"
    );
    assert_eq!(history[2]["changes"][0]["new"], "refuted");
    let listed = api
        .data(
            r#"{ claims(status: REFUTED) { edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert!(listed.to_string().contains("contested"), "{listed}");
}

#[actix_web::test]
async fn a_status_change_needs_a_reason() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        ASSERT,
        json!({ "input": backing_claim("unexplained") }),
    )
    .await;
    let errors = refused(
        &api,
        Some(ALICE),
        SET_STATUS,
        json!({ "id": "unexplained", "version": 1, "status": "REFUTED", "reason": "  " }),
    )
    .await;
    assert_eq!(fields(&errors), ["reason"]);
    let now = api
        .data(
            r#"{ claim(id: "unexplained") { status version } }"#,
            json!({}),
        )
        .await;
    assert_eq!(now["claim"], json!({ "status": "ASSERTED", "version": 1 }));
}

// --- history --------------------------------------------------------------------------------

#[actix_web::test]
async fn seeded_nodes_have_a_creation_entry_by_the_seed() {
    let api = Api::seed_for_editors();
    let data = api
        .data(
            r#"{ actor(id: "iran") { history { version editor action changes { field } } } }"#,
            json!({}),
        )
        .await;
    let history = &data["actor"]["history"];
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["editor"], "seed");
    assert_eq!(history[0]["action"], "CREATED");
    assert!(history[0]["changes"].to_string().contains("\"name\""));
}

#[actix_web::test]
async fn history_lists_every_change_in_order_with_its_old_and_new_values() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        UPDATE_ACTOR,
        json!({ "id": "iran", "version": 1, "set": { "description": "A state." } }),
    )
    .await;
    ok(&api, BOB, UPDATE_ACTOR, json!({ "id": "iran", "version": 2, "set": { "description": "A state in the Gulf." }, "reason": "more precise" })).await;
    let data = api
        .data(r#"{ node(id: "iran") { version history { version editor action reason at changes { field old new } } } }"#, json!({}))
        .await;
    let history = data["node"]["history"].as_array().unwrap().clone();
    let versions: Vec<i64> = history
        .iter()
        .map(|h| h["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2, 3]);
    assert_eq!(data["node"]["version"], 3);
    assert_eq!(history[2]["editor"], "bob");
    assert_eq!(history[2]["reason"], "more precise");
    assert_eq!(
        history[2]["changes"],
        json!([{ "field": "description", "old": "A state.", "new": "A state in the Gulf." }])
    );
    assert!(history[2]["at"].as_str().unwrap().ends_with('Z'));
}

#[actix_web::test]
async fn a_creation_entry_keeps_the_values_the_node_was_created_with_after_later_changes() {
    let api = Api::seed_for_editors();
    let creation = r#"{ node(id: "iran") { history { changes { field old new } } } }"#;
    let before = api.data(creation, json!({})).await["node"]["history"][0].clone();
    assert!(
        before["changes"].to_string().contains("\"name\""),
        "{before}"
    );
    ok(&api, ALICE, UPDATE_ACTOR, json!({ "id": "iran", "version": 1, "set": { "description": "A state.", "aliases": ["Persia"] } })).await;
    ok(&api, BOB, UPDATE_ACTOR, json!({ "id": "iran", "version": 2, "set": { "name": "Islamic Republic of Iran", "description": null } })).await;
    let after = api.data(creation, json!({})).await["node"]["history"][0].clone();
    assert_eq!(after, before);
}

// --- merging --------------------------------------------------------------------------------

#[actix_web::test]
async fn merging_moves_names_and_links_and_the_old_id_resolves_to_the_survivor() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        CREATE_ACTOR,
        json!({ "input": { "id": "nujaba-movement", "kind": "ARMED_GROUP", "name": "Nujaba Resistance", "aliases": ["al-Nujaba", "HHN"] } }),
    )
    .await;
    let mut claim = backing_claim("movement-backed-by-iran");
    claim["subject"] = json!("nujaba-movement");
    ok(&api, ALICE, ASSERT, json!({ "input": claim })).await;
    let survivor_version = api
        .data(
            r#"{ actor(id: "harakat-al-nujaba") { version } }"#,
            json!({}),
        )
        .await["actor"]["version"]
        .clone();
    let merged = ok(
        &api,
        BOB,
        MERGE,
        json!({ "id": "nujaba-movement", "version": 1, "into": "harakat-al-nujaba", "intoVersion": survivor_version, "reason": "same group" }),
    )
    .await;
    let survivor = &merged["mergeActor"];
    assert_eq!(survivor["id"], "harakat-al-nujaba");
    let aliases = survivor["aliases"].to_string();
    assert!(
        aliases.contains("Nujaba Resistance") && aliases.contains("HHN"),
        "{aliases}"
    );
    assert_eq!(
        survivor["history"].as_array().unwrap().last().unwrap()["action"],
        "MERGED_IN",
        "{survivor:#}"
    );

    let data = api
        .data(
            r#"{ actor(id: "nujaba-movement") { id }
                 claim(id: "movement-backed-by-iran") { subject { id } history { action editor } }
                 actors(first: 500) { edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["actor"]["id"], "harakat-al-nujaba",
        "the old id resolves"
    );
    assert_eq!(data["claim"]["subject"]["id"], "harakat-al-nujaba");
    assert_eq!(data["claim"]["history"][1]["action"], "RELINKED");
    assert!(
        !data["actors"].to_string().contains("nujaba-movement"),
        "a merged actor is not listed on its own"
    );
    let found = api
        .data(
            r#"{ search(query: "Nujaba Resistance") { node { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(found["search"][0]["node"]["id"], "harakat-al-nujaba");
}

#[actix_web::test]
async fn a_merged_actor_cannot_be_changed_and_says_where_it_went() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        CREATE_ACTOR,
        json!({ "input": { "id": "iran-duplicate", "kind": "STATE", "name": "Iran (dup)" } }),
    )
    .await;
    ok(&api, ALICE, MERGE, json!({ "id": "iran-duplicate", "version": 1, "into": "iran", "intoVersion": 1, "reason": "duplicate" })).await;
    let errors = refused(
        &api,
        Some(ALICE),
        UPDATE_ACTOR,
        json!({ "id": "iran-duplicate", "version": 2, "set": { "name": "X" } }),
    )
    .await;
    assert_eq!(codes(&errors), ["BAD_USER_INPUT"]);
    assert_eq!(fields(&errors), ["id"]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("merged into \"iran\"")
    );
}

#[actix_web::test]
async fn merges_that_make_no_sense_or_are_stale_are_refused() {
    let api = Api::seed_for_editors();
    let merge = |id: &str, version: i64, into: &str, into_version: i64| json!({ "id": id, "version": version, "into": into, "intoVersion": into_version, "reason": "test" });
    let errors = refused(&api, Some(ALICE), MERGE, merge("iran", 1, "iran", 1)).await;
    assert_eq!(fields(&errors), ["into"]);
    let errors = refused(&api, Some(ALICE), MERGE, merge("iran", 1, "iraq", 1)).await;
    assert_eq!(codes(&errors), ["NOT_FOUND"], "iraq is a location");
    let errors = refused(
        &api,
        Some(ALICE),
        MERGE,
        merge("iran", 7, "united-states", 1),
    )
    .await;
    assert_eq!(codes(&errors), ["CONFLICT"]);
    let still = api
        .data(r#"{ actor(id: "iran") { id version } }"#, json!({}))
        .await;
    assert_eq!(still["actor"], json!({ "id": "iran", "version": 1 }));
}

#[actix_web::test]
async fn a_second_mutation_in_one_request_sees_the_first() {
    let api = Api::seed_for_editors();
    let data = ok(
        &api,
        ALICE,
        r#"mutation {
          a: updateActor(id: "iran", version: 1, set: { description: "one" }) { version }
          b: updateActor(id: "iran", version: 2, set: { description: "two" }) { version description history { version } }
        }"#,
        json!({}),
    )
    .await;
    assert_eq!(data["a"]["version"], 2);
    assert_eq!(data["b"]["version"], 3);
    assert_eq!(data["b"]["history"].as_array().unwrap().len(), 3);
}

#[actix_web::test]
async fn locations_events_and_sources_are_updated_by_version_with_their_history() {
    let api = Api::seed_for_editors();
    let data = ok(
        &api,
        ALICE,
        r#"mutation {
          updateLocation(id: "basra", version: 1, set: { aliases: ["Al-Basrah"], coordinates: { lat: 30.5, lon: 47.8 } }) {
            version aliases coordinates { lat lon } history { action changes { field } }
          }
          updateEvent(id: "al-kaabi-basra-speech-2022-01-04", version: 1, set: { description: null, when: { date: "2022-01-04", partOfDay: "EVENING" } }, reason: "time of day") {
            version description when { date partOfDay } history { action reason }
          }
          updateSource(id: "wsj-report-attacks-mark-soleimani-anniversary", version: 1, set: { reliability: B }) {
            version reliability
          }
        }"#,
        json!({}),
    )
    .await;
    assert_eq!(data["updateLocation"]["version"], 2);
    assert_eq!(
        data["updateLocation"]["coordinates"],
        json!({ "lat": 30.5, "lon": 47.8 })
    );
    let fields = data["updateLocation"]["history"][1]["changes"].to_string();
    assert!(
        fields.contains("aliases") && fields.contains("coordinates"),
        "{fields}"
    );
    assert_eq!(data["updateEvent"]["version"], 2);
    assert!(data["updateEvent"]["description"].is_null());
    assert_eq!(data["updateEvent"]["when"]["partOfDay"], "EVENING");
    assert_eq!(data["updateEvent"]["history"][1]["reason"], "time of day");
    assert_eq!(
        data["updateSource"],
        json!({ "version": 2, "reliability": "B" })
    );
}

#[actix_web::test]
async fn an_update_that_changes_nothing_keeps_the_version_and_records_nothing() {
    let api = Api::seed_for_editors();
    let data = ok(
        &api,
        ALICE,
        r#"mutation { updateActor(id: "iran", version: 1, set: { name: "Iran" }) { version history { version } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(data["updateActor"]["version"], 1);
    assert_eq!(data["updateActor"]["history"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_merge_that_brings_no_new_name_is_still_in_the_survivors_history() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        CREATE_ACTOR,
        json!({ "input": { "id": "irgc-state", "kind": "STATE", "name": "Islamic Republic of Iran" } }),
    )
    .await;
    ok(
        &api,
        BOB,
        MERGE,
        json!({ "id": "irgc-state", "version": 1, "into": "iran", "intoVersion": 1, "reason": "same state" }),
    )
    .await;
    let data = api
        .data(
            r#"{ actor(id: "iran") { version aliases history { action editor changes { field old new } } } }"#,
            json!({}),
        )
        .await;
    let actor = &data["actor"];
    assert_eq!(actor["version"], 2);
    assert_eq!(actor["aliases"], json!(["Islamic Republic of Iran"]));
    assert_eq!(
        actor["history"][1],
        json!({ "action": "MERGED_IN", "editor": "bob",
                "changes": [{ "field": "merged_from", "old": null, "new": "irgc-state" }] })
    );
}

// --- merging locations ---------------------------------------------------------------------

const CREATE_LOCATION: &str =
    "mutation($input: LocationInput!) { createLocation(input: $input) { id version } }";

const MERGE_LOCATION: &str = "mutation($id: ID!, $version: Int!, $into: ID!, $intoVersion: Int!, $reason: String!) {
  mergeLocation(id: $id, version: $version, into: $into, intoVersion: $intoVersion, reason: $reason) {
    id name aliases version
  }
}";

/// The seed's version of a node.
async fn version_of(api: &Api, id: &str) -> Value {
    let d = api
        .data(
            "query($id: ID!) { node(id: $id) { ... on Location { version } } }",
            json!({ "id": id }),
        )
        .await;
    d["node"]["version"].clone()
}

#[actix_web::test]
async fn merging_a_location_moves_the_places_inside_it_and_the_old_id_resolves_to_the_survivor() {
    let api = Api::seed_for_editors();
    ok(
        &api,
        ALICE,
        CREATE_LOCATION,
        json!({ "input": { "id": "al-anbar-governorate", "kind": "PROVINCE", "name": "Al-Anbar Governorate", "parent": "iraq" } }),
    )
    .await;
    let anbar = version_of(&api, "anbar").await;
    let merged = ok(
        &api,
        BOB,
        MERGE_LOCATION,
        json!({ "id": "anbar", "version": anbar, "into": "al-anbar-governorate", "intoVersion": 1, "reason": "one province" }),
    )
    .await;
    let survivor = &merged["mergeLocation"];
    assert_eq!(survivor["id"], "al-anbar-governorate");
    assert_eq!(survivor["version"], 2);
    let aliases: Vec<&str> = survivor["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        aliases.contains(&"Anbar") && aliases.contains(&"Al Anbar"),
        "{aliases:?}"
    );
    let d = api
        .data(
            r#"{ base: location(id: "ayn-al-assad") { parent { id } }
                 old: location(id: "anbar") { id coordinates { lat } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["base"]["parent"]["id"], "al-anbar-governorate", "{d}");
    assert_eq!(
        d["old"]["id"], "al-anbar-governorate",
        "the merged id resolves"
    );
    assert!(
        d["old"]["coordinates"]["lat"].is_number(),
        "the survivor took the coordinates it lacked"
    );
    let history = api
        .data(
            r#"{ location(id: "ayn-al-assad") { history { action } } }"#,
            json!({}),
        )
        .await;
    let actions: Vec<&str> = history["location"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert!(actions.contains(&"RELINKED"), "{actions:?}");
}

#[actix_web::test]
async fn a_location_cannot_be_merged_into_a_place_inside_it() {
    let api = Api::seed_for_editors();
    let (iraq, anbar) = (
        version_of(&api, "iraq").await,
        version_of(&api, "anbar").await,
    );
    let errors = refused(
        &api,
        Some(ALICE),
        MERGE_LOCATION,
        json!({ "id": "iraq", "version": iraq, "into": "anbar", "intoVersion": anbar, "reason": "x" }),
    )
    .await;
    assert_eq!(codes(&errors), ["BAD_USER_INPUT"]);
    assert_eq!(fields(&errors), ["into"]);
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("lies inside"), "{message}");
    assert_eq!(version_of(&api, "iraq").await, iraq, "nothing was written");
}

#[actix_web::test]
async fn merging_locations_needs_an_editor_current_versions_and_two_locations() {
    let api = Api::seed_for_editors();
    let anbar = version_of(&api, "anbar").await;
    let vars = |version: Value, into: &str| json!({ "id": "anbar", "version": version, "into": into, "intoVersion": 1, "reason": "x" });
    let errors = refused(&api, None, MERGE_LOCATION, vars(anbar.clone(), "baghdad")).await;
    assert_eq!(codes(&errors), ["UNAUTHENTICATED"]);
    let errors = refused(
        &api,
        Some(ALICE),
        MERGE_LOCATION,
        vars(json!(99), "baghdad"),
    )
    .await;
    assert_eq!(codes(&errors), ["CONFLICT"]);
    let errors = refused(&api, Some(ALICE), MERGE_LOCATION, vars(anbar, "iran")).await;
    assert_eq!(
        codes(&errors),
        ["NOT_FOUND"],
        "iran is an actor, not a location: {errors:?}"
    );
}

#[actix_web::test]
async fn a_locations_country_code_is_set_checked_and_cleared_by_an_editor() {
    let api = Api::seed_for_editors();
    let data = ok(
        &api,
        ALICE,
        r#"mutation { updateLocation(id: "basra", version: 1, set: { countryCode: "IQ" }) { version countryCode } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        data["updateLocation"],
        json!({ "version": 2, "countryCode": "IQ" })
    );
    let refused = api
        .post_as(
            Some(ALICE),
            r#"mutation { updateLocation(id: "basra", version: 2, set: { countryCode: "Iraq" }) { version } }"#,
            json!({}),
        )
        .await;
    let error = &refused["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("not an ISO 3166-1 alpha-2 country code"),
        "{refused:#}"
    );
    let cleared = ok(
        &api,
        ALICE,
        r#"mutation { updateLocation(id: "basra", version: 2, set: { countryCode: null }) { version countryCode } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        cleared["updateLocation"],
        json!({ "version": 3, "countryCode": null })
    );
}
