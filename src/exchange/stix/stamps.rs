//! STIX timestamps: `created`/`modified` from the records' history, dates as the first or last
//! instant they may stand for, and the fidelity of a partial date. STIX wants millisecond
//! precision (`…\.\d{3}Z`), which history's `at` already has.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::{PartialDate, Precision};

/// When each record was created and last changed, or one fixed instant for all of them
/// (`SOURCE_DATE_EPOCH`), so that a bundle can be compared byte for byte.
#[derive(Debug, Clone, Default)]
pub struct Stamps {
    /// `(created, modified)` by record id, from history.
    by_id: HashMap<String, (String, String)>,
    /// The instant every record carries instead, when set.
    fixed: Option<String>,
}

/// What a record without history carries (none has one once stored; a bug otherwise).
const NEVER: &str = "1970-01-01T00:00:00.000Z";

impl Stamps {
    /// The stamps read from history.
    pub fn from_history(by_id: HashMap<String, (String, String)>) -> Stamps {
        Stamps { by_id, fixed: None }
    }

    /// Every record stamped with this instant instead (seconds since 1970).
    pub fn fixed_at(mut self, epoch_seconds: i64) -> Stamps {
        let at = chrono::DateTime::from_timestamp(epoch_seconds, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S.000Z").to_string());
        self.fixed = Some(at.unwrap_or_else(|| NEVER.to_owned()));
        self
    }

    /// `SOURCE_DATE_EPOCH` as the reproducible-builds convention defines it, if set and valid.
    pub fn epoch_from_env() -> Option<i64> {
        std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
    }

    /// When the record was created.
    pub fn created(&self, id: &str) -> String {
        if let Some(at) = &self.fixed {
            return at.clone();
        }
        self.by_id
            .get(id)
            .map_or_else(|| NEVER.to_owned(), |(c, _)| c.clone())
    }

    /// The latest change among these records: an object built from several records changes
    /// whenever any of them does, as STIX versioning requires.
    pub fn modified<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> String {
        if let Some(at) = &self.fixed {
            return at.clone();
        }
        ids.into_iter()
            .filter_map(|id| self.by_id.get(id).map(|(_, m)| m.as_str()))
            .max()
            .unwrap_or(NEVER)
            .to_owned()
    }
}

/// The first instant a date may stand for.
pub fn first_instant(date: &PartialDate) -> String {
    instant(date.first_day(), "00:00:00.000")
}

/// The last instant (to the millisecond) a date may stand for.
pub fn last_instant(date: &PartialDate) -> String {
    instant(date.last_day(), "23:59:59.999")
}

fn instant(day: NaiveDate, time: &str) -> String {
    format!("{}T{time}Z", day.format("%Y-%m-%d"))
}

/// The Incident Extension Suite's `timestamp-fidelity-ov` value for a date's precision.
pub fn fidelity(date: &PartialDate) -> &'static str {
    match date.precision() {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

#[cfg(test)]
mod tests {
    use super::{Stamps, fidelity, first_instant, last_instant};
    use crate::model::PartialDate;

    #[test]
    fn a_month_spans_from_its_first_millisecond_to_its_last() {
        let month = PartialDate::parse("2020-02").expect("a month");
        assert_eq!(first_instant(&month), "2020-02-01T00:00:00.000Z");
        assert_eq!(last_instant(&month), "2020-02-29T23:59:59.999Z");
        assert_eq!(fidelity(&month), "month");
    }

    #[test]
    fn a_fixed_epoch_stamps_every_record_alike() {
        let stamps = Stamps::default().fixed_at(1_641_427_200);
        assert_eq!(stamps.created("iran"), "2022-01-06T00:00:00.000Z");
        assert_eq!(
            stamps.modified(["iran", "iraq"]),
            "2022-01-06T00:00:00.000Z"
        );
    }

    #[test]
    fn an_object_is_as_recent_as_its_latest_record() {
        let stamps = Stamps::from_history(
            [
                (
                    "a".to_owned(),
                    (
                        "2026-01-01T00:00:00.000Z".to_owned(),
                        "2026-01-02T00:00:00.000Z".to_owned(),
                    ),
                ),
                (
                    "b".to_owned(),
                    (
                        "2026-01-01T00:00:00.000Z".to_owned(),
                        "2026-03-01T00:00:00.000Z".to_owned(),
                    ),
                ),
            ]
            .into(),
        );
        assert_eq!(stamps.modified(["a", "b"]), "2026-03-01T00:00:00.000Z");
        assert_eq!(stamps.created("a"), "2026-01-01T00:00:00.000Z");
    }
}
