//! `claimgraph seed`: load fixtures into a database in one transaction, all or nothing.

use std::path::{Path, PathBuf};

use super::{CliError, progress};
use crate::diagnostic::Diagnostic;
use crate::fixture::{self, Loaded};
use crate::model::{EntityType, GraphSet, Id};
use crate::storage::{ChangeReport, Edit, Lookup, Store};

/// The editor history names for records written from fixture files.
pub const SEED_EDITOR: &str = "seed";
use crate::validate::{self, Locate, Nothing, Problem};

/// How many added or changed records are listed by id before the rest are counted.
const LISTED: usize = 50;

/// Validates the fixtures against the database and writes them, or writes nothing.
pub fn run(db: &Path, inputs: &[PathBuf]) -> Result<(), CliError> {
    let loaded = fixture::load(inputs);
    let new = !db.exists();
    if new {
        // Validate before creating the file, so that a rejected seed leaves nothing behind.
        let problems = validate::validate(&loaded.set, &Nothing, &loaded.undecoded_ids, &loaded)
            .unwrap_or_else(|never| match never {});
        let diagnostics = located(&loaded, problems);
        if !diagnostics.is_empty() {
            return Err(CliError::Invalid(diagnostics));
        }
    }
    let mut store = Store::open(db)?;
    let report = write(&mut store, &loaded, &db.display().to_string(), new)?;
    print_report(db, &loaded, &report);
    Ok(())
}

/// Validates the fixtures against the store and writes them in one transaction, or nothing.
/// `validated`: they were validated already against nothing, and the store is new and empty.
pub fn write(
    store: &mut Store,
    loaded: &Loaded,
    target: &str,
    validated: bool,
) -> Result<ChangeReport, CliError> {
    store.load(|w| {
        if !validated {
            let lookup = Lookup(w.connection());
            let problems = validate::validate(&loaded.set, &lookup, &loaded.undecoded_ids, loaded)?;
            let diagnostics = located(loaded, problems);
            if !diagnostics.is_empty() {
                return Err(CliError::Invalid(diagnostics));
            }
        }
        eprintln!("writing {} records to {target}", loaded.set.len());
        let bar = progress::bar("writing", loaded.set.len());
        let pause = progress::test_pause();
        let report = w.apply_with(&loaded.set, &Edit::by(SEED_EDITOR), &mut |done| {
            bar.set_position(done as u64);
            if pause == Some(done) {
                progress::pause_forever(done);
            }
        })?;
        bar.finish_and_clear();
        Ok(report)
    })
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
        db.display(),
        loaded.files.len(),
        report.added.len(),
        report.changed.len(),
        report.unchanged
    );
    print_list("added", &report.added);
    print_list("changed", &report.changed);
}

fn print_list(what: &str, records: &[(EntityType, Id)]) {
    for (t, id) in records.iter().take(LISTED) {
        say!("  {what} {t} {id}\n");
    }
    if records.len() > LISTED {
        say!("  … and {} more {what}\n", records.len() - LISTED);
    }
}
