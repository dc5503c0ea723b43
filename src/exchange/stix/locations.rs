//! Locations as STIX `location`s (`docs/stix-design.md` §2.2): the point and its precision
//! (STIX counts metres, claimgraph kilometres), the name as `administrative_area` for a
//! province and as `city` for a city. Containment travels as structural `located-at`
//! relationships, and the country code, which STIX checks against ISO 3166, only once
//! locations carry one (never guessed from a name).

use serde_json::{Value, json};

use super::context::{self, Context};
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

/// Where a place without coordinates is put when no ancestor has any: the whole Earth
/// (precision half its circumference, in metres). STIX requires a point, a country or a
/// region; the record still says the place has no coordinates, so import restores that.
const ANYWHERE: (f64, f64, f64) = (0.0, 0.0, 20_037_508.0);

/// The location's object with its record, then the `located-at` link to its parent.
pub fn objects(ctx: &Context<'_>, location: &Location) -> Vec<Value> {
    let id = location.id.as_str();
    let mut head = ctx.head("location", ctx.stix_ref(id), Some(ctx.producer()), id, &[]);
    let body = object(&ctx.namespace, location).unwrap_or_else(|| {
        let (lat, lon, precision) = nearest_point(ctx, location);
        let mut body = json!({ "name": location.name.as_str(), "latitude": lat, "longitude": lon, "precision": precision });
        if let Some(description) = &location.description {
            body["description"] = json!(description);
        }
        body
    });
    context::extend(&mut head, body);
    if let Some(code) = country(ctx, location) {
        head.insert("country".into(), json!(code));
    }
    let mut out = vec![ctx.with_record(head, "location", context::record(location))];
    if let Some(parent) = &location.parent {
        out.push(context::field_link(
            ctx,
            id,
            "parent",
            "located-at",
            parent.as_str(),
        ));
    }
    out
}

/// The country code of the place, or of its nearest ancestor that has one.
fn country<'a>(ctx: &Context<'a>, location: &'a Location) -> Option<&'a str> {
    let mut place = Some(location);
    // A validated graph has no cycles of parents; the count guards against one anyway.
    for _ in 0..=ctx.locations.len() {
        let here = place?;
        if let Some(code) = &here.country_code {
            return Some(code.as_str());
        }
        place = here
            .parent
            .as_ref()
            .and_then(|p| ctx.locations.get(p.as_str()).copied());
    }
    None
}

/// The point of the nearest ancestor that has one (a town's province), or anywhere.
fn nearest_point(ctx: &Context<'_>, location: &Location) -> (f64, f64, f64) {
    let mut seen = 0;
    let mut next = location.parent.as_ref();
    // A validated graph has no cycles of parents; the count guards against one anyway.
    while let Some(parent) = next.and_then(|p| ctx.locations.get(p.as_str())) {
        if let Some(point) = &parent.coordinates {
            return (
                point.lat,
                point.lon,
                point.precision_km.map_or(ANYWHERE.2, |km| km * 1000.0),
            );
        }
        seen += 1;
        if seen > ctx.locations.len() {
            break;
        }
        next = parent.parent.as_ref();
    }
    ANYWHERE
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
            country_code: None,
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
