//! Automatic persisted queries (Apollo's protocol): a client sends a query's SHA-256 alone,
//! and the query with its hash only when the server answers `PersistedQueryNotFound`. The
//! server keeps a bounded number of queries, oldest out first; nothing of a client's grows
//! the server without bound.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::error::HttpError;

/// The queries known by hash, at most `capacity` of them.
pub struct PersistedQueries {
    capacity: usize,
    known: Mutex<Known>,
}

#[derive(Default)]
struct Known {
    by_hash: HashMap<String, String>,
    order: VecDeque<String>,
}

impl PersistedQueries {
    /// A store of at most `capacity` queries (none when 0: every hash is then unknown).
    pub fn new(capacity: usize) -> PersistedQueries {
        PersistedQueries {
            capacity,
            known: Mutex::new(Known::default()),
        }
    }

    /// The query to run: the one sent (remembered under its hash when the client sent one),
    /// or the one known by the hash sent alone.
    pub fn resolve(
        &self,
        query: Option<String>,
        extensions: &Map<String, Value>,
    ) -> Result<String, HttpError> {
        let Some(hash) = sent_hash(extensions)? else {
            return query.ok_or(HttpError::MissingQuery);
        };
        match query {
            Some(query) => {
                let actual = hex(&Sha256::digest(query.as_bytes()));
                if !actual.eq_ignore_ascii_case(&hash) {
                    return Err(HttpError::PersistedQueryMismatch { sent: hash, actual });
                }
                self.remember(actual, &query);
                Ok(query)
            }
            None => self
                .known
                .lock()
                .ok()
                .and_then(|k| k.by_hash.get(&hash.to_ascii_lowercase()).cloned())
                .ok_or(HttpError::PersistedQueryNotFound),
        }
    }

    fn remember(&self, hash: String, query: &str) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut known) = self.known.lock() else {
            return;
        };
        if known.by_hash.contains_key(&hash) {
            return;
        }
        while known.order.len() >= self.capacity {
            if let Some(oldest) = known.order.pop_front() {
                known.by_hash.remove(&oldest);
            }
        }
        known.order.push_back(hash.clone());
        known.by_hash.insert(hash, query.to_owned());
    }
}

/// The `sha256Hash` of a `persistedQuery` extension, if the request has one.
fn sent_hash(extensions: &Map<String, Value>) -> Result<Option<String>, HttpError> {
    let Some(persisted) = extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let version = persisted.get("version");
    if version != Some(&Value::from(1)) {
        let shown = version.map_or_else(|| "(none)".to_owned(), Value::to_string);
        return Err(HttpError::PersistedQueryVersion(shown));
    }
    match persisted.get("sha256Hash") {
        Some(Value::String(hash)) => Ok(Some(hash.clone())),
        _ => Err(HttpError::BadParameter {
            name: "extensions",
            message: "has a `persistedQuery` without a string `sha256Hash`".to_owned(),
        }),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::PersistedQueries;
    use crate::http::error::HttpError;

    const QUERY: &str = "{ relations { name } }";
    const HASH: &str = "0c1d6c0bbd8e4e3b8a0a1fb9b6a0a8a4b3b1d7f0e2c4a9e8d1b2c3d4e5f6a7b8";

    fn ext(hash: &str) -> Map<String, Value> {
        let v = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_hash_alone_is_unknown_until_its_query_comes_with_it() {
        let store = PersistedQueries::new(2);
        let real = super::hex(&<sha2::Sha256 as sha2::Digest>::digest(QUERY.as_bytes()));
        assert!(matches!(
            store.resolve(None, &ext(&real)),
            Err(HttpError::PersistedQueryNotFound)
        ));
        assert_eq!(
            store
                .resolve(Some(QUERY.into()), &ext(&real))
                .ok()
                .as_deref(),
            Some(QUERY)
        );
        assert_eq!(
            store.resolve(None, &ext(&real)).ok().as_deref(),
            Some(QUERY)
        );
        assert!(matches!(
            store.resolve(Some(QUERY.into()), &ext(HASH)),
            Err(HttpError::PersistedQueryMismatch { .. })
        ));
    }

    #[test]
    fn the_store_forgets_its_oldest_query_when_full() {
        let store = PersistedQueries::new(2);
        let queries = ["{ a }", "{ b }", "{ c }"];
        let hashes: Vec<String> = queries
            .iter()
            .map(|q| super::hex(&<sha2::Sha256 as sha2::Digest>::digest(q.as_bytes())))
            .collect();
        for (q, h) in queries.iter().zip(&hashes) {
            assert!(store.resolve(Some((*q).into()), &ext(h)).is_ok());
        }
        assert!(store.resolve(None, &ext(&hashes[0])).is_err());
        assert!(store.resolve(None, &ext(&hashes[2])).is_ok());
    }
}
