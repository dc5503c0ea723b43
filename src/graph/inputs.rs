//! Mutation inputs. Each one serialises to the fixture format (snake_case fields, the
//! vocabularies' words), so that a mutation's input is decoded and validated exactly as a
//! fixture record is, and gets the same errors.
//!
//! `…Input` types create a record and require what the record requires; `…Patch` types
//! change one: a field left out stays as it is, a field set to null is cleared.

use async_graphql::{ID, InputObject, MaybeUndefined};
use serde::{Serialize, Serializer};

use super::enums::{
    ActorKind, ClaimStatus, EventKind, LocationKind, MunitionKind, PartOfDay, Relation,
    Reliability, SourceKind, StancePosition,
};
use super::scalars::Date;
use crate::model;

/// Serialises the GraphQL enums as the fixture format spells them.
macro_rules! fixture_words {
    ($($name:ident),+) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(model::$name::from(*self).as_str())
            }
        }
    )+};
}
fixture_words!(
    ActorKind,
    LocationKind,
    EventKind,
    SourceKind,
    Reliability,
    ClaimStatus,
    PartOfDay,
    MunitionKind,
    Relation,
    StancePosition
);

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

fn undefined<T>(v: &MaybeUndefined<T>) -> bool {
    v.is_undefined()
}

/// A new actor.
#[derive(InputObject, Serialize, Debug)]
pub struct ActorInput {
    /// Its id: lowercase words joined by hyphens, unique across the graph.
    pub id: ID,
    /// What kind of actor.
    pub kind: ActorKind,
    /// The name most sources use.
    pub name: String,
    /// Other names and spellings.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the sources that mention it.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<ID>,
}

/// Changes to an actor: fields left out stay, fields set to null are cleared.
#[derive(InputObject, Serialize, Debug, Default)]
pub struct ActorPatch {
    /// What kind of actor.
    #[serde(skip_serializing_if = "undefined")]
    pub kind: MaybeUndefined<ActorKind>,
    /// The name most sources use.
    #[serde(skip_serializing_if = "undefined")]
    pub name: MaybeUndefined<String>,
    /// Other names and spellings (the whole list).
    #[serde(skip_serializing_if = "undefined")]
    pub aliases: MaybeUndefined<Vec<String>>,
    /// What it is.
    #[serde(skip_serializing_if = "undefined")]
    pub description: MaybeUndefined<String>,
    /// Ids of the sources that mention it (the whole list).
    #[serde(skip_serializing_if = "undefined")]
    pub sources: MaybeUndefined<Vec<ID>>,
}

/// A point on the map.
#[derive(InputObject, Serialize, Debug)]
pub struct CoordinatesInput {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
    /// How far off the point may be, in km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision_km: Option<f64>,
}

/// A new location.
#[derive(InputObject, Serialize, Debug)]
pub struct LocationInput {
    /// Its id.
    pub id: ID,
    /// What kind of place.
    pub kind: LocationKind,
    /// Its name.
    pub name: String,
    /// Other names and spellings.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<CoordinatesInput>,
    /// The id of the place it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ID>,
    /// The ISO 3166-1 alpha-2 code of the country it is or lies in ("IQ").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Ids of the sources that mention it.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<ID>,
}

/// Changes to a location: fields left out stay, fields set to null are cleared.
#[derive(InputObject, Serialize, Debug, Default)]
pub struct LocationPatch {
    /// What kind of place.
    #[serde(skip_serializing_if = "undefined")]
    pub kind: MaybeUndefined<LocationKind>,
    /// Its name.
    #[serde(skip_serializing_if = "undefined")]
    pub name: MaybeUndefined<String>,
    /// Other names and spellings (the whole list).
    #[serde(skip_serializing_if = "undefined")]
    pub aliases: MaybeUndefined<Vec<String>>,
    /// What it is.
    #[serde(skip_serializing_if = "undefined")]
    pub description: MaybeUndefined<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "undefined")]
    pub coordinates: MaybeUndefined<CoordinatesInput>,
    /// The id of the place it is in.
    #[serde(skip_serializing_if = "undefined")]
    pub parent: MaybeUndefined<ID>,
    /// The ISO 3166-1 alpha-2 code of the country it is or lies in ("IQ").
    #[serde(skip_serializing_if = "undefined")]
    pub country_code: MaybeUndefined<String>,
    /// Ids of the sources that mention it (the whole list).
    #[serde(skip_serializing_if = "undefined")]
    pub sources: MaybeUndefined<Vec<ID>>,
}

/// When something happened, as precisely as known.
#[derive(InputObject, Serialize, Debug)]
pub struct WhenInput {
    /// The date (or the first date of a span).
    pub date: Date,
    /// The last date of a span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The part of the day, for a single day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of_day: Option<PartOfDay>,
}

/// Weapons used or found.
#[derive(InputObject, Serialize, Debug)]
pub struct MunitionInput {
    /// What kind.
    pub kind: MunitionKind,
    /// How many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Calibre in mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caliber_mm: Option<f64>,
    /// Whether they were fired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fired: Option<bool>,
    /// The source's wording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// People killed and wounded.
#[derive(InputObject, Serialize, Debug)]
pub struct CasualtiesInput {
    /// Killed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// Wounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wounded: Option<u32>,
    /// The source's wording ("no casualties").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A distance from a place, as reported.
#[derive(InputObject, Serialize, Debug)]
pub struct DistanceInput {
    /// The id of the place measured from.
    pub from: ID,
    /// The least distance, in km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_km: Option<f64>,
    /// The greatest distance, in km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_km: Option<f64>,
    /// The source's wording.
    pub text: String,
}

/// A named count ("launch_rails": 5).
#[derive(InputObject, Serialize, Debug)]
pub struct CountInput {
    /// What is counted.
    pub name: String,
    /// How many.
    pub value: u64,
}

fn counts_map<S: Serializer>(counts: &[CountInput], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(counts.iter().map(|c| (&c.name, c.value)))
}

/// What an event involved.
#[derive(InputObject, Serialize, Debug)]
pub struct EventDetailsInput {
    /// Weapons.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub munitions: Vec<MunitionInput>,
    /// Casualties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub casualties: Option<CasualtiesInput>,
    /// Damage, in the source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
    /// Distances from places.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub distances: Vec<DistanceInput>,
    /// Other counts.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "counts_map")]
    pub counts: Vec<CountInput>,
}

/// A new event.
#[derive(InputObject, Serialize, Debug)]
pub struct EventInput {
    /// Its id.
    pub id: ID,
    /// What kind of event.
    pub kind: EventKind,
    /// A short title.
    pub title: String,
    /// What happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<WhenInput>,
    /// The id of the place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<ID>,
    /// The id of the campaign (a larger event) it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<ID>,
    /// Weapons, casualties, damage, distances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<EventDetailsInput>,
    /// Ids of the sources that report it.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<ID>,
}

/// Changes to an event: fields left out stay, fields set to null are cleared.
#[derive(InputObject, Serialize, Debug, Default)]
pub struct EventPatch {
    /// What kind of event.
    #[serde(skip_serializing_if = "undefined")]
    pub kind: MaybeUndefined<EventKind>,
    /// A short title.
    #[serde(skip_serializing_if = "undefined")]
    pub title: MaybeUndefined<String>,
    /// What happened.
    #[serde(skip_serializing_if = "undefined")]
    pub description: MaybeUndefined<String>,
    /// When.
    #[serde(skip_serializing_if = "undefined")]
    pub when: MaybeUndefined<WhenInput>,
    /// The id of the place.
    #[serde(skip_serializing_if = "undefined")]
    pub location: MaybeUndefined<ID>,
    /// The id of the campaign it is part of.
    #[serde(skip_serializing_if = "undefined")]
    pub campaign: MaybeUndefined<ID>,
    /// Weapons, casualties, damage, distances (the whole set).
    #[serde(skip_serializing_if = "undefined")]
    pub details: MaybeUndefined<EventDetailsInput>,
    /// Ids of the sources that report it (the whole list).
    #[serde(skip_serializing_if = "undefined")]
    pub sources: MaybeUndefined<Vec<ID>>,
}

/// A new source.
#[derive(InputObject, Serialize, Debug)]
pub struct SourceInput {
    /// Its id.
    pub id: ID,
    /// What kind of document.
    pub kind: SourceKind,
    /// Its title.
    pub title: String,
    /// The id of the actor that published it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<ID>,
    /// Where to read it (http or https).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Reliability A–F.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    /// The id of the source it reports from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<ID>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Changes to a source: fields left out stay, fields set to null are cleared.
#[derive(InputObject, Serialize, Debug, Default)]
pub struct SourcePatch {
    /// What kind of document.
    #[serde(skip_serializing_if = "undefined")]
    pub kind: MaybeUndefined<SourceKind>,
    /// Its title.
    #[serde(skip_serializing_if = "undefined")]
    pub title: MaybeUndefined<String>,
    /// The id of the actor that published it.
    #[serde(skip_serializing_if = "undefined")]
    pub publisher: MaybeUndefined<ID>,
    /// Where to read it.
    #[serde(skip_serializing_if = "undefined")]
    pub url: MaybeUndefined<String>,
    /// When it was published.
    #[serde(skip_serializing_if = "undefined")]
    pub published: MaybeUndefined<Date>,
    /// Reliability A–F.
    #[serde(skip_serializing_if = "undefined")]
    pub reliability: MaybeUndefined<Reliability>,
    /// The id of the source it reports from.
    #[serde(skip_serializing_if = "undefined")]
    pub via: MaybeUndefined<ID>,
    /// What it is.
    #[serde(skip_serializing_if = "undefined")]
    pub description: MaybeUndefined<String>,
}

/// Words someone said, as a source reports them.
#[derive(InputObject, Serialize, Debug)]
pub struct StatementInput {
    /// Its id; made from the speaker and source when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ID>,
    /// The id of the actor who said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<ID>,
    /// The words, verbatim.
    pub text: String,
    /// When it was said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<WhenInput>,
    /// The id of the place it was said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<ID>,
    /// The id of the event it was said at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<ID>,
    /// The id of the source that reports it.
    pub source: ID,
    /// Ids of what it is about.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<ID>,
    /// A remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A literal object, such as 2,500 soldiers.
#[derive(InputObject, Serialize, Debug)]
pub struct LiteralValueInput {
    /// The number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Its unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Whether the amount is approximate.
    #[graphql(default)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// The value in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Refinements of a claim.
#[derive(InputObject, Serialize, Debug)]
pub struct QualifiersInput {
    /// Which anniversary (2 for the second); required by MARKED_ANNIVERSARY_OF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<u32>,
    /// The id of the location the claim is about.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub within: Option<ID>,
    /// The role in which the subject acts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A new claim: who asserts what of whom, in which source, how sure.
#[derive(InputObject, Serialize, Debug)]
pub struct ClaimInput {
    /// Its id; made from subject, relation and object when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ID>,
    /// The id of what the claim is about.
    pub subject: ID,
    /// What it says of subject and object.
    pub relation: Relation,
    /// The id of the node at the other end; give this or `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ID>,
    /// A literal object, for relations that take one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<LiteralValueInput>,
    /// The id of the actor who asserts it, or "unknown".
    pub asserted_by: ID,
    /// The id of the source it is asserted in.
    pub source: ID,
    /// Ids of statements that are its evidence.
    #[graphql(default)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<ID>,
    /// How sure, 0–100.
    pub confidence: i64,
    /// Credibility 1–6 (NATO Admiralty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credibility: Option<i64>,
    /// Its status; ASSERTED when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ClaimStatus>,
    /// When the assertion was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asserted_on: Option<WhenInput>,
    /// From when it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Until when it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Years, place, role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifiers: Option<QualifiersInput>,
    /// The source's wording or the editor's remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A party's position on a claim, as a source reports it.
#[derive(InputObject, Serialize, Debug)]
pub struct StanceInput {
    /// Its id; made from the party, the position and the claim when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ID>,
    /// The id of the claim the party takes a position on.
    pub claim: ID,
    /// The id of the actor whose position it is.
    pub actor: ID,
    /// What the party says of the claim.
    pub position: StancePosition,
    /// The id of the actor who reports the stance, or "unknown" for the source's own voice.
    pub asserted_by: ID,
    /// The id of the source that reports it.
    pub source: ID,
    /// When the party took the position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The id of the statement in which the party takes the position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<ID>,
    /// How sure, 0–100, that the party took this position.
    pub confidence: i64,
    /// The source's wording or the editor's remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Changes to a stance: fields left out stay, fields set to null are cleared.
#[derive(InputObject, Serialize, Debug, Default)]
pub struct StancePatch {
    /// The id of the claim the party takes a position on.
    #[serde(skip_serializing_if = "undefined")]
    pub claim: MaybeUndefined<ID>,
    /// The id of the actor whose position it is.
    #[serde(skip_serializing_if = "undefined")]
    pub actor: MaybeUndefined<ID>,
    /// What the party says of the claim.
    #[serde(skip_serializing_if = "undefined")]
    pub position: MaybeUndefined<StancePosition>,
    /// The id of the actor who reports the stance, or "unknown".
    #[serde(skip_serializing_if = "undefined")]
    pub asserted_by: MaybeUndefined<ID>,
    /// The id of the source that reports it.
    #[serde(skip_serializing_if = "undefined")]
    pub source: MaybeUndefined<ID>,
    /// When the party took the position.
    #[serde(skip_serializing_if = "undefined")]
    pub date: MaybeUndefined<Date>,
    /// The id of the statement in which the party takes the position.
    #[serde(skip_serializing_if = "undefined")]
    pub evidence: MaybeUndefined<ID>,
    /// How sure, 0–100, that the party took this position.
    #[serde(skip_serializing_if = "undefined")]
    pub confidence: MaybeUndefined<i64>,
    /// The source's wording or the editor's remark.
    #[serde(skip_serializing_if = "undefined")]
    pub note: MaybeUndefined<String>,
}

/// The fixture-format fields of an input or a patch.
pub fn fields<T: Serialize>(input: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(input) {
        Ok(serde_json::Value::Object(map)) => map,
        // Every input type is a struct of plain values, which always serialises to a map.
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::EnumType;

    /// Every value of the GraphQL enum `E` serialises as the model's `M` does in fixtures.
    fn same_words<E, M>()
    where
        E: EnumType + Serialize + Copy + 'static,
        M: From<E> + Serialize,
    {
        for item in E::items() {
            let graphql = serde_json::to_value(item.value).unwrap();
            let fixture = serde_json::to_value(M::from(item.value)).unwrap();
            assert_eq!(graphql, fixture, "{}", item.name);
        }
    }

    #[test]
    fn graphql_enums_serialise_as_the_fixture_words() {
        same_words::<ActorKind, model::ActorKind>();
        same_words::<LocationKind, model::LocationKind>();
        same_words::<EventKind, model::EventKind>();
        same_words::<SourceKind, model::SourceKind>();
        same_words::<Reliability, model::Reliability>();
        same_words::<ClaimStatus, model::ClaimStatus>();
        same_words::<PartOfDay, model::PartOfDay>();
        same_words::<MunitionKind, model::MunitionKind>();
        same_words::<Relation, model::Relation>();
        same_words::<StancePosition, model::StancePosition>();
    }

    #[test]
    fn a_patch_holds_only_what_was_given_and_nulls_what_is_cleared() {
        let patch = ActorPatch {
            name: MaybeUndefined::Value("Kataib Hezbollah".into()),
            description: MaybeUndefined::Null,
            ..ActorPatch::default()
        };
        assert_eq!(
            serde_json::Value::Object(fields(&patch)),
            serde_json::json!({"name": "Kataib Hezbollah", "description": null})
        );
    }
}
