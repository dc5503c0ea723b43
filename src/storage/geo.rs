//! Distances on the globe: great-circle (haversine) distance between coordinates, and the
//! events at places within a radius. SQLite narrows the places to a bounding box; the exact
//! distance is computed here.

use super::conn::{Conn, params};
use super::{StorageError, array};

/// The Earth's mean radius (IUGG), in km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Half the Earth's circumference: no two points are farther apart, in km.
pub const MAX_DISTANCE_KM: f64 = std::f64::consts::PI * EARTH_RADIUS_KM;

/// The great-circle distance between two points given as (latitude, longitude) in degrees.
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// An event at a place within the radius asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// The event.
    pub event: String,
    /// Its location.
    pub location: String,
    /// From the point asked about to the location, in km.
    pub distance_km: f64,
}

/// The events whose location lies within `radius_km` of (`lat`, `lon`), nearest first.
/// Places known less precisely than the radius (a country's centre) are left out: an event
/// there could be anywhere in them.
pub fn events_near(
    conn: &Conn<'_>,
    lat: f64,
    lon: f64,
    radius_km: f64,
) -> Result<Vec<Near>, StorageError> {
    // A degree of latitude is about 111.2 km everywhere; a degree of longitude shrinks with
    // the cosine of the latitude, so near the poles or for a wide radius every longitude counts.
    let dlat = radius_km / 111.2 + 0.01;
    let lat_lo = lat - dlat;
    let lat_hi = lat + dlat;
    let widest = lat_lo.abs().max(lat_hi.abs()).min(90.0).to_radians().cos();
    let dlon = if widest < 0.01 {
        360.0
    } else {
        radius_km / (111.32 * widest) + 0.01
    };
    let (lon_lo, lon_hi, wraps) = if dlon >= 180.0 {
        (-180.0, 180.0, false)
    } else {
        let (lo, hi) = (lon - dlon, lon + dlon);
        (lo, hi, lo < -180.0 || hi > 180.0)
    };
    let rows = conn.query_rows(
        "SELECT id, lat, lon FROM locations
          WHERE lat IS NOT NULL AND lat BETWEEN ?1 AND ?2
            AND (?5 OR lon BETWEEN ?3 AND ?4)
            AND (precision_km IS NULL OR precision_km <= ?6)",
        params![lat_lo, lat_hi, lon_lo, lon_hi, wraps, radius_km],
        |r| Ok((r.get::<String>(0)?, r.get::<f64>(1)?, r.get::<f64>(2)?)),
    )?;
    let mut places: Vec<(String, f64)> = Vec::new();
    for (id, plat, plon) in rows {
        let d = great_circle_km((lat, lon), (plat, plon));
        if d <= radius_km {
            places.push((id, d));
        }
    }
    let ids: Vec<&str> = places.iter().map(|(id, _)| id.as_str()).collect();
    let rows = conn.query_rows(
        "SELECT id, location_id FROM events WHERE location_id IN rarray(?1) ORDER BY id",
        params![array(&ids)],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let by_place: std::collections::HashMap<&str, f64> =
        places.iter().map(|(id, d)| (id.as_str(), *d)).collect();
    let mut out = Vec::new();
    for (event, location) in rows {
        let distance_km = by_place
            .get(location.as_str())
            .copied()
            .unwrap_or(f64::INFINITY);
        out.push(Near {
            event,
            location,
            distance_km,
        });
    }
    out.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then_with(|| a.event.cmp(&b.event))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances_come_out_right() {
        // Baghdad to Basra is about 448 km as the crow flies.
        let d = great_circle_km((33.3152, 44.3661), (30.5085, 47.7804));
        assert!((d - 448.0).abs() < 5.0, "{d}");
        assert_eq!(great_circle_km((10.0, 20.0), (10.0, 20.0)), 0.0);
        let antipodes = great_circle_km((0.0, 0.0), (0.0, 180.0));
        assert!((antipodes - MAX_DISTANCE_KM).abs() < 1e-6);
    }
}
