//! The GraphQL layer's error policy, in one place: every error a client sees carries
//! `extensions.code`; storage failures are logged here and reach the client only as INTERNAL.

use async_graphql::ErrorExtensions;

use crate::storage::StorageError;

/// An error a resolver returns. It deliberately has no `Display`: async-graphql would then
/// convert it by its message alone and drop the code; `From` below keeps both.
#[derive(Debug, Clone)]
pub enum GraphError {
    /// The id names nothing, or something of another type.
    NotFound(String),
    /// An argument is invalid; the message says which and why.
    BadUserInput(String),
    /// Something failed on the server; details are in its log, not in the response.
    Internal,
}

impl GraphError {
    /// What the client reads.
    pub fn message(&self) -> String {
        match self {
            GraphError::NotFound(m) | GraphError::BadUserInput(m) => m.clone(),
            GraphError::Internal => "internal error; the server log has the details".into(),
        }
    }

    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            GraphError::NotFound(_) => "NOT_FOUND",
            GraphError::BadUserInput(_) => "BAD_USER_INPUT",
            GraphError::Internal => "INTERNAL",
        }
    }
}

impl From<StorageError> for GraphError {
    fn from(e: StorageError) -> Self {
        tracing::error!(error = %e, "database error while answering a query");
        GraphError::Internal
    }
}

impl ErrorExtensions for GraphError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, ext| ext.set("code", self.code()))
    }
}

impl From<GraphError> for async_graphql::Error {
    fn from(e: GraphError) -> Self {
        e.extend()
    }
}

/// What resolvers return.
pub type GraphResult<T> = Result<T, GraphError>;
