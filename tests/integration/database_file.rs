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
        .code(3)
        .stderr(predicates::str::contains("is not a claimgraph database"));
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
