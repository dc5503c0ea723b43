//! Checked-in artefacts that must not drift from the code: the fixture JSON Schema, the
//! README's relation table, the migrations folder.

use claimgraph::fixture::yaml;
use claimgraph::model::relation::vocabulary_markdown;
use claimgraph::storage::MIGRATIONS;

use crate::support::cli::claimgraph;
use crate::support::root;

#[test]
fn the_checked_in_fixture_schema_matches_the_code() {
    let out = claimgraph().arg("fixture-schema").output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let checked_in = std::fs::read_to_string(root().join("schema/fixture.schema.json")).unwrap();
    assert!(
        generated == checked_in,
        "schema/fixture.schema.json differs from the code's fixture format; update it with\n\
         cargo run -q -- fixture-schema > schema/fixture.schema.json"
    );
}

#[test]
fn every_seed_file_validates_against_the_fixture_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/fixture.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root().join("seed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 2);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = yaml::parse(&text).unwrap().unwrap().to_json();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/fixture.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad = serde_json::json!({"claims": [{"id": "x", "subject": "a", "relation": "invented",
        "object": "b", "asserted_by": "unknown", "source": "s", "confidence": 150}]});
    assert!(!validator.is_valid(&bad));
    assert!(!validator.is_valid(&serde_json::json!({"actor": []})));
}

#[test]
fn the_readme_lists_the_relation_vocabulary_as_the_code_defines_it() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&vocabulary_markdown()),
        "README.md's relation table differs from the code; replace it with the output of\n\
         cargo run -q -- relations"
    );
}

#[test]
fn the_readme_fixture_example_decodes_without_problems() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example = readme
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a ```yaml example");
    let doc = yaml::parse(example).unwrap().unwrap();
    let decoded = claimgraph::fixture::decode_document(&doc);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    assert_eq!(decoded.set.len(), 6);
}

#[test]
fn every_migration_file_is_embedded_in_order() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("schema/migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = MIGRATIONS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, embedded);
    for (i, name) in embedded.iter().enumerate() {
        assert!(
            name.starts_with(&format!("{:04}_", i + 1)),
            "{name} is out of sequence"
        );
    }
}
