//! Stances as `opinion`s (design §2.7): the party's own position on a claim, created by the
//! party; who reports it stays in the record.

use serde_json::{Value, json};

use super::context::{self, Context};
use crate::model::{Stance, StancePosition};

/// The stance's opinion with its record.
pub fn objects(ctx: &Context<'_>, stance: &Stance) -> Vec<Value> {
    let id = stance.id.as_str();
    let party = stance.actor.as_str();
    let claim = stance.claim.as_str();
    let mut head = ctx.head(
        "opinion",
        ctx.stix_ref(id),
        Some(ctx.identity(party)),
        id,
        &[claim],
    );
    if let Some(note) = &stance.note {
        head.insert("explanation".into(), json!(note));
    }
    if let Some(name) = ctx.actor_name(party) {
        head.insert("authors".into(), json!([name]));
    }
    head.insert("opinion".into(), json!(opinion(stance.position)));
    head.insert("object_refs".into(), json!([ctx.stix_ref(claim)]));
    head.insert("confidence".into(), json!(stance.confidence.get()));
    head.insert(
        "external_references".into(),
        json!([ctx.source_reference(stance.source.as_str())]),
    );
    vec![ctx.with_record(head, "stance", context::record(stance))]
}

/// STIX has no value for declining to comment; it is neutral, and the record keeps the
/// difference.
fn opinion(position: StancePosition) -> &'static str {
    match position {
        StancePosition::Confirms => "agree",
        StancePosition::Denies => "strongly-disagree",
        StancePosition::Disputes => "disagree",
        StancePosition::Uncertain | StancePosition::DeclinesToComment => "neutral",
    }
}
