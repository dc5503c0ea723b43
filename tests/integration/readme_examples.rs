//! The README's GraphQL examples run against the seed and answer what the README says.

use actix_web::{App, test};
use claimgraph::fixture;
use claimgraph::http::{AppState, configure};
use claimgraph::storage::{Database, Store};

use crate::support::root;

/// The contents of every fenced block of `lang` in the README, in order.
fn blocks(readme: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    readme
        .split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split("```").next().map(str::to_owned))
        .collect()
}

/// Every fenced block as (language, contents), in order.
fn fenced(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = readme;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else {
            break;
        };
        let lang = after[..line_end].trim().to_owned();
        let body = &after[line_end + 1..];
        let Some(end) = body.find("```") else { break };
        out.push((lang, body[..end].to_owned()));
        rest = &body[end + 3..];
    }
    out
}

/// Each GraphQL example with the answer the README shows right after it, if it shows one.
fn documented_answers(readme: &str) -> Vec<(String, Option<serde_json::Value>)> {
    let blocks = fenced(readme);
    blocks
        .iter()
        .enumerate()
        .filter(|(_, (lang, _))| lang == "graphql")
        .map(|(i, (_, query))| {
            let answer = blocks
                .get(i + 1)
                .filter(|(lang, _)| lang == "json")
                .map(|(_, text)| {
                    serde_json::from_str(text).unwrap_or_else(|e| {
                        panic!("the README's answer after block {i} is not JSON: {e}")
                    })
                });
            (query.clone(), answer)
        })
        .collect()
}

/// The README's token for the examples' editor; any valid token works, the README's own
/// are placeholders.
const TOKEN: &str = "readme-editor-token-0123456789";

/// The README's example tokens file, with its first token replaced by [`TOKEN`].
fn tokens(readme: &str) -> claimgraph::auth::Tokens {
    let text = blocks(readme, "text")
        .into_iter()
        .find(|b| b.contains("claimgraph editors"))
        .expect("the README shows a tokens file");
    claimgraph::auth::Tokens::parse(&text).expect("the README's tokens file is valid");
    let line = text
        .lines()
        .find(|l| l.starts_with("alice"))
        .expect("alice is an editor");
    let token = line.split_whitespace().nth(1).unwrap_or_default();
    claimgraph::auth::Tokens::parse(&text.replace(token, TOKEN)).unwrap()
}

#[actix_web::test]
async fn the_readmes_graphql_examples_answer_as_documented() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = documented_answers(&readme);
    // With UPDATE_README set, stale answers are written into the README instead of failing.
    let mut rewritten = readme.clone();
    let queries: Vec<String> = examples.iter().map(|(q, _)| q.clone()).collect();
    assert!(!queries.is_empty(), "the README shows GraphQL examples");
    assert!(
        examples.iter().filter(|(_, a)| a.is_some()).count() >= 3,
        "the headline, a path and a neighbourhood query show their answers"
    );

    let loaded = fixture::bundled();
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
        .unwrap();
    let state = AppState::new(Database::in_memory(store), tokens(&readme));
    let schema = state.schema.clone();
    let db = state.db.clone();
    let app = test::init_service(App::new().configure(move |c| configure(c, state))).await;

    // Subscriptions listen from the start, so that the README's mutations answer them.
    let mut subscriptions = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        if query.starts_with("subscription") {
            let request = async_graphql::Request::new(query.as_str())
                .data(claimgraph::graph::RequestData::uncached(db.clone()));
            let mut stream = schema.execute_stream(request);
            let first = tokio::task::spawn_local(async move {
                use futures_util::StreamExt;
                stream.next().await
            });
            // Let the subscription start listening before the examples that follow write.
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            subscriptions.push((i, first));
        }
    }
    for (i, query) in queries.iter().enumerate() {
        if query.starts_with("subscription") {
            continue;
        }
        let mut req = test::TestRequest::post()
            .uri("/graphql")
            .set_json(serde_json::json!({ "query": query }));
        if query.starts_with("mutation") {
            req = req.insert_header(("authorization", format!("Bearer {TOKEN}")));
        }
        let body: serde_json::Value = test::call_and_read_body_json(&app, req.to_request()).await;
        assert!(
            body.get("errors").is_none(),
            "README example {i} fails: {body}\n{query}"
        );
        if let Some(documented) = &examples[i].1 {
            // Compared as text, so that the order of the fields counts too: an answer keeps
            // the order of its query.
            let pretty =
                |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
            if std::env::var_os("UPDATE_README").is_some() && pretty(&body) != pretty(documented) {
                let old = format!("```json\n{}\n```", pretty(documented));
                let new = format!("```json\n{}\n```", pretty(&body));
                rewritten = rewritten.replacen(&old, &new, 1);
                continue;
            }
            assert_eq!(
                pretty(&body),
                pretty(documented),
                "the README's answer to example {i} is stale or out of order:\n{query}"
            );
        }
    }
    if rewritten != readme {
        std::fs::write(root().join("README.md"), &rewritten).unwrap();
        panic!("UPDATE_README: the README's answers were rewritten; run the test again");
    }
    for (i, first) in subscriptions {
        let first = tokio::time::timeout(std::time::Duration::from_secs(10), first)
            .await
            .unwrap_or_else(|_| panic!("README subscription {i} heard nothing"))
            .expect("the subscription task ran")
            .unwrap_or_else(|| panic!("README subscription {i} ended"));
        assert!(
            first.errors.is_empty(),
            "README subscription {i} fails: {:?}",
            first.errors
        );
    }
}
