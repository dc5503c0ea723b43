//! Claims as STIX `relationship`s (`docs/stix-design.md` §2.6): the spec's relationship types
//! where the meaning is the same, claimgraph's own (hyphenated, as STIX 2.1 §5.1 allows)
//! where it is not. `claimed_responsibility_for` stays itself and is not turned into
//! `attributed-to`: who says it (the actor itself, or others) is the point.

use serde_json::{Map, Value, json};

use super::context::{self, Context};
use super::stamps::{first_instant, last_instant};
use crate::model::{Claim, ClaimStatus, LiteralValue, Relation};

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

/// The claim as a `relationship` (or, for a value or a link to another claim, a `note`)
/// created by its asserter, then the producer's opinion on it when its status was judged.
pub fn objects(ctx: &Context<'_>, claim: &Claim) -> Vec<Value> {
    let id = claim.id.as_str();
    let object = claim.object.as_ref().map(|o| o.as_str());
    let main = ctx.stix_ref(id);
    let asserter = claim.asserted_by.actor().map(|a| ctx.identity(a.as_str()));
    let ends: Vec<&str> = std::iter::once(claim.subject.as_str())
        .chain(object)
        .collect();
    let mut head = if main.starts_with("relationship--") {
        let mut head = ctx.head("relationship", main.clone(), asserter, id, &ends);
        head.insert(
            "relationship_type".into(),
            json!(relationship_type(claim.relation)),
        );
        head.insert(
            "source_ref".into(),
            json!(ctx.stix_ref(claim.subject.as_str())),
        );
        head.insert("target_ref".into(), json!(object.map(|o| ctx.stix_ref(o))));
        if let Some(from) = &claim.valid_from {
            head.insert("start_time".into(), json!(first_instant(from)));
        }
        if let Some(to) = &claim.valid_to {
            head.insert("stop_time".into(), json!(last_instant(to)));
        }
        if let Some(note) = &claim.note {
            head.insert("description".into(), json!(note));
        }
        head
    } else {
        value_note(ctx, claim, main.clone(), asserter, &ends)
    };
    head.insert("confidence".into(), json!(claim.confidence.get()));
    head.insert(
        "external_references".into(),
        json!([ctx.source_reference(claim.source.as_str())]),
    );
    let mut out = vec![ctx.with_record(head, "claim", context::record(claim))];
    if let Some(opinion) = status_opinion(ctx, claim, main) {
        out.push(opinion);
    }
    out
}

/// A claim STIX cannot link (a value such as 2,500 soldiers, or a word on another claim) as
/// a note: what it says in the abstract, about its subject and object.
fn value_note(
    ctx: &Context<'_>,
    claim: &Claim,
    id: String,
    asserter: Option<String>,
    ends: &[&str],
) -> Map<String, Value> {
    let mut head = ctx.head("note", id, asserter, claim.id.as_str(), ends);
    let subject = ctx
        .actor_name(claim.subject.as_str())
        .unwrap_or(claim.subject.as_str());
    let said = match (&claim.value, &claim.object) {
        (Some(value), _) => value_text(value),
        (None, Some(object)) => format!("{} {}", claim.relation.as_str().replace('_', " "), object),
        (None, None) => claim.relation.as_str().replace('_', " "),
    };
    let within = claim.qualifiers.within.as_ref();
    let place = within
        .and_then(|w| ctx.locations.get(w.as_str()))
        .map(|l| format!(" (in {})", l.name.as_str()))
        .unwrap_or_default();
    let summary = format!("{subject}: {said}{place}");
    head.insert("abstract".into(), json!(summary));
    head.insert(
        "content".into(),
        json!(claim.note.clone().unwrap_or(summary)),
    );
    let refs: Vec<String> = ends
        .iter()
        .copied()
        .chain(within.map(|w| w.as_str()))
        .map(|r| ctx.stix_ref(r))
        .collect();
    head.insert("object_refs".into(), json!(refs));
    head
}

/// A literal value in words: "around 2500 soldiers".
fn value_text(value: &LiteralValue) -> String {
    if let Some(text) = &value.text {
        return text.clone();
    }
    let about = if value.approximate { "around " } else { "" };
    let amount = value.amount.map(|a| a.to_string()).unwrap_or_default();
    let unit = value
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    format!("{about}{amount}{unit}")
}

/// The producer's judgement of a disputed, confirmed or refuted claim, as an `opinion`
/// (design §2.7): STIX's way for another party to assess an object's correctness.
fn status_opinion(ctx: &Context<'_>, claim: &Claim, about: String) -> Option<Value> {
    let opinion = match claim.status {
        ClaimStatus::Asserted => return None,
        ClaimStatus::Confirmed => "strongly-agree",
        ClaimStatus::Disputed => "neutral",
        ClaimStatus::Refuted => "strongly-disagree",
    };
    let id = claim.id.as_str();
    let key = format!("{id}/status");
    let mut head = ctx.head(
        "opinion",
        ctx.id("opinion", &key),
        Some(ctx.producer()),
        id,
        &[],
    );
    head.insert(
        "explanation".into(),
        json!(format!(
            "claimgraph records this claim as {}.",
            claim.status.as_str()
        )),
    );
    head.insert("opinion".into(), json!(opinion));
    head.insert("object_refs".into(), json!([about]));
    Some(ctx.derived(head, "status", id, None))
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
