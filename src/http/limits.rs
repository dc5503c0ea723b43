//! The limits every request works within, with their defaults and why.

use std::time::Duration;

use crate::graph::cost::QueryLimits;

/// The request limits of a server; `claimgraph serve`'s flags set them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Bytes of a request body. A GraphQL request is a document and its variables; 1 MiB
    /// holds any honest one many times over.
    pub body_bytes: usize,
    /// How long one request may run before its reads are stopped and it answers `TIMEOUT`.
    /// The heaviest reasoning query on a million claims takes well under a second.
    pub timeout: Duration,
    /// How long a read may wait for a free database connection before the request answers
    /// `BUSY`.
    pub read_wait: Duration,
    /// The query limits of anonymous readers.
    pub anonymous: QueryLimits,
    /// The query limits of editors (a valid token): by default four times the readers' cost
    /// limits, since editors are known people who may need to export large parts.
    pub editor: QueryLimits,
    /// Queries kept by hash for automatic persisted queries.
    pub persisted_queries: usize,
    /// The complexity above which a request counts as heavy: heavy requests share all but a
    /// quarter of the read connections, so that cheap ones always find one.
    pub heavy_complexity: u64,
}

impl Default for ServerLimits {
    fn default() -> Self {
        let anonymous = QueryLimits::anonymous();
        ServerLimits {
            body_bytes: 1 << 20,
            timeout: Duration::from_secs(5),
            read_wait: crate::storage::DEFAULT_READ_WAIT,
            editor: anonymous.scaled(4),
            anonymous,
            persisted_queries: 1_000,
            heavy_complexity: 10_000,
        }
    }
}
