//! `claimgraph generate`: large graphs for benchmarks and frontends' tests, which check, seed
//! and re-seed like hand-written fixtures; and the fast path for JSON fixtures, which must
//! still point at the line of a problem.

use std::path::Path;

use crate::support::cli::{claimgraph, dump, seed};

fn generate(dir: &Path, claims: u32) {
    claimgraph()
        .args(["generate", "--claims", &claims.to_string(), "--out"])
        .arg(dir)
        .assert()
        .success();
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_generated_graph_passes_check_seeds_and_reseeds_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 3_000);
    let checked = claimgraph().arg("check").arg(&fixtures).output().unwrap();
    assert!(checked.status.success(), "{checked:?}");
    assert!(
        stdout(&checked).contains("3000 claims"),
        "{}",
        stdout(&checked)
    );

    let db = dir.path().join("graph.db");
    let fixtures = fixtures.to_str().unwrap();
    let first = seed(&db, &[fixtures]);
    assert!(first.contains(" added, 0 changed, 0 unchanged"), "{first}");
    let before = dump(&db);
    let second = seed(&db, &[fixtures]);
    assert!(second.contains(": 0 added, 0 changed, "), "{second}");
    assert_eq!(
        dump(&db),
        before,
        "re-seeding unchanged fixtures changed the database"
    );
}

#[test]
fn a_bad_record_in_a_large_json_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    generate(&fixtures, 500);
    // One record per line after the opening one: claims[41] is on line 43.
    let claims = fixtures.join("06-claims-000.json");
    let text = std::fs::read_to_string(&claims).unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            42 => line.replacen("\"confidence\":", "\"confidence\":1000,\"x\":", 1),
            99 => line.replacen("\"source\":\"source-", "\"source\":\"no-such-source-", 1),
            _ => line.to_owned(),
        })
        .collect();
    std::fs::write(&claims, broken.join("\n")).unwrap();
    let out = claimgraph().arg("check").arg(&fixtures).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = claims.display().to_string();
    assert!(
        stderr.contains(&format!("{file}:43: claims[41].confidence")),
        "a decoding problem names its line:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{file}:100: claims[98].source: no entity \"no-such-source-"
        )),
        "a reference problem names its line:\n{stderr}"
    );
}

#[test]
fn output_to_a_closed_pipe_is_dropped_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimgraph"))
        .args(["seed", "--db"])
        .arg(dir.path().join("graph.db"))
        .arg(crate::support::root().join("seed"))
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
