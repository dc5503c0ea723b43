//! Scalars: `Date`, a calendar date known to the year, month or day.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

use crate::model::PartialDate;

/// A date known to the year ("2014"), the month ("2020-01") or the day ("2022-01-05").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub PartialDate);

/// A calendar date as precise as the sources are: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[Scalar(name = "Date")]
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
