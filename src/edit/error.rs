//! What can stop a change. The GraphQL layer turns each into an `extensions.code`.

use crate::diagnostic::Path;
use crate::storage::StorageError;

use super::Target;

/// One problem with one field of an editor's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field, in the fixture format's names, relative to the input.
    pub field: Path,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The argument of the change the problem is in, when it is not in the input itself.
    pub argument: Option<&'static str>,
}

/// Why a change was not made; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The input breaks the same rules a fixture file would.
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    /// The node changed since the editor read it.
    #[error("{id:?} is at version {current}, not {given}")]
    Conflict {
        /// The node.
        id: String,
        /// The version the change was based on.
        given: i64,
        /// The version it is at.
        current: i64,
    },
    /// No node of that type has the id.
    #[error("{message}")]
    NotFound {
        /// Which, and of what type.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl EditError {
    /// One problem with the top-level field `field` of the input.
    pub fn invalid(field: &str, message: impl Into<String>) -> EditError {
        EditError::Invalid(vec![FieldProblem {
            field: Path::root().key(field),
            message: message.into(),
            argument: None,
        }])
    }

    /// One problem with an argument of the change other than its input (`id`, `into`).
    pub fn argument(argument: &'static str, message: impl Into<String>) -> EditError {
        EditError::Invalid(vec![FieldProblem {
            field: Path::root(),
            message: message.into(),
            argument: Some(argument),
        }])
    }

    pub(super) fn not_found(target: &Target) -> EditError {
        EditError::NotFound {
            message: format!("no {} {:?}", target.section.as_str(), target.id),
        }
    }
}

impl From<std::convert::Infallible> for EditError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
