//! Hostile and careless requests: each attack of issue 10 gets its coded error before anything
//! costly runs, the server stays able to answer (every connection back in the pool, the
//! health check served), and GraphQL over HTTP follows the spec (media types, status codes,
//! errors as GraphQL JSON, fields in the query's order, persisted queries).

use std::time::Duration;

use actix_web::test::TestRequest;
use claimgraph::http::ServerLimits;
use claimgraph::storage::{Database, StorageError, Store};
use serde_json::{Value, json};
use sha2::Digest;

use crate::support::graphql::{Api, Reply, codes};
use crate::support::root;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// `query { ...Fn }` where each fragment spreads the one before twice: 2^n fields.
fn doubling_fragments(n: usize) -> String {
    let mut doc = String::from("query { ...F%N% } fragment F0 on Query { relations { meaning } }")
        .replace("%N%", &n.to_string());
    for i in 1..=n {
        doc += &format!(" fragment F{i} on Query {{ ...F{p} ...F{p} }}", p = i - 1);
    }
    doc
}

/// POSTs `body` as JSON, accepting `accept`.
async fn post_accepting(api: &Api, accept: &str, body: Value) -> Reply {
    api.call(
        TestRequest::post()
            .uri("/graphql")
            .insert_header(("accept", accept))
            .set_json(body),
    )
    .await
}

fn first_code(reply: &Reply) -> String {
    let body = reply.json();
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    codes(&errors).first().cloned().unwrap_or_default()
}

#[actix_web::test]
async fn doubling_fragments_are_refused_as_too_costly_before_anything_runs() {
    let api = Api::seed();
    let reply = api
        .call_raw_post(&json!({ "query": doubling_fragments(24) }).to_string())
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(first_code(&reply), "COST_LIMIT");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "fields");
    assert_eq!(body["errors"][0]["extensions"]["max"], 5000);
    assert!(
        body.get("data").is_none(),
        "a refused request has no data: {body}"
    );
    // The current media type tells request errors by their status.
    let strict = post_accepting(
        &api,
        GRAPHQL_RESPONSE,
        json!({ "query": doubling_fragments(24) }),
    )
    .await;
    assert_eq!(strict.status, 400);
    assert!(strict.content_type.starts_with(GRAPHQL_RESPONSE));
}

#[actix_web::test]
async fn a_search_repeating_one_word_costs_what_the_word_costs_and_too_many_words_are_refused() {
    let api = Api::seed();
    let repeated = "rocket ".repeat(20_000);
    let query = "query($q: String!) { search(query: $q) { node { id } } }";
    let once = api.data(query, json!({ "q": "rocket" })).await;
    let many = api.data(query, json!({ "q": repeated })).await;
    assert_eq!(once, many);
    let words: String = (0..800).map(|i| format!("w{i} ")).collect();
    let codes = api.error_codes(query, json!({ "q": words })).await;
    assert_eq!(codes, ["COST_LIMIT"]);
}

#[actix_web::test]
async fn thousands_of_aliases_are_refused_and_editors_may_send_more_than_readers() {
    let api = Api::seed_for_editors();
    let heavy: String = (0..10_000)
        .map(|i| {
            format!(
                "a{i}: neighborhood(id: \"iran\", hops: 4, limit: 2000) {{ nodes {{ nodeId }} }} "
            )
        })
        .collect();
    let reply = api
        .call_raw_post(&json!({ "query": format!("{{ {heavy} }}") }).to_string())
        .await;
    assert_eq!(first_code(&reply), "COST_LIMIT");
    let few: String = (0..150)
        .map(|i| format!("r{i}: relations {{ meaning }} "))
        .collect();
    let query = format!("{{ {few} }}");
    let as_reader = api.post_as(None, &query, json!({})).await;
    assert_eq!(as_reader["errors"][0]["extensions"]["code"], "COST_LIMIT");
    assert_eq!(as_reader["errors"][0]["extensions"]["limit"], "aliases");
    let as_editor = api
        .post_as(Some(crate::support::ALICE), &query, json!({}))
        .await;
    assert!(as_editor["errors"].is_null(), "{as_editor}");
    assert!(as_editor["data"]["r149"].is_array());
}

/// A graph in a database file, as `serve --db` reads it: through the pool of read connections.
fn file_api(dir: &std::path::Path, readers: usize) -> Api {
    let path = dir.join("graph.db");
    let loaded = claimgraph::fixture::load(&[root().join("seed")]);
    let mut store = Store::open(&path).expect("a database file");
    store
        .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
        .expect("the seed is written");
    drop(store);
    let db = Database::open(&path, readers).expect("the database opens");
    Api::from_state_parts(db)
}

const HEADLINE_EVENT: &str = r#"{
  event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
    id title occurredOn location { id name parent { id name } }
    claimants { edges {
      claim { id assertedBy { id name } source { id title } confidence status }
      node { id name suspectedPatrons { edges { node { id name } } } }
    } }
    motives { edges { kind years claim { id source { id title } } node { id title occurredOn } } }
  }
}"#;

#[actix_web::test]
async fn a_request_past_its_deadline_answers_timeout_and_leaves_every_connection_usable() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let api = file_api(dir.path(), 4);
    let hurried = api.with_limits(ServerLimits {
        timeout: Duration::from_nanos(1),
        ..ServerLimits::default()
    });
    for _ in 0..20 {
        let reply = hurried
            .call_raw_post(&json!({ "query": HEADLINE_EVENT }).to_string())
            .await;
        assert_eq!(reply.status, 504, "{}", reply.text());
        assert_eq!(first_code(&reply), "TIMEOUT");
    }
    // Stopped reads gave their connections back, in a state fit for the next request.
    assert_eq!(api.database().free_readers(), api.database().pool_size());
    let data = api.data(HEADLINE_EVENT, json!({})).await;
    assert_eq!(
        data["event"]["claimants"]["edges"][0]["node"]["id"],
        "saraya-qasem-al-jabarin"
    );
}

#[actix_web::test]
async fn reads_holding_every_connection_leave_the_health_check_answering_and_others_busy() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let api = file_api(dir.path(), 4);
    api.database().set_read_wait(Duration::from_millis(50));
    // Four requests, each holding a connection inside its snapshot.
    let mut held = Vec::new();
    for _ in 0..4 {
        let snapshot = api.database().snapshot();
        snapshot
            .read(|conn| conn.query_one("SELECT 1", &[], |r| r.get::<i64>(0)))
            .await
            .expect("a read");
        held.push(snapshot);
    }
    assert_eq!(api.database().free_readers(), 0);
    let health = api.get("/healthz").await;
    assert_eq!(health.status, 200, "{}", health.text());
    let busy = api
        .database()
        .read(|conn| conn.query_one("SELECT 1", &[], |r| r.get::<i64>(0)))
        .await;
    assert!(
        matches!(busy, Err(StorageError::Busy { waited_ms: 50 })),
        "{busy:?}"
    );
    let reply = api
        .call_raw_post(&json!({ "query": HEADLINE_EVENT }).to_string())
        .await;
    assert_eq!(first_code(&reply), "BUSY", "{}", reply.text());
    // Also where an argument names a node that must be looked up first.
    let filtered = json!({ "query": r#"{ events(involving: "iran") { totalCount } }"# });
    let reply = api.call_raw_post(&filtered.to_string()).await;
    assert_eq!(first_code(&reply), "BUSY", "{}", reply.text());
    assert_eq!(reply.status, 503);
    for snapshot in &held {
        snapshot.end().await;
    }
    assert_eq!(api.database().free_readers(), 4);
}

#[test]
fn a_checkpoint_empties_the_wal_once_no_reader_holds_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("graph.db");
    let loaded = claimgraph::fixture::load(&[root().join("seed")]);
    let mut store = Store::open(&path).expect("a database file");
    store
        .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
        .expect("the seed is written");
    assert!(store.wal_bytes() > 0, "the seed went through the WAL");
    // A reader in the middle of a read transaction keeps the WAL in use.
    let reader = rusqlite::Connection::open(&path).expect("a reader");
    reader.execute_batch("BEGIN").expect("begin");
    let _: i64 = reader
        .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
        .expect("a read");
    assert_eq!(store.checkpoint().ok(), Some(false));
    reader.execute_batch("COMMIT").expect("commit");
    assert_eq!(store.checkpoint().ok(), Some(true));
    assert_eq!(store.wal_bytes(), 0);
}

#[actix_web::test]
async fn heavy_requests_leave_connections_to_cheap_ones() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let api = file_api(dir.path(), 4);
    api.database().set_read_wait(Duration::from_millis(50));
    let heavy = api.database().heavy();
    let share = api.database().heavy_share();
    assert!((1..4).contains(&share), "{share}");
    let mut held = Vec::new();
    for _ in 0..share {
        let snapshot = heavy.snapshot();
        snapshot
            .read(|conn| conn.query_one("SELECT 1", &[], |r| r.get::<i64>(0)))
            .await
            .expect("a heavy read within its share");
        held.push(snapshot);
    }
    let fourth = heavy
        .read(|conn| conn.query_one("SELECT 1", &[], |r| r.get::<i64>(0)))
        .await;
    assert!(
        matches!(fourth, Err(StorageError::Busy { .. })),
        "{fourth:?}"
    );
    let cheap = api
        .data(r#"{ actor(id: "iran") { name } }"#, json!({}))
        .await;
    assert_eq!(cheap["actor"]["name"], "Iran");
    for snapshot in &held {
        snapshot.end().await;
    }
}

#[actix_web::test]
async fn a_body_over_the_limit_is_refused_before_it_is_read() {
    let api = Api::seed().with_limits(ServerLimits {
        body_bytes: 1_000,
        ..ServerLimits::default()
    });
    let big = json!({ "query": format!("{{ relations {{ meaning }} }} #{}", "x".repeat(2_000)) });
    let sent = api.call_raw_post(&big.to_string()).await;
    assert_eq!(sent.status, 413);
    assert_eq!(first_code(&sent), "PAYLOAD_TOO_LARGE");
    assert!(sent.content_type.starts_with("application/json"));
    assert_eq!(sent.json()["errors"][0]["extensions"]["max"], 1000);
}

#[actix_web::test]
async fn a_post_that_is_not_json_is_refused_as_an_unsupported_media_type() {
    let api = Api::seed();
    let body = json!({ "query": "{ relations { meaning } }" }).to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/graphql"),
        Some("application/json; charset=latin1"),
        None,
    ] {
        let mut req = TestRequest::post()
            .uri("/graphql")
            .set_payload(body.clone());
        if let Some(t) = content_type {
            req = req.insert_header(("content-type", t));
        }
        let reply = api.call(req).await;
        assert_eq!(reply.status, 415, "{content_type:?}: {}", reply.text());
        assert_eq!(first_code(&reply), "UNSUPPORTED_MEDIA_TYPE");
    }
    let fine = api
        .call(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("content-type", "application/json; charset=utf-8"))
                .set_payload(body),
        )
        .await;
    assert_eq!(fine.status, 200, "{}", fine.text());
}

#[actix_web::test]
async fn every_transport_error_is_graphql_json_with_a_code() {
    let api = Api::seed();
    let cases: Vec<(Reply, u16, &str)> = vec![
        (api.call_raw_post("{ not json").await, 400, "BAD_REQUEST"),
        (
            api.call_raw_post(r#"[{"query": "{ relations { meaning } }"}]"#)
                .await,
            400,
            "BATCH_NOT_SUPPORTED",
        ),
        (
            api.call_raw_post(r#"{"query": 42}"#).await,
            400,
            "BAD_REQUEST",
        ),
        (
            api.call_raw_post(r#"{"query": "{ relations { meaning } }", "variables": "x"}"#)
                .await,
            400,
            "BAD_REQUEST",
        ),
        (
            api.call_raw_post(r#"{"variables": {}}"#).await,
            400,
            "BAD_REQUEST",
        ),
        (api.get("/graphql").await, 400, "BAD_REQUEST"),
        (
            api.get("/graphql?query=%7Brelations%7Bmeaning%7D%7D&variables=nope")
                .await,
            400,
            "BAD_REQUEST",
        ),
        (
            api.call(TestRequest::put().uri("/graphql")).await,
            405,
            "METHOD_NOT_ALLOWED",
        ),
        (
            api.call(
                TestRequest::get()
                    .uri("/graphql?query=%7Brelations%7Bmeaning%7D%7D")
                    .insert_header(("accept", "text/html")),
            )
            .await,
            406,
            "NOT_ACCEPTABLE",
        ),
    ];
    for (reply, status, code) in cases {
        assert_eq!(reply.status, status, "{}", reply.text());
        assert!(
            reply.content_type.contains("json"),
            "{}",
            reply.content_type
        );
        assert_eq!(first_code(&reply), code, "{}", reply.text());
        assert!(
            !reply.json()["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .is_empty()
        );
    }
}

#[actix_web::test]
async fn the_current_media_type_is_answered_when_asked_for_with_400_for_request_errors() {
    let api = Api::seed();
    let ok = post_accepting(
        &api,
        "application/graphql-response+json, application/json;q=0.9",
        json!({ "query": "{ relations { meaning } }" }),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert!(
        ok.content_type.starts_with(GRAPHQL_RESPONSE),
        "{}",
        ok.content_type
    );
    for (query, variables, code) in [
        ("{ relations { meaning }", json!({}), "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", json!({}), "GRAPHQL_VALIDATION_FAILED"),
        (
            "query($n: Int!) { search(query: \"x\", first: $n) { score } }",
            json!({ "n": "ten" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "query($n: Int!) { search(query: \"x\", first: $n) { score } }",
            json!({}),
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        let body = json!({ "query": query, "variables": variables });
        let strict = post_accepting(&api, GRAPHQL_RESPONSE, body.clone()).await;
        assert_eq!(strict.status, 400, "{query}: {}", strict.text());
        assert_eq!(first_code(&strict), code, "{query}");
        assert!(strict.json().get("data").is_none(), "{}", strict.text());
        let legacy = post_accepting(&api, "application/json", body).await;
        assert_eq!(legacy.status, 200, "{query}");
        assert!(legacy.content_type.starts_with("application/json"));
    }
}

/// The keys of a JSON object, in the order they came.
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[actix_web::test]
async fn fields_come_back_in_the_order_the_query_asks_for_them() {
    let api = Api::seed();
    let data = api.data(HEADLINE_EVENT, json!({})).await;
    let event = &data["event"];
    assert_eq!(
        keys(event),
        [
            "id",
            "title",
            "occurredOn",
            "location",
            "claimants",
            "motives"
        ]
    );
    let edge = &event["claimants"]["edges"][0];
    assert_eq!(keys(edge), ["claim", "node"]);
    assert_eq!(
        keys(&edge["claim"]),
        ["id", "assertedBy", "source", "confidence", "status"]
    );
    let reversed = r#"{ event(id: "ayn-al-assad-rocket-attack-2022-01-05") {
        motives { edges { node { occurredOn title id } years kind } }
        ...Names
        location { parent { name id } name id }
      } }
      fragment Names on Event { title id }"#;
    let data = api.data(reversed, json!({})).await;
    assert_eq!(keys(&data["event"]), ["motives", "title", "id", "location"]);
    assert_eq!(keys(&data["event"]["location"]), ["parent", "name", "id"]);
    let motive = &data["event"]["motives"]["edges"][0];
    assert_eq!(keys(motive), ["node", "years", "kind"]);
    assert_eq!(keys(&motive["node"]), ["occurredOn", "title", "id"]);
}

#[actix_web::test]
async fn an_apollo_persisted_query_is_found_by_hash_once_sent_with_its_query() {
    let api = Api::seed();
    let query = "{ relations { meaning } }";
    let hash: String = sha2::Sha256::digest(query.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let unknown = api
        .call_raw_post(&json!({ "extensions": extensions }).to_string())
        .await;
    assert_eq!(first_code(&unknown), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(
        unknown.json()["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    let sent = api
        .call_raw_post(&json!({ "query": query, "extensions": extensions }).to_string())
        .await;
    assert!(
        sent.json()["data"]["relations"].is_array(),
        "{}",
        sent.text()
    );
    let by_hash = api
        .call_raw_post(&json!({ "extensions": extensions }).to_string())
        .await;
    assert_eq!(by_hash.json()["data"], sent.json()["data"]);
    let url = format!(
        "/graphql?extensions={}",
        url::form_urlencoded::byte_serialize(extensions.to_string().as_bytes()).collect::<String>()
    );
    assert_eq!(api.get(&url).await.json()["data"], sent.json()["data"]);
    let wrong = api
        .call_raw_post(
            &json!({ "query": "{ relations { name } }", "extensions": extensions }).to_string(),
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(first_code(&wrong), "PERSISTED_QUERY_INVALID");
}

#[actix_web::test]
async fn head_requests_on_the_page_and_the_health_check_answer_200() {
    let api = Api::seed();
    for uri in ["/", "/healthz"] {
        let reply = api
            .call(
                TestRequest::default()
                    .method(actix_web::http::Method::HEAD)
                    .uri(uri),
            )
            .await;
        assert_eq!(reply.status, 200, "{uri}");
    }
}

#[actix_web::test]
async fn metrics_count_requests_latency_and_errors_by_code_in_prometheus_text() {
    let api = Api::seed();
    api.data("{ relations { meaning } }", json!({})).await;
    api.call_raw_post(&json!({ "query": doubling_fragments(24) }).to_string())
        .await;
    let reply = api.get("/metrics").await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/plain; version=0.0.4"));
    let text = reply.text();
    for line in [
        "claimgraph_requests_total{status=\"200\"} 2",
        "claimgraph_errors_total{code=\"COST_LIMIT\"} 1",
        "claimgraph_request_duration_seconds_count 2",
        "# TYPE claimgraph_request_duration_seconds histogram",
        "claimgraph_subscribers ",
        "claimgraph_read_busy_total 0",
    ] {
        assert!(text.contains(line), "no {line:?} in\n{text}");
    }
}

mod live {
    //! Against a real `claimgraph serve` process: what only a socket and signals show.

    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    use serde_json::json;

    use super::doubling_fragments;
    use crate::support::live::{Live, http};
    use crate::support::root;

    /// How long a test waits for the server before it fails.
    const PATIENCE: Duration = Duration::from_secs(30);

    fn serve_file(dir: &std::path::Path) -> Live {
        let seed = root().join("seed");
        let seed = seed.to_str().expect("a UTF-8 path");
        Live::start(&["--db", "graph.db", "--seed", seed], dir)
    }

    #[test]
    fn a_declared_body_over_the_limit_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let server = serve_file(dir.path());
        let mut stream = TcpStream::connect(&server.address).expect("connect");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("a read timeout");
        // 100 MB announced, none of it sent: the answer cannot wait for the body.
        write!(
            stream,
            "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: 104857600\r\n\r\n{{",
            server.address
        )
        .expect("send the headers");
        let mut head = [0u8; 12];
        stream
            .read_exact(&mut head)
            .expect("an answer before the body");
        assert_eq!(&head[9..12], b"413");
    }

    #[test]
    fn the_health_check_answers_while_attacks_are_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let server = serve_file(dir.path());
        let address = server.address.clone();
        let attacks: Vec<String> = vec![
            json!({ "query": doubling_fragments(24) }).to_string(),
            json!({ "query": format!("{{ search(query: \"{}\") {{ score }} }}", (0..800).map(|i| format!("w{i} ")).collect::<String>()) }).to_string(),
            json!({ "query": format!("{{ {} }}", (0..101).map(|i| format!("a{i}: neighborhood(id: \"iran\", hops: 4, limit: 2000) {{ nodes {{ node {{ id }} }} }} ")).collect::<String>()) }).to_string(),
        ];
        let workers: Vec<_> = (0..6)
            .map(|i| {
                let address = address.clone();
                let body = attacks[i % attacks.len()].clone();
                std::thread::spawn(move || {
                    (0..20)
                        .map(|_| http(&address, "POST", "/graphql", "", &body))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let began = Instant::now();
        let mut checks = 0;
        while workers.iter().any(|w| !w.is_finished()) && began.elapsed() < PATIENCE {
            let (status, body) = http(&address, "GET", "/healthz", "", "").expect("a health check");
            assert_eq!(status, 200, "{body}");
            checks += 1;
        }
        assert!(checks > 0);
        for worker in workers {
            for answer in worker.join().expect("an attacker") {
                let (status, body) = answer.expect("an answer");
                assert_eq!(status, 200, "{body}");
                let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                assert_eq!(
                    value["errors"][0]["extensions"]["code"], "COST_LIMIT",
                    "{body}"
                );
            }
        }
    }

    /// The value of a counter in the server's metrics.
    fn counter(address: &str, name: &str) -> u64 {
        let (_, text) = http(address, "GET", "/metrics", "", "").expect("the metrics");
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or(0)
    }

    #[test]
    fn a_client_that_goes_away_stops_its_request() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let generated = crate::support::cli::claimgraph()
            .args(["generate", "--claims", "20000", "--out", "gen"])
            .current_dir(dir.path())
            .output()
            .expect("generate runs");
        assert!(generated.status.success());
        let server = Live::start(&["--db", "graph.db", "--seed", "gen"], dir.path());
        // Heavy enough to run for a good while in a debug build.
        let query = r#"{ events(involving: "major-militia-0", first: 500) { edges { node { id
            claimants(first: 50) { edges { node { name claimedEvents(first: 50) { totalCount } } } }
        } } } }"#;
        let body = json!({ "query": query }).to_string();
        let mut stream = TcpStream::connect(&server.address).expect("connect");
        write!(
            stream,
            "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            server.address,
            body.len()
        )
        .expect("send the request");
        drop(stream);
        let began = Instant::now();
        while counter(&server.address, "claimgraph_requests_cancelled_total") == 0 {
            assert!(began.elapsed() < PATIENCE, "the request was not stopped");
            std::thread::sleep(Duration::from_millis(20));
        }
        let (status, _) = http(&server.address, "GET", "/healthz", "", "").expect("health");
        assert_eq!(status, 200);
    }

    #[cfg(unix)]
    #[test]
    fn sigterm_lets_the_server_finish_empty_its_wal_and_exit_0() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut server = serve_file(dir.path());
        let (status, _) = http(&server.address, "GET", "/healthz", "", "").expect("a health check");
        assert_eq!(status, 200);
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &server.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let code = server.wait_for_exit(PATIENCE).expect("the server exits");
        assert_eq!(code, Some(0));
        let wal = dir.path().join("graph.db-wal");
        let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(wal_len, 0, "the WAL is emptied at shutdown");
    }
}

/// A browser's preflight for a POST with a JSON body from `origin`.
fn preflight(origin: &str) -> TestRequest {
    TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/graphql")
        .insert_header(("host", "claimgraph.test"))
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "POST"))
        .insert_header(("access-control-request-headers", "content-type"))
}

#[actix_web::test]
async fn a_preflight_from_a_listed_origin_is_allowed_and_names_that_origin() {
    let api = Api::seed().with_cors(&["https://app.example.org"]);
    let reply = api.call(preflight("https://app.example.org")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("access-control-allow-origin"),
        "https://app.example.org"
    );
    assert!(
        reply
            .header("access-control-allow-methods")
            .contains("POST")
    );
    assert!(
        reply
            .header("access-control-allow-headers")
            .contains("content-type")
    );
}

#[actix_web::test]
async fn a_preflight_from_an_unlisted_origin_is_refused_as_graphql_json_with_a_code() {
    for api in [
        Api::seed(),
        Api::seed().with_cors(&["https://app.example.org"]),
    ] {
        let reply = api.call(preflight("https://evil.example.net")).await;
        assert_eq!(reply.status, 403, "{}", reply.text());
        assert!(
            reply.content_type.contains("json"),
            "{}",
            reply.content_type
        );
        assert_eq!(first_code(&reply), "CORS_REFUSED");
        assert!(reply.text().contains("--cors-origin"), "{}", reply.text());
        assert_eq!(reply.header("access-control-allow-origin"), "");
    }
}

#[actix_web::test]
async fn a_preflight_asking_for_a_header_not_allowed_is_refused_with_the_reason() {
    let api = Api::seed().with_cors(&["https://app.example.org"]);
    let reply = api
        .call(
            preflight("https://app.example.org")
                .insert_header(("access-control-request-headers", "x-secret-thing")),
        )
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert_eq!(first_code(&reply), "CORS_REFUSED");
    assert!(reply.text().contains("headers"), "{}", reply.text());
}

#[actix_web::test]
async fn the_servers_own_origin_may_always_query_it() {
    let reply = Api::seed().call(preflight("http://claimgraph.test")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("access-control-allow-origin"),
        "http://claimgraph.test"
    );
}

#[actix_web::test]
async fn a_cross_origin_post_from_a_listed_origin_is_answered_with_the_headers_a_frontend_reads() {
    let api = Api::seed().with_cors(&["https://app.example.org"]);
    let reply = api
        .call(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("origin", "https://app.example.org"))
                .set_json(json!({ "query": "{ actor(id: \"iran\") { id } }" })),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["data"]["actor"]["id"], "iran");
    assert_eq!(
        reply.header("access-control-allow-origin"),
        "https://app.example.org"
    );
    let exposed = reply.header("access-control-expose-headers");
    assert!(exposed.contains("x-sql-statements"), "{exposed}");
    assert!(exposed.contains("x-request-id"), "{exposed}");
    // The same request from an origin not listed is refused, so a page elsewhere cannot make a
    // visitor's browser read the graph with the visitor's credentials.
    let elsewhere = api
        .call(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("origin", "https://evil.example.net"))
                .set_json(json!({ "query": "{ actor(id: \"iran\") { id } }" })),
        )
        .await;
    assert_eq!(elsewhere.status, 403);
    assert_eq!(first_code(&elsewhere), "CORS_REFUSED");
}
