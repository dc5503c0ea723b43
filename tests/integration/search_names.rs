//! Search finds names however reporting romanises them (issue 11): the spellings the seed's
//! aliases do not list, apostrophes, units written apart or joined, each hit saying how it
//! matched, and the classes of match in order.

use serde_json::{Value, json};

use crate::support::graphql::Api;

const SEARCH: &str = r#"query($q: String!, $first: Int! = 10) {
  search(query: $q, first: $first) { score matchedBy matchedName snippet node { __typename id } }
}"#;

async fn hits(api: &Api, q: &str) -> Vec<Value> {
    let d = api.data(SEARCH, json!({ "q": q })).await;
    d["search"].as_array().cloned().unwrap_or_default()
}

/// The first hit's id and how it matched.
async fn first(api: &Api, q: &str) -> (String, String) {
    let hits = hits(api, q).await;
    let hit = hits.first().unwrap_or_else(|| panic!("{q}: no hit"));
    (
        hit["node"]["id"].as_str().unwrap_or_default().to_owned(),
        hit["matchedBy"].as_str().unwrap_or_default().to_owned(),
    )
}

#[actix_web::test]
async fn spellings_no_alias_lists_find_the_name_by_the_romanisation_rules() {
    let api = Api::seed();
    for (q, expected) in [
        ("Sulaimani", "qassem-soleimani"),
        ("Soleymani", "qassem-soleimani"),
        ("Qasem Sulaymani", "qassem-soleimani"),
        ("Jabareen", "saraya-qasem-al-jabarin"),
        ("Nojaba", "harakat-al-nujaba"),
        ("Kaabi", "akram-al-kaabi"),
        ("al-Ka'abi", "akram-al-kaabi"),
        ("Akram Alkaabi", "akram-al-kaabi"),
    ] {
        let (id, how) = first(&api, q).await;
        assert_eq!(id, expected, "{q}");
        assert_eq!(how, "NORMALISED", "{q}");
    }
}

#[actix_web::test]
async fn a_name_with_one_wrong_letter_is_found_as_fuzzy() {
    let api = Api::seed();
    for (q, expected) in [
        ("Soleimami", "qassem-soleimani"),
        ("Harakat al-Nujava", "harakat-al-nujaba"),
        ("Jabarim", "saraya-qasem-al-jabarin"),
    ] {
        assert_eq!(
            first(&api, q).await,
            (expected.into(), "FUZZY".into()),
            "{q}"
        );
    }
}

#[actix_web::test]
async fn an_exact_name_beats_an_alias_which_beats_a_normalised_match_which_beats_text() {
    let api = Api::seed();
    assert_eq!(
        first(&api, "harakat al-nujaba").await,
        ("harakat-al-nujaba".into(), "EXACT".into())
    );
    assert_eq!(
        first(&api, "Ain al-Asad").await,
        ("ayn-al-assad".into(), "ALIAS".into())
    );
    let all = hits(&api, "Soleimani").await;
    let classes: Vec<&str> = all
        .iter()
        .map(|h| h["matchedBy"].as_str().unwrap_or_default())
        .collect();
    let order = ["EXACT", "ALIAS", "NORMALISED", "FUZZY", "TEXT"];
    let ranks: Vec<usize> = classes
        .iter()
        .map(|c| order.iter().position(|o| o == c).unwrap_or(99))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{classes:?}");
    assert!(
        classes.contains(&"TEXT"),
        "the anniversary's title mentions him: {classes:?}"
    );
    let scores: Vec<f64> = all.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[actix_web::test]
async fn a_name_hit_names_what_it_matched_and_a_text_hit_does_not() {
    let api = Api::seed();
    let found = hits(&api, "Suleymani").await;
    assert_eq!(found[0]["matchedName"], "Qassem Soleimani", "{found:#?}");
    assert_eq!(found[0]["snippet"], "<mark>Qassem Soleimani</mark>");
    let text = hits(&api, "coffins").await;
    assert_eq!(text[0]["matchedBy"], "TEXT");
    assert_eq!(text[0]["matchedName"], Value::Null);
}

#[actix_web::test]
async fn units_written_apart_or_joined_find_the_same() {
    let api = Api::seed();
    let ids = |hits: Vec<Value>| -> Vec<String> {
        hits.iter()
            .map(|h| h["node"]["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let apart = ids(hits(&api, "240 mm").await);
    assert!(!apart.is_empty());
    assert_eq!(ids(hits(&api, "240mm").await), apart);
    assert_eq!(ids(hits(&api, "240-mm").await), apart);
}
