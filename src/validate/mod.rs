//! The one validation path: every batch of records, from fixture files or (later) from
//! mutations, is checked here against itself and what the graph already holds.
//!
//! Checks that a single field can make on its own (id syntax, ranges, dates, closed
//! vocabularies, unknown fields) happen while decoding; this module checks what needs the
//! whole batch: unique ids, references, relation rules, containment cycles.

mod rules;
mod suggest;

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Path};
use crate::model::{AssertedBy, EntityType, GraphSet, Id};

pub use rules::validate;
pub use suggest::suggest;

/// A problem with one field of one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The record's section.
    pub section: EntityType,
    /// The record's index in its section of the batch.
    pub index: usize,
    /// The field inside the record.
    pub field: Path,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// The problem where nothing says which file the record came from: at its place in the
    /// batch (`claims[3].object`).
    pub fn in_batch(self) -> Diagnostic {
        Diagnostic {
            file: None,
            line: None,
            path: Path::root()
                .key(self.section.section())
                .index(self.index)
                .join(&self.field),
            message: self.message,
        }
    }
}

/// Turns a problem into a diagnostic pointing into wherever the batch came from.
pub trait Locate {
    /// Where the problem is, as a diagnostic.
    fn locate(&self, problem: Problem) -> Diagnostic;
    /// A short description of where a record is, to point at a first definition.
    fn place(&self, section: EntityType, index: usize) -> String;
}

/// What validation needs to know of the graph a batch is added to.
pub trait Existing {
    /// Why a lookup failed.
    type Error;
    /// The type of the node with this id, if there is one.
    fn entity_type(&self, id: &str) -> Result<Option<EntityType>, Self::Error>;
    /// The link a node has of the kind containment cycles are checked on
    /// (a location's parent, an event's campaign, a source's via).
    fn container(&self, kind: EntityType, id: &str) -> Result<Option<Id>, Self::Error>;
    /// Every id with its type, for suggestions.
    fn all_ids(&self) -> Result<Vec<(String, EntityType)>, Self::Error>;
    /// Who asserts the stored claim with this id, if there is one (a stance's rules need it).
    fn asserter(&self, claim: &str) -> Result<Option<AssertedBy>, Self::Error>;
}

/// An empty graph: what `claimgraph check` validates against.
pub struct Nothing;

impl Existing for Nothing {
    type Error = std::convert::Infallible;
    fn entity_type(&self, _: &str) -> Result<Option<EntityType>, Self::Error> {
        Ok(None)
    }
    fn container(&self, _: EntityType, _: &str) -> Result<Option<Id>, Self::Error> {
        Ok(None)
    }
    fn all_ids(&self) -> Result<Vec<(String, EntityType)>, Self::Error> {
        Ok(Vec::new())
    }
    fn asserter(&self, _: &str) -> Result<Option<AssertedBy>, Self::Error> {
        Ok(None)
    }
}

/// Ids defined by a batch, with the first place each is defined.
pub(crate) fn defined_ids(set: &GraphSet) -> HashMap<&str, (EntityType, usize)> {
    let mut ids = HashMap::new();
    for (index, record) in set.records() {
        ids.entry(record.id().as_str())
            .or_insert((record.entity_type(), index));
    }
    ids
}
