//! Value objects: times, coordinates, event details, literal values, qualifiers.

use async_graphql::{Context, Object, SimpleObject};

use super::LocationObj;
use super::node::optional;
use crate::graph::enums::{DatePrecision, MunitionKind, PartOfDay};
use crate::graph::error::GraphResult;
use crate::graph::scalars::Date;
use crate::model;

/// When something happened or was said, as precisely as the source gives it.
pub struct Time(pub model::When);

/// When something happened or was said, as precisely as the source gives it.
#[Object]
impl Time {
    /// The (first) date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// The last date, for spans.
    async fn until(&self) -> Option<Date> {
        self.0.until.map(Date)
    }
    /// How much of the date is known.
    async fn precision(&self) -> DatePrecision {
        self.0.date.precision().into()
    }
    /// The part of the day, if given.
    async fn part_of_day(&self) -> Option<PartOfDay> {
        self.0.part_of_day.map(Into::into)
    }
    /// The first calendar day covered (`2020-01` covers 2020-01-01 to 2020-01-31).
    async fn first_day(&self) -> Date {
        Date(self.0.first_day().into())
    }
    /// The last calendar day covered.
    async fn last_day(&self) -> Date {
        Date(self.0.last_day().into())
    }
}

/// A point on the earth (WGS 84).
#[derive(SimpleObject)]
pub struct Coordinates {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// How far the place may lie from the point, in kilometres.
    pub precision_km: Option<f64>,
}

impl From<&model::Coordinates> for Coordinates {
    fn from(c: &model::Coordinates) -> Self {
        Coordinates {
            lat: c.lat,
            lon: c.lon,
            precision_km: c.precision_km,
        }
    }
}

/// Munitions used or found.
#[derive(SimpleObject)]
pub struct Munition {
    /// The kind.
    pub kind: MunitionKind,
    /// How many.
    pub count: Option<u32>,
    /// Calibre in millimetres.
    pub caliber_mm: Option<f64>,
    /// Whether it was fired.
    pub fired: Option<bool>,
    /// The source's words.
    pub note: Option<String>,
}

/// People killed and wounded.
#[derive(SimpleObject)]
pub struct Casualties {
    /// Killed, if reported.
    pub killed: Option<u32>,
    /// Wounded, if reported.
    pub wounded: Option<u32>,
    /// The source's words.
    pub note: Option<String>,
}

/// A reported distance from a location.
pub struct Distance(model::Distance);

/// A reported distance from a location.
#[Object]
impl Distance {
    /// The location the distance is measured from.
    async fn from(&self, ctx: &Context<'_>) -> GraphResult<Option<LocationObj>> {
        optional(ctx, Some(&self.0.from)).await
    }
    /// The least distance in kilometres.
    async fn min_km(&self) -> Option<f64> {
        self.0.min_km
    }
    /// The greatest distance in kilometres.
    async fn max_km(&self) -> Option<f64> {
        self.0.max_km
    }
    /// The source's words.
    async fn text(&self) -> &str {
        self.0.text.as_str()
    }
}

/// A named count ("attacks: 3").
#[derive(SimpleObject)]
pub struct Count {
    /// What is counted.
    pub name: String,
    /// How many.
    pub value: u64,
}

/// What an event involved, as reported.
pub struct EventDetails(pub model::EventDetails);

/// What an event involved, as reported.
#[Object]
impl EventDetails {
    /// Munitions used or found.
    async fn munitions(&self) -> Vec<Munition> {
        self.0
            .munitions
            .iter()
            .map(|m| Munition {
                kind: m.kind.into(),
                count: m.count,
                caliber_mm: m.caliber_mm,
                fired: m.fired,
                note: m.note.clone(),
            })
            .collect()
    }
    /// People killed and wounded.
    async fn casualties(&self) -> Option<Casualties> {
        self.0.casualties.as_ref().map(|c| Casualties {
            killed: c.killed,
            wounded: c.wounded,
            note: c.note.clone(),
        })
    }
    /// Damage, in the source's words.
    async fn damage(&self) -> Option<&str> {
        self.0.damage.as_deref()
    }
    /// Distances reported.
    async fn distances(&self) -> Vec<Distance> {
        self.0.distances.iter().cloned().map(Distance).collect()
    }
    /// Other counts.
    async fn counts(&self) -> Vec<Count> {
        self.0
            .counts
            .iter()
            .map(|(name, value)| Count {
                name: name.clone(),
                value: *value,
            })
            .collect()
    }
}

/// A literal object of a claim, such as 2,500 soldiers.
#[derive(SimpleObject)]
pub struct LiteralValue {
    /// The number, for a quantity.
    pub amount: Option<f64>,
    /// Its unit.
    pub unit: Option<String>,
    /// Whether the source gives it as approximate.
    pub approximate: bool,
    /// The value in words.
    pub text: Option<String>,
}

impl From<&model::LiteralValue> for LiteralValue {
    fn from(v: &model::LiteralValue) -> Self {
        LiteralValue {
            amount: v.amount,
            unit: v.unit.clone(),
            approximate: v.approximate,
            text: v.text.clone(),
        }
    }
}

/// Refinements of a claim.
pub struct Qualifiers(pub model::Qualifiers);

/// Refinements of a claim.
#[Object]
impl Qualifiers {
    /// Which anniversary (2 for the second).
    async fn years(&self) -> Option<u32> {
        self.0.years
    }
    /// The location the claim is about.
    #[graphql(name = "in")]
    async fn within(&self, ctx: &Context<'_>) -> GraphResult<Option<LocationObj>> {
        optional(ctx, self.0.within.as_ref()).await
    }
    /// The role in which the subject acts.
    async fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }
}
