//! Graph reasoning on the article's graph, over HTTP: the paths from Saraya Qasem al-Jabarin
//! to Iran with their evidence, its patron chain, the derived second anniversary of the
//! Soleimani strike beside the WSJ's assertion, containment, distances, and corroboration.

use serde_json::{Value, json};

use crate::support::ALICE;
use crate::support::graphql::{Api, codes, pluck};

const JABARIN: &str = "saraya-qasem-al-jabarin";
const ARTICLE: &str = "article-iraq-syria-bases-attacked-2022-01";

const PATHS: &str =
    "query($from: ID!, $to: ID!, $min: Int! = 0, $refuted: Boolean! = false, $maxHops: Int! = 4) {
  paths(from: $from, to: $to, minConfidence: $min, includeRefuted: $refuted, maxHops: $maxHops) {
    hops truncated
    paths {
      hops confidence
      nodes { id }
      steps { direction confidence from { id } to { id }
              claim { id relation status assertedBy { id } source { id } } }
    }
  }
}";

/// Great-circle distance in km, computed independently of the server (spherical law of cosines).
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dl = (b.1 - a.1).to_radians();
    let c = (p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos()).clamp(-1.0, 1.0);
    6371.0088 * c.acos()
}

#[actix_web::test]
async fn the_path_from_saraya_qasem_al_jabarin_to_iran_carries_each_claims_evidence() {
    let api = Api::seed();
    let data = api
        .data(PATHS, json!({ "from": JABARIN, "to": "iran" }))
        .await;
    let search = &data["paths"];
    assert_eq!(search["hops"], 2);
    assert_eq!(search["truncated"], false);
    let path = &search["paths"][0];
    assert_eq!(
        pluck(&path["nodes"], "id"),
        [JABARIN, "iran-backed-militias", "iran"]
    );
    let steps = &path["steps"];
    assert_eq!(
        pluck(steps, "claim/id"),
        [
            "saraya-qasem-al-jabarin-front-for-iran-backed-militias",
            "iran-backed-militias-backed-by-iran"
        ]
    );
    assert_eq!(pluck(steps, "direction"), ["FORWARD", "FORWARD"]);
    assert_eq!(
        pluck(steps, "claim/assertedBy/id"),
        ["western-and-iraqi-officials", "western-and-iraqi-officials"]
    );
    assert_eq!(pluck(steps, "claim/source/id"), [ARTICLE, ARTICLE]);
    let confidences: Vec<f64> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["confidence"].as_f64().unwrap() / 100.0)
        .collect();
    let combined = path["confidence"].as_f64().unwrap();
    assert!((combined - confidences.iter().product::<f64>()).abs() < 1e-9);
}

#[actix_web::test]
async fn a_path_followed_backwards_says_so_and_filters_remove_weak_or_refuted_links() {
    let api = Api::seed_for_editors();
    let back = api
        .data(PATHS, json!({ "from": "iran", "to": JABARIN }))
        .await;
    assert_eq!(
        pluck(&back["paths"]["paths"][0]["steps"], "direction"),
        ["BACKWARD", "BACKWARD"]
    );
    // The front-for claim has confidence 50: asking for more leaves no path of two hops.
    let strict = api
        .data(PATHS, json!({ "from": JABARIN, "to": "iran", "min": 60 }))
        .await;
    assert_ne!(strict["paths"]["hops"], 2, "{strict}");
    // A refuted link is not followed unless asked.
    let refuted = api
        .post_as(
            Some(ALICE),
            r#"mutation { setClaimStatus(id: "iran-backed-militias-backed-by-iran", version: 1, status: REFUTED, reason: "test") { status } }"#,
            json!({}),
        )
        .await;
    assert!(refuted.get("errors").is_none(), "{refuted}");
    let without = api
        .data(PATHS, json!({ "from": JABARIN, "to": "iran" }))
        .await;
    assert!(
        !without
            .to_string()
            .contains("iran-backed-militias-backed-by-iran"),
        "{without}"
    );
    let with = api
        .data(
            PATHS,
            json!({ "from": JABARIN, "to": "iran", "refuted": true }),
        )
        .await;
    assert_eq!(with["paths"]["hops"], 2);
    assert_eq!(
        with["paths"]["paths"][0]["steps"][1]["claim"]["status"],
        "REFUTED"
    );
}

#[actix_web::test]
async fn bad_traversal_arguments_are_bad_user_input() {
    let api = Api::seed();
    for (query, vars) in [
        (
            PATHS,
            json!({ "from": JABARIN, "to": "iran", "maxHops": 7 }),
        ),
        (PATHS, json!({ "from": "nobody", "to": "iran" })),
        (PATHS, json!({ "from": JABARIN, "to": "iran", "min": 101 })),
        (
            "{ neighborhood(id: \"iran\", hops: 5) { truncated } }",
            json!({}),
        ),
        (
            "{ neighborhood(id: \"iran\", limit: 0) { truncated } }",
            json!({}),
        ),
        (
            "{ eventsNear(lat: 91, lon: 0, radiusKm: 10) { distanceKm } }",
            json!({}),
        ),
        (
            "{ eventsNear(lat: 0, lon: 0, radiusKm: -1) { distanceKm } }",
            json!({}),
        ),
        (
            "{ event(id: \"soleimani-strike-2020-01-03\") { anniversaries(windowDays: 40) { years } } }",
            json!({}),
        ),
    ] {
        let codes = api.error_codes(query, vars.clone()).await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{query} {vars}");
    }
}

#[actix_web::test]
async fn the_patron_chain_of_saraya_qasem_al_jabarin_reaches_iran() {
    let api = Api::seed();
    let data = api
        .data(
            r#"{ actor(id: "saraya-qasem-al-jabarin") { patronChain {
                truncated top { id }
                steps { depth client { id } patron { id } claim { id relation assertedBy { id } } }
            } } }"#,
            json!({}),
        )
        .await;
    let chain = &data["actor"]["patronChain"];
    assert_eq!(pluck(&chain["top"], "id"), ["iran"]);
    assert_eq!(chain["truncated"], false);
    let steps = &chain["steps"];
    assert_eq!(pluck(steps, "client/id"), [JABARIN, "iran-backed-militias"]);
    assert_eq!(pluck(steps, "patron/id"), ["iran-backed-militias", "iran"]);
    assert_eq!(pluck(steps, "claim/relation"), ["FRONT_FOR", "BACKED_BY"]);
    assert_eq!(steps[1]["depth"], 2);
}

#[actix_web::test]
async fn the_2022_01_03_attacks_fall_on_the_second_anniversary_of_the_soleimani_strike() {
    let api = Api::seed();
    let data = api
        .data(
            r#"{ event(id: "attacks-on-us-forces-2022-01-03") { anniversaries {
                years dayGap anniversaryOn derived rule basis event { id } assertedBy { id source { id } }
            } } }"#,
            json!({}),
        )
        .await;
    let links = data["event"]["anniversaries"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{links:#?}");
    let link = &links[0];
    assert_eq!(link["event"]["id"], "soleimani-strike-2020-01-03");
    assert_eq!(link["years"], 2);
    assert_eq!(link["dayGap"], 0);
    assert_eq!(link["anniversaryOn"], "2022-01-03");
    assert_eq!(link["derived"], true);
    assert_eq!(link["rule"], "same_calendar_day");
    assert!(link["basis"].as_str().unwrap().contains("2020-01-03"));
    // The WSJ also asserts the motive for the campaign the attacks are part of: both show.
    assert_eq!(
        link["assertedBy"],
        json!([{ "id": "attacks-marked-second-anniversary-of-soleimani-strike",
                 "source": { "id": "wsj-report-attacks-mark-soleimani-anniversary" } }])
    );
}

#[actix_web::test]
async fn the_window_decides_which_days_count_and_an_event_without_a_day_has_none() {
    let api = Api::seed();
    let query = r#"query($id: ID!, $w: Int!) { event(id: $id) { anniversaries(windowDays: $w) { years dayGap event { id } } } }"#;
    let ayn = "ayn-al-assad-rocket-attack-2022-01-05";
    let wide = api.data(query, json!({ "id": ayn, "w": 3 })).await;
    assert_eq!(
        wide["event"]["anniversaries"],
        json!([{ "years": 2, "dayGap": 2, "event": { "id": "soleimani-strike-2020-01-03" } }])
    );
    let narrow = api.data(query, json!({ "id": ayn, "w": 1 })).await;
    assert_eq!(narrow["event"]["anniversaries"], json!([]));
    let month_only = api
        .data(
            query,
            json!({ "id": "us-combat-role-in-iraq-ends-2021", "w": 31 }),
        )
        .await;
    assert_eq!(month_only["event"]["anniversaries"], json!([]));
}

#[actix_web::test]
async fn events_within_a_country_include_those_at_its_bases_and_cities() {
    let api = Api::seed();
    let query = "query($in: ID!) { events(within: $in, first: 500) { edges { node { id } } } }";
    let iraq = api.data(query, json!({ "in": "iraq" })).await;
    let iraq = pluck(&iraq["events"]["edges"], "node/id");
    for id in [
        "ayn-al-assad-rocket-attack-2022-01-05",
        "baghdad-airport-rocket-attack-2022-01-05",
        "al-kaabi-basra-speech-2022-01-04",
    ] {
        assert!(iraq.contains(&id.to_owned()), "{id} in {iraq:?}");
    }
    let syria = api.data(query, json!({ "in": "syria" })).await;
    let syria = pluck(&syria["events"]["edges"], "node/id");
    assert!(
        syria.iter().all(|id| !iraq.contains(id)),
        "nothing in Iraq is in Syria: {syria:?}"
    );
    let places = api
        .data(
            r#"{ location(id: "ayn-al-assad") { ancestors { id } } iraq: location(id: "iraq") { descendants { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        pluck(&places["location"]["ancestors"], "id"),
        ["anbar", "iraq", "middle-east"]
    );
    let inside = pluck(&places["iraq"]["descendants"], "id");
    assert_eq!(&inside[..3], ["anbar", "baghdad", "basra"], "nearest first");
    assert!(inside.contains(&"ayn-al-assad".to_owned()));
    assert!(inside.contains(&"base-near-baghdad-international-airport".to_owned()));
}

#[actix_web::test]
async fn events_near_a_point_and_distances_between_places_are_great_circle_km() {
    let api = Api::seed();
    let baghdad = (33.3152, 44.3661);
    let airport_base = (33.2625, 44.2346);
    let ayn = (33.7856, 42.4412);
    let data = api
        .data(
            r#"{
              near: eventsNear(lat: 33.3152, lon: 44.3661, radiusKm: 30) { distanceKm event { id } location { id } }
              wide: eventsNear(lat: 33.3152, lon: 44.3661, radiusKm: 200) { distanceKm event { id } }
              event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
                toBaghdad: distanceTo(location: "baghdad")
                toNowhere: distanceTo(location: "neighbourhood-near-baghdad-international-airport")
              }
            }"#,
            json!({}),
        )
        .await;
    let near = data["near"].as_array().unwrap();
    assert_eq!(near.len(), 1, "{near:#?}");
    assert_eq!(
        near[0]["event"]["id"],
        "baghdad-airport-rocket-attack-2022-01-05"
    );
    let d = near[0]["distanceKm"].as_f64().unwrap();
    assert!((d - km(baghdad, airport_base)).abs() < 0.01, "{d}");
    assert!((13.0..14.0).contains(&d), "{d}");
    let wide = pluck(&data["wide"], "event/id");
    assert_eq!(
        wide,
        [
            "baghdad-airport-rocket-attack-2022-01-05",
            "ayn-al-assad-rocket-attack-2022-01-05"
        ],
        "nearest first"
    );
    let to_baghdad = data["event"]["toBaghdad"].as_f64().unwrap();
    assert!((to_baghdad - km(ayn, baghdad)).abs() < 0.01, "{to_baghdad}");
    assert!((180.0..190.0).contains(&to_baghdad), "{to_baghdad}");
    assert!(
        data["event"]["toNowhere"].is_null(),
        "a place without coordinates has no distance"
    );
}

#[actix_web::test]
async fn a_neighbourhood_is_ready_to_draw() {
    let api = Api::seed();
    let data = api
        .data(
            r#"{ neighborhood(id: "saraya-qasem-al-jabarin", hops: 2, limit: 4) {
                truncated center { id }
                nodes { nodeId type kind label distance node { id } }
                edges { claimId relation source target direction claim { id } }
            } }"#,
            json!({}),
        )
        .await;
    let hood = &data["neighborhood"];
    assert_eq!(hood["center"]["id"], JABARIN);
    assert_eq!(
        hood["truncated"], true,
        "more than 4 nodes lie within 2 hops"
    );
    let nodes = hood["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 4);
    assert_eq!(
        nodes[0],
        json!({ "nodeId": JABARIN, "type": "ACTOR", "kind": "armed_group",
                "label": "Saraya Qasem al-Jabarin", "distance": 0, "node": { "id": JABARIN } })
    );
    let distances: Vec<i64> = nodes
        .iter()
        .map(|n| n["distance"].as_i64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    let ids: Vec<String> = pluck(&hood["nodes"], "nodeId");
    assert_eq!(
        ids,
        pluck(&hood["nodes"], "node/id"),
        "nodeId is the node's id"
    );
    for edge in hood["edges"].as_array().unwrap() {
        assert_eq!(
            edge["claimId"], edge["claim"]["id"],
            "claimId is the claim's id"
        );
    }
    for edge in hood["edges"].as_array().unwrap() {
        for end in ["source", "target"] {
            let id = edge[end].as_str().unwrap().to_owned();
            assert!(ids.contains(&id), "edge {edge} leaves the drawn nodes");
        }
    }
    let front = hood["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["relation"] == "FRONT_FOR")
        .expect("the front-for claim is drawn");
    assert_eq!(front["direction"], "OUTWARD");
}

#[actix_web::test]
async fn corroboration_counts_independent_sources_and_tells_a_self_claim_apart() {
    let api = Api::seed_for_editors();
    let query = r#"query($id: ID!) { claim(id: $id) { corroboration {
        sourceCount independentSourceCount corroborated selfAsserted sources { id } claims { id } } } }"#;
    let claimed = api
        .data(
            query,
            json!({ "id": "saraya-qasem-al-jabarin-claimed-ayn-al-assad-attack" }),
        )
        .await;
    let c = &claimed["claim"]["corroboration"];
    assert_eq!(c["selfAsserted"], true, "the group claims its own attack");
    assert_eq!(c["sourceCount"], 1);
    assert_eq!(c["corroborated"], false);

    // The WSJ report reaches us through the article: the same assertion there is not independent.
    let anniversary = "attacks-marked-second-anniversary-of-soleimani-strike";
    let assert = r#"mutation($input: ClaimInput!) { assertClaim(input: $input) { id } }"#;
    let again = |id: &str, source: &str| {
        json!({ "input": {
            "id": id, "subject": "attacks-on-us-forces-2022-01-03-to-05",
            "relation": "MARKED_ANNIVERSARY_OF", "object": "soleimani-strike-2020-01-03",
            "assertedBy": "unknown", "source": source, "confidence": 60,
            "qualifiers": { "years": 2 }
        } })
    };
    let body = api
        .post_as(
            Some(ALICE),
            assert,
            again("anniversary-in-article", ARTICLE),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let dependent = api.data(query, json!({ "id": anniversary })).await;
    let c = &dependent["claim"]["corroboration"];
    assert_eq!(c["sourceCount"], 2);
    assert_eq!(c["independentSourceCount"], 1);
    assert_eq!(c["selfAsserted"], false);

    let body = api
        .post_as(
            Some(ALICE),
            r#"mutation { createSource(input: { id: "wire-report", kind: NEWS_REPORT, title: "Wire report" }) { id } }"#,
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = api
        .post_as(
            Some(ALICE),
            assert,
            again("anniversary-on-the-wire", "wire-report"),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let independent = api.data(query, json!({ "id": anniversary })).await;
    let c = &independent["claim"]["corroboration"];
    assert_eq!(c["sourceCount"], 3);
    assert_eq!(c["independentSourceCount"], 2);
    assert_eq!(c["corroborated"], true);
    assert_eq!(
        pluck(&c["claims"], "id"),
        [
            "anniversary-in-article",
            "anniversary-on-the-wire",
            anniversary
        ]
    );
}

#[actix_web::test]
async fn unknown_ids_in_reasoning_arguments_name_the_argument() {
    let api = Api::seed();
    let (_, errors) = api
        .errors(
            r#"{ event(id: "soleimani-strike-2020-01-03") { distanceTo(location: "atlantis") } }"#,
            json!({}),
        )
        .await;
    assert_eq!(codes(&errors), ["BAD_USER_INPUT"]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("`location`")
    );
    let value: Value = api
        .post(
            r#"{ neighborhood(id: "atlantis") { truncated } }"#,
            json!({}),
        )
        .await;
    assert!(
        value["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`id`")
    );
}

#[actix_web::test]
async fn a_path_from_a_node_to_itself_has_no_steps_and_unconnected_nodes_have_no_path() {
    let api = Api::seed();
    let same = api
        .data(
            r#"{ paths(from: "iran", to: "iran") { hops paths { hops confidence nodes { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        same["paths"],
        json!({ "hops": 0, "paths": [{ "hops": 0, "confidence": 1.0, "nodes": [{ "id": "iran" }] }] })
    );
    let none = api
        .data(
            r#"{ paths(from: "iran", to: "basra", maxHops: 1) { hops truncated paths { hops } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        none["paths"],
        json!({ "hops": null, "truncated": false, "paths": [] })
    );
}
