//! The GraphQL API over HTTP, tested through the in-process actix server: the headline
//! chain, every link in both directions, pagination, filters, search, errors, the HTTP
//! routes, and a frontend scenario over a fixture of its own.

use serde_json::{Value, json};

use crate::support::graphql::{Api, all_distinct, codes, edge_ids, fixture, local_assets, pluck};
use crate::support::root;

// ---------------------------------------------------------------------------------------------
// 1. The headline query
// ---------------------------------------------------------------------------------------------

pub(super) const AYN_AL_ASSAD_ATTACK: &str = "ayn-al-assad-rocket-attack-2022-01-05";
const ARTICLE_TITLE: &str =
    "Military bases holding U.S. forces in Iraq and Syria hit with three separate attacks";
const WSJ_REPORT_TITLE: &str = "Wall Street Journal report that the attacks began as militias marked the anniversary of Soleimani's killing";

/// The headline query as the README gives it, with the id of every node so that a
/// normalised cache can key it.
pub(super) const HEADLINE: &str = r#"query Headline($id: ID!) {
  event(id: $id) {
    id title occurredOn location { id name parent { id name } }
    claimants { edges {
      claim { id assertedBy { id name } source { id title } confidence status
              stances { id position actor { id name } } }
      node { id name
        suspectedPatrons { edges {
          claim { id assertedBy { id name } source { id title } confidence status
                  stances { id position actor { id name } } }
          node { id name
            suspectedPatrons { edges { node { id name } } }
            motives { edges { kind years claim { id source { id title } } node { id title occurredOn } } }
          }
        } }
      }
    } }
    motives { edges { kind years claim { id assertedBy { id name } source { id title } } node { id title occurredOn } } }
  }
}"#;

async fn headline() -> Value {
    Api::seed()
        .data(HEADLINE, json!({ "id": AYN_AL_ASSAD_ATTACK }))
        .await
}

#[actix_web::test]
async fn the_ayn_al_assad_attack_is_dated_and_placed_in_anbar() {
    let event = &headline().await["event"];
    assert_eq!(event["title"], "Five rockets fired near Ayn al-Assad");
    assert_eq!(event["occurredOn"], "2022-01-05");
    assert_eq!(event["location"]["name"], "Ayn al-Assad");
    assert_eq!(event["location"]["parent"]["name"], "Anbar");
}

#[actix_web::test]
async fn claimants_of_the_ayn_al_assad_attack_carry_the_self_claim() {
    let event = &headline().await["event"];
    let edges = event["claimants"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{edges:#?}");
    let claimant = &edges[0];
    assert_eq!(claimant["node"]["name"], "Saraya Qasem al-Jabarin");
    // The claimant asserts its own claim, in the article.
    assert_eq!(
        claimant["claim"]["assertedBy"]["name"],
        "Saraya Qasem al-Jabarin"
    );
    assert_eq!(claimant["claim"]["source"]["title"], ARTICLE_TITLE);
    assert_eq!(claimant["claim"]["confidence"], 90);
    assert_eq!(claimant["claim"]["status"], "ASSERTED");
}

#[actix_web::test]
async fn the_claimant_is_suspected_a_front_for_iran_backed_militias_whose_patron_is_iran() {
    let event = &headline().await["event"];
    let claimant = &event["claimants"]["edges"][0]["node"];
    let patrons = claimant["suspectedPatrons"]["edges"].as_array().unwrap();
    assert_eq!(patrons.len(), 1, "{patrons:#?}");
    let patron = &patrons[0];
    assert_eq!(patron["node"]["name"], "Major Iran-backed militias");
    assert_eq!(
        patron["claim"]["assertedBy"]["name"],
        "Western and Iraqi officials"
    );
    assert_eq!(patron["claim"]["source"]["title"], ARTICLE_TITLE);
    assert_eq!(patron["claim"]["confidence"], 50);
    assert_eq!(patron["claim"]["status"], "ASSERTED");
    let patrons_patrons = pluck(&patron["node"]["suspectedPatrons"]["edges"], "node/name");
    assert_eq!(patrons_patrons, ["Iran"]);
    // The militias themselves have no motive asserted.
    assert_eq!(patron["node"]["motives"]["edges"], json!([]));
}

#[actix_web::test]
async fn the_ayn_al_assad_attack_marked_the_second_anniversary_of_the_soleimani_strike() {
    let event = &headline().await["event"];
    let motives = event["motives"]["edges"].as_array().unwrap();
    let anniversary = motives
        .iter()
        .find(|m| m["kind"] == "ANNIVERSARY")
        .unwrap_or_else(|| panic!("no ANNIVERSARY motive in {motives:#?}"));
    assert_eq!(anniversary["years"], 2);
    assert_eq!(
        anniversary["node"]["title"],
        "U.S. strike that killed Qassem Soleimani"
    );
    assert_eq!(anniversary["node"]["occurredOn"], "2020-01-03");
    assert_eq!(
        anniversary["claim"]["assertedBy"]["name"],
        "The Wall Street Journal"
    );
    assert_eq!(anniversary["claim"]["source"]["title"], WSJ_REPORT_TITLE);
    // The seed asserts no other motive for the attack, its campaigns or its claimant.
    assert_eq!(motives.len(), 1, "{motives:#?}");
}

#[actix_web::test]
async fn the_headline_answer_is_stable() {
    let api = Api::seed();
    let body = api
        .post(HEADLINE, json!({ "id": AYN_AL_ASSAD_ATTACK }))
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    insta::assert_json_snapshot!("headline_ayn_al_assad_attack", body);
}

// ---------------------------------------------------------------------------------------------
// 2. Every link, in both directions
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn event_claimants_and_actor_claimed_events_are_the_same_claim_seen_from_both_ends() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
                claimants { totalCount edges { claim { id } node { id } } }
              }
              actor(id: "saraya-qasem-al-jabarin") {
                claimedEvents { totalCount edges { claim { id } node { id } } }
              }
            }"#,
            json!({}),
        )
        .await;
    let claimants = &d["event"]["claimants"];
    let claimed = &d["actor"]["claimedEvents"];
    assert_eq!(claimants["totalCount"], 1);
    assert_eq!(claimed["totalCount"], 1);
    assert_eq!(edge_ids(claimants), ["saraya-qasem-al-jabarin"]);
    assert_eq!(edge_ids(claimed), [AYN_AL_ASSAD_ATTACK]);
    let claim = "saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack";
    assert_eq!(claimants["edges"][0]["claim"]["id"], claim);
    assert_eq!(claimed["edges"][0]["claim"]["id"], claim);
}

#[actix_web::test]
async fn suspected_patrons_and_clients_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              saraya: actor(id: "saraya-qasem-al-jabarin") { suspectedPatrons { edges { claim { id } node { id } } } }
              militias: actor(id: "iran-backed-militias") {
                clients { edges { claim { id } node { id } } }
                suspectedPatrons { edges { claim { id } node { id } } }
              }
              iran: actor(id: "iran") { clients { edges { claim { id } node { id } } } suspectedPatrons { totalCount } }
              usForces: actor(id: "us-forces") { clients { edges { node { id } } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        edge_ids(&d["saraya"]["suspectedPatrons"]),
        ["iran-backed-militias"]
    );
    assert_eq!(
        edge_ids(&d["militias"]["clients"]),
        ["saraya-qasem-al-jabarin"]
    );
    assert_eq!(
        d["saraya"]["suspectedPatrons"]["edges"][0]["claim"]["id"],
        d["militias"]["clients"]["edges"][0]["claim"]["id"]
    );
    // backed_by counts as a patron too.
    assert_eq!(edge_ids(&d["militias"]["suspectedPatrons"]), ["iran"]);
    assert_eq!(edge_ids(&d["iran"]["clients"]), ["iran-backed-militias"]);
    assert_eq!(
        d["iran"]["clients"]["edges"][0]["claim"]["id"],
        "iran-backed-militias-backed-by-iran"
    );
    assert_eq!(d["iran"]["suspectedPatrons"]["totalCount"], 0);
    assert_eq!(
        edge_ids(&d["usForces"]["clients"]),
        ["local-forces-iraq-syria"]
    );
}

#[actix_web::test]
async fn akram_al_kaabi_leads_harakat_al_nujaba_and_the_coalition_has_two_leaders() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              nujaba: actor(id: "harakat-al-nujaba") { leaders { edges { claim { id qualifiers { role } } node { id name } } } leads { totalCount } }
              kaabi: actor(id: "akram-al-kaabi") { leads { edges { claim { id } node { id } } } leaders { totalCount } }
              coalition: actor(id: "us-led-coalition") { leaders { edges { claim { relation } node { id } } } }
              brennan: actor(id: "john-w-brennan-jr") { leads { edges { claim { relation } node { id } } } }
            }"#,
            json!({}),
        )
        .await;
    let leaders = &d["nujaba"]["leaders"]["edges"];
    assert_eq!(pluck(leaders, "node/name"), ["Akram al-Kaabi"]);
    assert_eq!(leaders[0]["claim"]["qualifiers"]["role"], "militia leader");
    assert_eq!(edge_ids(&d["kaabi"]["leads"]), ["harakat-al-nujaba"]);
    assert_eq!(
        leaders[0]["claim"]["id"],
        d["kaabi"]["leads"]["edges"][0]["claim"]["id"]
    );
    assert_eq!(d["nujaba"]["leads"]["totalCount"], 0);
    assert_eq!(d["kaabi"]["leaders"]["totalCount"], 0);
    // Leading and commanding both count.
    let mut coalition = edge_ids(&d["coalition"]["leaders"]);
    coalition.sort();
    assert_eq!(coalition, ["john-w-brennan-jr", "united-states"]);
    assert_eq!(edge_ids(&d["brennan"]["leads"]), ["us-led-coalition"]);
    assert_eq!(
        d["brennan"]["leads"]["edges"][0]["claim"]["relation"],
        "COMMANDS"
    );
}

#[actix_web::test]
async fn members_and_member_of_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              coalition: actor(id: "us-led-coalition") { members { edges { node { id } } } }
              usForces: actor(id: "us-forces") { memberOf { edges { node { id } } } }
              iran: actor(id: "iran") { members { edges { claim { qualifiers { role } } node { id } } } }
              soleimani: actor(id: "qassem-soleimani") { memberOf { edges { node { id } } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(edge_ids(&d["coalition"]["members"]), ["us-forces"]);
    assert_eq!(edge_ids(&d["usForces"]["memberOf"]), ["us-led-coalition"]);
    assert_eq!(edge_ids(&d["iran"]["members"]), ["qassem-soleimani"]);
    assert_eq!(
        d["iran"]["members"]["edges"][0]["claim"]["qualifiers"]["role"],
        "senior Iranian general"
    );
    assert_eq!(edge_ids(&d["soleimani"]["memberOf"]), ["iran"]);
}

#[actix_web::test]
async fn location_parent_and_children_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              iraq: location(id: "iraq") { parent { id } children { totalCount nodes { id parent { id } } } }
              anbar: location(id: "anbar") { parent { id } }
              middleEast: location(id: "middle-east") { parent { id } children { nodes { id } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["iraq"]["parent"]["id"], "middle-east");
    assert_eq!(d["anbar"]["parent"]["id"], "iraq");
    let children = &d["iraq"]["children"];
    assert_eq!(children["totalCount"], 3);
    assert_eq!(
        pluck(&children["nodes"], "id"),
        ["anbar", "baghdad", "basra"]
    );
    assert!(
        pluck(&children["nodes"], "parent/id")
            .iter()
            .all(|p| p == "iraq")
    );
    assert_eq!(d["middleEast"]["parent"], Value::Null);
    assert_eq!(
        pluck(&d["middleEast"]["children"]["nodes"], "id"),
        ["iraq", "syria"]
    );
}

#[actix_web::test]
async fn location_events_and_event_location_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              base: location(id: "ayn-al-assad") { events { nodes { id location { id } } } }
              iraq: location(id: "iraq") {
                all: events { totalCount nodes { id } }
                own: events(includeContained: false) { nodes { id location { id } } }
              }
              syria: location(id: "syria") { events { totalCount } }
              event: event(id: "ayn-al-assad-rocket-attack-2022-01-05") { location { id } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        pluck(&d["base"]["events"]["nodes"], "id"),
        [AYN_AL_ASSAD_ATTACK]
    );
    assert_eq!(d["event"]["location"]["id"], "ayn-al-assad");
    // Everything inside Iraq, in time order, undated last.
    assert_eq!(
        pluck(&d["iraq"]["all"]["nodes"], "id"),
        [
            "us-combat-role-in-iraq-ends-2021",
            "al-kaabi-basra-speech-2022-01-04",
            "ayn-al-assad-rocket-attack-2022-01-05",
            "baghdad-airport-rocket-attack-2022-01-05",
            "rocket-and-launcher-found-2022-01-05",
            "us-iraq-combat-role-agreement",
        ]
    );
    assert_eq!(d["iraq"]["all"]["totalCount"], 6);
    let own = &d["iraq"]["own"]["nodes"];
    assert_eq!(
        pluck(own, "id"),
        [
            "us-combat-role-in-iraq-ends-2021",
            "us-iraq-combat-role-agreement"
        ]
    );
    assert!(pluck(own, "location/id").iter().all(|l| l == "iraq"));
    assert_eq!(d["syria"]["events"]["totalCount"], 0);
}

#[actix_web::test]
async fn event_campaign_and_parts_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              attack: event(id: "ayn-al-assad-rocket-attack-2022-01-05") { campaign { id } campaigns { id } }
              wednesday: event(id: "attacks-on-us-bases-2022-01-05") {
                campaign { id }
                parts { totalCount nodes { id campaign { id } } }
              }
              days: event(id: "attacks-on-us-forces-2022-01-03-to-05") { campaign { id } parts { nodes { id } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["attack"]["campaign"]["id"],
        "attacks-on-us-bases-2022-01-05"
    );
    assert_eq!(
        pluck(&d["attack"]["campaigns"], "id"),
        [
            "attacks-on-us-bases-2022-01-05",
            "attacks-on-us-forces-2022-01-03-to-05"
        ]
    );
    let parts = &d["wednesday"]["parts"];
    assert_eq!(parts["totalCount"], 3);
    assert_eq!(
        pluck(&parts["nodes"], "id"),
        [
            "ayn-al-assad-rocket-attack-2022-01-05",
            "baghdad-airport-rocket-attack-2022-01-05",
            "third-attack-on-us-bases-2022-01-05",
        ]
    );
    assert!(
        pluck(&parts["nodes"], "campaign/id")
            .iter()
            .all(|c| c == "attacks-on-us-bases-2022-01-05")
    );
    assert_eq!(
        d["wednesday"]["campaign"]["id"],
        "attacks-on-us-forces-2022-01-03-to-05"
    );
    assert_eq!(d["days"]["campaign"], Value::Null);
    assert_eq!(
        pluck(&d["days"]["parts"]["nodes"], "id"),
        [
            "attacks-on-us-forces-2022-01-03",
            "attacks-on-us-forces-2022-01-04",
            "attacks-on-us-bases-2022-01-05",
        ]
    );
}

#[actix_web::test]
async fn statement_speaker_and_actor_statements_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              statement(id: "al-kaabi-no-new-truce") { speaker { id } saidOn location { id } event { id } }
              kaabi: actor(id: "akram-al-kaabi") { statements { totalCount nodes { id speaker { id } } } }
              brennan: actor(id: "john-w-brennan-jr") { statements { nodes { id } } }
              iran: actor(id: "iran") { statements { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["statement"]["speaker"]["id"], "akram-al-kaabi");
    assert_eq!(d["statement"]["saidOn"], "2022-01-04");
    assert_eq!(d["statement"]["location"]["id"], "basra");
    assert_eq!(
        d["statement"]["event"]["id"],
        "al-kaabi-basra-speech-2022-01-04"
    );
    assert_eq!(d["kaabi"]["statements"]["totalCount"], 1);
    assert_eq!(
        pluck(&d["kaabi"]["statements"]["nodes"], "id"),
        ["al-kaabi-no-new-truce"]
    );
    assert_eq!(
        pluck(&d["brennan"]["statements"]["nodes"], "id"),
        ["brennan-coalition-reserves-the-right"]
    );
    assert_eq!(d["iran"]["statements"]["totalCount"], 0);
}

#[actix_web::test]
async fn statement_source_and_source_statements_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              kaabi: statement(id: "al-kaabi-no-new-truce") { source { id } }
              brennan: statement(id: "brennan-coalition-reserves-the-right") { source { id } }
              article: source(id: "article-iraq-syria-bases-attacked-2022-01") { statements { totalCount nodes { id source { id } } } }
              wsj: source(id: "wsj-report-attacks-mark-soleimani-anniversary") { statements { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    let article = "article-iraq-syria-bases-attacked-2022-01";
    assert_eq!(d["kaabi"]["source"]["id"], article);
    assert_eq!(d["brennan"]["source"]["id"], article);
    // Dated statements first, undated last.
    assert_eq!(
        pluck(&d["article"]["statements"]["nodes"], "id"),
        [
            "al-kaabi-no-new-truce",
            "brennan-coalition-reserves-the-right"
        ]
    );
    assert_eq!(d["article"]["statements"]["totalCount"], 2);
    assert_eq!(d["wsj"]["statements"]["totalCount"], 0);
}

#[actix_web::test]
async fn claim_source_and_source_claims_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              wsj: source(id: "wsj-report-attacks-mark-soleimani-anniversary") {
                publisher { id } via { id } kind reliability
                claims { totalCount nodes { id source { id } confidence } }
              }
              article: source(id: "article-iraq-syria-bases-attacked-2022-01") { claims { totalCount } }
              claim(id: "attacks-marked-second-anniversary-of-soleimani-strike") { source { id } }
            }"#,
            json!({}),
        )
        .await;
    let wsj = &d["wsj"];
    assert_eq!(wsj["publisher"]["id"], "wall-street-journal");
    assert_eq!(
        wsj["via"]["id"],
        "article-iraq-syria-bases-attacked-2022-01"
    );
    assert_eq!(wsj["kind"], "NEWS_REPORT");
    assert_eq!(wsj["reliability"], Value::Null);
    assert_eq!(wsj["claims"]["totalCount"], 4);
    let ids = pluck(&wsj["claims"]["nodes"], "id");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "attacks-attributed-to-militias-by-wsj",
            "attacks-marked-second-anniversary-of-soleimani-strike",
            "soleimani-strike-killed-qassem-soleimani",
            "united-states-carried-out-soleimani-strike",
        ]
    );
    assert!(
        pluck(&wsj["claims"]["nodes"], "source/id")
            .iter()
            .all(|s| s == "wsj-report-attacks-mark-soleimani-anniversary")
    );
    assert_eq!(
        d["claim"]["source"]["id"],
        "wsj-report-attacks-mark-soleimani-anniversary"
    );
    // Every one of the seed's 42 claims is in one of its two sources.
    assert_eq!(d["article"]["claims"]["totalCount"], 38);
}

#[actix_web::test]
async fn claim_evidence_and_statement_claims_are_inverse() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              opposes: claim(id: "harakat-al-nujaba-opposes-us-forces") { evidence { id text } assertedBy { id } }
              kaabi: statement(id: "al-kaabi-no-new-truce") { claims { nodes { id evidence { id } } } }
              brennan: statement(id: "brennan-coalition-reserves-the-right") { claims { nodes { id } } }
              noEvidence: claim(id: "iran-backed-militias-backed-by-iran") { evidence { id } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        pluck(&d["opposes"]["evidence"], "id"),
        ["al-kaabi-no-new-truce"]
    );
    assert_eq!(d["opposes"]["assertedBy"]["id"], "akram-al-kaabi");
    assert_eq!(
        pluck(&d["kaabi"]["claims"]["nodes"], "id"),
        ["harakat-al-nujaba-opposes-us-forces"]
    );
    assert_eq!(
        pluck(&d["brennan"]["claims"]["nodes"], "id"),
        ["brennan-statement-about-attacks"]
    );
    assert_eq!(d["noEvidence"]["evidence"], json!([]));
}

#[actix_web::test]
async fn attributions_of_the_three_days_of_attacks_name_the_iran_aligned_groups_twice() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              event(id: "attacks-on-us-forces-2022-01-03-to-05") {
                attributions { totalCount edges { claim { id assertedBy { id } asserterUnknown confidence } node { id } } }
              }
              attack: event(id: "ayn-al-assad-rocket-attack-2022-01-05") { attributions { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    let attributions = &d["event"]["attributions"];
    assert_eq!(attributions["totalCount"], 2);
    assert_eq!(
        edge_ids(attributions),
        [
            "iran-aligned-paramilitary-groups",
            "iran-aligned-paramilitary-groups"
        ]
    );
    let by_claim: Vec<(String, Value, Value)> = attributions["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["claim"]["id"].as_str().unwrap().to_owned(),
                e["claim"]["assertedBy"]["id"].clone(),
                e["claim"]["asserterUnknown"].clone(),
            )
        })
        .collect();
    assert!(by_claim.contains(&(
        "attacks-attributed-to-iran-aligned-paramilitary-groups".into(),
        Value::Null,
        json!(true)
    )));
    assert!(by_claim.contains(&(
        "attacks-attributed-to-militias-by-wsj".into(),
        json!("wall-street-journal"),
        json!(false)
    )));
    assert_eq!(d["attack"]["attributions"]["totalCount"], 0);
}

#[actix_web::test]
async fn event_targets_are_nodes_of_any_type() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              attack: event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
                targets { totalCount edges { claim { id confidence } node { __typename id ... on Location { name } } } }
              }
              wednesday: event(id: "attacks-on-us-bases-2022-01-05") {
                targets { edges { node { __typename ... on Actor { name } } } }
              }
            }"#,
            json!({}),
        )
        .await;
    let targets = &d["attack"]["targets"];
    assert_eq!(targets["totalCount"], 1);
    let target = &targets["edges"][0];
    assert_eq!(target["node"]["__typename"], "Location");
    assert_eq!(target["node"]["id"], "ayn-al-assad");
    assert_eq!(target["node"]["name"], "Ayn al-Assad");
    assert_eq!(
        target["claim"]["id"],
        "ayn-al-assad-attack-targeted-ayn-al-assad"
    );
    assert_eq!(target["claim"]["confidence"], 60);
    let wednesday = &d["wednesday"]["targets"]["edges"][0]["node"];
    assert_eq!(wednesday["__typename"], "Actor");
    assert_eq!(wednesday["name"], "U.S. forces");
}

#[actix_web::test]
async fn the_basra_speech_carries_al_kaabi_s_quote() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              speech: event(id: "al-kaabi-basra-speech-2022-01-04") {
                statements { totalCount nodes { id text speaker { name } } }
                participants { edges { claim { qualifiers { role } } node { id } } }
              }
              days: event(id: "attacks-on-us-forces-2022-01-03-to-05") { statements { nodes { id } } }
            }"#,
            json!({}),
        )
        .await;
    let statements = &d["speech"]["statements"];
    assert_eq!(statements["totalCount"], 1);
    let quote = &statements["nodes"][0];
    assert_eq!(quote["id"], "al-kaabi-no-new-truce");
    assert_eq!(quote["speaker"]["name"], "Akram al-Kaabi");
    assert!(
        quote["text"]
            .as_str()
            .unwrap()
            .starts_with("There will be no new truce"),
        "{quote:#}"
    );
    assert_eq!(edge_ids(&d["speech"]["participants"]), ["akram-al-kaabi"]);
    assert_eq!(
        d["speech"]["participants"]["edges"][0]["claim"]["qualifiers"]["role"],
        "speaker"
    );
    // A statement about an event is among its statements too.
    assert_eq!(
        pluck(&d["days"]["statements"]["nodes"], "id"),
        ["brennan-coalition-reserves-the-right"]
    );
}

#[actix_web::test]
async fn statement_about_lists_nodes_of_any_type_in_order() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              brennan: statement(id: "brennan-coalition-reserves-the-right") { about { __typename id } }
              kaabi: statement(id: "al-kaabi-no-new-truce") { about { __typename id ... on Location { name } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["brennan"]["about"],
        json!([
            { "__typename": "Actor", "id": "us-led-coalition" },
            { "__typename": "Event", "id": "attacks-on-us-forces-2022-01-03-to-05" },
        ])
    );
    assert_eq!(
        d["kaabi"]["about"],
        json!([
            { "__typename": "Actor", "id": "us-forces" },
            { "__typename": "Location", "id": "iraq", "name": "Iraq" },
        ])
    );
}

#[actix_web::test]
async fn us_strength_in_iraq_is_a_claim_with_an_approximate_value_qualified_by_place() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              claim(id: "us-forces-strength-in-iraq") {
                subject { __typename id ... on Actor { name } }
                relation
                object { id }
                value { amount unit approximate text }
                assertedBy { id }
                asserterUnknown
                confidence
                status
                qualifiers { years in { name } role }
              }
              front: claim(id: "saraya-qasem-al-jabarin-front-for-iran-backed-militias") {
                subject { id } relation object { __typename id } value { amount }
              }
            }"#,
            json!({}),
        )
        .await;
    let c = &d["claim"];
    assert_eq!(c["subject"]["__typename"], "Actor");
    assert_eq!(c["subject"]["id"], "us-forces");
    assert_eq!(c["subject"]["name"], "U.S. forces");
    assert_eq!(c["relation"], "HAS_STRENGTH");
    assert_eq!(c["object"], Value::Null);
    assert_eq!(c["value"]["amount"].as_f64(), Some(2500.0));
    assert_eq!(c["value"]["unit"], "soldiers");
    assert_eq!(c["value"]["approximate"], true);
    assert_eq!(c["assertedBy"], Value::Null);
    assert_eq!(c["asserterUnknown"], true);
    assert_eq!(c["confidence"], 80);
    assert_eq!(c["status"], "ASSERTED");
    assert_eq!(c["qualifiers"]["in"]["name"], "Iraq");
    assert_eq!(c["qualifiers"]["years"], Value::Null);
    let front = &d["front"];
    assert_eq!(front["subject"]["id"], "saraya-qasem-al-jabarin");
    assert_eq!(front["relation"], "FRONT_FOR");
    assert_eq!(front["object"]["__typename"], "Actor");
    assert_eq!(front["object"]["id"], "iran-backed-militias");
    assert_eq!(front["value"], Value::Null);
}

#[actix_web::test]
async fn ayn_al_assad_lies_in_anbar_in_iraq_in_the_middle_east() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              base: location(id: "ayn-al-assad") { kind ancestors { id } coordinates { lat lon precisionKm } }
              top: location(id: "middle-east") { ancestors { id } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        pluck(&d["base"]["ancestors"], "id"),
        ["anbar", "iraq", "middle-east"]
    );
    assert_eq!(d["base"]["kind"], "BASE");
    assert_eq!(d["base"]["coordinates"]["precisionKm"].as_f64(), Some(3.0));
    assert_eq!(d["top"]["ancestors"], json!([]));
}

#[actix_web::test]
async fn event_sources_are_the_sources_that_report_it_in_order() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              monday: event(id: "attacks-on-us-forces-2022-01-03") { sources { totalCount nodes { id } } }
              attack: event(id: "ayn-al-assad-rocket-attack-2022-01-05") { sources { nodes { id title } } }
              strike: event(id: "soleimani-strike-2020-01-03") { sources { nodes { id } } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["monday"]["sources"]["totalCount"], 2);
    assert_eq!(
        pluck(&d["monday"]["sources"]["nodes"], "id"),
        [
            "article-iraq-syria-bases-attacked-2022-01",
            "wsj-report-attacks-mark-soleimani-anniversary"
        ]
    );
    assert_eq!(
        pluck(&d["attack"]["sources"]["nodes"], "title"),
        [ARTICLE_TITLE]
    );
    assert_eq!(
        pluck(&d["strike"]["sources"]["nodes"], "id"),
        ["wsj-report-attacks-mark-soleimani-anniversary"]
    );
}

#[actix_web::test]
async fn actor_motives_are_empty_when_none_is_asserted_for_the_actor() {
    // The seed asserts the anniversary for the campaign, not for an actor: the groups behind
    // the attacks have no motive of their own (the scenario below has one).
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              groups: actor(id: "iran-aligned-paramilitary-groups") { motives { totalCount edges { kind } } }
              saraya: actor(id: "saraya-qasem-al-jabarin") { motives { totalCount } }
              days: event(id: "attacks-on-us-forces-2022-01-03-to-05") {
                motives { totalCount edges { kind years via through { id } node { id } } }
              }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["groups"]["motives"]["totalCount"], 0);
    assert_eq!(d["saraya"]["motives"]["totalCount"], 0);
    let days = &d["days"]["motives"];
    assert_eq!(days["totalCount"], 1);
    assert_eq!(
        days["edges"][0],
        json!({
            "kind": "ANNIVERSARY",
            "years": 2,
            "via": "EVENT",
            "through": { "id": "attacks-on-us-forces-2022-01-03-to-05" },
            "node": { "id": "soleimani-strike-2020-01-03" },
        })
    );
}

#[actix_web::test]
async fn the_ayn_al_assad_attack_inherits_its_motive_through_its_campaign() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{ event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
                motives { edges { via through { id } claim { id } } }
            } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["event"]["motives"]["edges"],
        json!([{
            "via": "CAMPAIGN",
            "through": { "id": "attacks-on-us-forces-2022-01-03-to-05" },
            "claim": { "id": "attacks-marked-second-anniversary-of-soleimani-strike" },
        }])
    );
}

#[actix_web::test]
async fn the_soleimani_strike_killed_soleimani_and_the_united_states_carried_it_out() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{ event(id: "soleimani-strike-2020-01-03") {
                killed { edges { claim { assertedBy { id } } node { id } } }
                perpetrators { edges { node { id } } }
                location { id }
            } }"#,
            json!({}),
        )
        .await;
    let e = &d["event"];
    assert_eq!(edge_ids(&e["killed"]), ["qassem-soleimani"]);
    assert_eq!(
        e["killed"]["edges"][0]["claim"]["assertedBy"]["id"],
        "wall-street-journal"
    );
    assert_eq!(edge_ids(&e["perpetrators"]), ["united-states"]);
    assert_eq!(e["location"], Value::Null);
}

#[actix_web::test]
async fn locations_host_actors_by_hosts_and_stationed_in_claims() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              base: location(id: "ayn-al-assad") { hosts { edges { claim { relation } node { id } } } }
              iraq: location(id: "iraq") { hosts { edges { claim { relation } node { id } } } claims { totalCount } }
              anbar: location(id: "anbar") { hosts { totalCount } sources { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["base"]["hosts"]["edges"],
        json!([{ "claim": { "relation": "HOSTS" }, "node": { "id": "us-forces" } }])
    );
    assert_eq!(
        d["iraq"]["hosts"]["edges"],
        json!([{ "claim": { "relation": "STATIONED_IN" }, "node": { "id": "us-forces" } }])
    );
    assert_eq!(d["iraq"]["claims"]["totalCount"], 2);
    assert_eq!(d["anbar"]["hosts"]["totalCount"], 0);
    // Anbar is not named in the article.
    assert_eq!(d["anbar"]["sources"]["totalCount"], 0);
}

#[actix_web::test]
async fn event_times_and_details_keep_their_precision() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              end: event(id: "us-combat-role-in-iraq-ends-2021") { occurredOn endedOn when { date precision firstDay lastDay } }
              days: event(id: "attacks-on-us-forces-2022-01-03-to-05") {
                occurredOn endedOn when { until lastDay }
                details { casualties { killed wounded } counts { name value } }
              }
              attack: event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
                details { munitions { kind count fired } distances { from { id } minKm text } }
              }
              baghdad: event(id: "baghdad-airport-rocket-attack-2022-01-05") { partOfDay }
              agreement: event(id: "us-iraq-combat-role-agreement") { occurredOn when { date } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["end"],
        json!({ "occurredOn": "2021-12", "endedOn": null,
                "when": { "date": "2021-12", "precision": "MONTH", "firstDay": "2021-12-01", "lastDay": "2021-12-31" } })
    );
    assert_eq!(d["days"]["occurredOn"], "2022-01-03");
    assert_eq!(d["days"]["endedOn"], "2022-01-05");
    assert_eq!(d["days"]["when"]["lastDay"], "2022-01-05");
    assert_eq!(d["days"]["details"]["casualties"]["killed"], 0);
    assert_eq!(
        d["days"]["details"]["counts"],
        json!([{ "name": "straight_days", "value": 3 }])
    );
    assert_eq!(
        d["attack"]["details"]["munitions"],
        json!([{ "kind": "ROCKET", "count": 5, "fired": true }])
    );
    let distance = &d["attack"]["details"]["distances"][0];
    assert_eq!(distance["from"]["id"], "ayn-al-assad");
    assert_eq!(distance["minKm"].as_f64(), Some(1.609));
    assert_eq!(d["baghdad"]["partOfDay"], "EARLY_MORNING");
    assert_eq!(d["agreement"], json!({ "occurredOn": null, "when": null }));
}

#[actix_web::test]
async fn the_relation_vocabulary_says_what_each_relation_links() {
    let api = Api::seed();
    let d = api
        .data(
            "{ relations { relation subjects objects takesValue meaning } }",
            json!({}),
        )
        .await;
    let relations = d["relations"].as_array().unwrap();
    assert_eq!(relations.len(), 24);
    let find = |name: &str| {
        relations
            .iter()
            .find(|r| r["relation"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let front = find("FRONT_FOR");
    assert_eq!(front["subjects"], json!(["ACTOR"]));
    assert_eq!(front["objects"], json!(["ACTOR"]));
    assert_eq!(front["takesValue"], false);
    let strength = find("HAS_STRENGTH");
    assert_eq!(strength["objects"], json!([]));
    assert_eq!(strength["takesValue"], true);
    assert!(
        find("MARKED_ANNIVERSARY_OF")["meaning"]
            .as_str()
            .unwrap()
            .contains("years")
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Pagination
// ---------------------------------------------------------------------------------------------

const ACTORS_PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  actors(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"#;

const IRAQ_EVENTS_PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  location(id: "iraq") {
    events(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}"#;

const EVENTS_PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  events(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"#;

const COALITION_LEADERS_PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  actor(id: "us-led-coalition") {
    leaders(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}"#;

/// One page of a connection: the query, its variables, and where the connection sits.
async fn page(api: &Api, query: &str, variables: Value, path: &[&str]) -> Value {
    let mut v = api.data(query, variables).await;
    for key in path {
        v = v[*key].take();
    }
    assert!(v.is_object(), "no connection at {path:?}");
    v
}

/// A connection walked from the start with `first: size` and `after`, page by page; the
/// ids in order, the cursors in order, and the number of pages.
async fn walk_forward(
    api: &Api,
    query: &str,
    path: &[&str],
    size: i64,
) -> (Vec<String>, Vec<String>, usize, i64) {
    let mut ids = Vec::new();
    let mut cursors = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    let mut total = None;
    loop {
        let conn = page(api, query, json!({ "first": size, "after": after }), path).await;
        pages += 1;
        assert!(pages <= 100, "paging does not end");
        let edges = conn["edges"].as_array().unwrap();
        assert!(edges.len() as i64 <= size, "a page larger than asked for");
        let info = &conn["pageInfo"];
        assert_eq!(
            info["hasPreviousPage"],
            json!(pages > 1),
            "page {pages}: {info:#}"
        );
        if !edges.is_empty() {
            assert_eq!(info["startCursor"], edges[0]["cursor"]);
            assert_eq!(info["endCursor"], edges[edges.len() - 1]["cursor"]);
        }
        let this_total = conn["totalCount"].as_i64().unwrap();
        assert_eq!(
            *total.get_or_insert(this_total),
            this_total,
            "totalCount changed between pages"
        );
        ids.extend(edge_ids(&conn));
        cursors.extend(pluck(&conn["edges"], "cursor"));
        if info["hasNextPage"] == json!(false) {
            break;
        }
        assert_eq!(
            edges.len() as i64,
            size,
            "a page before the last is not full"
        );
        after = Some(info["endCursor"].as_str().unwrap().to_owned());
    }
    (ids, cursors, pages, total.unwrap())
}

/// The same connection walked from the end with `last: size` and `before`; ids in list order.
async fn walk_backward(api: &Api, query: &str, path: &[&str], size: i64) -> Vec<String> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let conn = page(api, query, json!({ "last": size, "before": before }), path).await;
        assert!(pages.len() < 100, "paging does not end");
        let info = &conn["pageInfo"];
        assert_eq!(
            info["hasNextPage"],
            json!(!pages.is_empty()),
            "backward page {}: {info:#}",
            pages.len() + 1
        );
        pages.push(edge_ids(&conn));
        if info["hasPreviousPage"] == json!(false) {
            break;
        }
        before = Some(info["startCursor"].as_str().unwrap().to_owned());
    }
    pages.into_iter().rev().flatten().collect()
}

#[actix_web::test]
async fn paging_through_actors_five_at_a_time_sees_each_of_the_17_once() {
    let api = Api::seed();
    let (ids, cursors, pages, total) = walk_forward(&api, ACTORS_PAGE, &["actors"], 5).await;
    assert_eq!(total, 17);
    assert_eq!(ids.len(), 17, "{ids:?}");
    assert_eq!(pages, 4);
    assert!(all_distinct(&ids), "{ids:?}");
    assert!(all_distinct(&cursors), "{cursors:?}");
    // Actors are listed by id.
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert!(ids.contains(&"saraya-qasem-al-jabarin".to_owned()));
    // Past the end: nothing, and nothing further.
    let end = page(
        &api,
        ACTORS_PAGE,
        json!({ "first": 5, "after": cursors.last() }),
        &["actors"],
    )
    .await;
    assert_eq!(end["edges"], json!([]));
    assert_eq!(end["pageInfo"]["hasNextPage"], false);
    assert_eq!(end["totalCount"], 17);
}

#[actix_web::test]
async fn actor_cursors_are_stable_across_requests() {
    let api = Api::seed();
    let first = page(&api, ACTORS_PAGE, json!({ "first": 5 }), &["actors"]).await;
    let again = page(&api, ACTORS_PAGE, json!({ "first": 5 }), &["actors"]).await;
    assert_eq!(first, again);
    let after = first["pageInfo"]["endCursor"].clone();
    let second = page(
        &api,
        ACTORS_PAGE,
        json!({ "first": 5, "after": after }),
        &["actors"],
    )
    .await;
    let second_again = page(
        &api,
        ACTORS_PAGE,
        json!({ "first": 5, "after": after }),
        &["actors"],
    )
    .await;
    assert_eq!(second, second_again);
    // An item's cursor does not depend on the page it was found on.
    let one = page(&api, ACTORS_PAGE, json!({ "first": 17 }), &["actors"]).await;
    let all_cursors = pluck(&one["edges"], "cursor");
    assert_eq!(
        pluck(&second["edges"], "cursor"),
        all_cursors[5..10].to_vec()
    );
}

#[actix_web::test]
async fn paging_actors_backwards_gives_the_same_list() {
    let api = Api::seed();
    let (forward, forward_cursors, _, _) = walk_forward(&api, ACTORS_PAGE, &["actors"], 5).await;
    let backward = walk_backward(&api, ACTORS_PAGE, &["actors"], 5).await;
    assert_eq!(backward, forward);
    // The last page backwards is the last five.
    let last = page(&api, ACTORS_PAGE, json!({ "last": 5 }), &["actors"]).await;
    assert_eq!(edge_ids(&last), forward[12..].to_vec());
    assert_eq!(
        pluck(&last["edges"], "cursor"),
        forward_cursors[12..].to_vec()
    );
    assert_eq!(last["pageInfo"]["hasNextPage"], false);
    assert_eq!(last["pageInfo"]["hasPreviousPage"], true);
    // `before` a cursor from the forward walk ends just before that item.
    let before = page(
        &api,
        ACTORS_PAGE,
        json!({ "last": 3, "before": forward_cursors[10] }),
        &["actors"],
    )
    .await;
    assert_eq!(edge_ids(&before), forward[7..10].to_vec());
}

/// Every page query with where its connection sits.
const PAGED: [(&str, &[&str]); 4] = [
    (ACTORS_PAGE, &["actors"]),
    (EVENTS_PAGE, &["events"]),
    (IRAQ_EVENTS_PAGE, &["location", "events"]),
    (COALITION_LEADERS_PAGE, &["actor", "leaders"]),
];

/// The whole list of a page query, ids and cursors.
async fn whole(api: &Api, query: &str, path: &[&str]) -> (Vec<String>, Vec<String>) {
    let conn = page(api, query, json!({ "first": 100 }), path).await;
    assert_eq!(conn["pageInfo"]["hasNextPage"], false);
    (edge_ids(&conn), pluck(&conn["edges"], "cursor"))
}

#[actix_web::test]
async fn after_and_before_together_bound_a_page_on_both_sides() {
    let api = Api::seed();
    let mut wrong = Vec::new();
    for (query, path) in PAGED {
        let (ids, cursors) = whole(&api, query, path).await;
        let n = ids.len();
        assert!(n >= 2, "{path:?}");
        // Everything strictly between the first and the last item, from either end.
        for size in ["first", "last"] {
            let conn = page(
                &api,
                query,
                json!({ size: 100, "after": cursors[0], "before": cursors[n - 1] }),
                path,
            )
            .await;
            let got = edge_ids(&conn);
            if got != ids[1..n - 1] {
                wrong.push(format!(
                    "{path:?} with {size}, after and before: expected {:?}, got {got:?}",
                    &ids[1..n - 1]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn first_with_before_pages_only_what_lies_before_the_cursor() {
    let api = Api::seed();
    let mut wrong = Vec::new();
    for (query, path) in PAGED {
        let (ids, cursors) = whole(&api, query, path).await;
        let n = ids.len();
        let conn = page(
            &api,
            query,
            json!({ "first": 100, "before": cursors[n - 1] }),
            path,
        )
        .await;
        let got = edge_ids(&conn);
        if got != ids[..n - 1] {
            wrong.push(format!(
                "{path:?}: expected {:?}, got {got:?}",
                &ids[..n - 1]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn last_with_after_pages_only_what_lies_after_the_cursor() {
    let api = Api::seed();
    let mut wrong = Vec::new();
    for (query, path) in PAGED {
        let (ids, cursors) = whole(&api, query, path).await;
        let conn = page(
            &api,
            query,
            json!({ "last": 100, "after": cursors[0] }),
            path,
        )
        .await;
        let got = edge_ids(&conn);
        if got != ids[1..] {
            wrong.push(format!("{path:?}: expected {:?}, got {got:?}", &ids[1..]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn first_zero_gives_an_empty_page_with_the_total() {
    let api = Api::seed();
    let conn = page(&api, ACTORS_PAGE, json!({ "first": 0 }), &["actors"]).await;
    assert_eq!(conn["edges"], json!([]));
    assert_eq!(conn["totalCount"], 17);
    let nested = page(
        &api,
        IRAQ_EVENTS_PAGE,
        json!({ "first": 0 }),
        &["location", "events"],
    )
    .await;
    assert_eq!(nested["edges"], json!([]));
    assert_eq!(nested["totalCount"], 6);
}

/// Paging arguments every connection must refuse.
fn bad_paging() -> Vec<Value> {
    vec![
        json!({ "first": 2, "last": 2 }),
        json!({ "first": -1 }),
        json!({ "last": -1 }),
        json!({ "first": 100000 }),
        json!({ "first": 2, "after": "this is not a cursor!" }),
        json!({ "last": 2, "before": "%%%" }),
    ]
}

#[actix_web::test]
async fn bad_paging_arguments_on_a_top_level_list_are_bad_user_input() {
    let api = Api::seed();
    for variables in bad_paging() {
        let (data, errors) = api.errors(ACTORS_PAGE, variables.clone()).await;
        assert_eq!(
            codes(&errors),
            ["BAD_USER_INPUT"],
            "{variables}: {errors:#?}"
        );
        assert_eq!(errors[0]["path"], json!(["actors"]), "{variables}");
        assert_eq!(data, Value::Null, "{variables}");
    }
}

#[actix_web::test]
async fn bad_paging_arguments_on_a_nested_list_are_bad_user_input() {
    let api = Api::seed();
    for query in [IRAQ_EVENTS_PAGE, COALITION_LEADERS_PAGE] {
        for variables in bad_paging() {
            let codes = api.error_codes(query, variables.clone()).await;
            assert_eq!(codes, ["BAD_USER_INPUT"], "{variables}");
        }
    }
}

/// A cursor in the right encoding whose content no list ever gives: ids have no spaces.
fn forged_cursor() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("not a cursor")
}

#[actix_web::test]
async fn a_well_formed_cursor_that_no_list_gave_is_bad_user_input() {
    let api = Api::seed();
    let mut wrong = Vec::new();
    for (query, path) in PAGED {
        for variables in [
            json!({ "first": 3, "after": forged_cursor() }),
            json!({ "last": 3, "before": forged_cursor() }),
        ] {
            let body = api.post(query, variables.clone()).await;
            let codes = body["errors"]
                .as_array()
                .map(|e| codes(e))
                .unwrap_or_default();
            // The error nulls the connection and, through non-null fields, its nearest
            // nullable parent: `data` itself for a root list, `location` for a nested one.
            if codes != ["BAD_USER_INPUT"] || !body["data"][path[0]].is_null() {
                wrong.push(format!("{path:?} {variables}: {body}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn an_actor_cursor_is_refused_by_the_event_list() {
    let api = Api::seed();
    let actors = page(&api, ACTORS_PAGE, json!({ "first": 1 }), &["actors"]).await;
    let foreign = actors["pageInfo"]["endCursor"].clone();
    let codes = api
        .error_codes(EVENTS_PAGE, json!({ "first": 2, "after": foreign }))
        .await;
    assert_eq!(codes, ["BAD_USER_INPUT"]);
}

#[actix_web::test]
async fn a_cursor_of_another_list_is_refused_by_a_nested_list() {
    let api = Api::seed();
    let actors = page(&api, ACTORS_PAGE, json!({ "first": 1 }), &["actors"]).await;
    let foreign = actors["pageInfo"]["endCursor"].clone();
    let codes = api
        .error_codes(IRAQ_EVENTS_PAGE, json!({ "first": 2, "after": foreign }))
        .await;
    assert_eq!(codes, ["BAD_USER_INPUT"]);
}

// ---------------------------------------------------------------------------------------------
// 4. Filters
// ---------------------------------------------------------------------------------------------

/// The ids of a top-level list answered by `query` (whose root field is `field`).
async fn list(api: &Api, query: &str, field: &str) -> Vec<String> {
    let d = api.data(query, json!({})).await;
    let conn = &d[field];
    let ids = edge_ids(conn);
    assert_eq!(
        conn["totalCount"].as_u64(),
        Some(ids.len() as u64),
        "totalCount disagrees with the list for {query}"
    );
    ids
}

#[actix_web::test]
async fn events_filter_by_kind() {
    let api = Api::seed();
    assert_eq!(
        list(
            &api,
            r#"{ events(kind: ATTACK) { totalCount edges { node { id kind } } } }"#,
            "events"
        )
        .await,
        [
            "attacks-on-us-forces-2022-01-03",
            "attacks-on-us-forces-2022-01-04",
            "ayn-al-assad-rocket-attack-2022-01-05",
            "baghdad-airport-rocket-attack-2022-01-05",
            "third-attack-on-us-bases-2022-01-05",
        ]
    );
    assert_eq!(
        list(
            &api,
            r#"{ events(kind: CAMPAIGN) { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [
            "attacks-on-us-forces-2022-01-03-to-05",
            "attacks-on-us-bases-2022-01-05"
        ]
    );
    assert_eq!(
        list(
            &api,
            r#"{ events(kind: DEPLOYMENT) { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        Vec::<String>::new()
    );
}

#[actix_web::test]
async fn events_filter_by_overlapping_dates() {
    let api = Api::seed();
    // One day: what happened on it, and the campaign spanning it.
    assert_eq!(
        list(
            &api,
            r#"{ events(from: "2022-01-04", to: "2022-01-04") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [
            "attacks-on-us-forces-2022-01-03-to-05",
            "al-kaabi-basra-speech-2022-01-04",
            "attacks-on-us-forces-2022-01-04",
        ]
    );
    // Dates known to the month or year cover their whole span.
    assert_eq!(
        list(
            &api,
            r#"{ events(from: "2020-01", to: "2020-01") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        ["soleimani-strike-2020-01-03"]
    );
    assert_eq!(
        list(
            &api,
            r#"{ events(to: "2021") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [
            "islamic-state-takeover-2014",
            "soleimani-strike-2020-01-03",
            "us-combat-role-in-iraq-ends-2021",
        ]
    );
    let from_2022 = list(
        &api,
        r#"{ events(from: "2022") { totalCount edges { node { id } } } }"#,
        "events",
    )
    .await;
    assert_eq!(from_2022.len(), 9, "{from_2022:?}");
    assert!(!from_2022.contains(&"us-iraq-combat-role-agreement".to_owned()));
    // A month-precise event overlaps a day inside it.
    assert_eq!(
        list(
            &api,
            r#"{ events(from: "2021-12-15", to: "2021-12-15") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        ["us-combat-role-in-iraq-ends-2021"]
    );
}

#[actix_web::test]
async fn events_filter_with_to_before_from_is_bad_user_input() {
    let api = Api::seed();
    let codes = api
        .error_codes(
            r#"{ events(from: "2022-01-05", to: "2022-01-04") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(codes, ["BAD_USER_INPUT"]);
}

#[actix_web::test]
async fn events_filter_within_a_location_includes_everything_inside_it() {
    let api = Api::seed();
    let iraq = list(
        &api,
        r#"{ events(within: "iraq") { totalCount edges { node { id } } } }"#,
        "events",
    )
    .await;
    for id in [
        "ayn-al-assad-rocket-attack-2022-01-05",
        "baghdad-airport-rocket-attack-2022-01-05",
        "al-kaabi-basra-speech-2022-01-04",
    ] {
        assert!(
            iraq.contains(&id.to_owned()),
            "{id} not within iraq: {iraq:?}"
        );
    }
    assert_eq!(iraq.len(), 6, "{iraq:?}");
    let syria = list(
        &api,
        r#"{ events(within: "syria") { totalCount edges { node { id } } } }"#,
        "events",
    )
    .await;
    assert!(syria.is_empty(), "{syria:?}");
    assert_eq!(
        list(
            &api,
            r#"{ events(within: "anbar") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [AYN_AL_ASSAD_ATTACK]
    );
    assert_eq!(
        list(
            &api,
            r#"{ events(within: "iraq", kind: SPEECH) { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        ["al-kaabi-basra-speech-2022-01-04"]
    );
    // The same set as the location's own `events`.
    let d = api
        .data(
            r#"{ location(id: "iraq") { events { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(pluck(&d["location"]["events"]["nodes"], "id"), iraq);
}

#[actix_web::test]
async fn events_filter_by_an_actor_involved() {
    let api = Api::seed();
    assert_eq!(
        list(
            &api,
            r#"{ events(involving: "saraya-qasem-al-jabarin") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [AYN_AL_ASSAD_ATTACK]
    );
    assert_eq!(
        list(
            &api,
            r#"{ events(involving: "united-states") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        [
            "soleimani-strike-2020-01-03",
            "us-combat-role-in-iraq-ends-2021",
            "us-iraq-combat-role-agreement",
        ]
    );
    // Attributed to (the actor is the object) counts too.
    assert_eq!(
        list(
            &api,
            r#"{ events(involving: "iran-aligned-paramilitary-groups") { totalCount edges { node { id } } } }"#,
            "events"
        )
        .await,
        ["attacks-on-us-forces-2022-01-03-to-05"]
    );
}

#[actix_web::test]
async fn actors_filter_by_kind() {
    let api = Api::seed();
    assert_eq!(
        list(
            &api,
            r#"{ actors(kind: PERSON) { totalCount edges { node { id } } } }"#,
            "actors"
        )
        .await,
        ["akram-al-kaabi", "john-w-brennan-jr", "qassem-soleimani"]
    );
    assert_eq!(
        list(
            &api,
            r#"{ actors(kind: OFFICIALS) { totalCount edges { node { id } } } }"#,
            "actors"
        )
        .await,
        ["iraqi-officials", "western-and-iraqi-officials"]
    );
    assert_eq!(
        list(
            &api,
            r#"{ actors(kind: FRONT_GROUP) { totalCount edges { node { id } } } }"#,
            "actors"
        )
        .await,
        Vec::<String>::new()
    );
}

#[actix_web::test]
async fn actors_filter_by_name_or_alias_in_any_case() {
    let api = Api::seed();
    for name in ["qasim", "QASIM", "Qasim"] {
        assert_eq!(
            list(
                &api,
                &format!(
                    r#"{{ actors(name: "{name}") {{ totalCount edges {{ node {{ id }} }} }} }}"#
                ),
                "actors"
            )
            .await,
            // Soleimani through "Qasim Soleimani", the Saraya through "Saraya Qasim al-Jabbarin".
            ["qassem-soleimani", "saraya-qasem-al-jabarin"],
            "{name}"
        );
    }
    assert_eq!(
        list(
            &api,
            r#"{ actors(name: "wsj") { totalCount edges { node { id } } } }"#,
            "actors"
        )
        .await,
        ["wall-street-journal"]
    );
    assert_eq!(
        list(
            &api,
            r#"{ actors(name: "soleimani", kind: PERSON) { totalCount edges { node { id } } } }"#,
            "actors"
        )
        .await,
        ["qassem-soleimani"]
    );
    // LIKE's wildcards are taken literally.
    for literal in ["%", "_", "q%m"] {
        assert_eq!(
            list(
                &api,
                &format!(
                    r#"{{ actors(name: "{literal}") {{ totalCount edges {{ node {{ id }} }} }} }}"#
                ),
                "actors"
            )
            .await,
            Vec::<String>::new(),
            "{literal}"
        );
    }
}

#[actix_web::test]
async fn claims_filter_by_relation_subject_and_object() {
    let api = Api::seed();
    assert_eq!(
        list(
            &api,
            r#"{ claims(relation: FRONT_FOR) { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        ["saraya-qasem-al-jabarin-front-for-iran-backed-militias"]
    );
    assert_eq!(
        list(
            &api,
            r#"{ claims(subject: "us-forces") { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        [
            "us-forces-member-of-us-led-coalition",
            "us-forces-oppose-islamic-state",
            "us-forces-stationed-in-iraq",
            "us-forces-stationed-in-syria",
            "us-forces-strength-in-iraq",
            "us-forces-strength-in-syria",
        ]
    );
    assert_eq!(
        list(
            &api,
            r#"{ claims(object: "iran") { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        [
            "harakat-al-nujaba-aligned-with-iran",
            "iran-aligned-paramilitary-groups-aligned-with-iran",
            "iran-backed-militias-backed-by-iran",
            "qassem-soleimani-member-of-iran",
        ]
    );
    assert_eq!(
        list(
            &api,
            r#"{ claims(subject: "us-forces", relation: HAS_STRENGTH) { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        ["us-forces-strength-in-iraq", "us-forces-strength-in-syria"]
    );
    // A subject of another type than actor: an event.
    assert_eq!(
        list(
            &api,
            r#"{ claims(subject: "soleimani-strike-2020-01-03") { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        ["soleimani-strike-killed-qassem-soleimani"]
    );
}

#[actix_web::test]
async fn claims_filter_by_asserter_including_unknown() {
    let api = Api::seed();
    assert_eq!(
        list(
            &api,
            r#"{ claims(assertedBy: "wall-street-journal") { totalCount edges { node { id } } } }"#,
            "claims"
        )
        .await,
        [
            "attacks-attributed-to-militias-by-wsj",
            "attacks-marked-second-anniversary-of-soleimani-strike",
            "soleimani-strike-killed-qassem-soleimani",
            "united-states-carried-out-soleimani-strike",
        ]
    );
    let d = api
        .data(
            r#"{ claims(assertedBy: "unknown", first: 100) { totalCount nodes { assertedBy { id } asserterUnknown } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["claims"]["totalCount"], 27);
    let nodes = d["claims"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 27);
    assert!(
        nodes
            .iter()
            .all(|n| n["assertedBy"].is_null() && n["asserterUnknown"] == true)
    );
    let d = api
        .data(
            r#"{ claims(assertedBy: "iraqi-officials") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["claims"]["totalCount"], 7);
}

#[actix_web::test]
async fn claims_filter_by_status_and_least_confidence() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{
              asserted: claims(status: ASSERTED) { totalCount }
              disputed: claims(status: DISPUTED) { totalCount }
              sure: claims(minConfidence: 95, first: 100) { totalCount nodes { confidence } }
              all: claims(minConfidence: 0) { totalCount }
              certain: claims(minConfidence: 100) { totalCount }
              strong: claims(minConfidence: 90, assertedBy: "unknown") { nodes { confidence asserterUnknown } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["asserted"]["totalCount"], 42);
    assert_eq!(d["disputed"]["totalCount"], 0);
    assert_eq!(d["sure"]["totalCount"], 17);
    assert!(
        d["sure"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["confidence"].as_i64().unwrap() >= 95)
    );
    assert_eq!(d["all"]["totalCount"], 42);
    assert_eq!(d["certain"]["totalCount"], 0);
    let strong = d["strong"]["nodes"].as_array().unwrap();
    assert!(!strong.is_empty());
    assert!(
        strong
            .iter()
            .all(|n| n["confidence"].as_i64().unwrap() >= 90 && n["asserterUnknown"] == true)
    );
    for bad in [-1, 101] {
        let codes = api
            .error_codes(
                &format!("{{ claims(minConfidence: {bad}) {{ totalCount }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{bad}");
    }
}

#[actix_web::test]
async fn statements_filter_by_speaker_dates_place_and_text() {
    let api = Api::seed();
    let q =
        |args: &str| format!("{{ statements({args}) {{ totalCount edges {{ node {{ id }} }} }} }}");
    let kaabi = ["al-kaabi-no-new-truce"];
    let none: [&str; 0] = [];
    assert_eq!(
        list(&api, &q(r#"speaker: "akram-al-kaabi""#), "statements").await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"speaker: "john-w-brennan-jr""#), "statements").await,
        ["brennan-coalition-reserves-the-right"]
    );
    assert_eq!(
        list(&api, &q(r#"speaker: "iran""#), "statements").await,
        none
    );
    assert_eq!(
        list(
            &api,
            &q(r#"from: "2022-01-04", to: "2022-01-04""#),
            "statements"
        )
        .await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"from: "2022-01-05""#), "statements").await,
        none
    );
    assert_eq!(
        list(&api, &q(r#"within: "basra""#), "statements").await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"within: "iraq""#), "statements").await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"within: "syria""#), "statements").await,
        none
    );
    assert_eq!(
        list(&api, &q(r#"text: "truce""#), "statements").await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"text: "NO NEW TRUCE""#), "statements").await,
        kaabi
    );
    assert_eq!(
        list(&api, &q(r#"text: "reserves the right""#), "statements").await,
        ["brennan-coalition-reserves-the-right"]
    );
    assert_eq!(
        list(
            &api,
            &q(r#"text: "truce", speaker: "john-w-brennan-jr""#),
            "statements"
        )
        .await,
        none
    );
    // Unfiltered: dated first, undated last.
    assert_eq!(
        list(&api, &q("first: 10"), "statements").await,
        [
            "al-kaabi-no-new-truce",
            "brennan-coalition-reserves-the-right"
        ]
    );
}

#[actix_web::test]
async fn locations_filter_by_kind_and_containment() {
    let api = Api::seed();
    let q =
        |args: &str| format!("{{ locations({args}) {{ totalCount edges {{ node {{ id }} }} }} }}");
    assert_eq!(
        list(&api, &q("kind: BASE"), "locations").await,
        ["ayn-al-assad", "base-near-baghdad-international-airport"]
    );
    assert_eq!(
        list(&api, &q("kind: CITY"), "locations").await,
        ["baghdad", "basra"]
    );
    assert_eq!(
        list(&api, &q(r#"within: "iraq""#), "locations").await,
        [
            "anbar",
            "ayn-al-assad",
            "baghdad",
            "baghdad-international-airport",
            "base-near-baghdad-international-airport",
            "basra",
            "neighbourhood-near-baghdad-international-airport",
        ]
    );
    assert_eq!(
        list(&api, &q(r#"within: "baghdad""#), "locations").await,
        [
            "baghdad-international-airport",
            "base-near-baghdad-international-airport",
            "neighbourhood-near-baghdad-international-airport",
        ]
    );
    assert_eq!(
        list(&api, &q(r#"within: "middle-east""#), "locations")
            .await
            .len(),
        9
    );
    assert_eq!(
        list(&api, &q(r#"within: "syria""#), "locations").await,
        Vec::<String>::new()
    );
    assert_eq!(
        list(&api, &q(r#"within: "iraq", kind: BASE"#), "locations").await,
        ["ayn-al-assad", "base-near-baghdad-international-airport"]
    );
}

#[actix_web::test]
async fn sources_filter_by_kind() {
    let api = Api::seed();
    let q =
        |args: &str| format!("{{ sources({args}) {{ totalCount edges {{ node {{ id }} }} }} }}");
    assert_eq!(
        list(&api, &q("kind: NEWS_ARTICLE"), "sources").await,
        ["article-iraq-syria-bases-attacked-2022-01"]
    );
    assert_eq!(
        list(&api, &q("kind: NEWS_REPORT"), "sources").await,
        ["wsj-report-attacks-mark-soleimani-anniversary"]
    );
    assert_eq!(
        list(&api, &q("kind: REPORT"), "sources").await,
        Vec::<String>::new()
    );
    assert_eq!(list(&api, &q("first: 10"), "sources").await.len(), 2);
}

#[actix_web::test]
async fn a_filter_naming_an_id_that_does_not_exist_is_bad_user_input() {
    let api = Api::seed();
    for query in [
        r#"{ events(within: "atlantis") { totalCount } }"#,
        r#"{ events(involving: "nobody") { totalCount } }"#,
        r#"{ locations(within: "atlantis") { totalCount } }"#,
        r#"{ statements(speaker: "nobody") { totalCount } }"#,
        r#"{ statements(within: "atlantis") { totalCount } }"#,
        r#"{ claims(subject: "nothing") { totalCount } }"#,
        r#"{ claims(object: "nothing") { totalCount } }"#,
        r#"{ claims(assertedBy: "nobody") { totalCount } }"#,
    ] {
        let (data, errors) = api.errors(query, json!({})).await;
        assert_eq!(codes(&errors), ["BAD_USER_INPUT"], "{query}: {errors:#?}");
        assert_eq!(data, Value::Null, "{query}");
    }
}

#[actix_web::test]
async fn a_filter_naming_an_id_of_the_wrong_type_is_bad_user_input() {
    let api = Api::seed();
    for query in [
        // A location where an actor is expected, and the other way round.
        r#"{ events(involving: "iraq") { totalCount } }"#,
        r#"{ statements(speaker: "basra") { totalCount } }"#,
        r#"{ claims(assertedBy: "iraq") { totalCount } }"#,
        r#"{ events(within: "iran") { totalCount } }"#,
        r#"{ locations(within: "iran") { totalCount } }"#,
        r#"{ statements(within: "akram-al-kaabi") { totalCount } }"#,
    ] {
        let codes = api.error_codes(query, json!({})).await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{query}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Search
// ---------------------------------------------------------------------------------------------

const SEARCH: &str = r#"query($q: String!, $first: Int! = 10) {
  search(query: $q, first: $first) { score snippet node { __typename id } }
}"#;

async fn search(api: &Api, q: &str) -> Vec<Value> {
    let d = api.data(SEARCH, json!({ "q": q })).await;
    d["search"].as_array().unwrap().clone()
}

async fn search_ids(api: &Api, q: &str) -> Vec<String> {
    search(api, q)
        .await
        .iter()
        .map(|h| h["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn search_finds_soleimani_under_the_article_s_other_spellings() {
    let api = Api::seed();
    for q in [
        "Qasim Soleimani",
        "Suleimani",
        "Qassem Soleimani",
        "qasem soleimani",
    ] {
        let ids = search_ids(&api, q).await;
        assert_eq!(
            ids.first().map(String::as_str),
            Some("qassem-soleimani"),
            "{q}: {ids:?}"
        );
    }
}

#[actix_web::test]
async fn search_finds_places_groups_and_outlets_by_alias() {
    let api = Api::seed();
    for (q, expected) in [
        ("Ain al-Asad", "ayn-al-assad"),
        ("Al Asad Airbase", "ayn-al-assad"),
        ("al-Nujaba", "harakat-al-nujaba"),
        ("Harakat Hezbollah al-Nujaba", "harakat-al-nujaba"),
        ("WSJ", "wall-street-journal"),
        ("Saraya Qassem al-Jabarin", "saraya-qasem-al-jabarin"),
        ("Basrah", "basra"),
        ("Daesh", "islamic-state"),
        ("Akram al-Ka'bi", "akram-al-kaabi"),
    ] {
        let ids = search_ids(&api, q).await;
        assert_eq!(
            ids.first().map(String::as_str),
            Some(expected),
            "{q}: {ids:?}"
        );
    }
}

#[actix_web::test]
async fn search_ignores_case_and_diacritics() {
    let api = Api::seed();
    for q in [
        "ÁYN AL-ASSAD",
        "ayn al-assad",
        "Āyn al-Assad",
        "AYN AL ASSAD",
    ] {
        let ids = search_ids(&api, q).await;
        assert!(ids.contains(&"ayn-al-assad".to_owned()), "{q}: {ids:?}");
        assert_eq!(
            ids.first().map(String::as_str),
            Some("ayn-al-assad"),
            "{q}: {ids:?}"
        );
    }
}

#[actix_web::test]
async fn search_finds_a_statement_by_a_word_of_its_text() {
    let api = Api::seed();
    let hits = search(&api, "coffins").await;
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let hit = &hits[0];
    assert_eq!(hit["node"]["__typename"], "Statement");
    assert_eq!(hit["node"]["id"], "al-kaabi-no-new-truce");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>coffins</mark>"), "{snippet}");
}

#[actix_web::test]
async fn search_snippets_mark_the_matched_words_and_scores_fall() {
    let api = Api::seed();
    for q in ["Qasim Soleimani", "al-Nujaba", "rocket", "WSJ"] {
        let hits = search(&api, q).await;
        assert!(!hits.is_empty(), "{q}");
        for h in &hits {
            let snippet = h["snippet"].as_str().unwrap();
            assert!(
                snippet.contains("<mark>") && snippet.contains("</mark>"),
                "{q}: {snippet}"
            );
        }
        let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{q}: scores not best first: {scores:?}"
        );
    }
}

#[actix_web::test]
async fn search_ranks_matches_of_the_whole_word_before_words_that_start_with_it() {
    let api = Api::seed();
    let d = api
        .data(SEARCH, json!({ "q": "rocket", "first": 100 }))
        .await;
    let hits = d["search"].as_array().unwrap();
    let whole: Vec<bool> = hits
        .iter()
        .map(|h| {
            let snippet = h["snippet"].as_str().unwrap().to_lowercase();
            snippet.contains("<mark>rocket</mark>")
        })
        .collect();
    assert!(whole.contains(&true) && whole.contains(&false), "{hits:#?}");
    let first_partial = whole.iter().position(|w| !w).unwrap();
    assert!(
        whole[first_partial..].iter().all(|w| !w),
        "a match of \"rocket\" came after one of \"rockets\" only: {hits:#?}"
    );
    for (h, whole) in hits.iter().zip(&whole) {
        let score = h["score"].as_f64().unwrap();
        let band = if *whole { 1.0..2.0 } else { 0.0..1.0 };
        assert!(band.contains(&score), "{score} outside {band:?}: {h}");
    }
}

#[actix_web::test]
async fn search_requires_every_word() {
    let api = Api::seed();
    assert!(search_ids(&api, "Soleimani Basra").await.is_empty());
    assert!(search_ids(&api, "zzyzx").await.is_empty());
}

#[actix_web::test]
async fn search_for_nothing_finds_nothing() {
    let api = Api::seed();
    for q in ["", "   ", "-", "\"", "*", "()", "\" * - ()", "…"] {
        let d = api.data(SEARCH, json!({ "q": q })).await;
        assert_eq!(d["search"], json!([]), "{q:?}");
    }
}

#[actix_web::test]
async fn search_words_that_are_fts_syntax_are_searched_as_words() {
    let api = Api::seed();
    for q in [
        "AND",
        "OR NOT",
        "NEAR(",
        "al-Nujaba OR Iran",
        "name:Iran",
        "^Iran",
        "Iran*",
    ] {
        // Answers without an error, whatever it finds.
        api.data(SEARCH, json!({ "q": q })).await;
    }
    assert_eq!(
        search_ids(&api, "Iran*").await.first().map(String::as_str),
        Some("iran")
    );
}

#[actix_web::test]
async fn search_limits_its_hits() {
    let api = Api::seed();
    let d = api
        .data(SEARCH, json!({ "q": "attacks", "first": 1 }))
        .await;
    assert_eq!(d["search"].as_array().unwrap().len(), 1);
    let d = api
        .data(SEARCH, json!({ "q": "attacks", "first": 0 }))
        .await;
    assert_eq!(d["search"], json!([]));
    for first in [1000, 101, -1] {
        let codes = api
            .error_codes(SEARCH, json!({ "q": "attacks", "first": first }))
            .await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{first}");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Errors and the HTTP routes
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn an_unknown_actor_is_null_with_not_found_and_http_200() {
    let api = Api::seed();
    let reply = api
        .get("/graphql?query=%7Bactor(id%3A%22nobody%22)%7Bname%7D%7D")
        .await;
    assert_eq!(reply.status, 200);
    let (data, errors) = api
        .errors(r#"{ actor(id: "nobody") { name } }"#, json!({}))
        .await;
    assert_eq!(data, json!({ "actor": null }));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(errors[0]["path"], json!(["actor"]));
    assert!(errors[0]["message"].as_str().unwrap().contains("nobody"));
}

#[actix_web::test]
async fn a_missing_node_does_not_spoil_the_other_root_fields() {
    let api = Api::seed();
    let (data, errors) = api
        .errors(
            r#"{ missing: actor(id: "nobody") { name } iran: actor(id: "iran") { name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data, json!({ "missing": null, "iran": { "name": "Iran" } }));
    assert_eq!(codes(&errors), ["NOT_FOUND"]);
    assert_eq!(errors[0]["path"], json!(["missing"]));
}

#[actix_web::test]
async fn an_id_of_another_type_is_not_found() {
    let api = Api::seed();
    for (query, field) in [
        (r#"{ event(id: "iran") { title } }"#, "event"),
        (r#"{ actor(id: "iraq") { name } }"#, "actor"),
        (r#"{ location(id: "iran") { name } }"#, "location"),
        (r#"{ source(id: "iran") { title } }"#, "source"),
        (r#"{ statement(id: "iran") { text } }"#, "statement"),
        (r#"{ claim(id: "iran") { id } }"#, "claim"),
    ] {
        let (data, errors) = api.errors(query, json!({})).await;
        assert_eq!(codes(&errors), ["NOT_FOUND"], "{query}");
        assert_eq!(errors[0]["path"], json!([field]), "{query}");
        assert_eq!(data[field], Value::Null, "{query}");
    }
}

#[actix_web::test]
async fn node_finds_every_type_by_id() {
    let api = Api::seed();
    for (id, typename) in [
        ("iran", "Actor"),
        ("iraq", "Location"),
        (AYN_AL_ASSAD_ATTACK, "Event"),
        ("article-iraq-syria-bases-attacked-2022-01", "Source"),
        ("al-kaabi-no-new-truce", "Statement"),
        ("us-forces-strength-in-iraq", "Claim"),
    ] {
        let d = api
            .data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            d["node"],
            json!({ "__typename": typename, "id": id }),
            "{id}"
        );
    }
    let (data, errors) = api
        .errors(r#"{ node(id: "nothing-here") { id } }"#, json!({}))
        .await;
    assert_eq!(data, json!({ "node": null }));
    assert_eq!(codes(&errors), ["NOT_FOUND"]);
    assert_eq!(errors[0]["path"], json!(["node"]));
}

#[actix_web::test]
async fn nodes_answers_in_order_with_null_in_place_of_unknown_ids() {
    let api = Api::seed();
    let d = api
        .data(
            r#"{ nodes(ids: ["iraq", "nothing-here", "iran", "al-kaabi-no-new-truce", "iraq"]) {
                __typename id
            } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        d["nodes"],
        json!([
            { "__typename": "Location", "id": "iraq" },
            null,
            { "__typename": "Actor", "id": "iran" },
            { "__typename": "Statement", "id": "al-kaabi-no-new-truce" },
            { "__typename": "Location", "id": "iraq" },
        ])
    );
    let d = api.data("{ nodes(ids: []) { id } }", json!({})).await;
    assert_eq!(d["nodes"], json!([]));
}

#[actix_web::test]
async fn an_impossible_date_argument_is_an_error_with_a_code() {
    let api = Api::seed();
    for date in ["2022-02-30", "2022-13", "yesterday", "2022-1-5"] {
        let literal = format!(r#"{{ events(from: "{date}") {{ totalCount }} }}"#);
        let (data, errors) = api.errors(&literal, json!({})).await;
        assert!(!errors.is_empty(), "{date}");
        assert!(data.is_null() || data["events"].is_null(), "{date}: {data}");
        let (_, errors) = api
            .errors(
                "query($d: Date) { statements(to: $d) { totalCount } }",
                json!({ "d": date }),
            )
            .await;
        assert!(!errors.is_empty(), "{date}");
    }
}

#[actix_web::test]
async fn a_syntax_error_is_graphql_parse_failed_and_an_unknown_field_graphql_validation_failed() {
    let api = Api::seed();
    let (data, errors) = api
        .errors(r#"{ actor(id: "iran") { name }"#, json!({}))
        .await;
    assert_eq!(codes(&errors), ["GRAPHQL_PARSE_FAILED"], "{errors:#?}");
    assert_eq!(
        errors[0]["locations"][0],
        json!({ "line": 1, "column": 29 })
    );
    assert_eq!(data, Value::Null);
    for query in [
        r#"{ actor(id: "iran") { nickname } }"#,
        r#"{ actors(colour: RED) { totalCount } }"#,
        r#"{ events(kind: EXPLOSION) { totalCount } }"#,
        r#"{ actor { name } }"#,
        "query($id: ID!) { actor(id: $id) { name } }",
    ] {
        let (data, errors) = api.errors(query, json!({})).await;
        assert_eq!(
            codes(&errors)[0],
            "GRAPHQL_VALIDATION_FAILED",
            "{query}: {errors:#?}"
        );
        assert_eq!(data, Value::Null, "{query}");
    }
}

#[actix_web::test]
async fn a_query_nested_too_deep_is_refused_with_a_code() {
    let api = Api::seed();
    let mut query = String::from("{ location(id: \"ayn-al-assad\") { id ");
    for _ in 0..40 {
        query.push_str("parent { id ");
    }
    for _ in 0..40 {
        query.push_str("} ");
    }
    query.push_str("} }");
    let (data, errors) = api.errors(&query, json!({})).await;
    assert_eq!(data, Value::Null);
    assert!(!codes(&errors)[0].is_empty());
}

#[actix_web::test]
async fn get_graphql_answers_a_query_in_the_url() {
    let api = Api::seed();
    let reply = api
        .get("/graphql?query=%7Bactor(id%3A%22iran%22)%7Bname%7D%7D")
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.contains("json"),
        "{}",
        reply.content_type
    );
    assert_eq!(
        reply.json(),
        json!({ "data": { "actor": { "name": "Iran" } } })
    );
}

#[actix_web::test]
async fn get_graphql_takes_variables_in_the_url() {
    let api = Api::seed();
    let reply = api
        .get("/graphql?query=query(%24id%3AID!)%7Bactor(id%3A%24id)%7Bname%7D%7D&variables=%7B%22id%22%3A%22iran%22%7D")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({ "data": { "actor": { "name": "Iran" } } })
    );
}

#[actix_web::test]
async fn get_graphql_without_a_query_is_an_error_with_a_code_not_a_crash() {
    let api = Api::seed();
    let reply = api.get("/graphql").await;
    assert!(reply.status < 500, "{}", reply.status);
    if reply.status == 200 {
        let body = reply.json();
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            "GRAPHQL_VALIDATION_FAILED"
        );
    }
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_a_client_error() {
    let api = Api::seed();
    let reply = api.call_raw_post("this is not json").await;
    assert!(
        (400..500).contains(&reply.status),
        "{} {}",
        reply.status,
        reply.text()
    );
}

#[actix_web::test]
async fn every_graphql_answer_says_how_many_sql_statements_it_ran() {
    let api = Api::seed();
    let reply = api
        .get("/graphql?query=%7Bactor(id%3A%22iran%22)%7Bname%7D%7D")
        .await;
    let n = reply
        .sql_statements
        .expect("an x-sql-statements header with a number");
    assert!(n >= 1, "{n}");
}

#[actix_web::test]
async fn the_schema_is_served_as_sdl_and_matches_the_checked_in_file() {
    let api = Api::seed();
    let reply = api.get("/schema.graphql").await;
    assert_eq!(reply.status, 200);
    let sdl = reply.text();
    assert!(sdl.contains("type Query"), "{sdl}");
    assert!(sdl.contains("interface Node"));
    let checked_in = std::fs::read_to_string(root().join("schema/schema.graphql")).unwrap();
    assert_eq!(sdl.trim_end(), checked_in.trim_end());
}

#[actix_web::test]
async fn healthz_says_ok() {
    let api = Api::seed();
    let reply = api.get("/healthz").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({ "status": "ok" }));
}

#[actix_web::test]
async fn readyz_says_ready_once_subscribers_hear_every_change() {
    let api = Api::seed();
    // On PostgreSQL the replica's change listener connects a moment after the server starts;
    // until then /readyz says why not.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let reply = loop {
        let reply = api.get("/readyz").await;
        if reply.status == 200 || std::time::Instant::now() > deadline {
            break reply;
        }
        assert_eq!(reply.status, 503);
        assert_eq!(reply.json()["status"], "not ready");
        assert!(
            reply.json()["reason"]
                .as_str()
                .is_some_and(|r| r.contains("listener"))
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({ "status": "ready" }));
}

#[actix_web::test]
async fn graphiql_is_served_from_the_binary_without_a_cdn() {
    let api = Api::seed();
    let reply = api.get("/").await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
    let html = reply.text();
    assert!(html.contains("/graphiql/graphiql.min.js"));
    // Every script and stylesheet the page loads is served here.
    let assets = local_assets(&html, "/graphiql/");
    assert!(assets.len() >= 3, "{assets:?}");
    for asset in assets {
        let reply = api.get(&asset).await;
        assert_eq!(reply.status, 200, "{asset}");
        assert!(!reply.bytes.is_empty(), "{asset}");
    }
}

#[actix_web::test]
async fn the_graphiql_script_is_javascript_and_unknown_assets_are_404() {
    let api = Api::seed();
    let js = api.get("/graphiql/graphiql.min.js").await;
    assert_eq!(js.status, 200);
    assert!(
        js.content_type.contains("javascript"),
        "{}",
        js.content_type
    );
    assert!(js.bytes.len() > 1000);
    let css = api.get("/graphiql/graphiql.min.css").await;
    assert_eq!(css.status, 200);
    assert!(
        css.content_type.starts_with("text/css"),
        "{}",
        css.content_type
    );
    for missing in [
        "/graphiql/nope.js",
        "/graphiql/..%2Fsrc%2Flib.rs",
        "/graphiql/index.html",
    ] {
        let reply = api.get(missing).await;
        assert_eq!(reply.status, 404, "{missing}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. A frontend scenario over a fixture of its own
// ---------------------------------------------------------------------------------------------

fn scenario() -> Api {
    Api::from_paths(&[fixture("frontend-scenario.yaml")])
}

#[actix_web::test]
async fn frontend_scenario_search_then_open_the_actor_page() {
    let api = scenario();
    // The user types an alias into the search box.
    let hits = search(&api, "Liwa al-Nahr").await;
    assert_eq!(hits[0]["node"]["id"], "river-brigade");
    assert_eq!(hits[0]["node"]["__typename"], "Actor");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("<mark>"));
    // Then opens the actor's page.
    let d = api
        .data(
            r#"query($id: ID!) { actor(id: $id) {
                name kind aliases
                claimedEvents { edges { claim { confidence assertedBy { name } } node { id title occurredOn } } }
                suspectedPatrons { edges { claim { status confidence assertedBy { name } source { title publisher { name } } } node { name } } }
                motives { edges { kind years via through { id } claim { assertedBy { name } } node { title occurredOn } } }
                sources { nodes { id } }
            } }"#,
            json!({ "id": "river-brigade" }),
        )
        .await;
    let a = &d["actor"];
    assert_eq!(a["name"], "River Brigade");
    assert_eq!(a["kind"], "FRONT_GROUP");
    assert_eq!(a["aliases"], json!(["Liwa al-Nahr"]));
    let claimed = &a["claimedEvents"]["edges"][0];
    assert_eq!(claimed["node"]["id"], "old-fort-drone-attack-2023-03-15");
    assert_eq!(claimed["node"]["occurredOn"], "2023-03-15");
    assert_eq!(claimed["claim"]["assertedBy"]["name"], "River Brigade");
    assert_eq!(claimed["claim"]["confidence"], 85);
    let patron = &a["suspectedPatrons"]["edges"][0];
    assert_eq!(patron["node"]["name"], "Mountain Movement");
    assert_eq!(patron["claim"]["status"], "DISPUTED");
    assert_eq!(patron["claim"]["confidence"], 40);
    assert_eq!(patron["claim"]["assertedBy"]["name"], "The Daily Courier");
    assert_eq!(
        patron["claim"]["source"]["publisher"]["name"],
        "The Daily Courier"
    );
    assert_eq!(
        a["motives"]["edges"],
        json!([{
            "kind": "ANNIVERSARY",
            "years": 10,
            "via": "ACTOR",
            "through": { "id": "river-brigade" },
            "claim": { "assertedBy": { "name": "The Daily Courier" } },
            "node": { "title": "The Mountain Movement is founded", "occurredOn": "2013-03-15" },
        }])
    );
    assert_eq!(
        pluck(&a["sources"]["nodes"], "id"),
        ["courier-report-2023-03-16"]
    );
}

#[actix_web::test]
async fn frontend_scenario_event_page_shows_place_motive_target_and_reaction() {
    let api = scenario();
    let d = api
        .data(
            r#"{ event(id: "old-fort-drone-attack-2023-03-15") {
                title kind partOfDay
                when { date precision partOfDay firstDay lastDay }
                location { name ancestors { name } }
                details { munitions { kind count fired } }
                claimants { totalCount nodes { id } }
                targets { edges { claim { asserterUnknown } node { __typename ... on Actor { name } } } }
                motives { edges { kind years via through { id } node { id } } }
                statements { nodes { text speaker { name leads { edges { node { name } } } } source { published reliability } } }
                sources { nodes { title } }
            } }"#,
            json!({}),
        )
        .await;
    let e = &d["event"];
    assert_eq!(e["title"], "Drones strike the Old Fort");
    assert_eq!(e["kind"], "ATTACK");
    assert_eq!(e["partOfDay"], "NIGHT");
    assert_eq!(
        e["when"],
        json!({ "date": "2023-03-15", "precision": "DAY", "partOfDay": "NIGHT",
                "firstDay": "2023-03-15", "lastDay": "2023-03-15" })
    );
    assert_eq!(e["location"]["name"], "Old Fort");
    assert_eq!(
        pluck(&e["location"]["ancestors"], "name"),
        ["North Province", "Testland"]
    );
    assert_eq!(
        e["details"]["munitions"],
        json!([{ "kind": "DRONE", "count": 2, "fired": true }])
    );
    assert_eq!(e["claimants"]["totalCount"], 1);
    assert_eq!(pluck(&e["claimants"]["nodes"], "id"), ["river-brigade"]);
    let target = &e["targets"]["edges"][0];
    assert_eq!(target["node"]["__typename"], "Actor");
    assert_eq!(target["node"]["name"], "Testland Army");
    assert_eq!(target["claim"]["asserterUnknown"], true);
    // The claimant's own motive reaches the event through the actor.
    assert_eq!(
        e["motives"]["edges"],
        json!([{
            "kind": "ANNIVERSARY", "years": 10, "via": "ACTOR",
            "through": { "id": "river-brigade" },
            "node": { "id": "founding-of-mountain-movement-2013-03-15" },
        }])
    );
    let statement = &e["statements"]["nodes"][0];
    assert_eq!(
        statement["text"],
        "Every drone sent against the fort will be answered"
    );
    assert_eq!(statement["speaker"]["name"], "Rana Haddad");
    assert_eq!(
        pluck(&statement["speaker"]["leads"]["edges"], "node/name"),
        ["Testland Army"]
    );
    assert_eq!(statement["source"]["published"], "2023-03-16");
    assert_eq!(statement["source"]["reliability"], "C");
    assert_eq!(
        pluck(&e["sources"]["nodes"], "title"),
        ["Drones hit the Old Fort on the Movement's anniversary"]
    );
}

#[actix_web::test]
async fn frontend_scenario_lists_and_filters_over_its_own_graph() {
    let api = scenario();
    let d = api
        .data(
            r#"{
              everything: events { totalCount nodes { id } }
              inTestland: events(within: "testland") { nodes { id } }
              inNorth: events(within: "north-province") { nodes { id } }
              disputed: claims(status: DISPUTED) { nodes { id } }
              courier: actor(id: "daily-courier") { published { nodes { id } } assertedClaims { totalCount } }
              army: actor(id: "testland-army") { leaders { edges { claim { evidence { id } } node { id } } } }
              places: locations(within: "testland") { totalCount }
              actors { totalCount }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        pluck(&d["everything"]["nodes"], "id"),
        [
            "founding-of-mountain-movement-2013-03-15",
            "old-fort-drone-attack-2023-03-15"
        ]
    );
    assert_eq!(d["everything"]["totalCount"], 2);
    assert_eq!(
        pluck(&d["inTestland"]["nodes"], "id"),
        pluck(&d["everything"]["nodes"], "id")
    );
    assert_eq!(
        pluck(&d["inNorth"]["nodes"], "id"),
        ["old-fort-drone-attack-2023-03-15"]
    );
    assert_eq!(
        pluck(&d["disputed"]["nodes"], "id"),
        ["river-brigade-front-for-mountain-movement"]
    );
    assert_eq!(
        pluck(&d["courier"]["published"]["nodes"], "id"),
        ["courier-report-2023-03-16"]
    );
    assert_eq!(d["courier"]["assertedClaims"]["totalCount"], 2);
    let leader = &d["army"]["leaders"]["edges"][0];
    assert_eq!(leader["node"]["id"], "rana-haddad");
    assert_eq!(
        pluck(&leader["claim"]["evidence"], "id"),
        ["haddad-answers-the-drones"]
    );
    assert_eq!(d["places"]["totalCount"], 3);
    assert_eq!(d["actors"]["totalCount"], 5);
}

#[actix_web::test]
async fn frontend_scenario_knows_nothing_of_the_seed() {
    let api = scenario();
    let (data, errors) = api
        .errors(r#"{ actor(id: "iran") { name } }"#, json!({}))
        .await;
    assert_eq!(data, json!({ "actor": null }));
    assert_eq!(codes(&errors), ["NOT_FOUND"]);
    assert!(search_ids(&api, "Soleimani").await.is_empty());
}
