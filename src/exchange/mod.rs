//! Exchanging the graph with other tools: STIX 2.1 bundles out and in ([`stix`]). Sits beside
//! the GraphQL layer: it reads records from storage and writes them through the same
//! validation path as fixtures.

pub mod stix;
