//! The README's GraphQL examples run against the seed and answer what the README says.

mod common;

use actix_web::{App, test};
use claimgraph::fixture;
use claimgraph::http::{AppState, configure};
use claimgraph::storage::{Database, Store};
use common::root;

/// The contents of every fenced block of `lang` in the README, in order.
fn blocks(readme: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    readme
        .split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split("```").next().map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn the_readmes_graphql_examples_answer_as_documented() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let queries = blocks(&readme, "graphql");
    let answers = blocks(&readme, "json");
    assert!(!queries.is_empty(), "the README shows GraphQL examples");

    let loaded = fixture::bundled();
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
        .unwrap();
    let state = AppState::new(Database::in_memory(store), Default::default());
    let app = test::init_service(App::new().configure(move |c| configure(c, state))).await;

    for (i, query) in queries.iter().enumerate() {
        let req = test::TestRequest::post()
            .uri("/graphql")
            .set_json(serde_json::json!({ "query": query }))
            .to_request();
        let body: serde_json::Value = test::call_and_read_body_json(&app, req).await;
        assert!(
            body.get("errors").is_none(),
            "README example {i} fails: {body}\n{query}"
        );
        if query.contains("query Headline") {
            let documented: serde_json::Value = serde_json::from_str(&answers[0]).unwrap();
            assert_eq!(
                body, documented,
                "the README's answer to the headline query is stale"
            );
        }
    }
}
