//! The command line refuses bad fixtures: every problem is reported as
//! `error: FILE:LINE: PATH: MESSAGE`, with the file as given on the command line, followed by
//! `claimgraph: N problems in the input; nothing was written` and exit code 1.
//!
//! The fixtures live in `tests/fixtures/bad/`; `baseline_valid.yaml` is the valid set most of
//! them were cut from, and each other file breaks it in one way (except `many/`, which breaks
//! it in several).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::support::cli::{claimgraph, dump};

const BAD: &str = "tests/fixtures/bad";

/// A fixture's path as passed on the command line (relative to the crate root).
fn fixture(name: &str) -> String {
    format!("{BAD}/{name}")
}

/// One expected `error:` line: its exact `FILE:LINE: PATH:` prefix and words its message holds.
pub(crate) struct Expect<'a> {
    prefix: String,
    words: &'a [&'a str],
}

pub(crate) fn at<'a>(prefix: impl Into<String>, words: &'a [&'a str]) -> Expect<'a> {
    Expect {
        prefix: prefix.into(),
        words,
    }
}

/// Runs `claimgraph ARGS`, expects exit code 1 and exactly these error lines, in this order,
/// then the summary line with their count. Gives stderr for further checks.
pub(crate) fn assert_rejected(args: &[&str], expected: &[Expect<'_>]) -> String {
    let assert = claimgraph().args(args).assert().code(1);
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stdout.contains("ok:"),
        "a rejected run must not say ok\nstdout:\n{stdout}"
    );
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors.len(),
        expected.len(),
        "wrong number of error lines\nstderr:\n{stderr}"
    );
    for (line, want) in errors.iter().zip(expected) {
        let prefix = format!("error: {}", want.prefix);
        assert!(
            line.starts_with(&prefix),
            "expected an error line starting with\n  {prefix}\ngot\n  {line}\nstderr:\n{stderr}"
        );
        for word in want.words {
            assert!(
                line.contains(word),
                "expected {word:?} in\n  {line}\nstderr:\n{stderr}"
            );
        }
    }
    let summary = match expected.len() {
        1 => "claimgraph: 1 problem in the input; nothing was written".to_owned(),
        n => format!("claimgraph: {n} problems in the input; nothing was written"),
    };
    assert_eq!(
        stderr.lines().last(),
        Some(summary.as_str()),
        "the last line must be the summary\nstderr:\n{stderr}"
    );
    stderr
}

fn check_rejects(files: &[&str], expected: &[Expect<'_>]) -> String {
    let mut args = vec!["check"];
    args.extend_from_slice(files);
    assert_rejected(&args, expected)
}

#[test]
fn a_valid_minimal_fixture_passes_check_and_says_ok() {
    let file = fixture("baseline_valid.yaml");
    claimgraph()
        .args(["check", &file])
        .assert()
        .code(0)
        .stdout(
            predicate::str::starts_with("ok: ").and(predicate::str::contains(
                "2 actors, 2 locations, 1 event, 1 source, 1 claim in 1 file(s)",
            )),
        )
        .stderr(predicate::str::contains("error").not());
}

#[test]
fn a_yaml_syntax_error_names_file_and_line() {
    let file = fixture("syntax.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:7: YAML syntax:"),
            &["mapping values are not allowed"],
        )],
    );
}

#[test]
fn an_unknown_field_names_file_line_path_and_lists_the_known_fields() {
    let file = fixture("unknown_field.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:17: claims[0].objetc:"),
            &[
                "unknown field `objetc`",
                "(did you mean `object`?)",
                "the fields here are",
                "`subject`",
            ],
        )],
    );
}

#[test]
fn a_wrong_type_names_file_line_path_and_the_value_found() {
    let file = fixture("wrong_type.yaml");
    check_rejects(
        &[&file],
        &[
            // A block list where a string is expected: the line of the key.
            at(
                format!("{file}:4: actors[0].name:"),
                &["invalid type: a list, expected text"],
            ),
            at(
                format!("{file}:22: claims[0].confidence:"),
                &["invalid type", "string \"high\""],
            ),
            at(
                format!("{file}:31: claims[1].qualifiers.years:"),
                &["invalid type", "string \"second\""],
            ),
        ],
    );
}

#[test]
fn a_wrong_type_for_a_number_says_what_number_is_expected_not_a_rust_type() {
    let file = fixture("wrong_type.yaml");
    let stderr = claimgraph()
        .args(["check", &file])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&stderr);
    for path in ["claims[0].confidence:", "claims[1].qualifiers.years:"] {
        let line = stderr
            .lines()
            .find(|l| l.contains(path))
            .unwrap_or_else(|| panic!("no error for {path}\nstderr:\n{stderr}"));
        for jargon in ["i64", "u32", "u64", "f64"] {
            assert!(
                !line.contains(jargon),
                "a fixture author does not know Rust types; say \"a whole number\" \
                 (for confidence: from 0 to 100) instead of {jargon:?}:\n  {line}"
            );
        }
        assert!(
            line.contains("number") || line.contains("integer"),
            "the message should say a number is expected:\n  {line}"
        );
    }
}

#[test]
fn a_duplicate_id_across_two_sections_points_at_the_first_definition() {
    let file = fixture("duplicate_id.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:12: locations[1].id:"),
            &[
                "duplicate id \"iraq\"",
                &format!("already defined at {file}:2 (actors[0])"),
                "unique across the whole graph",
            ],
        )],
    );
}

#[test]
fn a_duplicate_id_across_two_files_points_at_the_first_file_and_line() {
    let first = fixture("duplicate_id_first.yaml");
    let second = fixture("duplicate_id_second.yaml");
    // Each file is valid on its own.
    for file in [&first, &second] {
        claimgraph().args(["check", file]).assert().code(0);
    }
    check_rejects(
        &[&first, &second],
        &[at(
            format!("{second}:6: actors[0].id:"),
            &[
                "duplicate id \"iran-backed-militias\"",
                &format!("already defined at {first}:5 (actors[1])"),
            ],
        )],
    );
}

#[test]
fn a_dangling_reference_names_file_line_path_and_a_suggestion() {
    let file = fixture("dangling.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:17: claims[0].object:"),
            &[r#"no entity "iran-backed-milita"; did you mean "iran-backed-militias"?"#],
        )],
    );
}

#[test]
fn a_location_as_subject_of_claimed_responsibility_for_is_refused() {
    let file = fixture("relation_kinds.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:15: claims[0].subject:"),
            &[
                "relation claimed_responsibility_for needs an actor as subject",
                r#""iraq" is a location"#,
            ],
        )],
    );
}

#[test]
fn confidence_and_credibility_out_of_range_give_the_range_and_the_value() {
    let file = fixture("out_of_range.yaml");
    check_rejects(
        &[&file],
        &[
            at(
                format!("{file}:20: claims[0].confidence:"),
                &["confidence must be from 0 to 100, not 150"],
            ),
            at(
                format!("{file}:27: claims[1].confidence:"),
                &["confidence must be from 0 to 100, not -1"],
            ),
            at(
                format!("{file}:35: claims[2].credibility:"),
                &["credibility must be from 1 to 6, not 0"],
            ),
            at(
                format!("{file}:43: claims[3].credibility:"),
                &["credibility must be from 1 to 6, not 7"],
            ),
        ],
    );
}

#[test]
fn invalid_dates_say_why_and_how_to_write_a_date() {
    let file = fixture("bad_dates.yaml");
    check_rejects(
        &[&file],
        &[
            at(
                format!("{file}:9: events[0].when:"),
                &[
                    r#"invalid date "2022-02-30""#,
                    "February 2022 has no day 30",
                ],
            ),
            at(
                format!("{file}:14: sources[0].published:"),
                &[r#"invalid date "2022-13""#, "month 13 does not exist"],
            ),
            at(
                format!("{file}:23: claims[0].valid_from:"),
                &[r#"invalid date "5 January 2022""#, "YYYY-MM-DD"],
            ),
        ],
    );
}

#[test]
fn empty_and_blank_names_are_refused() {
    let file = fixture("empty_names.yaml");
    check_rejects(
        &[&file],
        &[
            at(format!("{file}:4: actors[0].name:"), &["must not be empty"]),
            at(
                format!("{file}:8: locations[0].name:"),
                &["must not be empty"],
            ),
        ],
    );
}

#[test]
fn a_cycle_in_location_containment_shows_the_cycle() {
    let file = fixture("location_cycle.yaml");
    check_rejects(
        &[&file],
        &[at(
            format!("{file}:5: locations[0].parent:"),
            &[
                "parent links form a cycle: anbar → iraq → anbar",
                "remove one",
            ],
        )],
    );
}

#[test]
fn every_problem_of_a_run_is_reported_in_file_and_line_order_with_the_count() {
    let dir = fixture("many");
    let first = format!("{dir}/1-actors-and-places.yaml");
    let second = format!("{dir}/2-events-and-claims.yaml");
    // Reading problems (unknown field, date, range) and graph problems (references, relation
    // rules) interleave by line. References to records that did not decode
    // (`saraya-qasem-al-jabarin`, `ayn-al-asad-attack`) are not reported a second time.
    check_rejects(
        &[&dir],
        &[
            at(
                format!("{first}:8: actors[1].alias:"),
                &["unknown field `alias`", "`aliases`"],
            ),
            at(
                format!("{first}:19: locations[1].parent:"),
                &[r#"no entity "irak"; did you mean "iraq"?"#],
            ),
            at(
                format!("{second}:5: events[0].when:"),
                &["February 2022 has no day 30"],
            ),
            at(format!("{second}:25: claims[1].confidence:"), &["not 150"]),
            at(
                format!("{second}:31: claims[2].source:"),
                &[r#"no entity "reuters-reprot"; did you mean "reuters-report"?"#],
            ),
            at(
                format!("{second}:34: claims[3].subject:"),
                &["relation carried_out needs an actor as subject"],
            ),
        ],
    );
}

fn node_ids(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.prepare("SELECT id FROM nodes ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn seed(db: &Path, file: &str) -> Command {
    let mut cmd = claimgraph();
    cmd.arg("seed").arg("--db").arg(db).arg(file);
    cmd
}

#[test]
fn seed_with_a_bad_fixture_writes_nothing_to_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("graph.db");
    let baseline = fixture("baseline_valid.yaml");
    seed(&db, &baseline)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("7 added, 0 changed, 0 unchanged"));
    let ids_before = node_ids(&db);
    let before = dump(&db);
    assert_eq!(ids_before.len(), 7, "{ids_before:?}");
    assert!(
        before
            .iter()
            .any(|row| row.starts_with("actors: ") && row.contains("\"Reuters\"")),
        "the dump should show the stored actors: {before:#?}"
    );

    // Adds `us-forces` and a claim, renames `reuters`, and has one dangling reference.
    let bad = fixture("seed_rejected.yaml");
    let db_arg = db.display().to_string();
    assert_rejected(
        &["seed", "--db", &db_arg, &bad],
        &[at(
            format!("{bad}:19: claims[1].object:"),
            &[r#"no entity "irann""#],
        )],
    );

    assert_eq!(node_ids(&db), ids_before, "the rejected seed added nodes");
    assert_eq!(dump(&db), before, "the rejected seed changed the database");
    seed(&db, &baseline)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 added, 0 changed, 7 unchanged"));
}

#[test]
fn a_rejected_seed_into_a_new_path_leaves_no_database_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    claimgraph()
        .arg("seed")
        .arg("--db")
        .arg(&db)
        .arg(fixture("relation_kinds.yaml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing was written"));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.is_empty(),
        "\"nothing was written\", yet the rejected seed created {left:?}"
    );
}

#[test]
fn a_json_fixture_gets_correct_line_numbers() {
    let file = fixture("bad_claim.json");
    check_rejects(
        &[&file],
        &[
            at(
                format!("{file}:31: claims[0].confidence:"),
                &["confidence must be from 0 to 100, not 150"],
            ),
            at(
                format!("{file}:37: claims[1].object:"),
                &[
                    r#"no entity "ayn-al-asad-atack-2022-01-05"; did you mean "ayn-al-asad-attack-2022-01-05"?"#,
                ],
            ),
        ],
    );
    // A missing comma between `"kind": "state"` (line 10) and `"name"` (line 11).
    let syntax = fixture("syntax.json");
    check_rejects(
        &[&syntax],
        &[at(
            format!("{syntax}:11:"),
            &["JSON syntax: expected `,` or `}`"],
        )],
    );
}

#[test]
fn an_unsupported_extension_a_missing_file_and_an_empty_directory_are_named() {
    let txt = fixture("notes.txt");
    check_rejects(
        &[&txt],
        &[at(
            format!("{txt}: "),
            &["not a fixture file", ".yaml", ".yml", ".json"],
        )],
    );

    let missing = fixture("does-not-exist.yaml");
    check_rejects(
        &[&missing],
        &[at(format!("{missing}: "), &["cannot read", "No such file"])],
    );

    // Holds only a README: no .yaml, .yml or .json under it.
    let empty = fixture("no_fixtures");
    check_rejects(
        &[&empty],
        &[at(
            format!("{empty}: "),
            &["no fixture files", "in this directory"],
        )],
    );

    let temp = tempfile::tempdir().unwrap();
    let temp_path = temp.path().display().to_string();
    check_rejects(
        &[&temp_path],
        &[at(format!("{temp_path}: "), &["no fixture files"])],
    );

    // All three at once, with a valid file: each is reported, nothing passes.
    let valid = fixture("baseline_valid.yaml");
    let stderr = check_rejects(
        &[&missing, &empty, &txt, &valid],
        &[
            at(format!("{missing}: "), &["cannot read"]),
            at(format!("{empty}: "), &["no fixture files"]),
            at(format!("{txt}: "), &["not a fixture file"]),
        ],
    );
    assert!(!stderr.contains(&valid), "{stderr}");
}
