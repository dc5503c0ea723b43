//! How well search finds names spelled as reporting spells them (issue 11): every variant
//! spelling of `tests/fixtures/search/variants.yaml` (real spellings from the press and the
//! romanisation systems, each with the entity it must find) is searched in a graph of the
//! entities of `entities.yaml` (canonical names, no aliases) among a few thousand generated
//! names made of the same parts. A generated name that one of the variants spells word for
//! word (by the spelling rules: "Hassan Soleimani" for the variant "Soleimani") is left out:
//! it would be a right answer to that search under another id, not a near miss. Recall@1 and
//! recall@5 must reach the issue's targets; the figures are printed
//! (`cargo test --test integration search_recall -- --nocapture`).

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::support::names::{graph, variants};

const SEARCH: &str = r#"query($q: String!) {
  search(query: $q, first: 10) { matchedBy node { id } }
}"#;

#[actix_web::test]
async fn variant_spellings_find_their_entity_first_most_of_the_time_and_in_the_top_five_nearly_always()
 {
    let tmp = tempfile::tempdir().unwrap();
    let variants = variants();
    let (api, generated) = graph(tmp.path(), &variants, &[]);
    assert!(variants.len() >= 150, "the issue asks for at least 150");
    let (mut at1, mut at5, mut false_hits) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut by_class: std::collections::BTreeMap<String, usize> = Default::default();
    for (query, expected, why) in &variants {
        let d = api.data(SEARCH, json!({ "q": query })).await;
        let hits: Vec<(String, String)> = d["search"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h: &Value| {
                (
                    h["node"]["id"].as_str().unwrap_or_default().to_owned(),
                    h["matchedBy"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let rank = hits.iter().position(|(id, _)| id == expected);
        if rank == Some(0) {
            at1 += 1;
        }
        if rank.is_some_and(|r| r < 5) {
            at5 += 1;
        } else {
            misses.push(format!("{query:?} → {expected} ({why}): {hits:?}"));
        }
        if let Some(r) = rank {
            *by_class.entry(hits[r].1.clone()).or_default() += 1;
        }
        // Wrong answers put before the right one (or all of the top five when it is missing).
        false_hits += rank.unwrap_or(hits.len().min(5));
    }
    let n = variants.len() as f64;
    let (r1, r5) = (at1 as f64 / n, at5 as f64 / n);
    println!(
        "search recall over {} variant spellings of {} entities among {generated} look-alikes:",
        variants.len(),
        variants.iter().map(|v| &v.1).collect::<HashSet<_>>().len()
    );
    println!(
        "  recall@1 {r1:.3}, recall@5 {r5:.3}, false hits ranked above the right one per query {:.2}",
        false_hits as f64 / n
    );
    println!("  how the right hits matched: {by_class:?}");
    for miss in &misses {
        println!("  missed: {miss}");
    }
    assert!(r5 >= 0.95, "recall@5 {r5:.3} under 0.95");
    assert!(r1 >= 0.85, "recall@1 {r1:.3} under 0.85");
}
