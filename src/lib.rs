//! claimgraph: a knowledge graph of what news reporting says about armed conflict.
//!
//! The crate is layered; each layer only calls the one below it:
//! - [`model`]: the records of the graph (actors, locations, events, sources, statements,
//!   claims) and the closed relation vocabulary;
//! - [`fixture`]: reading fixture files (YAML or JSON) into records, keeping file, line and path;
//! - [`validate`]: the one validation path for any batch of records, wherever it comes from;
//! - [`storage`]: SQLite: migrations, upserts in one transaction, versions and history, reads;
//! - [`edit`]: the write path for editors' changes, through the same decoding and validation;
//! - [`graph`]: the GraphQL schema: queries, mutations, subscriptions, loaders;
//! - [`http`]: actix-web routes, with [`auth`] deciding who may write;
//! - [`cli`]: the `claimgraph` command line, which maps errors to messages and exit codes.

pub mod auth;
pub mod cli;
pub mod diagnostic;
pub mod edit;
pub mod exchange;
pub mod fixture;
pub mod graph;
pub mod http;
pub mod model;
pub mod storage;
pub mod throttle;
pub mod validate;
