//! Claims as STIX `relationship`s (`docs/stix-design.md` §2.6): the spec's relationship types
//! where the meaning is the same, claimgraph's own (hyphenated, as STIX 2.1 §5.1 allows)
//! where it is not. `claimed_responsibility_for` stays itself and is not turned into
//! `attributed-to`: who says it (the actor itself, or others) is the point.

use crate::model::Relation;

/// The `relationship_type` of a claim's relation, or `None` for a value claim (which exports
/// as a `note`: a relationship needs a target object).
pub fn relationship_type(relation: Relation) -> Option<String> {
    let spec = match relation {
        Relation::HasStrength => return None,
        Relation::Targeted => "targets",
        Relation::StationedIn | Relation::OccurredAt | Relation::LocatedIn => "located-at",
        _ => "",
    };
    Some(if spec.is_empty() {
        relation.as_str().replace('_', "-")
    } else {
        spec.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::relationship_type;
    use crate::model::Relation;

    #[test]
    fn relations_take_the_specs_types_where_they_mean_the_same_and_their_own_otherwise() {
        assert_eq!(
            relationship_type(Relation::Targeted).as_deref(),
            Some("targets")
        );
        assert_eq!(
            relationship_type(Relation::OccurredAt).as_deref(),
            Some("located-at")
        );
        assert_eq!(
            relationship_type(Relation::AttributedTo).as_deref(),
            Some("attributed-to")
        );
        assert_eq!(
            relationship_type(Relation::ClaimedResponsibilityFor).as_deref(),
            Some("claimed-responsibility-for")
        );
        assert_eq!(relationship_type(Relation::HasStrength), None);
    }

    #[test]
    fn every_relationship_type_fits_the_schemas_pattern() {
        for spec in crate::model::relation::VOCABULARY {
            if let Some(t) = relationship_type(spec.relation) {
                assert!(
                    t.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{t}"
                );
            }
        }
    }
}
