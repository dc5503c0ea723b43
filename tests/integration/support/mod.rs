//! Helpers shared by the integration tests: `cli` runs the `claimgraph` binary and reads the
//! database files it writes, `graphql` serves a graph in-process, `live` runs a real
//! `claimgraph serve` process.

pub mod cli;
pub mod engine;
pub mod graphql;
pub mod live;
pub mod names;

use std::path::PathBuf;

/// The project root, so that tests find `seed/`, `schema/` and `tests/fixtures/` wherever
/// they run from.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Alice's token, on servers made by [`graphql::Api::seed_for_editors`] and in the tokens
/// file [`live::tokens_file`] writes.
pub const ALICE: &str = "alice-token-0123456789abcdef";
/// Bob's token, on servers made by [`graphql::Api::seed_for_editors`] and in the tokens file
/// [`live::tokens_file`] writes.
pub const BOB: &str = "bob-token-fedcba9876543210";
