//! Helpers for the GraphQL-over-HTTP tests: an in-process server over an in-memory graph
//! loaded from fixture files, and small accessors for GraphQL answers.

use std::collections::HashSet;
use std::path::PathBuf;

use actix_web::{App, test};
use claimgraph::fixture;
use claimgraph::http::{AppState, SQL_STATEMENTS_HEADER, ServerLimits, configure};
use claimgraph::storage::{Database, Store};
use claimgraph::validate::{self, Nothing};
use serde_json::{Value, json};

use super::{ALICE, BOB, root};

/// The fixtures of these tests.
pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures/graphql")
}

/// A GraphQL server over an in-memory graph; every request gets a fresh in-process app
/// sharing the same database.
#[derive(Clone)]
pub struct Api {
    state: AppState,
}

/// What one HTTP request answered.
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The `content-type` header.
    pub content_type: String,
    /// The `x-sql-statements` header, if present.
    pub sql_statements: Option<usize>,
    /// Every header.
    pub headers: actix_web::http::header::HeaderMap,
    /// The body as bytes.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    /// A header's value, or `""` when it is absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl Api {
    /// A server over the graph of `seed/`.
    pub fn seed() -> Api {
        Api::from_paths(&[root().join("seed")])
    }

    /// A server over the graph in these fixture files or directories, which must be valid.
    pub fn from_paths(paths: &[PathBuf]) -> Api {
        let loaded = fixture::load(paths);
        assert!(
            loaded.diagnostics.is_empty(),
            "fixtures do not load: {:#?}",
            loaded.diagnostics
        );
        let problems =
            validate::validate(&loaded.set, &Nothing, &loaded.undecoded_ids, &loaded).unwrap();
        assert!(problems.is_empty(), "fixtures are invalid: {problems:#?}");
        let seed = |store: &mut Store| {
            store
                .write(|w| w.apply(&loaded.set, &claimgraph::storage::Edit::by("seed")))
                .expect("the fixtures are written");
        };
        let db = match super::engine::fresh_postgres() {
            // On a thread of its own: PostgreSQL's driver may not block a test's async thread.
            Some(url) => std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        seed(&mut Store::open_postgres(&url).expect("the PostgreSQL graph opens"));
                        Database::open_postgres(&url, 2).expect("the PostgreSQL graph serves")
                    })
                    .join()
                    .expect("the PostgreSQL graph is seeded")
            }),
            None => {
                let mut store = Store::open_in_memory().expect("an in-memory database");
                seed(&mut store);
                Database::in_memory(store)
            }
        };
        Api {
            state: AppState::new(db, Default::default()),
        }
    }

    /// A server over a database file, as `claimgraph serve --db` opens it.
    pub fn from_database(path: &std::path::Path) -> Api {
        Api {
            state: AppState::new(
                Database::open(path, 2).expect("the database opens"),
                Default::default(),
            ),
        }
    }

    /// A server over `db`, read-only, with the default limits.
    pub fn from_state_parts(db: Database) -> Api {
        Api {
            state: AppState::new(db, Default::default()),
        }
    }

    /// The same graph and editors, served with `limits`.
    pub fn with_limits(&self, limits: ServerLimits) -> Api {
        Api {
            state: AppState::with_limits(
                self.state.db.clone(),
                (*self.state.tokens).clone(),
                limits,
            ),
        }
    }

    /// The same graph, allowing cross-origin requests from `origins`.
    pub fn with_cors(&self, origins: &[&str]) -> Api {
        Api {
            state: self
                .state
                .clone()
                .with_cors(origins.iter().map(|o| (*o).to_owned()).collect()),
        }
    }

    /// The database this server reads.
    pub fn database(&self) -> &Database {
        &self.state.db
    }

    /// Sends a request to a fresh in-process app over this server's state.
    pub async fn call(&self, req: actix_web::test::TestRequest) -> Reply {
        let state = self.state.clone();
        let app = test::init_service(App::new().configure(move |c| configure(c, state))).await;
        let resp = test::call_service(&app, req.to_request()).await;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let sql_statements = header(SQL_STATEMENTS_HEADER).and_then(|v| v.parse().ok());
        let headers = resp.headers().clone();
        let bytes = test::read_body(resp).await.to_vec();
        Reply {
            status,
            content_type,
            sql_statements,
            headers,
            bytes,
        }
    }

    /// `POST /graphql` with a raw JSON body.
    pub async fn call_raw_post(&self, body: &str) -> Reply {
        self.call(
            test::TestRequest::post()
                .uri("/graphql")
                .insert_header(("content-type", "application/json"))
                .set_payload(body.to_owned()),
        )
        .await
    }

    /// `GET uri`.
    pub async fn get(&self, uri: &str) -> Reply {
        self.call(test::TestRequest::get().uri(uri)).await
    }

    /// A server over the seed that the editors `alice` ([`ALICE`]) and `bob` ([`BOB`]) may
    /// write to.
    pub fn seed_for_editors() -> Api {
        Api::seed().with_editors()
    }

    /// The same graph, writable by the editors `alice` ([`ALICE`]) and `bob` ([`BOB`]).
    pub fn with_editors(&self) -> Api {
        let tokens = claimgraph::auth::Tokens::parse(&format!("alice {ALICE}\nbob {BOB}\n"))
            .expect("valid tokens");
        Api {
            state: AppState::new(self.state.db.clone(), tokens),
        }
    }

    /// `POST /graphql` with a query and variables; the whole GraphQL response, checked to
    /// be HTTP 200 JSON.
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        self.post_as(None, query, variables).await
    }

    /// [`Api::post`] with `Authorization: Bearer TOKEN` when a token is given.
    pub async fn post_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = test::TestRequest::post()
            .uri("/graphql")
            .set_json(json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        let reply = self.call(req).await;
        assert_eq!(
            reply.status,
            200,
            "GraphQL answers HTTP 200 even for errors: {}",
            reply.text()
        );
        reply.json()
    }

    /// The `data` of a query that must succeed without any error.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "unexpected errors for {query}: {:#}",
            body["errors"]
        );
        body["data"].clone()
    }

    /// The errors of a query that must fail; each must carry `extensions.code`.
    pub async fn errors(&self, query: &str, variables: Value) -> (Value, Vec<Value>) {
        let body = self.post(query, variables).await;
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("expected errors for {query}, got {body:#}"))
            .clone();
        assert!(!errors.is_empty(), "expected errors for {query}");
        for e in &errors {
            assert!(
                e["extensions"]["code"].is_string(),
                "an error without extensions.code: {e:#}"
            );
        }
        (body.get("data").cloned().unwrap_or(Value::Null), errors)
    }

    /// The codes of the errors of a query that must fail.
    pub async fn error_codes(&self, query: &str, variables: Value) -> Vec<String> {
        let (_, errors) = self.errors(query, variables).await;
        codes(&errors)
    }
}

/// The `extensions.code` of each error.
pub fn codes(errors: &[Value]) -> Vec<String> {
    errors
        .iter()
        .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The strings at `field` of every item of an array (`edges`, `nodes`, …), following a
/// `/`-separated path inside each item, such as `node/id`.
pub fn pluck(items: &Value, path: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {items:#}"))
        .iter()
        .map(|item| {
            let mut v = item;
            for key in path.split('/') {
                v = &v[key];
            }
            v.as_str()
                .unwrap_or_else(|| panic!("{path} is not a string in {item:#}"))
                .to_owned()
        })
        .collect()
}

/// The ids of a connection's edges.
pub fn edge_ids(connection: &Value) -> Vec<String> {
    pluck(&connection["edges"], "node/id")
}

/// Whether the items are all distinct.
pub fn all_distinct(items: &[String]) -> bool {
    items.iter().collect::<HashSet<_>>().len() == items.len()
}

/// Makes a path from the fixture directory.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The addresses under `prefix` of the scripts and stylesheets a page served by claimgraph
/// names (`src="…"`, `href="…"`), after checking that it names nothing from a CDN or another
/// host.
pub fn local_assets(html: &str, prefix: &str) -> Vec<String> {
    for cdn in [
        "unpkg",
        "jsdelivr",
        "cdnjs",
        "googleapis",
        "esm.sh",
        "skypack",
    ] {
        assert!(!html.contains(cdn), "the page refers to {cdn}");
    }
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap();
            assert!(
                !url.starts_with("http:") && !url.starts_with("https:") && !url.starts_with("//"),
                "the page loads {url} from elsewhere"
            );
            if url.starts_with(prefix) {
                assets.push(url.to_owned());
            }
        }
    }
    assets
}
