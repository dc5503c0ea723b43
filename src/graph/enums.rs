//! GraphQL enums mirroring the model's closed vocabularies.

use async_graphql::Enum;

use crate::model;

/// What kind of actor.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::ActorKind")]
pub enum ActorKind {
    /// A named individual.
    Person,
    /// An armed group or militia.
    ArmedGroup,
    /// A smaller group used to claim what another does.
    FrontGroup,
    /// A country as a political actor.
    State,
    /// A government, ministry or agency.
    GovernmentBody,
    /// An army or the forces of a state.
    MilitaryForce,
    /// An alliance or military coalition.
    Coalition,
    /// A newspaper, broadcaster or news agency.
    MediaOutlet,
    /// Unnamed officials who speak together ("Iraqi officials").
    Officials,
    /// Any other organisation.
    Organization,
}

/// What kind of place.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::LocationKind")]
pub enum LocationKind {
    /// A region larger than a country ("the Middle East").
    Region,
    /// A country.
    Country,
    /// A province or governorate.
    Province,
    /// A city or town.
    City,
    /// A military base.
    Base,
    /// An airport.
    Airport,
    /// A neighbourhood or district of a city.
    Neighbourhood,
    /// Any other place.
    Site,
}

/// What kind of event.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::EventKind")]
pub enum EventKind {
    /// An attack with rockets, drones, bombs or guns.
    Attack,
    /// A strike by a state's forces (air or drone strike).
    Strike,
    /// A series of events ("the third straight day of attacks").
    Campaign,
    /// A speech or public address.
    Speech,
    /// A find of weapons or evidence.
    Discovery,
    /// A change of policy or mission.
    PolicyChange,
    /// An agreement between parties.
    Agreement,
    /// Taking control of territory.
    Takeover,
    /// A deployment of forces.
    Deployment,
    /// Any other kind of event.
    Other,
}

/// What kind of document.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::SourceKind")]
pub enum SourceKind {
    /// A news article.
    NewsArticle,
    /// A news report known only as cited by another source.
    NewsReport,
    /// A statement issued by an official body.
    OfficialStatement,
    /// A post on social media or a messaging channel.
    SocialMediaPost,
    /// A report by an organisation or researcher.
    Report,
    /// Any other kind of document.
    Other,
}

/// Source reliability on the NATO Admiralty scale (A completely reliable … F cannot be judged).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Reliability")]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

/// Where a claim stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::ClaimStatus")]
pub enum ClaimStatus {
    /// Said by its asserter, not yet checked.
    Asserted,
    /// Contradicted by another source or claim.
    Disputed,
    /// Confirmed by independent evidence.
    Confirmed,
    /// Shown to be false; kept so that it stays queryable.
    Refuted,
}

/// A part of the day.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::PartOfDay")]
pub enum PartOfDay {
    /// Before dawn or just after ("early Wednesday morning").
    EarlyMorning,
    /// In the morning.
    Morning,
    /// Around noon.
    Midday,
    /// In the afternoon.
    Afternoon,
    /// In the evening.
    Evening,
    /// At night ("Wednesday night").
    Night,
}

/// How much of a date is known.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Precision")]
pub enum DatePrecision {
    /// Only the year is known ("2014").
    Year,
    /// The year and month are known ("2020-01").
    Month,
    /// The calendar day is known ("2022-01-05").
    Day,
}

/// A kind of weapon or launcher.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::MunitionKind")]
pub enum MunitionKind {
    /// A rocket.
    Rocket,
    /// A rocket launcher.
    Launcher,
    /// A guided missile.
    Missile,
    /// A drone, armed or used as a bomb.
    Drone,
    /// A mortar round.
    Mortar,
    /// An improvised explosive device.
    Ied,
    /// Small-arms fire.
    Gunfire,
    /// Any other weapon.
    Other,
}

/// The type of a node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::EntityType")]
pub enum NodeType {
    /// An `Actor`: a person, group, state, body, force, coalition or outlet.
    Actor,
    /// A `Location`: a place.
    Location,
    /// An `Event`: something that happened at a time and place.
    Event,
    /// A `Source`: a document that reports something.
    Source,
    /// A `Statement`: words someone said, as a source reports them.
    Statement,
    /// A `Claim`: one assertion linking two things, made by someone in a source.
    Claim,
    /// A `Stance`: a party's position on a claim (a denial, a confirmation), as a source reports it.
    Stance,
}

/// What a party says of a claim, as reporting has it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::StancePosition")]
pub enum StancePosition {
    /// The party says the claim is true ("U.S. officials confirmed the strike"). Counts as
    /// corroboration when the party is not one the claim is about.
    Confirms,
    /// The party says the claim is false ("Iran denied any involvement"). Never counts as
    /// corroboration.
    Denies,
    /// The party contests the claim without denying it outright: it questions it, calls it
    /// premature, or gives another account. Never counts as corroboration.
    Disputes,
    /// The party says it cannot confirm or rule out the claim ("officials said it was not
    /// yet clear who fired").
    Uncertain,
    /// The party was asked and would not say ("declined to comment"): unlike no stance at
    /// all, it records that someone asked.
    DeclinesToComment,
}

/// A relation of the closed vocabulary (see `relations` for what each may link).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "model::Relation")]
pub enum Relation {
    /// The subject (a group or person) claimed responsibility for the event.
    ClaimedResponsibilityFor,
    /// The event is attributed to the actor by someone other than the actor.
    AttributedTo,
    /// The actor carried out the event (an attack, a strike, a takeover).
    CarriedOut,
    /// The actor took part in the event (a party to an agreement, a speaker at a rally).
    ParticipatedIn,
    /// The subject is a front group acting for the object.
    FrontFor,
    /// The subject is backed (armed, funded, directed or helped) by the object.
    BackedBy,
    /// The subject is aligned with the object, without a claim of control.
    AlignedWith,
    /// The subject (a person) leads the object (a group or body).
    Leads,
    /// The subject commands the object (a military force or coalition).
    Commands,
    /// The subject is a member or part of the object.
    MemberOf,
    /// The subject fights or works against the object.
    Opposes,
    /// The subject (forces) is stationed in the location.
    StationedIn,
    /// The location (a base, a country) hosts the actor's forces; the inverse wording of stationed_in.
    Hosts,
    /// The subject (an attacker or an attack) targeted the object.
    Targeted,
    /// The event took place at the location (as someone asserts it).
    OccurredAt,
    /// The event is part of the object event (a campaign, a series).
    PartOf,
    /// The event is connected with the object event (a find after an attack).
    RelatedTo,
    /// The subject (an actor or an event such as a strike) killed the object.
    Killed,
    /// The subject marked an anniversary of the object event; qualifier years is required.
    MarkedAnniversaryOf,
    /// The subject was motivated by the object event (retaliation, commemoration).
    MotivatedBy,
    /// The statement (or the actor) said something about the object.
    SaidAbout,
    /// The location lies inside the object location (as someone asserts it).
    LocatedIn,
    /// The location lies near the object location.
    Near,
    /// The actor numbers the value (e.g. 2,500 soldiers); qualifier `in` says where.
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

/// How a search hit matched, from the strictest; hits come in this order.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::storage::names::Match")]
pub enum MatchKind {
    /// The search is the node's name (case, diacritics, apostrophes and punctuation aside).
    Exact,
    /// The search is one of the node's aliases.
    Alias,
    /// Every word of the search is a word of a name or alias as romanisations vary:
    /// "Sulaimani" finds "Qassem Soleimani", "Jabareen" finds "Saraya Qasem al-Jabarin".
    Normalised,
    /// As NORMALISED, with a word one typo away (two in long words): "Nasralah".
    Fuzzy,
    /// The words occur in a name, title, description or statement (full-text search).
    Text,
}
