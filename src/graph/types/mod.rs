//! The GraphQL object types: one module per record type, plus the shared link machinery.

mod actor;
mod claim;
mod details;
mod event;
pub(crate) mod history;
pub(crate) mod links;
mod location;
pub(crate) mod node;
mod search;
mod source;
mod stance;
mod statement;

pub use actor::{ActorConnection, ActorObj};
pub use claim::{ClaimConnection, ClaimObj};
pub use event::{EventConnection, EventObj};
pub use history::{Change, ChangeAction, FieldChange};
pub use links::node_id;
pub use location::{LocationConnection, LocationObj};
pub use node::{Node, RelationInfo};
pub use search::SearchHit;
pub use source::{SourceConnection, SourceObj};
pub use stance::{StanceConnection, StanceObj};
pub use statement::{StatementConnection, StatementObj};
