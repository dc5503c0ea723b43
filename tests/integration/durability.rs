//! Durability and concurrency of writes, through a real server process over HTTP: every
//! acknowledged mutation survives a SIGKILL and leaves a sound database file, parallel
//! read-modify-write editors never lose an update (optimistic versions turn races into
//! CONFLICT errors, never into silent overwrites or lock errors), and parallel writers of new
//! claims all land.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use claimgraph::storage::Store;
use serde_json::{Value, json};

use crate::support::engine;
use crate::support::live::{self, Live};
use crate::support::{ALICE, BOB, root};

/// The actor the claims are about and the editors change (in seed/actors.yaml).
const ACTOR: &str = "harakat-al-nujaba";

/// Acknowledged mutations after which the server is killed.
const KILL_AFTER: usize = 50;

/// How long a test may wait for the server before it is considered hung.
const PATIENCE: Duration = Duration::from_secs(120);

const ASSERT_CLAIM: &str = "mutation($input: ClaimInput!) { \
     assertClaim(input: $input, reason: \"durability test\") { id version } }";

const READ_ACTOR: &str = "query($id: ID!) { actor(id: $id) { version aliases } }";

const UPDATE_ACTOR: &str = "mutation($id: ID!, $version: Int!, $aliases: [String!]!) { \
     updateActor(id: $id, version: $version, set: { aliases: $aliases }, \
     reason: \"durability test\") { version aliases } }";

/// The absolute path of the bundled seed directory.
fn seed_dir() -> String {
    root().join("seed").display().to_string()
}

/// The path as a command-line argument.
fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// POSTs a GraphQL request to `address`; gives the status and the raw body text.
fn post(
    address: &str,
    query: &str,
    variables: Value,
    token: &str,
) -> std::io::Result<(u16, String)> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let auth = format!("Authorization: Bearer {token}\r\n");
    live::http(address, "POST", "/graphql", &auth, &body)
}

/// Like [`post`], but the body parsed as JSON; panics when the server cannot be reached.
fn post_json(address: &str, query: &str, variables: Value, token: &str) -> (u16, Value, String) {
    let (status, text) = post(address, query, variables, token)
        .unwrap_or_else(|e| panic!("POST /graphql to {address} failed: {e}"));
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, value, text)
}

/// The editor's token for thread `t`: alice and bob take turns.
fn token(t: usize) -> &'static str {
    if t.is_multiple_of(2) { ALICE } else { BOB }
}

/// The editor's name for thread `t`, as the history records it.
fn editor(t: usize) -> &'static str {
    if t.is_multiple_of(2) { "alice" } else { "bob" }
}

/// A valid new claim without an id: the server makes one from subject, relation and object.
fn claim_input(note: &str) -> Value {
    json!({
        "input": {
            "subject": ACTOR,
            "relation": "BACKED_BY",
            "object": "iran",
            "assertedBy": "unknown",
            "source": "article-iraq-syria-bases-attacked-2022-01",
            "confidence": 50,
            "note": note,
        }
    })
}

/// The id of the claim an `assertClaim` response acknowledges, if it is a clean success.
fn acknowledged_id(status: u16, response: &Value) -> Option<String> {
    if status != 200 || response.get("errors").is_some() {
        return None;
    }
    response["data"]["assertClaim"]["id"]
        .as_str()
        .map(str::to_owned)
}

/// The codes of the errors in a response.
fn error_codes(response: &Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("(none)")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Panics if a response body shows SQLite's lock contention leaking out.
fn assert_no_lock_errors(text: &str) {
    for symptom in ["database is locked", "SQLITE_BUSY"] {
        assert!(
            !text.contains(symptom),
            "a response leaks {symptom:?}: {text}"
        );
    }
}

/// Which of `ids` the server at `address` does not know as claims.
fn missing_claims(address: &str, ids: &[String]) -> Vec<String> {
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Claim { id version } } }";
    let mut missing = Vec::new();
    for chunk in ids.chunks(50) {
        let (status, response, text) = post_json(address, query, json!({ "ids": chunk }), ALICE);
        assert_eq!(status, 200, "{text}");
        assert!(response.get("errors").is_none(), "{text}");
        let nodes = response["data"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("no nodes in {text}"));
        assert_eq!(nodes.len(), chunk.len(), "{text}");
        for (id, node) in chunk.iter().zip(nodes) {
            if node["id"].as_str() != Some(id.as_str()) || node["version"] != json!(1) {
                missing.push(id.clone());
            }
        }
    }
    missing
}

/// How many claims say the actor is backed by Iran.
fn backed_by_iran(address: &str) -> i64 {
    let query = "query($s: ID!) { claims(subject: $s, relation: BACKED_BY, object: \"iran\") { totalCount } }";
    let (status, response, text) = post_json(address, query, json!({ "s": ACTOR }), ALICE);
    assert_eq!(status, 200, "{text}");
    response["data"]["claims"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("no totalCount in {text}"))
}

#[test]
fn every_acknowledged_mutation_survives_a_kill() {
    const WRITERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let tokens = arg(&live::tokens_file(dir.path()));
    let db = dir.path().join("graph.db");
    // On PostgreSQL (when the suite runs there) the killed server's writes are the
    // database server's to keep; the check is the same: every acknowledged claim is there.
    let target = engine::fresh_postgres().unwrap_or_else(|| arg(&db));
    let server = Live::start(
        &["--db", &target, "--seed", &seed_dir(), "--tokens", &tokens],
        dir.path(),
    );

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let acks = Arc::new(AtomicUsize::new(0));
    let running = Arc::new(AtomicUsize::new(WRITERS));
    let killed = Arc::new(AtomicBool::new(false));
    // Each acknowledgement is also sent here, to wake the wait below; the channel closes when
    // the last writer ends and drops its sender.
    let (progress, progressed) = mpsc::channel::<()>();
    let writers: Vec<_> = (0..WRITERS)
        .map(|t| {
            let address = server.address.clone();
            let (acknowledged, refused) = (acknowledged.clone(), refused.clone());
            let (acks, running, killed) = (acks.clone(), running.clone(), killed.clone());
            let progress = progress.clone();
            thread::spawn(move || {
                // Bounded so that a server that is never killed cannot keep the test alive.
                for i in 0..2_000 {
                    if killed.load(Ordering::SeqCst) {
                        break;
                    }
                    let note = format!("thread {t}, request {i}");
                    let Ok((status, text)) =
                        post(&address, ASSERT_CLAIM, claim_input(&note), token(t))
                    else {
                        break; // The server is gone.
                    };
                    // A response cut off by the kill is not an acknowledgement.
                    let Ok(response) = serde_json::from_str::<Value>(&text) else {
                        break;
                    };
                    match acknowledged_id(status, &response) {
                        Some(id) => {
                            acknowledged.lock().unwrap().push(id);
                            acks.fetch_add(1, Ordering::SeqCst);
                            let _ = progress.send(());
                        }
                        None => refused.lock().unwrap().push(format!("{status} {text}")),
                    }
                }
                running.fetch_sub(1, Ordering::SeqCst);
            })
        })
        .collect();
    drop(progress);

    let deadline = Instant::now() + PATIENCE;
    while acks.load(Ordering::SeqCst) < KILL_AFTER && running.load(Ordering::SeqCst) > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the server hung before {KILL_AFTER} acknowledgements"
        );
        // Wakes at the next acknowledgement or at the deadline. The channel closes once every
        // writer has ended, and then nothing is left to wait for.
        if let Err(mpsc::RecvTimeoutError::Disconnected) = progressed.recv_timeout(left) {
            break;
        }
    }
    let still_sending = running.load(Ordering::SeqCst);
    killed.store(true, Ordering::SeqCst);
    server.kill();
    for writer in writers {
        writer.join().unwrap();
    }

    let refused = refused.lock().unwrap().clone();
    assert!(
        refused.is_empty(),
        "mutations were refused before the kill: {refused:#?}"
    );
    assert!(still_sending > 0, "every writer stopped before the kill");
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= KILL_AFTER,
        "only {} acknowledged",
        acknowledged.len()
    );
    let distinct: BTreeSet<_> = acknowledged.iter().collect();
    assert_eq!(
        distinct.len(),
        acknowledged.len(),
        "two claims got one id: {acknowledged:?}"
    );

    let store = Store::open(Path::new(&target)).expect("the killed server's database opens");
    // The file's own checks; PostgreSQL checks references at each commit.
    if let Some(conn) = store.sqlite() {
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let mut check = conn.prepare("PRAGMA foreign_key_check").unwrap();
        let broken: Vec<String> = check
            .query_map([], |r| {
                Ok(format!(
                    "{:?} row {:?} -> {:?}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(broken.is_empty(), "dangling references: {broken:#?}");
    }
    drop(store);

    let restarted = Live::start(&["--db", &target, "--tokens", &tokens], dir.path());
    let missing = missing_claims(&restarted.address, &acknowledged);
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged claims are lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}

/// What one successful update of the actor said: the version it was based on, and the
/// version its response gave.
struct Update {
    based_on: i64,
    answered: i64,
}

/// Adds `alias` to the actor as editor `t`: read, add, write; after a CONFLICT read again.
fn add_alias(address: &str, t: usize, alias: &str) -> Update {
    // Bounded so that a livelock fails instead of hanging.
    for _ in 0..1_000 {
        let (status, read, text) = post_json(address, READ_ACTOR, json!({ "id": ACTOR }), token(t));
        assert_no_lock_errors(&text);
        assert_eq!((status, error_codes(&read)), (200, vec![]), "{text}");
        let actor = &read["data"]["actor"];
        let version = actor["version"]
            .as_i64()
            .unwrap_or_else(|| panic!("no version in {text}"));
        let mut aliases = actor["aliases"]
            .as_array()
            .unwrap_or_else(|| panic!("no aliases in {text}"))
            .clone();
        aliases.push(json!(alias));
        let variables = json!({ "id": ACTOR, "version": version, "aliases": aliases });
        let (status, written, text) = post_json(address, UPDATE_ACTOR, variables, token(t));
        assert_no_lock_errors(&text);
        assert_eq!(status, 200, "{text}");
        let codes = error_codes(&written);
        if codes.is_empty() {
            let answered = written["data"]["updateActor"]["version"]
                .as_i64()
                .unwrap_or_else(|| panic!("no version in {text}"));
            return Update {
                based_on: version,
                answered,
            };
        }
        assert_eq!(
            codes,
            ["CONFLICT"],
            "only a conflict may refuse an update: {text}"
        );
        let current = written["errors"][0]["extensions"]["currentVersion"]
            .as_i64()
            .unwrap_or_else(|| panic!("a CONFLICT without currentVersion: {text}"));
        assert!(
            current > version,
            "a CONFLICT for version {version} says the current one is {current}: {text}"
        );
    }
    panic!("{alias}: no update went through in 1000 attempts");
}

/// The actor's version, aliases and history.
fn read_actor(address: &str) -> (i64, Vec<String>, Vec<Value>) {
    let query = "query($id: ID!) { actor(id: $id) { version aliases history { version editor } } }";
    let (status, response, text) = post_json(address, query, json!({ "id": ACTOR }), ALICE);
    assert_no_lock_errors(&text);
    assert_eq!((status, error_codes(&response)), (200, vec![]), "{text}");
    let actor = &response["data"]["actor"];
    let version = actor["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("no version in {text}"));
    let aliases =
        serde_json::from_value(actor["aliases"].clone()).unwrap_or_else(|e| panic!("{e}: {text}"));
    let history =
        serde_json::from_value(actor["history"].clone()).unwrap_or_else(|e| panic!("{e}: {text}"));
    (version, aliases, history)
}

#[test]
fn parallel_editors_never_lose_an_update() {
    const EDITORS: usize = 8;
    const ROUNDS: usize = 10;
    let dir = tempfile::tempdir().unwrap();
    let tokens = arg(&live::tokens_file(dir.path()));
    let db = engine::fresh_postgres().unwrap_or_else(|| arg(&dir.path().join("graph.db")));
    let server = Live::start(
        &["--db", &db, "--seed", &seed_dir(), "--tokens", &tokens],
        dir.path(),
    );
    let (start_version, start_aliases, start_history) = read_actor(&server.address);

    let editors: Vec<_> = (0..EDITORS)
        .map(|t| {
            let address = server.address.clone();
            thread::spawn(move || {
                (0..ROUNDS)
                    .map(|i| add_alias(&address, t, &format!("alias-{t}-{i}")))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let updates: Vec<Update> = editors
        .into_iter()
        .flat_map(|e| e.join().unwrap())
        .collect();

    let (version, aliases, history) = read_actor(&server.address);
    let added: Vec<String> = (0..EDITORS)
        .flat_map(|t| (0..ROUNDS).map(move |i| format!("alias-{t}-{i}")))
        .collect();
    let lost: Vec<&String> = start_aliases
        .iter()
        .chain(&added)
        .filter(|a| !aliases.contains(a))
        .collect();
    assert!(
        lost.is_empty(),
        "lost updates: {lost:?} are missing from {aliases:?}"
    );
    assert_eq!(
        aliases.len(),
        start_aliases.len() + added.len(),
        "{aliases:?}"
    );

    let count = (EDITORS * ROUNDS) as i64;
    let expected: Vec<i64> = (start_version + 1..=start_version + count).collect();
    assert_eq!(version, start_version + count);
    assert_eq!(
        history.len(),
        start_history.len() + added.len(),
        "{history:?}"
    );
    let new = &history[start_history.len()..];
    let versions: Vec<i64> = new.iter().filter_map(|c| c["version"].as_i64()).collect();
    assert_eq!(
        versions, expected,
        "the history lists each update once, in order"
    );
    let mut by_editor = BTreeMap::new();
    for change in new {
        let name = change["editor"].as_str().unwrap_or("(none)").to_owned();
        *by_editor.entry(name).or_insert(0) += 1;
    }
    let mut expected_editors = BTreeMap::new();
    for t in 0..EDITORS {
        *expected_editors.entry(editor(t).to_owned()).or_insert(0) += ROUNDS;
    }
    assert_eq!(
        by_editor, expected_editors,
        "the history names each update's editor"
    );

    let skewed: Vec<(i64, i64)> = updates
        .iter()
        .filter(|u| u.answered != u.based_on + 1)
        .map(|u| (u.based_on, u.answered))
        .collect();
    assert!(
        skewed.is_empty(),
        "updates based on version v must answer version v + 1; (based on, answered): {skewed:?}"
    );
}

#[test]
fn parallel_writers_of_new_claims_all_land() {
    const WRITERS: usize = 16;
    const CLAIMS: usize = 10;
    let dir = tempfile::tempdir().unwrap();
    let tokens = arg(&live::tokens_file(dir.path()));
    let db = engine::fresh_postgres().unwrap_or_else(|| arg(&dir.path().join("graph.db")));
    let server = Live::start(
        &["--db", &db, "--seed", &seed_dir(), "--tokens", &tokens],
        dir.path(),
    );
    let before = backed_by_iran(&server.address);

    let writers: Vec<_> = (0..WRITERS)
        .map(|t| {
            let address = server.address.clone();
            thread::spawn(move || {
                (0..CLAIMS)
                    .map(|i| {
                        let note = format!("writer {t}, claim {i}");
                        let (status, response, text) =
                            post_json(&address, ASSERT_CLAIM, claim_input(&note), token(t));
                        assert_no_lock_errors(&text);
                        acknowledged_id(status, &response)
                            .unwrap_or_else(|| panic!("{note} was not written: {status} {text}"))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();

    assert_eq!(ids.len(), WRITERS * CLAIMS);
    let distinct: BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "two claims got one id: {ids:?}");
    assert_eq!(backed_by_iran(&server.address), before + ids.len() as i64);
    let missing = missing_claims(&server.address, &ids);
    assert!(
        missing.is_empty(),
        "written claims cannot be read back: {missing:?}"
    );
}

/// The ids of the subject and object of a claim, as the server answers them.
fn claim_ends(server: &Live, id: &str) -> (String, String) {
    let (_, body) = server.post(
        "query($id: ID!) { claim(id: $id) { subject { id } object { id } } }",
        json!({ "id": id }),
        None,
    );
    let claim = &body["data"]["claim"];
    let end = |k: &str| claim[k]["id"].as_str().unwrap_or_default().to_owned();
    (end("subject"), end("object"))
}

#[test]
fn seeding_the_same_fixtures_after_a_merge_keeps_the_links_where_the_merge_moved_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let db_arg = engine::fresh_postgres().unwrap_or_else(|| db.to_str().unwrap().to_owned());
    let seed = root().join("seed");
    let seed_arg = seed.to_str().unwrap().to_owned();
    let tokens = live::tokens_file(dir.path());
    let tokens_arg = tokens.to_str().unwrap().to_owned();
    let seed_db = || {
        assert_cmd::Command::cargo_bin("claimgraph")
            .unwrap()
            .args(["seed", "--db", &db_arg, &seed_arg])
            .assert()
            .success();
    };
    seed_db();
    {
        let server = Live::start(&["--db", &db_arg, "--tokens", &tokens_arg], dir.path());
        let (_, body) = server.post(
            "mutation { mergeActor(id: \"iran-backed-militias\", version: 1, \
             into: \"iran-aligned-paramilitary-groups\", intoVersion: 1, reason: \"one body\") { id } }",
            json!({}),
            Some(ALICE),
        );
        assert!(body.get("errors").is_none(), "{body}");
    }
    seed_db();
    let server = Live::start(&["--db", &db_arg], dir.path());
    assert_eq!(
        claim_ends(&server, "iran-backed-militias-backed-by-iran"),
        ("iran-aligned-paramilitary-groups".into(), "iran".into())
    );
    assert_eq!(
        claim_ends(
            &server,
            "saraya-qasem-al-jabarin-front-for-iran-backed-militias"
        )
        .1,
        "iran-aligned-paramilitary-groups"
    );
    let (_, body) = server.post(
        "{ claims(subject: \"iran-aligned-paramilitary-groups\") { edges { node { id } } } }",
        json!({}),
        None,
    );
    assert!(
        body.to_string()
            .contains("iran-backed-militias-backed-by-iran"),
        "the survivor's own links include the moved claim: {body}"
    );
}
