//! The GraphQL layer: the schema, its types and resolvers, and the per-request loaders
//! through which every resolver reaches the storage layer.

mod batch;
mod connection;
pub mod cost;
pub mod duplicates;
pub mod enums;
pub mod error;
pub mod inputs;
pub mod loaders;
mod mutation;
pub mod order;
mod query;
pub mod reasoning;
pub mod scalars;
mod subscription;
pub mod types;
mod viewer;

use async_graphql::{MergedObject, Schema};

use crate::edit::Notices;

pub use batch::Started;
pub use error::GraphError;
pub use loaders::RequestData;
pub use mutation::Mutation;
pub use query::Query;
pub use subscription::{ClaimChange, StanceChange, Subscription};

/// The root query: lookups and lists, graph reasoning, possible duplicates, and who asks.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    Query,
    reasoning::ReasoningQuery,
    duplicates::DuplicatesQuery,
    viewer::ViewerQuery,
);

/// The claimgraph schema.
pub type ClaimgraphSchema = Schema<QueryRoot, Mutation, Subscription>;

/// How deep a query may nest; the headline chain needs about twelve levels.
pub const MAX_DEPTH: usize = 32;

/// Builds the schema (once per server; requests bring their own [`RequestData`]), with the
/// channel on which committed changes reach subscribers.
pub fn schema() -> ClaimgraphSchema {
    schema_with(Notices::default())
}

/// [`schema`] with these notices (see [`Notices::for_database`]).
pub fn schema_with(notices: Notices) -> ClaimgraphSchema {
    Schema::build(QueryRoot::default(), Mutation, Subscription)
        .data(notices)
        .limit_depth(MAX_DEPTH)
        .extension(batch::RoundsExtension)
        .finish()
}

/// The schema in GraphQL SDL, as checked in at `schema/schema.graphql`.
pub fn sdl() -> String {
    schema().sdl_with_options(scalars::sdl_options())
}
