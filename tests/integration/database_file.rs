//! Opening database files: versions, foreign files, WAL and foreign keys.

use claimgraph::storage::{Store, latest_version};
use rusqlite::Connection;

use crate::support::cli::{claimgraph, seed};

#[test]
fn a_new_database_records_its_schema_version_and_uses_wal_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let store = Store::open(&db).unwrap();
    let conn = store.connection();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn a_database_from_a_newer_claimgraph_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["tests/fixtures/small/v1.yaml"]);
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", latest_version() + 1)
        .unwrap();
    claimgraph()
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/small/v1.yaml")
        .assert()
        .code(3)
        .stderr(predicates::str::contains(format!(
            "has schema version {}, written by a newer claimgraph; this claimgraph knows versions up to {}",
            latest_version() + 1,
            latest_version()
        )));
}

#[test]
fn a_database_of_another_program_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (n INTEGER);")
        .unwrap();
    claimgraph()
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/small/v1.yaml")
        .assert()
        .code(3)
        .stderr(predicates::str::contains("is not a claimgraph database"));
    let tables: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(
        &db,
        "these are not the pages of a database, just some text ".repeat(100),
    )
    .unwrap();
    claimgraph()
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/small/v1.yaml")
        .assert()
        .code(6)
        .stderr(predicates::str::contains("is not an SQLite database"));
}

#[test]
fn a_database_cut_short_is_called_damaged_not_foreign() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["seed"]);
    let len = std::fs::metadata(&db).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);
    claimgraph()
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(&db)
        .assert()
        .code(6)
        .stderr(predicates::str::contains("is damaged"))
        .stderr(predicates::str::contains("cut short"));
}

#[test]
fn a_damaged_page_fails_the_check_and_the_health_check_says_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["seed"]);
    // Scribble over the pages after the first few (the schema stays readable).
    let mut bytes = std::fs::read(&db).unwrap();
    let to = bytes.len() - 4096;
    let from = to - bytes.len() / 4;
    bytes[from..to].fill(0x5A);
    std::fs::write(&db, &bytes).unwrap();
    let conn = Connection::open(&db).unwrap();
    let found = claimgraph::storage::health::quick_check(&conn, &db);
    assert!(
        matches!(
            found,
            Err(claimgraph::storage::StorageError::Damaged { .. })
        ),
        "{found:?}"
    );
    drop(conn);
    // A server on it starts (the check runs in the background) and its health check fails.
    let server = crate::support::live::Live::start(&["--db", "graph.db"], dir.path());
    let began = std::time::Instant::now();
    loop {
        let (status, body) =
            crate::support::live::http(&server.address, "GET", "/healthz", "", "").unwrap();
        if status == 503 {
            assert!(body.contains("damaged"), "{body}");
            break;
        }
        assert!(
            began.elapsed() < std::time::Duration::from_secs(30),
            "the health check never noticed: {status} {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_version_1_database_is_upgraded_searchable_and_versioned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    // A file as schema version 1 wrote it: the graph tables only, no search, no history.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(claimgraph::storage::MIGRATIONS[0].1)
        .unwrap();
    conn.execute_batch(
        "INSERT INTO nodes (id, type) VALUES ('qassem-soleimani', 'actor');
         INSERT INTO actors (id, kind, name) VALUES ('qassem-soleimani', 'person', 'Qassem Soleimani');
         INSERT INTO aliases (node_id, position, alias) VALUES ('qassem-soleimani', 0, 'Qasim Soleimani');
         PRAGMA application_id = 1128755304; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&db).unwrap();
    let hits =
        claimgraph::storage::search::search(store.connection(), "Qasim Soleimani", 5).unwrap();
    assert_eq!(
        hits.first().map(|h| h.id.as_str()),
        Some("qassem-soleimani")
    );
    let version: u32 = store
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
    let history = claimgraph::storage::history::for_nodes(
        store.connection(),
        &["qassem-soleimani".to_owned()],
    )
    .unwrap();
    let entries = &history["qassem-soleimani"];
    assert_eq!(
        entries.len(),
        1,
        "what was there before history is one entry"
    );
    assert_eq!(entries[0].version, 1);
}
