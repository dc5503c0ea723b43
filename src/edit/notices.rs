//! Announcements of committed changes, for subscriptions. A slow subscriber that falls more
//! than the channel's capacity behind misses notices rather than slowing writers down.
//!
//! On SQLite one process writes, and tells its own subscribers after each commit. On
//! PostgreSQL any number of replicas write: each notice travels through the database
//! (`storage::notify` inside the writing transaction, so it goes out only if that commits),
//! and every replica, the writer's own included, hears it from there.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::storage::{Database, StorageError, Writer};

use crate::model::{Relation, StancePosition};
use crate::storage::history::Action;

/// How many notices wait for a slow subscriber before it starts missing some.
const CAPACITY: usize = 4096;

/// One committed change worth announcing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A claim was asserted, changed status, or had a link moved by a merge.
    Claim {
        /// The claim.
        id: String,
        /// Its subject.
        subject: String,
        /// Its relation.
        relation: Relation,
        /// Its object, if it links two nodes.
        object: Option<String>,
        /// What happened to it.
        action: Action,
    },
    /// A stance was taken (created), changed, or had its party or asserter moved by a merge.
    Stance {
        /// The stance.
        id: String,
        /// The claim it is a position on.
        claim: String,
        /// The party whose position it is.
        actor: String,
        /// Its position.
        position: StancePosition,
        /// What happened to it.
        action: Action,
    },
    /// An event was created.
    EventAdded {
        /// The event.
        id: String,
        /// Its location and every place that contains it.
        places: Vec<String>,
    },
}

/// The channel notices go out on; clones share it.
#[derive(Clone)]
pub struct Notices {
    sender: broadcast::Sender<Notice>,
    /// Whether notices come from the database, and if so whether its listener is connected.
    relayed: Option<Arc<AtomicBool>>,
}

impl Default for Notices {
    fn default() -> Self {
        Notices {
            sender: broadcast::channel(CAPACITY).0,
            relayed: None,
        }
    }
}

impl Notices {
    /// The notices of a server on `db`: heard from the database when its engine carries
    /// them between processes, from this process's own writes otherwise. The listener ends
    /// when the last clone of these notices is dropped.
    pub fn for_database(db: &Database) -> Notices {
        let sender = broadcast::channel(CAPACITY).0;
        let weak = sender.downgrade();
        let relayed = db.listen(move |payload| {
            let Some(sender) = weak.upgrade() else {
                return false;
            };
            if let Some(payload) = payload {
                match serde_json::from_str::<Notice>(&payload) {
                    Ok(notice) => {
                        let _listeners = sender.send(notice);
                    }
                    Err(e) => tracing::warn!(error = %e, payload, "a change notice cannot be read"),
                }
            }
            true
        });
        Notices { sender, relayed }
    }

    /// Every notice sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.sender.subscribe()
    }

    /// Sends notices of a committed change to this process's subscribers; nobody listening
    /// is fine. Notices relayed by the database were sent by [`announce`] and come back
    /// through the listener, so they are not sent twice.
    pub fn publish(&self, notices: Vec<Notice>) {
        if self.relayed.is_some() {
            return;
        }
        for n in notices {
            let _listeners = self.sender.send(n);
        }
    }

    /// Whether subscribers hear every committed change now: always on SQLite; on
    /// PostgreSQL while the listener is connected.
    pub fn is_ready(&self) -> bool {
        self.relayed
            .as_ref()
            .is_none_or(|connected| connected.load(Ordering::Relaxed))
    }
}

/// Sends `notices` through the database, inside the writer's transaction, to every replica
/// that listens (nothing on SQLite; see the module's comment).
pub fn announce(writer: &Writer<'_>, notices: &[Notice]) -> Result<(), StorageError> {
    let conn = writer.connection();
    for notice in notices {
        let payload = serde_json::to_string(notice).map_err(|e| {
            StorageError::Corrupt(format!("a change notice cannot be written: {e}"))
        })?;
        crate::storage::notify(&conn, &payload)?;
    }
    Ok(())
}
