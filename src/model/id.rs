//! Identifiers and names: the validated strings every record is built from.

use std::borrow::Cow;
use std::fmt;

use compact_str::CompactString;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// The word `asserted_by` uses for an unknown asserter; no entity may take it as its id.
pub const UNKNOWN: &str = "unknown";

/// A stable, human-readable id such as `saraya-qasem-al-jabarin`, unique across the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
// Most ids fit in a compact string's 24 bytes with no allocation of their own: a million
// claims held in memory for validation hold five ids each.
pub struct Id(CompactString);

impl Id {
    /// Checks that `s` is a slug: lowercase ASCII letters and digits in words joined by single hyphens.
    pub fn parse(s: &str) -> Result<Id, String> {
        let well_formed = !s.is_empty()
            && s.len() <= 200
            && s.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if well_formed {
            Ok(Id(CompactString::from(s)))
        } else {
            Err(format!(
                "invalid id {s:?}: use lowercase letters, digits and single hyphens, \
                 at most 200 characters, e.g. \"saraya-qasem-al-jabarin\""
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Id::parse(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0.into_string()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A stable id: lowercase letters, digits and single hyphens, unique across the whole graph.",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
            "maxLength": 200
        })
    }
}

/// A name, title or text that must say something: not empty and not only white space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(CompactString);

impl Text {
    /// The text as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.trim().is_empty() {
            Err("must not be empty".to_owned())
        } else {
            Ok(Text(CompactString::from(s)))
        }
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.into_string()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "\\S" })
    }
}

/// The lower-case ASCII words of `text` joined by single hyphens, accents dropped
/// (`Ḥizballāh` → `hizballah`), whole words only up to `max` characters: the readable part of
/// an id made from a name. Empty when `text` has no ASCII letter or digit.
pub fn slug(text: &str, max: usize) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let mut out = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + usize::from(!out.is_empty()) > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_accepted_and_everything_else_refused() {
        assert!(Id::parse("saraya-qasem-al-jabarin").is_ok());
        assert!(Id::parse("ayn-al-assad-rocket-attack-2022-01-05").is_ok());
        for bad in ["", "Iran", "a--b", "-a", "a-", "a b", "émile", "a_b"] {
            assert!(Id::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn blank_text_is_refused() {
        assert!(Text::try_from("  ".to_owned()).is_err());
        assert!(Text::try_from("Iran".to_owned()).is_ok());
    }
}
