//! The records of the graph and the rules that hold for them on their own.
//!
//! The same types are read from fixtures, validated, stored and read back, so a round trip
//! through the database can be checked with `==`.

mod actor;
mod claim;
mod country;
mod event;
mod graph;
mod id;
mod location;
pub mod relation;
mod source;
mod stance;
mod statement;
mod time;

pub use actor::{Actor, ActorKind};
pub use claim::{
    AssertedBy, Claim, ClaimStatus, Confidence, Credibility, LiteralValue, Qualifiers,
};
pub use country::CountryCode;
pub use event::{Casualties, Distance, Event, EventDetails, EventKind, Munition, MunitionKind};
pub use graph::{Entity, FixtureFile, GraphSet, Record};
pub use id::{Id, Text, UNKNOWN, slug};
pub use location::{Coordinates, Location, LocationKind};
pub use relation::{ObjectKind, Relation, RelationSpec, VOCABULARY};
pub use source::{Reliability, Source, SourceKind};
pub use stance::{Stance, StancePosition};
pub use statement::Statement;
pub use time::{PartOfDay, PartialDate, Precision, When};

/// Defines a closed set of snake_case words with its spelling both ways.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[doc = $doc:literal])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[doc = $doc])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The fixture spelling.
            pub const fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// Reads the fixture spelling back.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use word_enum;

word_enum! {
    /// The type of a node of the graph.
    EntityType {
        /// A person, group, state, body, force, coalition or outlet.
        Actor = "actor",
        /// A place.
        Location = "location",
        /// Something that happened.
        Event = "event",
        /// A document that reports something.
        Source = "source",
        /// Words someone said.
        Statement = "statement",
        /// An assertion linking two things.
        Claim = "claim",
        /// A party's position on a claim.
        Stance = "stance",
    }
}

impl EntityType {
    /// The fixture section that holds records of this type.
    pub fn section(&self) -> &'static str {
        match self {
            EntityType::Actor => "actors",
            EntityType::Location => "locations",
            EntityType::Event => "events",
            EntityType::Source => "sources",
            EntityType::Statement => "statements",
            EntityType::Claim => "claims",
            EntityType::Stance => "stances",
        }
    }

    /// "an actor", "a location", ...: for messages.
    pub const fn with_article(&self) -> &'static str {
        match self {
            EntityType::Actor => "an actor",
            EntityType::Location => "a location",
            EntityType::Event => "an event",
            EntityType::Source => "a source",
            EntityType::Statement => "a statement",
            EntityType::Claim => "a claim",
            EntityType::Stance => "a stance",
        }
    }
}
