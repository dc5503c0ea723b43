//! The GraphQL layer: the schema, its types and resolvers, and the per-request loaders
//! through which every resolver reaches the storage layer.

mod connection;
pub mod enums;
pub mod error;
pub mod loaders;
mod query;
pub mod scalars;
pub mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use error::GraphError;
pub use loaders::RequestData;
pub use query::Query;

/// The claimgraph schema.
pub type ClaimgraphSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// How deep a query may nest; the headline chain needs about twelve levels.
pub const MAX_DEPTH: usize = 32;

/// Builds the schema (once per server; requests bring their own [`RequestData`]).
pub fn schema() -> ClaimgraphSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .finish()
}

/// The schema in GraphQL SDL, as checked in at `schema/schema.graphql`.
pub fn sdl() -> String {
    schema().sdl()
}
