//! STIX 2.1 (OASIS): the mapping of claimgraph's records to STIX objects, as designed in
//! `docs/stix-design.md`. Every link keeps its asserter (`created_by_ref`), source
//! (`external_references`), confidence and status.

pub mod actors;
pub mod claims;
pub mod extension;
pub mod ids;
pub mod locations;
