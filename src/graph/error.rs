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
    /// One field of an input is invalid; `field` is its path, e.g. `input.assertedBy`.
    InvalidField {
        /// The argument path of the field.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Writing needs an editor's token, and none (or a wrong one) came with the request.
    Unauthenticated(String),
    /// The node changed since the editor read it; `current` is its version now.
    Conflict {
        /// What happened and what to do.
        message: String,
        /// The node's current version.
        current: i64,
    },
    /// The server serves a database it may not write: no mutation can be applied.
    ReadOnly(String),
    /// The request ran past its deadline or its client went away; its reads were stopped.
    Timeout,
    /// No read connection came free in time: the server is saturated; try again shortly.
    Busy {
        /// How long the read waited, in milliseconds.
        waited_ms: u64,
    },
    /// A subscriber fell so far behind that notices were lost; its subscription ends.
    Lagged {
        /// How many notices it missed.
        missed: u64,
    },
    /// Something failed on the server; details are in its log, not in the response.
    Internal,
}

impl GraphError {
    /// What the client reads.
    pub fn message(&self) -> String {
        match self {
            GraphError::NotFound(m)
            | GraphError::BadUserInput(m)
            | GraphError::Unauthenticated(m)
            | GraphError::ReadOnly(m)
            | GraphError::InvalidField { message: m, .. }
            | GraphError::Conflict { message: m, .. } => m.clone(),
            GraphError::Timeout => {
                "the request ran out of time and was stopped; ask for less (smaller pages, fewer levels or hops)".into()
            }
            GraphError::Busy { waited_ms } => format!(
                "the server is busy: no database connection came free within {waited_ms} ms; try again shortly"
            ),
            GraphError::Lagged { missed } => format!(
                "this subscriber fell behind and missed {missed} notices, so the subscription ended; subscribe again and re-read what you show"
            ),
            GraphError::Internal => "internal error; the server log has the details".into(),
        }
    }

    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            GraphError::NotFound(_) => "NOT_FOUND",
            GraphError::BadUserInput(_) | GraphError::InvalidField { .. } => "BAD_USER_INPUT",
            GraphError::Unauthenticated(_) => "UNAUTHENTICATED",
            GraphError::ReadOnly(_) => "READ_ONLY",
            GraphError::Conflict { .. } => "CONFLICT",
            GraphError::Timeout => "TIMEOUT",
            GraphError::Busy { .. } => "BUSY",
            GraphError::Lagged { .. } => "SUBSCRIBER_LAGGED",
            GraphError::Internal => "INTERNAL",
        }
    }
}

impl From<StorageError> for GraphError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Interrupted => GraphError::Timeout,
            StorageError::Busy { waited_ms } => GraphError::Busy { waited_ms },
            e => {
                if let Some(dropped) = crate::throttle::allow("graph::database_error") {
                    tracing::error!(error = %e, dropped, "database error while answering a query");
                }
                GraphError::Internal
            }
        }
    }
}

impl ErrorExtensions for GraphError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                GraphError::InvalidField { field, .. } => ext.set("field", field.as_str()),
                GraphError::Conflict { current, .. } => ext.set("currentVersion", *current),
                GraphError::Busy { waited_ms } => ext.set("waitedMs", *waited_ms),
                GraphError::Lagged { missed } => ext.set("missed", *missed),
                _ => {}
            }
        })
    }
}

impl From<GraphError> for async_graphql::Error {
    fn from(e: GraphError) -> Self {
        e.extend()
    }
}

impl GraphError {
    /// The errors an editor's failed change gives, the first to return and the rest to add;
    /// `argument` is the GraphQL argument the change's input came in.
    pub fn from_edit(e: crate::edit::EditError, argument: &str) -> Vec<GraphError> {
        use crate::edit::{EditError, argument_path};
        match e {
            EditError::Invalid(problems) => problems
                .into_iter()
                .map(|p| {
                    let field = match p.argument {
                        Some(name) => name.to_owned(),
                        None => argument_path(argument, &p.field),
                    };
                    GraphError::InvalidField {
                        message: format!("`{field}`: {}", p.message),
                        field,
                    }
                })
                .collect(),
            EditError::Conflict { id, given, current } => vec![GraphError::Conflict {
                message: format!(
                    "{id:?} was changed by someone else: it is at version {current}, and this change was based on version {given}; read it again, then retry with version {current}"
                ),
                current,
            }],
            EditError::NotFound { message } => vec![GraphError::NotFound(message)],
            EditError::Storage(e) => vec![GraphError::from(e)],
        }
    }
}

/// What resolvers return.
pub type GraphResult<T> = Result<T, GraphError>;
