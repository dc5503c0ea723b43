//! `serve`'s flags for request limits (README: "Limits and operations").

use std::time::Duration;

use clap::Args;

use crate::graph::cost::QueryLimits;
use crate::http::{ServerLimits, WsConfig};

/// The request limits, each a flag with an environment variable; the defaults are
/// [`ServerLimits::default`]'s, which a test keeps equal.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Largest request body, in bytes (larger: 413 PAYLOAD_TOO_LARGE).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20, env = "CLAIMGRAPH_MAX_BODY_BYTES")]
    pub max_body_bytes: usize,
    /// How long a request may run before it is stopped (TIMEOUT), in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5_000, env = "CLAIMGRAPH_TIMEOUT_MS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_ms: u64,
    /// How long a read may wait for a free database connection (then BUSY), in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2_000, env = "CLAIMGRAPH_READ_WAIT_MS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub read_wait_ms: u64,
    /// Longest query text, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024, env = "CLAIMGRAPH_MAX_QUERY_BYTES")]
    pub max_query_bytes: usize,
    /// Most lexical tokens in a query.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10_000,
        env = "CLAIMGRAPH_MAX_TOKENS"
    )]
    pub max_tokens: usize,
    /// Deepest nesting of selections.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 32,
        env = "CLAIMGRAPH_MAX_DEPTH"
    )]
    pub max_depth: usize,
    /// Most fields once fragments are expanded.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5_000,
        env = "CLAIMGRAPH_MAX_FIELDS"
    )]
    pub max_fields: u64,
    /// Most aliased fields.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        env = "CLAIMGRAPH_MAX_ALIASES"
    )]
    pub max_aliases: u64,
    /// Most directives in one place.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        env = "CLAIMGRAPH_MAX_DIRECTIVES"
    )]
    pub max_directives: usize,
    /// Highest complexity: objects a query may return (page sizes multiplied down nested
    /// lists) plus rows its reasoning fields may read.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000_000,
        env = "CLAIMGRAPH_MAX_COMPLEXITY"
    )]
    pub max_complexity: u64,
    /// Most distinct words in one search.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 16,
        env = "CLAIMGRAPH_MAX_SEARCH_TERMS"
    )]
    pub max_search_terms: usize,
    /// What editors' fields, aliases and complexity limits are multiplied by.
    #[arg(long, value_name = "N", default_value_t = 4, env = "CLAIMGRAPH_EDITOR_FACTOR",
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub editor_factor: u64,
    /// Operations that may run at once on one WebSocket.
    #[arg(long, value_name = "N", default_value_t = 100, env = "CLAIMGRAPH_WS_MAX_OPERATIONS",
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub ws_max_operations: u64,
    /// Largest message a WebSocket client may send, in bytes (larger: closed with 1009).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024, env = "CLAIMGRAPH_WS_MAX_MESSAGE_BYTES")]
    pub ws_max_message_bytes: usize,
    /// Messages that may wait for a WebSocket client that does not read (then closed with 1013).
    #[arg(long, value_name = "N", default_value_t = 256, env = "CLAIMGRAPH_WS_QUEUE",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub ws_queue: u64,
    /// Seconds of silence after which a WebSocket client is pinged; one that stays silent as
    /// long again is closed (1001). 0 turns pings off.
    #[arg(long, value_name = "SECS", default_value_t = 30, env = "CLAIMGRAPH_WS_PING_SECS",
          value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub ws_ping_secs: u64,
    /// WebSockets one client (IP address) may hold open at once; 0 for no limit. Behind a
    /// proxy every client has the proxy's address: raise it there, or limit at the proxy.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 64,
        env = "CLAIMGRAPH_WS_MAX_SOCKETS_PER_CLIENT"
    )]
    pub ws_max_sockets_per_client: usize,
    /// Queries kept for automatic persisted queries (0 turns them off).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000,
        env = "CLAIMGRAPH_PERSISTED_QUERIES"
    )]
    pub persisted_queries: usize,
}

impl LimitArgs {
    /// The WebSocket limits these flags give (the init timeout and origins are `serve`'s).
    pub fn ws(&self) -> WsConfig {
        WsConfig {
            max_subscriptions: usize::try_from(self.ws_max_operations).unwrap_or(usize::MAX),
            max_frame_bytes: self.ws_max_message_bytes,
            queue: usize::try_from(self.ws_queue).unwrap_or(usize::MAX),
            ping_interval: Duration::from_secs(self.ws_ping_secs),
            max_sockets_per_client: self.ws_max_sockets_per_client,
            ..WsConfig::default()
        }
    }

    /// The limits these flags give.
    pub fn limits(&self) -> ServerLimits {
        let anonymous = QueryLimits {
            query_bytes: self.max_query_bytes,
            tokens: self.max_tokens,
            depth: self.max_depth,
            fields: self.max_fields,
            aliases: self.max_aliases,
            directives: self.max_directives,
            complexity: self.max_complexity,
            search_terms: self.max_search_terms,
        };
        ServerLimits {
            body_bytes: self.max_body_bytes,
            timeout: Duration::from_millis(self.timeout_ms),
            read_wait: Duration::from_millis(self.read_wait_ms),
            editor: anonymous.scaled(self.editor_factor),
            anonymous,
            persisted_queries: self.persisted_queries,
            ..ServerLimits::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::LimitArgs;
    use crate::http::{ServerLimits, WsConfig};

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn the_flags_default_to_the_servers_default_limits() {
        let flags = Flags::try_parse_from(["serve"]).map(|f| (f.limits.limits(), f.limits.ws()));
        assert_eq!(
            flags.ok(),
            Some((ServerLimits::default(), WsConfig::default()))
        );
    }
}
