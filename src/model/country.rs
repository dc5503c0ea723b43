//! ISO 3166-1 alpha-2 country codes, which exchanges name countries by (STIX `country`).

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// Every officially assigned ISO 3166-1 alpha-2 code (249), in order.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// An ISO 3166-1 alpha-2 country code, such as `IQ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The code, if `s` is an assigned one (in capitals, as ISO writes it).
    pub fn parse(s: &str) -> Option<CountryCode> {
        let b = s.as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase) && CODES.split(' ').any(|c| c == s))
            .then(|| CountryCode([b[0], b[1]]))
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&s).ok_or_else(|| {
            let hint = if CountryCode::parse(&s.to_ascii_uppercase()).is_some() {
                format!("; write it in capitals: {:?}", s.to_ascii_uppercase())
            } else {
                " (ISO 3166-1 alpha-2, e.g. \"IQ\" for Iraq, \"SY\" for Syria)".to_owned()
            };
            format!("{s:?} is not an ISO 3166-1 alpha-2 country code{hint}")
        })
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = CODES.split(' ').collect();
        json_schema!({
            "type": "string",
            "description": "An ISO 3166-1 alpha-2 country code, in capitals (\"IQ\").",
            "enum": codes
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{CODES, CountryCode};

    #[test]
    fn every_assigned_code_is_known_once() {
        let codes: Vec<&str> = CODES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, codes, "in order, no repeats");
    }

    #[test]
    fn a_code_must_be_assigned_and_in_capitals() {
        assert_eq!(
            CountryCode::parse("IQ").map(|c| c.to_string()).as_deref(),
            Some("IQ")
        );
        assert!(CountryCode::parse("XK").is_none(), "Kosovo has no ISO code");
        let lower = CountryCode::try_from("sy".to_owned()).unwrap_err();
        assert!(lower.contains("in capitals: \"SY\""), "{lower}");
    }
}
