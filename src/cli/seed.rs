//! `claimgraph seed`: load fixtures into a database in one transaction, all or nothing.

use std::path::{Path, PathBuf};

use super::{CliError, progress};
use crate::diagnostic::Diagnostic;
use crate::fixture::{self, Loaded};
use crate::model::{EntityType, GraphSet, Id};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::storage::{ChangeReport, Edit, Lookup, StorageError, Store, Writer};

/// The editor history names for records written from fixture files.
pub const SEED_EDITOR: &str = "seed";
use crate::validate::{self, Locate, Nothing, Problem};

/// How many added or changed records are listed by id before the rest are counted.
const LISTED: usize = 50;

/// Validates the fixtures against the database and writes them, or writes nothing.
pub fn run(db: &Path, inputs: &[PathBuf]) -> Result<(), CliError> {
    let loaded = fixture::load(inputs);
    let new = !db.exists();
    let mut store = Store::open(db)?;
    match write(&mut store, &loaded, &crate::storage::describe(db)) {
        Ok(report) => {
            print_report(db, &loaded, &report);
            warn_duplicates_in_store(&store, &report);
            Ok(())
        }
        Err(e) => {
            drop(store);
            if new {
                // A rejected seed leaves nothing behind, not even the empty database it made.
                remove_database(db);
            }
            Err(e)
        }
    }
}

/// Removes a database file this command made, with SQLite's files beside it.
pub(super) fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        // Best effort: a file that is not there is what we want.
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Validates the fixtures against the store and writes them in one transaction, or nothing.
/// Into an empty database, validation (which then needs nothing from it) runs on a thread of
/// its own while the records are written, and a problem stops the writing.
pub fn write(store: &mut Store, loaded: &Loaded, target: &str) -> Result<ChangeReport, CliError> {
    store.load(|w| {
        if w.into_empty() && loaded.diagnostics.is_empty() {
            return write_while_validating(w, loaded, target);
        }
        let lookup = Lookup(w.connection());
        let problems = validate::validate(&loaded.set, &lookup, &loaded.undecoded_ids, loaded)?;
        refuse_problems(loaded, problems)?;
        Ok(write_records(w, loaded, target, &|| true)?)
    })
}

/// Writes the records while another thread validates them; the problems win over the write.
fn write_while_validating(
    w: &Writer<'_>,
    loaded: &Loaded,
    target: &str,
) -> Result<ChangeReport, CliError> {
    let refused = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let checking = scope.spawn(|| {
            let problems = validate::validate(&loaded.set, &Nothing, &loaded.undecoded_ids, loaded)
                .unwrap_or_else(|never| match never {});
            refused.store(!problems.is_empty(), Ordering::Relaxed);
            problems
        });
        let written = write_records(w, loaded, target, &|| !refused.load(Ordering::Relaxed));
        // A panic in validation is a bug; it goes on as one, as it would on this thread.
        let problems = checking
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        refuse_problems(loaded, problems)?;
        Ok(written?)
    })
}

/// Fails with every problem, located, if there is any.
fn refuse_problems(loaded: &Loaded, problems: Vec<Problem>) -> Result<(), CliError> {
    let diagnostics = located(loaded, problems);
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(CliError::Invalid(diagnostics))
    }
}

/// Writes every record with a progress bar, as long as `go_on` says so.
fn write_records(
    w: &Writer<'_>,
    loaded: &Loaded,
    target: &str,
    go_on: &dyn Fn() -> bool,
) -> Result<ChangeReport, StorageError> {
    eprintln!("writing {} records to {target}", loaded.set.len());
    let bar = progress::bar("writing", loaded.set.len());
    let pause = progress::test_pause();
    let report = w.apply_with(&loaded.set, &Edit::by(SEED_EDITOR), &mut |done| {
        bar.set_position(done as u64);
        if pause == Some(done) {
            progress::pause_forever(done);
        }
        go_on()
    })?;
    bar.finish_and_clear();
    Ok(report)
}

/// Reading problems and validation problems together, in file and line order.
pub fn located(loaded: &Loaded, problems: Vec<Problem>) -> Vec<Diagnostic> {
    let mut all = loaded.diagnostics.clone();
    all.extend(problems.into_iter().map(|p| loaded.locate(p)));
    // Files in the order they were read, then lines.
    let order = |d: &Diagnostic| {
        let file = loaded
            .files
            .iter()
            .position(|f| Some(&f.path) == d.file.as_ref());
        (file.unwrap_or(usize::MAX), d.line)
    };
    all.sort_by_key(order);
    all
}

/// "12 actors, 3 locations, …" for the sections that have records.
pub fn summary(set: &GraphSet) -> String {
    let counts = [
        (set.actors.len(), EntityType::Actor),
        (set.locations.len(), EntityType::Location),
        (set.events.len(), EntityType::Event),
        (set.sources.len(), EntityType::Source),
        (set.statements.len(), EntityType::Statement),
        (set.claims.len(), EntityType::Claim),
        (set.stances.len(), EntityType::Stance),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, t)| format!("{n} {}", if *n == 1 { t.as_str() } else { t.section() }))
        .collect();
    if parts.is_empty() {
        "no records".into()
    } else {
        parts.join(", ")
    }
}

fn print_report(db: &Path, loaded: &Loaded, report: &ChangeReport) {
    say!(
        "seeded {} from {} file(s): {} added, {} changed, {} unchanged\n",
        crate::storage::describe(db),
        loaded.files.len(),
        report.added.len(),
        report.changed.len(),
        report.unchanged
    );
    print_list("added", &report.added);
    print_list("changed", &report.changed);
}

/// The score from which `seed` and `check` warn that two records may be one.
pub const WARN_SCORE: f64 = 0.9;

/// Most new actors and locations compared with the database after a seed: a bulk load of a
/// generated graph is better checked with `possibleDuplicates` when it is served.
const WARN_AT_MOST: usize = 20_000;

/// Warns of each new actor or location that looks like another in the database.
pub(super) fn warn_duplicates_in_store(store: &Store, report: &ChangeReport) {
    use crate::storage::names::duplicates;
    for entity_type in [EntityType::Actor, EntityType::Location] {
        let new: std::collections::HashSet<String> = report
            .added
            .iter()
            .filter(|(t, _)| *t == entity_type)
            .map(|(_, id)| id.to_string())
            .collect();
        if new.is_empty() {
            continue;
        }
        if new.len() > WARN_AT_MOST {
            eprintln!(
                "note: {} new {entity_type}s were not compared for duplicates (more than {WARN_AT_MOST}); ask `possibleDuplicates` when serving",
                new.len()
            );
            continue;
        }
        match duplicates::stored(&store.conn(), entity_type) {
            Ok(candidates) => {
                warn_pairs(&duplicates::by_names(&candidates, WARN_SCORE, Some(&new)));
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not compare the new records for duplicates")
            }
        }
    }
}

/// Prints one warning per pair (to stderr: they do not make the command fail).
pub fn warn_pairs(pairs: &[crate::storage::names::duplicates::Pair]) {
    for pair in pairs {
        let why = pair
            .reasons
            .first()
            .map(|r| r.detail.as_str())
            .unwrap_or_default();
        eprintln!(
            "warning: {} and {} may be one record (score {:.2}: {why}); if they are, keep one id, or merge them (mergeActor / mergeLocation) once served",
            pair.a, pair.b, pair.score
        );
    }
}

fn print_list(what: &str, records: &[(EntityType, Id)]) {
    for (t, id) in records.iter().take(LISTED) {
        say!("  {what} {t} {id}\n");
    }
    if records.len() > LISTED {
        say!("  … and {} more {what}\n", records.len() - LISTED);
    }
}
