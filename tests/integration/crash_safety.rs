//! A seeding process killed with SIGKILL leaves the database at the old or the new state.
//!
//! The kill points are fixed, not timed: with `CLAIMGRAPH_TEST_PAUSE_AFTER_RECORDS=N` set,
//! `claimgraph seed` writes N records inside its open transaction, says `paused after N
//! records` on stderr and waits to be killed.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use claimgraph::storage::Store;

use crate::support::cli::{dump, seed};

/// The environment variable of `claimgraph seed`'s test hook.
const PAUSE_AFTER_RECORDS: &str = "CLAIMGRAPH_TEST_PAUSE_AFTER_RECORDS";

const GROUPS: usize = 2_000;

/// The records of the generated fixture: its source, its groups and a claim per group but
/// the first.
const RECORDS: usize = 2 * GROUPS;

/// The kill points, in records written: the first, a few, half, all but one, and all of
/// them with only the commit left.
const KILL_AFTER: [usize; 5] = [1, 500, RECORDS / 2, RECORDS - 1, RECORDS];

/// How long a seed may take to reach its kill point before the test gives up on it: only a
/// guard against a hang, far above what it needs.
const PATIENCE: Duration = Duration::from_secs(120);

/// A generated fixture of [`RECORDS`] records: a chain of groups, each a member of the last.
fn write_generated_fixture(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        f,
        "sources:\n  - {{id: generated-report, kind: report, title: Generated}}"
    )
    .unwrap();
    writeln!(f, "actors:").unwrap();
    for i in 0..GROUPS {
        writeln!(
            f,
            "  - {{id: generated-group-{i}, kind: armed_group, name: Group {i}, aliases: [G{i}], sources: [generated-report]}}"
        )
        .unwrap();
    }
    writeln!(f, "claims:").unwrap();
    for i in 1..GROUPS {
        writeln!(
            f,
            "  - {{id: generated-claim-{i}, subject: generated-group-{i}, relation: member_of, object: generated-group-{}, asserted_by: unknown, source: generated-report, confidence: 50}}",
            i - 1
        )
        .unwrap();
    }
}

fn node_count(db: &Path) -> i64 {
    let store = Store::open(db).unwrap();
    store
        .sqlite()
        .expect("an SQLite store")
        .query_row("SELECT count(*) FROM nodes", [], |r| r.get(0))
        .unwrap()
}

/// Starts `claimgraph seed --db DB FIXTURE` with the hook set to `records`, and waits until it
/// says it has paused there. The child is killed if it fails to.
fn seed_until_paused(db: &Path, fixture: &Path, records: usize) -> Child {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("claimgraph"))
        .args(["seed", "--db"])
        .arg(db)
        .arg(fixture)
        .env(PAUSE_AFTER_RECORDS, records.to_string())
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stderr is read on a thread of its own, so that the wait for the line has a deadline.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (lines, heard) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines() {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let paused = format!("paused after {records} records");
    let deadline = Instant::now() + PATIENCE;
    let mut said = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let why = match heard.recv_timeout(left) {
            Ok(Ok(line)) if line.trim() == paused => return child,
            Ok(Ok(line)) => {
                said.push(line);
                continue;
            }
            Ok(Err(e)) => format!("its stderr is unreadable: {e}"),
            Err(mpsc::RecvTimeoutError::Timeout) => format!("it is still busy after {PATIENCE:?}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => "its stderr closed".to_owned(),
        };
        let _ = child.kill();
        let status = child.wait().unwrap();
        panic!(
            "seed never said {paused:?}: {why} ({status}); does it honour {PAUSE_AFTER_RECORDS}? \
             It said: {said:#?}"
        );
    }
}

#[test]
fn a_seed_killed_mid_write_leaves_the_old_or_the_new_graph_intact() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("generated.yaml");
    write_generated_fixture(&fixture);
    let old = dir.path().join("old.db");
    seed(&old, &["seed"]);
    let old_dump = dump(&old);
    let old_count = old_dump.iter().filter(|r| r.starts_with("nodes:")).count() as i64;
    let new_count = old_count + RECORDS as i64;

    for records in KILL_AFTER {
        let db = dir
            .path()
            .join(format!("killed-after-{records}-records.db"));
        std::fs::copy(&old, &db).unwrap();
        let mut child = seed_until_paused(&db, &fixture, records);
        assert!(
            child.try_wait().unwrap().is_none(),
            "seed ended after saying it paused after {records} records"
        );
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let fk_violations: i64 = store
            .sqlite()
            .expect("an SQLite store")
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_violations, 0);
        drop(store);
        let count = node_count(&db);
        assert!(
            count == old_count || count == new_count,
            "killed after {records} records: {count} nodes, neither the old {old_count} nor the new {new_count}"
        );
        if count == old_count {
            assert_eq!(
                dump(&db),
                old_dump,
                "killed after {records} records: old state altered"
            );
        }
    }

    // A killed seed leaves a database that takes the same seed, run to its end, in full.
    let db = dir
        .path()
        .join(format!("killed-after-{RECORDS}-records.db"));
    seed(&db, &[fixture.to_str().unwrap()]);
    assert_eq!(node_count(&db), new_count);
}
