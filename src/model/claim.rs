//! Claims: the edges of the graph, each asserted by someone in a source with a confidence.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::{Id, PartialDate, Relation, UNKNOWN, When, word_enum};

word_enum! {
    /// Where a claim stands; conflicting claims live side by side with their own status.
    ClaimStatus {
        /// Said by its asserter, not yet checked.
        Asserted = "asserted",
        /// Contradicted by another source or claim.
        Disputed = "disputed",
        /// Confirmed by independent evidence.
        Confirmed = "confirmed",
        /// Shown to be false; kept so that it stays queryable.
        Refuted = "refuted",
    }
}

/// Who asserts a claim: an actor, or nobody known (a source's own unattributed voice).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AssertedBy {
    /// The asserter is not known.
    Unknown,
    /// The actor with this id.
    Actor(Id),
}

impl AssertedBy {
    /// The actor's id, if the asserter is known.
    pub fn actor(&self) -> Option<&Id> {
        match self {
            AssertedBy::Unknown => None,
            AssertedBy::Actor(id) => Some(id),
        }
    }
}

impl TryFrom<String> for AssertedBy {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s == UNKNOWN {
            Ok(AssertedBy::Unknown)
        } else {
            Id::parse(&s).map(AssertedBy::Actor)
        }
    }
}

impl From<AssertedBy> for String {
    fn from(a: AssertedBy) -> String {
        match a {
            AssertedBy::Unknown => UNKNOWN.to_owned(),
            AssertedBy::Actor(id) => id.into(),
        }
    }
}

impl JsonSchema for AssertedBy {
    fn schema_name() -> Cow<'static, str> {
        "AssertedBy".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "The id of the actor who asserts the claim, or \"unknown\" (the source's own unattributed voice).",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"
        })
    }
}

macro_rules! bounded {
    ($(#[$meta:meta])* $name:ident, $what:literal, $lo:literal, $hi:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "i64")]
        pub struct $name(u8);

        impl $name {
            /// The number.
            pub fn get(&self) -> u8 {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = String;
            fn try_from(n: i64) -> Result<Self, Self::Error> {
                if ($lo..=$hi).contains(&n) {
                    Ok($name(n as u8))
                } else {
                    Err(format!(concat!($what, " must be from ", $lo, " to ", $hi, ", not {}"), n))
                }
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                i64::from(v.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "integer", "minimum": $lo, "maximum": $hi })
            }
        }
    };
}

bounded!(
    /// How sure the asserter (or the analyst who encoded it) is, 0–100 as in STIX.
    Confidence, "confidence", 0, 100
);
bounded!(
    /// Credibility of the information on the NATO Admiralty scale: 1 confirmed … 6 cannot be judged.
    Credibility, "credibility", 1, 6
);

/// A literal object, such as 2,500 soldiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiteralValue {
    /// The number, if the value is a quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// The unit of the amount ("soldiers", "km").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Whether the source gives the amount as approximate ("around 2,500").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// The value in words, if it is not a quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Qualifiers refine a claim; the set of keys is closed so that a typo is an error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Qualifiers {
    /// Which anniversary (2 for the second); required by `marked_anniversary_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u32>,
    /// The id of the location the claim is about ("2,500 soldiers in Iraq").
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub within: Option<Id>,
    /// The role in which the subject acts ("militia leader", "commander").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Qualifiers {
    /// True when no qualifier is set.
    pub fn is_empty(&self) -> bool {
        *self == Qualifiers::default()
    }
}

/// One assertion linking a subject to an object (an entity or a value), with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// The id of the entity the claim is about.
    pub subject: Id,
    /// What the claim says of the subject and the object.
    pub relation: Relation,
    /// The id of the entity at the other end; give either object or value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<Id>,
    /// A literal object, for relations that take one (has_strength).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // Boxed: few claims state a value, and a million claims are held in memory to validate.
    pub value: Option<Box<LiteralValue>>,
    /// Who asserts it: an actor id, or "unknown".
    pub asserted_by: AssertedBy,
    /// The id of the source in which the assertion is made or reported.
    pub source: Id,
    /// Ids of statements that are the evidence for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Id>,
    /// How sure, 0–100.
    pub confidence: Confidence,
    /// Credibility 1–6 (NATO Admiralty), if graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
    /// Asserted, disputed, confirmed or refuted; asserted if not given.
    #[serde(default = "asserted", skip_serializing_if = "is_asserted")]
    pub status: ClaimStatus,
    /// When the assertion was made ("Wednesday night").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asserted_on: Option<When>,
    /// From when the claim holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<PartialDate>,
    /// Until when the claim holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<PartialDate>,
    /// Refinements: years, in, role.
    #[serde(default, skip_serializing_if = "Qualifiers::is_empty")]
    pub qualifiers: Qualifiers,
    /// The source's wording or the encoder's remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn asserted() -> ClaimStatus {
    ClaimStatus::Asserted
}

fn is_asserted(s: &ClaimStatus) -> bool {
    *s == ClaimStatus::Asserted
}
