//! Actors: people, groups, states, bodies, forces, coalitions and outlets.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Text, word_enum};

word_enum! {
    /// What kind of actor this is.
    ActorKind {
        /// A named individual.
        Person = "person",
        /// An armed group or militia.
        ArmedGroup = "armed_group",
        /// A smaller group used to claim what another does.
        FrontGroup = "front_group",
        /// A country as a political actor.
        State = "state",
        /// A government, ministry or agency.
        GovernmentBody = "government_body",
        /// An army or the forces of a state.
        MilitaryForce = "military_force",
        /// An alliance or military coalition.
        Coalition = "coalition",
        /// A newspaper, broadcaster or agency.
        MediaOutlet = "media_outlet",
        /// Unnamed officials who speak together ("Iraqi officials").
        Officials = "officials",
        /// Any other organisation.
        Organization = "organization",
    }
}

/// A person, group, state, body, force, coalition or media outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// What kind of actor.
    pub kind: ActorKind,
    /// The name most used in the sources.
    pub name: Text,
    /// Other spellings and names; search finds the actor by each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Text>,
    /// What the sources say the actor is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the sources that mention the actor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Id>,
}
