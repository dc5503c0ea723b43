//! Opening database files: versions, foreign files, WAL and foreign keys.

use claimgraph::storage::{Store, latest_version};
use rusqlite::Connection;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::json;

use crate::support::ALICE;
use crate::support::cli::{claimgraph, dump, seed};
use crate::support::live::{Live, hand_over, tokens_file, unprivileged};

#[test]
fn a_new_database_records_its_schema_version_and_uses_wal_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let store = Store::open(&db).unwrap();
    let conn = store.sqlite().expect("an SQLite store");
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
    // Scribble over the root pages of two large tables. The schema stays readable, wherever
    // a bulk load put its pages, so the server starts and its background check finds the damage.
    let (page, roots): (usize, Vec<usize>) = {
        let conn = Connection::open(&db).unwrap();
        let page: usize = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT rootpage FROM sqlite_schema WHERE name IN ('claims', 'history')")
            .unwrap();
        let pages: Vec<usize> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (page, pages.into_iter().map(|p| (p - 1) * page).collect())
    };
    let mut bytes = std::fs::read(&db).unwrap();
    for start in &roots {
        bytes[start + 8..start + page].fill(0x5A);
    }
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
    let hits = claimgraph::storage::search::search(&store.conn(), "Qasim Soleimani", 5).unwrap();
    assert_eq!(
        hits.first().map(|h| h.id.as_str()),
        Some("qassem-soleimani")
    );
    let version: u32 = store
        .sqlite()
        .expect("an SQLite store")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_version());
    let history =
        claimgraph::storage::history::for_nodes(&store.conn(), &["qassem-soleimani".to_owned()])
            .unwrap();
    let entries = &history["qassem-soleimani"];
    assert_eq!(
        entries.len(),
        1,
        "what was there before history is one entry"
    );
    assert_eq!(entries[0].version, 1);
}

/// A seeded database in a directory of its own, both handed to the unprivileged user, the
/// file made read-only (mode 0444).
fn read_only_database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["seed"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    hand_over(&[dir.path(), &db]);
    (dir, db)
}

#[test]
fn a_database_file_the_server_may_not_write_is_served_read_only_and_refuses_mutations() {
    let (dir, db) = read_only_database();
    let before = std::fs::read(&db).unwrap();
    let tokens = tokens_file(dir.path());
    hand_over(&[&tokens]);
    let live = Live::start_unprivileged(
        &[
            "--db",
            db.to_str().unwrap(),
            "--tokens",
            tokens.to_str().unwrap(),
        ],
        dir.path(),
    );
    let banner = live.banner.join("\n");
    assert!(
        banner.contains("read-only: this process may not write the database file"),
        "{banner}"
    );
    assert!(!banner.contains("writable by"), "{banner}");
    let (status, answer) = live.post(r#"{ actor(id: "iran") { id name } }"#, json!({}), None);
    assert_eq!(status, 200);
    assert_eq!(answer["data"]["actor"]["id"], "iran", "{answer}");
    let (_, refused) = live.post(
        r#"mutation { updateActor(id: "iran", version: 1, set: { description: "x" }) { id } }"#,
        json!({}),
        Some(ALICE),
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "READ_ONLY",
        "{refused}"
    );
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Make the file writable"), "{message}");
    drop(live);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file was written");
}

#[test]
fn seeding_a_database_file_that_may_not_be_written_says_so_and_exits_7() {
    let (_dir, db) = read_only_database();
    let output = unprivileged()
        .current_dir(crate::support::root())
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/small/v1.yaml")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(7), "{stderr}");
    assert!(
        stderr.contains(&format!("the database file {} is read-only", db.display())),
        "{stderr}"
    );
    assert!(stderr.contains("chmod u+w"), "{stderr}");
}

#[test]
fn a_directory_that_may_not_be_written_is_named_as_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    hand_over(&[&locked]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let db = locked.join("graph.db");
    let output = unprivileged()
        .current_dir(crate::support::root())
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/small/v1.yaml")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(7), "{stderr}");
    assert!(
        stderr.contains(&format!("the directory {} is read-only", locked.display())),
        "{stderr}"
    );
    assert!(!db.exists());
}

/// Seeds `tests/fixtures/small/v1.yaml` into a database on a small file system of its own,
/// fills that file system up to `room` KiB, then seeds `seed/` into it; gives the second
/// seed's exit code and stderr. The database is copied out before and after the second seed,
/// into `dir/before` and `dir/after`. The file system is a tmpfs mounted in a user and mount
/// namespace of the test's own, so that no privilege is needed and the host is not touched.
fn seed_onto_a_full_disk(dir: &Path, room: u32) -> (Option<i32>, String) {
    for sub in ["full", "before", "after"] {
        std::fs::create_dir(dir.join(sub)).unwrap();
    }
    let script = r#"
        set -e
        mount -t tmpfs -o size=4m tmpfs "$1/full"
        "$0" seed --db "$1/full/graph.db" tests/fixtures/small/v1.yaml > /dev/null 2>&1
        cp "$1"/full/graph.db* "$1/before/"
        dd if=/dev/zero of="$1/full/filler" bs=1024 2> /dev/null || true
        truncate -s "-$2K" "$1/full/filler"
        set +e
        "$0" seed --db "$1/full/graph.db" seed
        rc=$?
        cp "$1"/full/graph.db* "$1/after/"
        exit $rc
    "#;
    let output = std::process::Command::new("unshare")
        .args(["--map-root-user", "--mount", "bash", "-c", script])
        .arg(assert_cmd::cargo::cargo_bin("claimgraph"))
        .arg(dir)
        .arg(room.to_string())
        .current_dir(crate::support::root())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_disk_too_full_to_open_the_database_is_named_as_the_cause_with_exit_8() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = seed_onto_a_full_disk(dir.path(), 0);
    assert_eq!(code, Some(8), "{stderr}");
    assert!(stderr.contains("is full"), "{stderr}");
    assert!(stderr.contains("free some space"), "{stderr}");
    assert_eq!(
        dump(&dir.path().join("after/graph.db")),
        dump(&dir.path().join("before/graph.db"))
    );
}

#[test]
fn a_disk_that_fills_up_during_a_seed_says_so_exits_8_and_keeps_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    // Room to open the database and start writing, not to write the whole seed.
    let (code, stderr) = seed_onto_a_full_disk(dir.path(), 160);
    assert!(
        stderr.contains("writing"),
        "the seed did not start: {stderr}"
    );
    assert_eq!(code, Some(8), "{stderr}");
    assert!(stderr.contains("is full"), "{stderr}");
    assert_eq!(
        dump(&dir.path().join("after/graph.db")),
        dump(&dir.path().join("before/graph.db")),
        "a seed that met a full disk changed the database"
    );
}

#[test]
fn an_unreachable_postgresql_server_is_a_storage_error_naming_the_url_without_its_password() {
    // Port 1 on this machine: nothing listens there, so the connection is refused at once.
    let url = "postgres://analyst:hunter2@127.0.0.1:1/claimgraph";
    for args in [
        vec!["seed", "--db", url, "seed"],
        vec!["serve", "--db", url, "--bind", "127.0.0.1:0"],
    ] {
        let assert = claimgraph().args(&args).assert().code(3);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains(
                "cannot connect to PostgreSQL at postgres://analyst:***@127.0.0.1:1/claimgraph"
            ),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("that the server runs"), "{stderr}");
        assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
    }
}
