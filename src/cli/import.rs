//! `claimgraph import`: STIX 2.1 bundles into a database, in one transaction, all or nothing.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::exchange::stix::import::{self, BundleFile, ImportError, Imported};
use crate::storage::{Store, stix};

/// The editor history names for records written by an import from the command line.
pub const IMPORT_EDITOR: &str = "import";

/// Reads the bundles, maps them and writes them, or writes nothing.
pub fn run(db: &Path, inputs: &[PathBuf], namespace: uuid::Uuid) -> Result<(), CliError> {
    let files = read_files(inputs)?;
    let count = files.len();
    let bundles = import::parse(files, &import::definitions(&namespace));
    let new = !db.exists();
    let mut store = Store::open(db)?;
    let outcome = store.load(|w| {
        let known = stix::known(&w.connection(), &import::named_ids(&bundles))?;
        let read = import::map(bundles, &known, &namespace);
        import::write(w, &read, IMPORT_EDITOR)
    });
    match outcome {
        Ok(imported) => {
            print_report(db, count, &imported);
            super::seed::warn_duplicates_in_store(&store, &imported.report);
            Ok(())
        }
        Err(e) => {
            drop(store);
            if new {
                super::seed::remove_database(db);
            }
            Err(match e {
                ImportError::Invalid(diagnostics) => CliError::Invalid(diagnostics),
                ImportError::Storage(e) => CliError::Storage(e),
            })
        }
    }
}

/// The files to read, each streamed when read; one that is not there is a problem like any
/// other.
fn read_files(inputs: &[PathBuf]) -> Result<Vec<BundleFile>, CliError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in inputs {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => files.push(BundleFile {
                path: path.clone(),
                text: String::new(),
                on_disk: true,
            }),
            Ok(_) => problems.push(not_read(
                path,
                "not a file: give bundle files (JSON)".to_owned(),
            )),
            Err(e) => problems.push(not_read(path, format!("cannot read: {e}"))),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(CliError::Invalid(problems))
    }
}

fn not_read(path: &Path, message: String) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic {
        file: Some(path.to_path_buf()),
        line: None,
        path: crate::diagnostic::Path::root(),
        message,
    }
}

fn print_report(db: &Path, files: usize, imported: &Imported) {
    say!(
        "{}",
        summary(&crate::storage::describe(db), files, imported)
    );
}

/// What an import did, as `seed` words it, with what became what and what was kept.
pub fn summary(target: &str, files: usize, imported: &Imported) -> String {
    let r = &imported.report;
    let mut out = format!(
        "imported {files} bundle(s) into {target}: {} added, {} changed, {} unchanged\n",
        r.added.len(),
        r.changed.len(),
        r.unchanged
    );
    if !imported.became.is_empty() {
        let became: Vec<String> = imported
            .became
            .iter()
            .map(|((stix, section), n)| format!("{n} {stix} → {}", section.trim_end_matches('s')))
            .collect();
        out.push_str(&format!("  read: {}\n", became.join(", ")));
    }
    if !imported.kept.is_empty() {
        let mut by_type: std::collections::BTreeMap<&str, usize> = Default::default();
        for ((t, _), n) in &imported.kept {
            *by_type.entry(t).or_default() += n;
        }
        let kept: Vec<String> = by_type.iter().map(|(t, n)| format!("{n} {t}")).collect();
        out.push_str(&format!(
            "  kept verbatim, not in the graph: {}\n",
            kept.join(", ")
        ));
        for ((t, why), n) in &imported.kept {
            out.push_str(&format!("    {n} {t}: {why}\n"));
        }
    }
    if imported.kept_unchanged > 0 {
        out.push_str(&format!(
            "  already kept: {} object(s) at the same or a newer version\n",
            imported.kept_unchanged
        ));
    }
    if imported.older > 0 {
        out.push_str(&format!(
            "  skipped: {} object(s) older than the version imported before\n",
            imported.older
        ));
    }
    out
}
