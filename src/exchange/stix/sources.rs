//! Sources as `report`s (design §2.4): what each reports in `object_refs`, its publisher as
//! creator, its address as an external reference, and `via` as `derived-from`.

use serde_json::{Value, json};

use super::context::{self, Context};
use super::stamps::first_instant;
use crate::model::{PartialDate, Source};

/// The source's report with its record, then the `derived-from` link to what it relays.
pub fn objects(ctx: &Context<'_>, source: &Source) -> Vec<Value> {
    let id = source.id.as_str();
    let citing: &[&str] = ctx.cited_by.get(id).map_or(&[], Vec::as_slice);
    let publisher = source.publisher.as_ref().map(|p| ctx.identity(p.as_str()));
    let mut head = ctx.head("report", ctx.stix_ref(id), publisher, id, citing);
    head.insert("name".into(), json!(source.title.as_str()));
    if let Some(description) = &source.description {
        head.insert("description".into(), json!(description));
    }
    head.insert(
        "report_types".into(),
        json!([source.kind.as_str().replace('_', "-")]),
    );
    head.insert("published".into(), json!(published(ctx, source, citing)));
    let mut refs: Vec<String> = citing.iter().map(|r| ctx.stix_ref(r)).collect();
    refs.sort();
    refs.dedup();
    if refs.is_empty() {
        // STIX requires at least one; a source nothing cites still names who made it.
        refs.push(
            source
                .publisher
                .as_ref()
                .map_or_else(|| ctx.producer(), |p| ctx.identity(p.as_str())),
        );
    }
    head.insert("object_refs".into(), json!(refs));
    if let Some(url) = &source.url {
        head.insert(
            "external_references".into(),
            json!([{ "source_name": "claimgraph", "external_id": id, "url": url }]),
        );
    }
    let mut out = vec![ctx.with_record(head, "source", context::record(source))];
    if let Some(via) = &source.via {
        out.push(context::field_link(
            ctx,
            id,
            "via",
            "derived-from",
            via.as_str(),
        ));
    }
    out
}

/// When the source was published; STIX requires it. Unknown, it is the latest date among
/// what the source reports: a true lower bound ("published after Wednesday night"), never
/// the day it was encoded. The record, without it, is what import restores.
fn published(ctx: &Context<'_>, source: &Source, citing: &[&str]) -> String {
    if let Some(date) = &source.published {
        return first_instant(date);
    }
    let set = ctx.set;
    let citing: std::collections::HashSet<&str> = citing.iter().copied().collect();
    let cites = |id: &str| citing.contains(id);
    let mut dates: Vec<PartialDate> = Vec::new();
    for e in set.events.iter().filter(|e| cites(e.id.as_str())) {
        if let Some(when) = &e.when {
            dates.push(*when.until.as_ref().unwrap_or(&when.date));
        }
    }
    for c in set.claims.iter().filter(|c| c.source == source.id) {
        if let Some(when) = &c.asserted_on {
            dates.push(*when.until.as_ref().unwrap_or(&when.date));
        }
    }
    for s in set.statements.iter().filter(|s| s.source == source.id) {
        if let Some(when) = &s.when {
            dates.push(*when.until.as_ref().unwrap_or(&when.date));
        }
    }
    dates
        .iter()
        .max_by_key(|d| d.first_day())
        .map_or_else(|| ctx.stamps.created(source.id.as_str()), first_instant)
}
