//! The `claimgraph` command line as a user runs it, and the database files it writes.

use std::path::Path;

use assert_cmd::Command;
use rusqlite::Connection;

use super::root;

/// The `claimgraph` binary, run from the project root (so that relative fixture paths are
/// the ones the tests pass), without the caller's `RUST_LOG` (which would add log lines to
/// what the tests read).
pub fn claimgraph() -> Command {
    let mut cmd = Command::cargo_bin("claimgraph").expect("the claimgraph binary is built");
    cmd.current_dir(root()).env_remove("RUST_LOG");
    cmd
}

/// Every row of every table, as readable text, in a fixed order: equal dumps mean equal
/// databases.
pub fn dump(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).expect("open database");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells = (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.extend(rows);
    }
    out
}

/// Seeds `db` from `inputs` through the CLI, asserting success; gives stdout.
pub fn seed(db: &Path, inputs: &[&str]) -> String {
    let out = claimgraph()
        .arg("seed")
        .arg("--db")
        .arg(db)
        .args(inputs)
        .output()
        .expect("run claimgraph seed");
    assert!(
        out.status.success(),
        "seed failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
