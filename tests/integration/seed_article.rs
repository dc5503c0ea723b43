//! The seed: the source article encoded as fixtures, loaded through the CLI and read back.

use claimgraph::fixture;
use claimgraph::model::{AssertedBy, GraphSet, Relation};
use claimgraph::storage::Store;

use crate::support::cli::{claimgraph, dump, seed};
use crate::support::root;

fn sorted(mut set: GraphSet) -> GraphSet {
    set.actors.sort_by(|a, b| a.id.cmp(&b.id));
    set.locations.sort_by(|a, b| a.id.cmp(&b.id));
    set.events.sort_by(|a, b| a.id.cmp(&b.id));
    set.sources.sort_by(|a, b| a.id.cmp(&b.id));
    set.statements.sort_by(|a, b| a.id.cmp(&b.id));
    set.claims.sort_by(|a, b| a.id.cmp(&b.id));
    set
}

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    seed(&db, &["seed"]);
    (dir, db)
}

#[test]
fn every_seeded_record_reads_back_exactly_as_written() {
    let (_dir, db) = seeded();
    let loaded = fixture::load(&[root().join("seed")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let stored = Store::open(&db).unwrap().snapshot().unwrap();
    assert_eq!(stored, sorted(loaded.set));
}

#[test]
fn the_seed_has_the_ids_docs_and_tests_refer_to() {
    let (_dir, db) = seeded();
    let graph = Store::open(&db).unwrap().snapshot().unwrap();
    let ids: Vec<&str> = graph.records().map(|(_, r)| r.id().as_str()).collect();
    for id in [
        "saraya-qasem-al-jabarin",
        "harakat-al-nujaba",
        "akram-al-kaabi",
        "iran",
        "qassem-soleimani",
        "john-w-brennan-jr",
        "islamic-state",
        "wall-street-journal",
        "iraq",
        "syria",
        "ayn-al-assad",
        "baghdad-international-airport",
        "basra",
        "ayn-al-assad-rocket-attack-2022-01-05",
        "baghdad-airport-rocket-attack-2022-01-05",
        "soleimani-strike-2020-01-03",
        "al-kaabi-basra-speech-2022-01-04",
    ] {
        assert!(ids.contains(&id), "the seed lacks {id}");
    }
}

#[test]
fn the_headline_chain_is_in_the_seed_with_its_asserters() {
    let (_dir, db) = seeded();
    let g = Store::open(&db).unwrap().snapshot().unwrap();
    let find = |subject: &str, relation: Relation, object: &str| {
        g.claims
            .iter()
            .find(|c| {
                c.subject.as_str() == subject
                    && c.relation == relation
                    && c.object.as_ref().map(|o| o.as_str()) == Some(object)
            })
            .unwrap_or_else(|| panic!("no claim {subject} {relation:?} {object}"))
    };
    let asserter = |by: &AssertedBy| by.actor().map(|a| a.to_string());
    let claimed = find(
        "saraya-qasem-al-jabarin",
        Relation::ClaimedResponsibilityFor,
        "ayn-al-assad-rocket-attack-2022-01-05",
    );
    assert_eq!(
        asserter(&claimed.asserted_by).as_deref(),
        Some("saraya-qasem-al-jabarin")
    );
    let front = find(
        "saraya-qasem-al-jabarin",
        Relation::FrontFor,
        "iran-backed-militias",
    );
    assert_eq!(
        asserter(&front.asserted_by).as_deref(),
        Some("western-and-iraqi-officials")
    );
    let patron = find("iran-backed-militias", Relation::BackedBy, "iran");
    assert_eq!(
        asserter(&patron.asserted_by).as_deref(),
        Some("western-and-iraqi-officials")
    );
    let motive = find(
        "attacks-on-us-forces-2022-01-03-to-05",
        Relation::MarkedAnniversaryOf,
        "soleimani-strike-2020-01-03",
    );
    assert_eq!(
        asserter(&motive.asserted_by).as_deref(),
        Some("wall-street-journal")
    );
    assert_eq!(motive.qualifiers.years, Some(2));
    assert_eq!(
        motive.source.as_str(),
        "wsj-report-attacks-mark-soleimani-anniversary"
    );
}

#[test]
fn the_quotes_are_verbatim_from_the_article() {
    let article =
        std::fs::read_to_string(root().join("tests/fixtures/source-article.txt")).unwrap();
    let loaded = fixture::load(&[root().join("seed")]);
    assert_eq!(loaded.set.statements.len(), 2);
    for s in &loaded.set.statements {
        assert!(
            article.contains(s.text.as_str()),
            "not verbatim: {}",
            s.text
        );
    }
}

#[test]
fn seeding_twice_changes_nothing() {
    let (_dir, db) = seeded();
    let before = dump(&db);
    let second = seed(&db, &["seed"]);
    assert!(
        second.contains(" 0 added, 0 changed, 86 unchanged"),
        "{second}"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn seeding_reports_what_it_added_and_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let first = seed(&db, &["tests/fixtures/small/v1.yaml"]);
    assert!(first.contains("3 added, 0 changed, 0 unchanged"), "{first}");
    assert!(first.contains("added actor iran"), "{first}");
    let second = seed(&db, &["tests/fixtures/small/v2.yaml"]);
    assert!(
        second.contains("1 added, 1 changed, 2 unchanged"),
        "{second}"
    );
    assert!(second.contains("changed actor iran"), "{second}");
    assert!(second.contains("added actor iraqi-officials"), "{second}");
}

#[test]
fn a_fixture_with_one_bad_claim_leaves_the_database_unchanged() {
    let (_dir, db) = seeded();
    let before = dump(&db);
    claimgraph()
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/one-bad-claim.yaml")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("nothing was written"));
    assert_eq!(dump(&db), before);
}

#[test]
fn a_new_fixture_may_refer_to_what_the_database_holds() {
    let (_dir, db) = seeded();
    let out = seed(&db, &["tests/fixtures/refers-to-seed.yaml"]);
    assert!(out.contains("1 added"), "{out}");
}

#[test]
fn an_id_the_database_holds_as_another_type_is_refused() {
    let (_dir, db) = seeded();
    claimgraph()
        .args(["seed", "--db"])
        .arg(&db)
        .arg("tests/fixtures/iran-as-location.yaml")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "tests/fixtures/iran-as-location.yaml:5: locations[1].id: id \"iran\" is already an actor in the database",
        ));
}

#[test]
fn json_fixtures_load_like_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("graph.db");
    let out = seed(&db, &["tests/fixtures/small/v1.json"]);
    assert!(out.contains("3 added"), "{out}");
}

#[test]
fn check_validates_the_seed_without_a_database() {
    claimgraph()
        .args(["check", "seed"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "ok: 17 actors, 10 locations, 13 events",
        ));
}
