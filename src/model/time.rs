//! Dates with their precision (`2014`, `2020-01`, `2022-01-05`), parts of the day, and spans.

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The calendar day.
    Day,
}

/// A calendar date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, refusing dates that do not exist.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let hint = "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. \"2022-01-05\"";
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = matches!(parts.len(), 1..=3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !widths_ok {
            return Err(format!("invalid date {s:?}: {hint}"));
        }
        let num = |p: &str| {
            p.parse::<u32>()
                .map_err(|_| format!("invalid date {s:?}: {hint}"))
        };
        let year = num(parts[0])? as i32;
        let month = parts.get(1).map(|p| num(p)).transpose()?;
        let day = parts.get(2).map(|p| num(p)).transpose()?;
        if year == 0 {
            return Err(format!("invalid date {s:?}: there is no year 0"));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("invalid date {s:?}: month {m} does not exist"));
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            return Err(format!(
                "invalid date {s:?}: {} {year} has no day {d}",
                month_name(m)
            ));
        }
        Ok(PartialDate { year, month, day })
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The first calendar day the date may stand for.
    pub fn first_day(&self) -> NaiveDate {
        let d = NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        d.unwrap_or(NaiveDate::MIN)
    }

    /// The last calendar day the date may stand for.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => NaiveDate::from_ymd_opt(self.year, m, 1)
                .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
                .and_then(|next| next.pred_opt()),
            (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(m as usize - 1).copied().unwrap_or("month")
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(d: NaiveDate) -> Self {
        PartialDate {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct PartialDateVisitor;

impl Visitor<'_> for PartialDateVisitor {
    type Value = PartialDate;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date such as \"2022-01-05\", \"2020-01\" or 2014")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
        PartialDate::parse(v).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
        PartialDate::parse(&v.to_string()).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
        PartialDate::parse(&v.to_string()).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PartialDateVisitor)
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date known to the year, month or day: 2014, \"2020-01\", \"2022-01-05\".",
            "anyOf": [
                { "type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" },
                { "type": "integer", "minimum": 1, "maximum": 9999 }
            ]
        })
    }
}

/// A part of the day, as reporting gives it ("early Wednesday morning", "Wednesday night").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartOfDay {
    /// Before dawn or just after.
    EarlyMorning,
    /// Morning.
    Morning,
    /// Around noon.
    Midday,
    /// Afternoon.
    Afternoon,
    /// Evening.
    Evening,
    /// Night.
    Night,
}

impl PartOfDay {
    /// The fixture spelling of this part of the day.
    pub fn as_str(&self) -> &'static str {
        match self {
            PartOfDay::EarlyMorning => "early_morning",
            PartOfDay::Morning => "morning",
            PartOfDay::Midday => "midday",
            PartOfDay::Afternoon => "afternoon",
            PartOfDay::Evening => "evening",
            PartOfDay::Night => "night",
        }
    }

    /// Reads the fixture spelling back.
    pub fn parse(s: &str) -> Option<PartOfDay> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// When something happened or was said: a date, an optional end, an optional part of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The (first) day, month or year.
    pub date: PartialDate,
    /// The last day, month or year, for spans such as a campaign of several days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    /// The part of the day, when the date is a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_day: Option<PartOfDay>,
}

impl When {
    /// The first calendar day covered.
    pub fn first_day(&self) -> NaiveDate {
        self.date.first_day()
    }

    /// The last calendar day covered.
    pub fn last_day(&self) -> NaiveDate {
        self.until.unwrap_or(self.date).last_day()
    }
}

impl JsonSchema for When {
    fn schema_name() -> Cow<'static, str> {
        "When".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let date = generator.subschema_for::<PartialDate>();
        let part = generator.subschema_for::<PartOfDay>();
        json_schema!({
            "description": "When: a date (shorthand), or {date, until, part_of_day}.",
            "anyOf": [
                date,
                {
                    "type": "object",
                    "properties": {
                        "date": date,
                        "until": date,
                        "part_of_day": part
                    },
                    "required": ["date"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenFields {
    date: PartialDate,
    #[serde(default)]
    until: Option<PartialDate>,
    #[serde(default)]
    part_of_day: Option<PartOfDay>,
}

struct WhenVisitor;

impl<'de> Visitor<'de> for WhenVisitor {
    type Value = When;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date such as \"2022-01-05\", or a map with date, until and part_of_day")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<When, E> {
        PartialDateVisitor.visit_str(v).map(When::from)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<When, E> {
        PartialDateVisitor.visit_u64(v).map(When::from)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<When, E> {
        PartialDateVisitor.visit_i64(v).map(When::from)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<When, A::Error> {
        let f = WhenFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(When {
            date: f.date,
            until: f.until,
            part_of_day: f.part_of_day,
        })
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WhenVisitor)
    }
}

impl From<PartialDate> for When {
    fn from(date: PartialDate) -> Self {
        When {
            date,
            until: None,
            part_of_day: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision_and_cover_their_days() {
        let month = PartialDate::parse("2020-01").unwrap();
        assert_eq!(month.precision(), Precision::Month);
        assert_eq!(month.first_day().to_string(), "2020-01-01");
        assert_eq!(month.last_day().to_string(), "2020-01-31");
        let year = PartialDate::parse("2014").unwrap();
        assert_eq!(year.last_day().to_string(), "2014-12-31");
        assert_eq!(
            PartialDate::parse("2022-01-05").unwrap().to_string(),
            "2022-01-05"
        );
    }

    #[test]
    fn impossible_dates_are_refused_with_the_reason() {
        let err = PartialDate::parse("2022-02-30").unwrap_err();
        assert!(err.contains("February 2022 has no day 30"), "{err}");
        assert!(
            PartialDate::parse("2022-13")
                .unwrap_err()
                .contains("month 13")
        );
        assert!(PartialDate::parse("5 January 2022").is_err());
        assert!(PartialDate::parse("0000").is_err());
    }
}
