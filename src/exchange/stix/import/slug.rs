//! Ids for records made from other producers' objects: a slug of the name and the first
//! eight hex digits of the STIX id's UUID, so that the same object gets the same id on
//! every import and the id still says what it is (`unit-61398-94624865`).

/// Longest slug kept before the hex digits.
const MAX: usize = 48;

/// The id for an object with this name (or, without one, this fallback) and STIX id.
pub fn id(name: Option<&str>, fallback: &str, stix_id: &str) -> String {
    let hex: String = stix_id
        .rsplit("--")
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    let mut slug = slug(name.unwrap_or(""));
    if slug.is_empty() {
        slug = self::slug(fallback);
    }
    if hex.is_empty() {
        slug
    } else {
        format!("{slug}-{hex}")
    }
}

/// The readable part of an id: the name's words, at most [`MAX`] characters.
pub fn slug(text: &str) -> String {
    crate::model::slug(text, MAX)
}

#[cfg(test)]
mod tests {
    use super::{id, slug};

    #[test]
    fn a_name_becomes_a_readable_id_with_the_stix_uuids_first_digits() {
        assert_eq!(
            id(
                Some("Unit 61398"),
                "threat-actor",
                "threat-actor--94624865-2709-443f-9b4c-2891985fd69b"
            ),
            "unit-61398-94624865"
        );
        assert_eq!(slug("Kata'ib Ḥizballāh (KH)"), "kata-ib-hizballah-kh");
    }

    #[test]
    fn a_name_of_no_latin_letters_falls_back_to_the_type() {
        assert_eq!(
            id(
                Some("كتائب"),
                "identity",
                "identity--0e9d20d9-fb11-42e3-94bc-b89fb5b007ca"
            ),
            "identity-0e9d20d9"
        );
    }
}
