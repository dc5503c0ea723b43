//! `claimgraph check`: validate fixtures without a database.

use std::path::PathBuf;

use super::CliError;
use super::seed::{located, summary};
use crate::fixture;
use crate::validate::{self, Nothing};

/// Reads and validates the fixtures, printing a summary when they are valid.
pub fn run(inputs: &[PathBuf]) -> Result<(), CliError> {
    let loaded = fixture::load(inputs);
    let problems = validate::validate(&loaded.set, &Nothing, &loaded.undecoded_ids, &loaded)
        .unwrap_or_else(|never| match never {});
    let diagnostics = located(&loaded, problems);
    if !diagnostics.is_empty() {
        return Err(CliError::Invalid(diagnostics));
    }
    say!(
        "ok: {} in {} file(s)\n",
        summary(&loaded.set),
        loaded.files.len()
    );
    let candidates = crate::storage::names::duplicates::of_set(&loaded.set);
    super::seed::warn_pairs(&crate::storage::names::duplicates::by_names(
        &candidates,
        super::seed::WARN_SCORE,
        None,
    ));
    Ok(())
}
