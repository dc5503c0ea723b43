//! Events: attacks, strikes, speeches, discoveries, policy changes, takeovers, campaigns.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Text, When, word_enum};

word_enum! {
    /// What kind of event this is.
    EventKind {
        /// An attack with rockets, drones, bombs or guns.
        Attack = "attack",
        /// A strike by a state's forces (air or drone strike).
        Strike = "strike",
        /// A series of events ("the third straight day of attacks").
        Campaign = "campaign",
        /// A speech or public address.
        Speech = "speech",
        /// A find of weapons or evidence.
        Discovery = "discovery",
        /// A change of policy or mission.
        PolicyChange = "policy_change",
        /// An agreement between parties.
        Agreement = "agreement",
        /// Taking control of territory.
        Takeover = "takeover",
        /// A deployment of forces.
        Deployment = "deployment",
        /// Anything else.
        Other = "other",
    }
}

word_enum! {
    /// A kind of weapon or launcher.
    MunitionKind {
        /// A rocket.
        Rocket = "rocket",
        /// A rocket launcher.
        Launcher = "launcher",
        /// A guided missile.
        Missile = "missile",
        /// A drone.
        Drone = "drone",
        /// A mortar round.
        Mortar = "mortar",
        /// An improvised explosive device.
        Ied = "ied",
        /// Small-arms fire.
        Gunfire = "gunfire",
        /// Any other.
        Other = "other",
    }
}

/// Munitions used or found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Munition {
    /// The kind of munition.
    pub kind: MunitionKind,
    /// How many, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Calibre in millimetres ("a 240 mm rocket").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caliber_mm: Option<f64>,
    /// Whether it was fired; false for an unfired launcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired: Option<bool>,
    /// Anything else the source says of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// People killed and wounded, as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    /// Number killed, if reported (0 when the source says nobody was killed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// Number wounded, if reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wounded: Option<u32>,
    /// The source's wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A reported distance from a location ("the nearest one over one mile away").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distance {
    /// The location the distance is measured from.
    pub from: Id,
    /// The least distance in kilometres, if a bound is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_km: Option<f64>,
    /// The greatest distance in kilometres, if a bound is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_km: Option<f64>,
    /// The source's wording.
    pub text: Text,
}

/// What an event involved, as reported.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDetails {
    /// Munitions used or found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub munitions: Vec<Munition>,
    /// People killed and wounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casualties: Option<Casualties>,
    /// Damage, in the source's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
    /// Distances reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distances: Vec<Distance>,
    /// Other counts by name, e.g. `attacks: 3`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
}

/// Something that happened at a time and place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// What kind of event.
    pub kind: EventKind,
    /// A short title.
    pub title: Text,
    /// What happened, in more words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When it happened, with its precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// The id of the location where it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Id>,
    /// The id of the campaign event this one belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Id>,
    /// Munitions, casualties, damage, distances and counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<EventDetails>,
    /// Ids of the sources that report the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Id>,
}
