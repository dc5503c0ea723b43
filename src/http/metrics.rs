//! Prometheus metrics at `/metrics`, in the text exposition format: requests, latency,
//! errors by code, SQL statements, read-connection waits, subscribers.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::storage::Database;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What the server has counted since it started.
#[derive(Default)]
pub struct Metrics {
    by_status: Mutex<BTreeMap<u16, u64>>,
    by_code: Mutex<BTreeMap<String, u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    micros: AtomicU64,
    statements: AtomicU64,
    cancelled: AtomicU64,
}

impl Metrics {
    /// Counts one answered GraphQL request.
    pub fn record(&self, status: u16, took: Duration, codes: &[String], statements: usize) {
        if let Ok(mut m) = self.by_status.lock() {
            *m.entry(status).or_default() += 1;
        }
        if !codes.is_empty()
            && let Ok(mut m) = self.by_code.lock()
        {
            for code in codes {
                *m.entry(code.clone()).or_default() += 1;
            }
        }
        let secs = took.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if secs <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.micros.fetch_add(micros, Ordering::Relaxed);
        self.statements
            .fetch_add(statements as u64, Ordering::Relaxed);
    }

    /// Counts a request dropped before it finished (its client went away).
    pub fn cancelled(&self) {
        self.cancelled.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text, with the database's pool figures and `subscribers`.
    pub fn render(&self, db: &Database, subscribers: usize) -> String {
        let mut out = String::new();
        family(
            &mut out,
            "requests_total",
            "counter",
            "GraphQL requests answered over HTTP, by status.",
        );
        if let Ok(m) = self.by_status.lock() {
            for (status, n) in m.iter() {
                let _ = writeln!(out, "claimgraph_requests_total{{status=\"{status}\"}} {n}");
            }
        }
        family(
            &mut out,
            "errors_total",
            "counter",
            "GraphQL errors answered, by extensions.code.",
        );
        if let Ok(m) = self.by_code.lock() {
            for (code, n) in m.iter() {
                let _ = writeln!(out, "claimgraph_errors_total{{code=\"{code}\"}} {n}");
            }
        }
        family(
            &mut out,
            "request_duration_seconds",
            "histogram",
            "Time from a GraphQL request's arrival to its answer.",
        );
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let n = bucket.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "claimgraph_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let sum = self.micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(
            out,
            "claimgraph_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(out, "claimgraph_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "claimgraph_request_duration_seconds_count {count}");
        let pool = db.pool_stats();
        let statements = self.statements.load(Ordering::Relaxed);
        let cancelled = self.cancelled.load(Ordering::Relaxed);
        let singles: [(&str, &str, &str, String); 8] = [
            (
                "requests_cancelled_total",
                "counter",
                "GraphQL requests stopped because their client went away before the answer.",
                cancelled.to_string(),
            ),
            (
                "sql_statements_total",
                "counter",
                "SQL statements run for GraphQL requests over HTTP.",
                statements.to_string(),
            ),
            (
                "read_connections",
                "gauge",
                "Read connections in the pool.",
                pool.size.to_string(),
            ),
            (
                "read_connections_free",
                "gauge",
                "Read connections free now.",
                pool.free.to_string(),
            ),
            (
                "read_waits_total",
                "counter",
                "Reads that had to wait for a free connection.",
                pool.waits.to_string(),
            ),
            (
                "read_wait_seconds_total",
                "counter",
                "Time reads spent waiting for a free connection.",
                (pool.wait_micros as f64 / 1e6).to_string(),
            ),
            (
                "read_busy_total",
                "counter",
                "Reads refused because no connection came free in time (BUSY).",
                pool.busy.to_string(),
            ),
            (
                "subscribers",
                "gauge",
                "Subscriptions open over WebSocket.",
                subscribers.to_string(),
            ),
        ];
        for (name, kind, help, value) in singles {
            family(&mut out, name, kind, help);
            let _ = writeln!(out, "claimgraph_{name} {value}");
        }
        out
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(
        out,
        "# HELP claimgraph_{name} {help}\n# TYPE claimgraph_{name} {kind}"
    );
}
