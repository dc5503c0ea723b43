//! A seeding process killed with SIGKILL leaves the database at the old or the new state.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use claimgraph::storage::Store;
use common::{dump, seed};

const GROUPS: usize = 60_000;

/// A fixture large enough that writing it takes seconds: a chain of groups, each a member of the last.
fn write_large_fixture(path: &Path) {
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
        .connection()
        .query_row("SELECT count(*) FROM nodes", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_seed_killed_mid_write_leaves_the_old_or_the_new_graph_intact() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("large.yaml");
    write_large_fixture(&fixture);
    let old = dir.path().join("old.db");
    seed(&old, &["seed"]);
    let old_dump = dump(&old);
    let old_count = old_dump.iter().filter(|r| r.starts_with("nodes:")).count() as i64;
    let new_count = old_count + (2 * GROUPS) as i64;

    for delay_ms in [100, 1000, 2500] {
        let db = dir.path().join(format!("killed-after-{delay_ms}ms.db"));
        std::fs::copy(&old, &db).unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("claimgraph"))
            .args(["seed", "--db"])
            .arg(&db)
            .arg(&fixture)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("writing") {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "seed ended before writing"
            );
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        assert!(
            child.try_wait().unwrap().is_none(),
            "seeding finished within {delay_ms} ms; make the generated fixture larger"
        );
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let fk_violations: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_violations, 0);
        drop(store);
        let count = node_count(&db);
        assert!(
            count == old_count || count == new_count,
            "killed after {delay_ms} ms: {count} nodes, neither the old {old_count} nor the new {new_count}"
        );
        if count == old_count {
            assert_eq!(
                dump(&db),
                old_dump,
                "killed after {delay_ms} ms: old state altered"
            );
        }
    }
}
