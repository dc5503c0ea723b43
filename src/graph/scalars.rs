//! Scalars: `Date`, a calendar date known to the year, month or day, and `JSON`, a value
//! in the fixture format.

use async_graphql::{
    InputValueError, InputValueResult, SDLExportOptions, Scalar, ScalarType, Value,
};

use crate::model::PartialDate;

/// A date known to the year ("2014"), the month ("2020-01") or the day ("2022-01-05").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub PartialDate);

/// A calendar date as precise as the sources are, in ISO 8601's extended format: a day
/// `YYYY-MM-DD` (RFC 3339's full-date), or reduced to a month `YYYY-MM` or a year `YYYY`;
/// as an argument, a year may also be a number (2014).
// ISO 8601, not RFC 3339: RFC 3339 has no dates reduced to a month or a year.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.iso.org/iso-8601-date-and-time-format.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => PartialDate::parse(s)
                .map(Date)
                .map_err(InputValueError::custom),
            Value::Number(n) if n.is_u64() => PartialDate::parse(&n.to_string())
                .map(Date)
                .map_err(InputValueError::custom),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// How the SDL is printed: with each scalar's `@specifiedBy(url:)`, which async-graphql
/// leaves out unless asked.
pub fn sdl_options() -> SDLExportOptions {
    SDLExportOptions::new().include_specified_by()
}

/// Any JSON value.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonValue(pub serde_json::Value);

/// Any JSON value (RFC 8259); in history, a field's value as the fixture format writes it.
#[Scalar(
    name = "JSON",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc8259"
)]
impl ScalarType for JsonValue {
    fn parse(value: Value) -> InputValueResult<Self> {
        value
            .into_json()
            .map(JsonValue)
            .map_err(InputValueError::custom)
    }

    fn to_value(&self) -> Value {
        // Every `serde_json::Value` converts; null rather than a panic if one ever did not.
        Value::from_json(self.0.clone()).unwrap_or(Value::Null)
    }
}
