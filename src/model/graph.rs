//! A batch of records: the contents of fixture files, of the database, or of one change.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Actor, Claim, EntityType, Event, Id, Location, Source, Stance, Statement};

/// Records of every type; also the top-level shape of a fixture file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "claimgraph fixture file",
    description = "Records of a claimgraph knowledge graph. A fixture set may span several files that refer to each other's ids."
)]
pub struct GraphSet {
    /// People, groups, states, bodies, forces, coalitions, outlets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    /// Places, each possibly inside a parent place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Things that happened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Documents that report things.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Words someone said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// Assertions linking two things, with who asserts them and where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// Parties' positions on claims (denials, confirmations), with who reports them and where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stances: Vec<Stance>,
}

/// The fixture file format is a [`GraphSet`].
pub type FixtureFile = GraphSet;

/// A borrowed record of any type.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    /// An actor.
    Actor(&'a Actor),
    /// A location.
    Location(&'a Location),
    /// An event.
    Event(&'a Event),
    /// A source.
    Source(&'a Source),
    /// A statement.
    Statement(&'a Statement),
    /// A claim.
    Claim(&'a Claim),
    /// A stance.
    Stance(&'a Stance),
}

impl<'a> Record<'a> {
    /// The record's id.
    pub fn id(&self) -> &'a Id {
        match self {
            Record::Actor(r) => &r.id,
            Record::Location(r) => &r.id,
            Record::Event(r) => &r.id,
            Record::Source(r) => &r.id,
            Record::Statement(r) => &r.id,
            Record::Claim(r) => &r.id,
            Record::Stance(r) => &r.id,
        }
    }

    /// The record's type.
    pub fn entity_type(&self) -> EntityType {
        match self {
            Record::Actor(_) => EntityType::Actor,
            Record::Location(_) => EntityType::Location,
            Record::Event(_) => EntityType::Event,
            Record::Source(_) => EntityType::Source,
            Record::Statement(_) => EntityType::Statement,
            Record::Claim(_) => EntityType::Claim,
            Record::Stance(_) => EntityType::Stance,
        }
    }
}

impl GraphSet {
    /// Every record with its index inside its section, sections in dependency order.
    pub fn records(&self) -> impl Iterator<Item = (usize, Record<'_>)> {
        let actors = self.actors.iter().map(Record::Actor).enumerate();
        let locations = self.locations.iter().map(Record::Location).enumerate();
        let events = self.events.iter().map(Record::Event).enumerate();
        let sources = self.sources.iter().map(Record::Source).enumerate();
        let statements = self.statements.iter().map(Record::Statement).enumerate();
        let claims = self.claims.iter().map(Record::Claim).enumerate();
        let stances = self.stances.iter().map(Record::Stance).enumerate();
        actors
            .chain(locations)
            .chain(events)
            .chain(sources)
            .chain(statements)
            .chain(claims)
            .chain(stances)
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.actors.len()
            + self.locations.len()
            + self.events.len()
            + self.sources.len()
            + self.statements.len()
            + self.claims.len()
            + self.stances.len()
    }

    /// How many records one section holds.
    pub fn section_len(&self, section: EntityType) -> usize {
        match section {
            EntityType::Actor => self.actors.len(),
            EntityType::Location => self.locations.len(),
            EntityType::Event => self.events.len(),
            EntityType::Source => self.sources.len(),
            EntityType::Statement => self.statements.len(),
            EntityType::Claim => self.claims.len(),
            EntityType::Stance => self.stances.len(),
        }
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends every record of `other`.
    pub fn extend(&mut self, other: GraphSet) {
        self.actors.extend(other.actors);
        self.locations.extend(other.locations);
        self.events.extend(other.events);
        self.sources.extend(other.sources);
        self.statements.extend(other.statements);
        self.claims.extend(other.claims);
        self.stances.extend(other.stances);
    }
}

/// An owned record of any type.
#[derive(Debug, Clone, PartialEq)]
pub enum Entity {
    /// An actor.
    Actor(Actor),
    /// A location.
    Location(Location),
    /// An event.
    Event(Event),
    /// A source.
    Source(Source),
    /// A statement.
    Statement(Statement),
    /// A claim.
    Claim(Claim),
    /// A stance.
    Stance(Stance),
}

impl Entity {
    /// The record, borrowed.
    pub fn as_record(&self) -> Record<'_> {
        match self {
            Entity::Actor(r) => Record::Actor(r),
            Entity::Location(r) => Record::Location(r),
            Entity::Event(r) => Record::Event(r),
            Entity::Source(r) => Record::Source(r),
            Entity::Statement(r) => Record::Statement(r),
            Entity::Claim(r) => Record::Claim(r),
            Entity::Stance(r) => Record::Stance(r),
        }
    }

    /// The record's id.
    pub fn id(&self) -> &Id {
        self.as_record().id()
    }
}
