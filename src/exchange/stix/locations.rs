//! Locations as STIX `location`s (`docs/stix-design.md` §2.2): the point and its precision
//! (STIX counts metres, claimgraph kilometres), the name as `administrative_area` for a
//! province and as `city` for a city. Containment travels as structural `located-at`
//! relationships, and the country code, which STIX checks against ISO 3166, only once
//! locations carry one (never guessed from a name).

use serde_json::{Value, json};

use super::ids;
use crate::model::{Location, LocationKind};

/// The STIX object of a location with a point, or `None` for one without coordinates (the
/// exporter then places it at its nearest ancestor's point, as the schema wants a point, a
/// region or a country).
pub fn object(namespace: &uuid::Uuid, location: &Location) -> Option<Value> {
    let point = location.coordinates.as_ref()?;
    let mut object = json!({
        "type": "location",
        "spec_version": "2.1",
        "id": ids::id(namespace, "location", location.id.as_str()),
        "name": location.name.as_str(),
        "latitude": point.lat,
        "longitude": point.lon,
    });
    if let Some(km) = point.precision_km {
        object["precision"] = json!(km * 1000.0);
    }
    if let Some(description) = &location.description {
        object["description"] = json!(description);
    }
    match location.kind {
        LocationKind::Province => object["administrative_area"] = json!(location.name.as_str()),
        LocationKind::City => object["city"] = json!(location.name.as_str()),
        _ => {}
    }
    Some(object)
}

#[cfg(test)]
mod tests {
    use super::object;
    use crate::exchange::stix::ids::NAMESPACE;
    use crate::model::{Coordinates, Id, Location, LocationKind, Text};

    fn place(kind: LocationKind, coordinates: Option<Coordinates>) -> Location {
        Location {
            id: Id::parse("anbar").expect("an id"),
            kind,
            name: Text::try_from("Anbar".to_owned()).expect("a name"),
            aliases: Vec::new(),
            description: None,
            coordinates,
            parent: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn a_point_travels_with_its_precision_in_metres_and_a_province_as_its_area() {
        let point = Coordinates {
            lat: 32.5594,
            lon: 41.9196,
            precision_km: Some(250.0),
        };
        let o = object(&NAMESPACE, &place(LocationKind::Province, Some(point)))
            .expect("a place with a point");
        assert_eq!(o["precision"], 250_000.0);
        assert_eq!(o["administrative_area"], "Anbar");
        assert_eq!(o["latitude"], 32.5594);
        assert!(
            o["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("location--"))
        );
    }

    #[test]
    fn a_place_without_a_point_waits_for_its_ancestors() {
        assert!(object(&NAMESPACE, &place(LocationKind::Base, None)).is_none());
    }
}
