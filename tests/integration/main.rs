//! The integration tests, linked as one binary (`autotests = false` and one `[[test]]` in
//! `Cargo.toml`): every test file linked on its own would link actix-web, async-graphql and
//! SQLite again, which costs link time and disk on every change to the crate.
//!
//! Each module is what used to be a file of its own; `support` holds what they share.
//! Run one module with `cargo test --test integration graphql_api::`.

mod support;

mod cli_rejects_bad_input;
mod contracts;
mod crash_safety;
mod database_file;
mod duplicates;
mod durability;
mod explorer;
mod generated;
mod graphql_api;
mod hardening;
mod mutations;
mod no_n_plus_one;
mod properties;
mod readme_examples;
mod reasoning_generated;
mod reasoning_seed;
mod schema_shape;
mod search_names;
mod search_recall;
mod seed_article;
mod server_cli;
mod stances;
mod stix;
mod subscriptions;
