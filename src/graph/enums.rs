//! GraphQL enums mirroring the model's closed vocabularies.

use async_graphql::Enum;

use crate::model;

/// What kind of actor.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::ActorKind")]
pub enum ActorKind {
    Person,
    ArmedGroup,
    FrontGroup,
    State,
    GovernmentBody,
    MilitaryForce,
    Coalition,
    MediaOutlet,
    Officials,
    Organization,
}

/// What kind of place.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::LocationKind")]
pub enum LocationKind {
    Region,
    Country,
    Province,
    City,
    Base,
    Airport,
    Neighbourhood,
    Site,
}

/// What kind of event.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::EventKind")]
pub enum EventKind {
    Attack,
    Strike,
    Campaign,
    Speech,
    Discovery,
    PolicyChange,
    Agreement,
    Takeover,
    Deployment,
    Other,
}

/// What kind of document.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::SourceKind")]
pub enum SourceKind {
    NewsArticle,
    NewsReport,
    OfficialStatement,
    SocialMediaPost,
    Report,
    Other,
}

/// Source reliability on the NATO Admiralty scale (A completely reliable … F cannot be judged).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Reliability")]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// Where a claim stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::ClaimStatus")]
pub enum ClaimStatus {
    Asserted,
    Disputed,
    Confirmed,
    Refuted,
}

/// A part of the day.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::PartOfDay")]
pub enum PartOfDay {
    EarlyMorning,
    Morning,
    Midday,
    Afternoon,
    Evening,
    Night,
}

/// How much of a date is known.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Precision")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// A kind of weapon or launcher.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::MunitionKind")]
pub enum MunitionKind {
    Rocket,
    Launcher,
    Missile,
    Drone,
    Mortar,
    Ied,
    Gunfire,
    Other,
}

/// The type of a node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::EntityType")]
pub enum NodeType {
    Actor,
    Location,
    Event,
    Source,
    Statement,
    Claim,
}

/// A relation of the closed vocabulary (see `relations` for what each may link).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Relation")]
pub enum Relation {
    ClaimedResponsibilityFor,
    AttributedTo,
    CarriedOut,
    ParticipatedIn,
    FrontFor,
    BackedBy,
    AlignedWith,
    Leads,
    Commands,
    MemberOf,
    Opposes,
    StationedIn,
    Hosts,
    Targeted,
    OccurredAt,
    PartOf,
    RelatedTo,
    Killed,
    MarkedAnniversaryOf,
    MotivatedBy,
    SaidAbout,
    LocatedIn,
    Near,
    HasStrength,
}

/// Why an event happened when it did, as someone asserts it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MotiveKind {
    /// It marked an anniversary of an earlier event (`years` says which).
    Anniversary,
    /// It was motivated by an earlier event in another way.
    Motive,
}

/// Whom a motive was asserted for, seen from the event asked about.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MotiveVia {
    /// The event itself.
    Event,
    /// A campaign the event is part of.
    Campaign,
    /// An actor behind the event (claimed it, carried it out, or it is attributed to them).
    Actor,
}
