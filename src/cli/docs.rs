//! Generated documentation: the fixture format's JSON Schema.

use crate::model::FixtureFile;

/// The JSON Schema of a fixture file, pretty-printed.
pub fn fixture_schema() -> String {
    let schema = schemars::schema_for!(FixtureFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
