//! The closed relation vocabulary: what a claim may say, and between which kinds of things.

use serde::{Deserialize, Serialize};

use super::EntityType::{self, Actor, Claim, Event, Location, Source, Stance, Statement};

/// What a claim's object may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// Another entity of one of these types.
    Entity(&'static [EntityType]),
    /// A literal value, such as 2,500 soldiers.
    Value,
}

/// One relation of the vocabulary with the kinds of things it may link.
#[derive(Debug, Clone, Copy)]
pub struct RelationSpec {
    /// The relation.
    pub relation: Relation,
    /// The entity types a subject may have.
    pub subjects: &'static [EntityType],
    /// What the object may be.
    pub object: ObjectKind,
    /// What a claim with this relation says, subject first.
    pub meaning: &'static str,
}

macro_rules! vocabulary {
    ($($variant:ident $name:literal : [$($s:ident),+] => $obj:expr, $meaning:literal;)+) => {
        /// A relation a claim asserts between its subject and its object.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Relation {
            $(#[doc = $meaning] $variant,)+
        }

        /// Every relation with its rules, in documentation order.
        pub const VOCABULARY: &[RelationSpec] = &[
            $(RelationSpec {
                relation: Relation::$variant,
                subjects: &[$($s),+],
                object: $obj,
                meaning: $meaning,
            },)+
        ];

        impl Relation {
            /// The fixture spelling, e.g. `claimed_responsibility_for`.
            pub fn as_str(&self) -> &'static str {
                match self { $(Relation::$variant => $name,)+ }
            }

            /// Reads the fixture spelling back.
            pub fn parse(s: &str) -> Option<Relation> {
                match s { $($name => Some(Relation::$variant),)+ _ => None }
            }
        }
    };
}

const ACTORS: ObjectKind = ObjectKind::Entity(&[Actor]);
const EVENTS: ObjectKind = ObjectKind::Entity(&[Event]);
const LOCATIONS: ObjectKind = ObjectKind::Entity(&[Location]);
const ANYTHING: ObjectKind =
    ObjectKind::Entity(&[Actor, Location, Event, Source, Statement, Claim, Stance]);

vocabulary! {
    ClaimedResponsibilityFor "claimed_responsibility_for": [Actor] => EVENTS,
        "The subject (a group or person) claimed responsibility for the event.";
    AttributedTo "attributed_to": [Event] => ACTORS,
        "The event is attributed to the actor by someone other than the actor.";
    CarriedOut "carried_out": [Actor] => EVENTS,
        "The actor carried out the event (an attack, a strike, a takeover).";
    ParticipatedIn "participated_in": [Actor] => EVENTS,
        "The actor took part in the event (a party to an agreement, a speaker at a rally).";
    FrontFor "front_for": [Actor] => ACTORS,
        "The subject is a front group acting for the object.";
    BackedBy "backed_by": [Actor] => ACTORS,
        "The subject is backed (armed, funded, directed or helped) by the object.";
    AlignedWith "aligned_with": [Actor] => ACTORS,
        "The subject is aligned with the object, without a claim of control.";
    Leads "leads": [Actor] => ACTORS,
        "The subject (a person) leads the object (a group or body).";
    Commands "commands": [Actor] => ACTORS,
        "The subject commands the object (a military force or coalition).";
    MemberOf "member_of": [Actor] => ACTORS,
        "The subject is a member or part of the object.";
    Opposes "opposes": [Actor] => ACTORS,
        "The subject fights or works against the object.";
    StationedIn "stationed_in": [Actor] => LOCATIONS,
        "The subject (forces) is stationed in the location.";
    Hosts "hosts": [Location] => ACTORS,
        "The location (a base, a country) hosts the actor's forces; the inverse wording of stationed_in.";
    Targeted "targeted": [Actor, Event] => ObjectKind::Entity(&[Actor, Location]),
        "The subject (an attacker or an attack) targeted the object.";
    OccurredAt "occurred_at": [Event] => LOCATIONS,
        "The event took place at the location (as someone asserts it).";
    PartOf "part_of": [Event] => EVENTS,
        "The event is part of the object event (a campaign, a series).";
    RelatedTo "related_to": [Event] => EVENTS,
        "The event is connected with the object event (a find after an attack).";
    Killed "killed": [Actor, Event] => ACTORS,
        "The subject (an actor or an event such as a strike) killed the object.";
    MarkedAnniversaryOf "marked_anniversary_of": [Event, Actor] => EVENTS,
        "The subject marked an anniversary of the object event; qualifier years is required.";
    MotivatedBy "motivated_by": [Event, Actor] => EVENTS,
        "The subject was motivated by the object event (retaliation, commemoration).";
    SaidAbout "said_about": [Statement, Actor] => ANYTHING,
        "The statement (or the actor) said something about the object.";
    LocatedIn "located_in": [Location] => LOCATIONS,
        "The location lies inside the object location (as someone asserts it).";
    Near "near": [Location] => LOCATIONS,
        "The location lies near the object location.";
    HasStrength "has_strength": [Actor] => ObjectKind::Value,
        "The actor numbers the value (e.g. 2,500 soldiers); qualifier `in` says where.";
}

impl Relation {
    /// The rules of this relation.
    pub fn spec(&self) -> &'static RelationSpec {
        VOCABULARY
            .iter()
            .find(|s| s.relation == *self)
            .unwrap_or(&VOCABULARY[0])
    }
}

/// The vocabulary as a Markdown table, as the README and `claimgraph relations` show it.
pub fn vocabulary_markdown() -> String {
    let mut out = String::from("| relation | subject | object | meaning |\n|---|---|---|---|\n");
    for spec in VOCABULARY {
        let subjects = spec
            .subjects
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let object = match spec.object {
            ObjectKind::Value => "value".to_owned(),
            ObjectKind::Entity(types) if types.len() == EntityType::ALL.len() => "any".to_owned(),
            ObjectKind::Entity(types) => types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            spec.relation.as_str(),
            subjects,
            object,
            spec.meaning
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_has_exactly_one_spec_and_round_trips_its_name() {
        for spec in VOCABULARY {
            assert_eq!(spec.relation.spec().relation, spec.relation);
            assert_eq!(Relation::parse(spec.relation.as_str()), Some(spec.relation));
        }
    }
}
