//! In-process reads on a generated graph: the 3-level list through the GraphQL schema beside
//! the same rows fetched by one hand-written SQL statement, and the reasoning and search
//! queries the load script also measures over HTTP.
//!
//! The `search` group measures name search (names and aliases however spelled, then full
//! text) beside plain full-text search, over the name-recall fixtures of
//! `tests/fixtures/search` among generated look-alikes, with the same queries.
//!
//! `CLAIMGRAPH_BENCH_DB=path/to.db cargo bench --bench reads` measures a database made by
//! `claimgraph generate` and `claimgraph seed` (as `benches/run.sh` does); without it, a graph
//! of 10,000 claims is generated and seeded into a temporary file first.

use std::path::{Path, PathBuf};

use claimgraph::fixture::{self, generate};
use claimgraph::graph::{self, RequestData};
use claimgraph::storage::{Database, Edit, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use rusqlite::{Connection, OpenFlags};

/// The 3-level list as a frontend asks it.
const LIST: &str = "{ events(first: 100) { edges { node { id title occurredOn
  location { name parent { name } }
  claimants { edges { claim { confidence status assertedBy { name } source { title } }
    node { name suspectedPatrons { edges { node { name } } } } } } } } } }";

/// The same rows, in one statement written by hand against the tables: the same sort (the
/// `events_by_day` index), the same joins, and the nested lists cut to the same default page
/// of 50 in the same order (most confident claim first).
const LIST_SQL: &str = "
WITH page AS (
  SELECT id, title, when_date, location_id, coalesce(first_day, '9999-12-31') || '|' || id AS k
  FROM events ORDER BY coalesce(first_day, '9999-12-31') || '|' || id LIMIT 100)
SELECT p.id, p.title, p.when_date, l.name, pl.name, c.confidence, c.status, a.name, s.title,
       sub.name, pat.name
FROM page p
LEFT JOIN locations l ON l.id = p.location_id
LEFT JOIN locations pl ON pl.id = l.parent_id
LEFT JOIN claims c ON c.rowid IN (
  SELECT x.rowid FROM claims x
  WHERE x.object_id = p.id AND x.relation = 'claimed_responsibility_for'
  ORDER BY x.confidence DESC, x.id LIMIT 50)
LEFT JOIN actors a ON a.id = c.asserted_by_id
LEFT JOIN sources s ON s.id = c.source_id
LEFT JOIN actors sub ON sub.id = c.subject_id
LEFT JOIN claims pc ON pc.rowid IN (
  SELECT y.rowid FROM claims y
  WHERE y.subject_id = sub.id AND y.relation IN ('front_for', 'backed_by')
  ORDER BY y.confidence DESC, y.id LIMIT 50)
LEFT JOIN actors pat ON pat.id = pc.object_id
ORDER BY p.k, c.confidence DESC, c.id, pc.confidence DESC, pc.id";

/// The other queries of the load script, by name.
const QUERIES: &[(&str, &str)] = &[
    (
        "search_rocket",
        r#"{ search(query: "rocket", first: 10) { node { id } } }"#,
    ),
    ("events_total_count", "{ events { totalCount } }"),
    (
        "paths_fronts",
        r#"{ paths(from: "front-group-0", to: "front-group-1", maxHops: 6) { hops truncated paths { confidence } } }"#,
    ),
    (
        "neighborhood_hub",
        r#"{ neighborhood(id: "state-0") { truncated nodes { nodeId } edges { claimId } } }"#,
    ),
];

fn database() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Ok(path) = std::env::var("CLAIMGRAPH_BENCH_DB") {
        return (PathBuf::from(path), None);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plan = generate::Plan {
        claims: 10_000,
        seed: 1,
    };
    let written = generate::generate(plan, &dir.path().join("fixtures")).expect("generated");
    let loaded = fixture::load(&written.files);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path).expect("a database");
    store
        .write(|w| w.apply(&loaded.set, &Edit::by("bench")))
        .expect("seeded");
    (path, Some(dir))
}

fn hand_written(conn: &Connection) -> usize {
    let mut stmt = conn.prepare_cached(LIST_SQL).expect("the statement");
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })
        .expect("rows");
    rows.count()
}

fn reads(c: &mut Criterion) {
    let (path, _keep) = database();
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("a read connection");
    let db = Database::open(Path::new(&path), 4).expect("the database");
    let schema = graph::schema();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let run = |query: &str| {
        let request = async_graphql::Request::new(query).data(RequestData::new(db.clone()));
        let response = runtime.block_on(schema.execute(request));
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        response
    };

    let mut group = c.benchmark_group("list");
    group.bench_function("hand_written_sql", |b| b.iter(|| hand_written(&conn)));
    group.bench_function("graphql_in_process", |b| b.iter(|| run(LIST)));
    group.finish();
    let mut group = c.benchmark_group("queries");
    for (name, query) in QUERIES {
        group.bench_function(*name, |b| b.iter(|| run(query)));
    }
    group.finish();
}

/// Queries of the recall list: spellings that match by each class, and plain words.
const SPELLINGS: &[&str] = &[
    "Qassim Suleimani",
    "Soleymani",
    "Abu Mahdi Almuhandis",
    "Kataib Hizballah",
    "Nasralah",
    "Albukamal",
    "Dayr az-Zawr",
    "Hassan Nasr Allah",
    "Mohammad Dschawad Sarif",
    "Ain al-Asad",
    "rocket attack",
    "militia",
];

/// The recall fixtures' entities among 4,000 generated look-alikes, in a database file.
fn name_database(dir: &Path) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let lookalikes = dir.join("lookalikes.json");
    std::fs::write(&lookalikes, generate::lookalikes(4000, 11).to_string()).expect("written");
    let loaded = fixture::load(&[fixtures.join("entities.yaml"), lookalikes]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let path = dir.join("names.db");
    let mut store = Store::open(&path).expect("a database");
    store
        .write(|w| w.apply(&loaded.set, &Edit::by("bench")))
        .expect("seeded");
    path
}

fn search(c: &mut Criterion) {
    use claimgraph::storage::search::{search, text_search};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (generated, _keep) = database();
    for (graph, path) in [
        ("names_4000", name_database(dir.path())),
        ("generated", generated),
    ] {
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("a read connection");
        rusqlite::vtab::array::load_module(&conn).expect("rarray");
        let conn = claimgraph::storage::Conn::sqlite(&conn);
        let mut group = c.benchmark_group(format!("search_{graph}"));
        group.bench_function("full_text_only", |b| {
            b.iter(|| {
                SPELLINGS
                    .iter()
                    .map(|q| text_search(&conn, q, 10).map(|h| h.len()).unwrap_or(0))
                    .sum::<usize>()
            })
        });
        group.bench_function("names_then_full_text", |b| {
            b.iter(|| {
                SPELLINGS
                    .iter()
                    .map(|q| search(&conn, q, 10).map(|h| h.len()).unwrap_or(0))
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_secs(1));
    targets = reads, search
}
criterion_main!(benches);
