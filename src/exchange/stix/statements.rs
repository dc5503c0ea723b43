//! Statements as `note`s (design §2.5): the verbatim words, created by the speaker, about
//! what they concern and attached to the claims they are evidence for.

use serde_json::{Value, json};

use super::context::{self, Context};
use crate::model::Statement;

/// The statement's note with its record.
pub fn objects(ctx: &Context<'_>, statement: &Statement) -> Vec<Value> {
    let id = statement.id.as_str();
    let speaker = statement.speaker.as_ref().map(|s| s.as_str());
    let evidence_for: &[&str] = ctx.evidence_for.get(id).map_or(&[], Vec::as_slice);
    let mut head = ctx.head(
        "note",
        ctx.stix_ref(id),
        speaker.map(|s| ctx.identity(s)),
        id,
        evidence_for,
    );
    if let Some(name) = speaker.and_then(|s| ctx.actor_name(s)) {
        head.insert("authors".into(), json!([name]));
    }
    head.insert("content".into(), json!(statement.text.as_str()));
    let mut refs: Vec<String> = statement
        .about
        .iter()
        .map(|a| a.as_str())
        .chain(statement.event.as_ref().map(|e| e.as_str()))
        .chain(statement.location.as_ref().map(|l| l.as_str()))
        .chain(evidence_for.iter().copied())
        .map(|r| ctx.stix_ref(r))
        .collect();
    refs.dedup();
    if refs.is_empty() {
        // STIX requires at least one: the words are then about their speaker, or their source.
        refs.push(ctx.stix_ref(speaker.unwrap_or(statement.source.as_str())));
    }
    head.insert("object_refs".into(), json!(refs));
    head.insert(
        "external_references".into(),
        json!([ctx.source_reference(statement.source.as_str())]),
    );
    vec![ctx.with_record(head, "statement", context::record(statement))]
}
