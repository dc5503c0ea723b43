//! Announcements of committed changes, for subscriptions. A slow subscriber that falls more
//! than the channel's capacity behind misses notices rather than slowing writers down.

use tokio::sync::broadcast;

use crate::model::{Relation, StancePosition};
use crate::storage::history::Action;

/// How many notices wait for a slow subscriber before it starts missing some.
const CAPACITY: usize = 4096;

/// One committed change worth announcing.
#[derive(Debug, Clone, PartialEq, Eq)]
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
pub struct Notices(broadcast::Sender<Notice>);

impl Default for Notices {
    fn default() -> Self {
        Notices(broadcast::channel(CAPACITY).0)
    }
}

impl Notices {
    /// Every notice sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.0.subscribe()
    }

    /// Sends notices of a committed change; nobody listening is fine.
    pub fn publish(&self, notices: Vec<Notice>) {
        for n in notices {
            let _listeners = self.0.send(n);
        }
    }
}
