//! Locations: countries, provinces, cities, bases, airports, neighbourhoods.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Text, word_enum};

word_enum! {
    /// What kind of place this is.
    LocationKind {
        /// A region larger than a country ("the Middle East").
        Region = "region",
        /// A country.
        Country = "country",
        /// A province or governorate.
        Province = "province",
        /// A city or town.
        City = "city",
        /// A military base.
        Base = "base",
        /// An airport.
        Airport = "airport",
        /// A neighbourhood or district of a city.
        Neighbourhood = "neighbourhood",
        /// Any other place.
        Site = "site",
    }
}

/// A point on the earth with how far from it the place may be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Latitude in degrees, -90 to 90 (WGS 84).
    pub lat: f64,
    /// Longitude in degrees, -180 to 180 (WGS 84).
    pub lon: f64,
    /// How far the place may lie from the point, in kilometres (a country's centroid: hundreds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision_km: Option<f64>,
}

/// A place, possibly inside another place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Stable id, unique across the graph.
    pub id: Id,
    /// What kind of place.
    pub kind: LocationKind,
    /// The name most used in the sources.
    pub name: Text,
    /// Other spellings and names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Text>,
    /// What the place is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// The id of the location that contains this one; containment must not form a cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    /// The ISO 3166-1 alpha-2 code of the country the place is (on a country) or lies in,
    /// for exchanges that name countries by code; places inside a country may leave it to
    /// their ancestors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<super::CountryCode>,
    /// Ids of the sources that mention the place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Id>,
}
