//! `claimgraph generate`: write a large deterministic graph as fixture files.

use std::path::Path;

use super::CliError;
use crate::fixture::generate::{Plan, generate};

/// Writes the generated fixtures into `out` and says what it wrote.
pub fn run(claims: u64, seed: u64, out: &Path) -> Result<(), CliError> {
    let plan = Plan {
        claims: usize::try_from(claims).unwrap_or(usize::MAX),
        seed,
    };
    let written = generate(plan, out).map_err(|source| CliError::Create {
        path: out.to_path_buf(),
        source,
    })?;
    say!(
        "generated {} records ({} claims) in {} file(s) under {}\n",
        written.records,
        claims,
        written.files.len(),
        out.display()
    );
    Ok(())
}
