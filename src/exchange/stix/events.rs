//! Events: campaigns as `campaign`, everything else (attacks, strikes, speeches, agreements)
//! as the `event` object of the OASIS Incident Extension Suite (design §2.3), whose
//! fidelity fields carry claimgraph's year/month/day precision.

use serde_json::{Value, json};

use super::context::{self, Context};
use super::stamps::{fidelity, first_instant, last_instant};
use crate::model::{Event, EventKind};

/// The Incident Extension Suite's definition of the `event` object.
pub const EVENT_EXTENSION: &str = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e";

/// The event's object with its record, then its `located-at` and `part-of` links.
pub fn objects(ctx: &Context<'_>, event: &Event) -> Vec<Value> {
    let id = event.id.as_str();
    let campaign = event.kind == EventKind::Campaign;
    let stix_type = if campaign { "campaign" } else { "event" };
    let mut head = ctx.head(stix_type, ctx.stix_ref(id), Some(ctx.producer()), id, &[]);
    head.insert("name".into(), json!(event.title.as_str()));
    if let Some(description) = &event.description {
        head.insert("description".into(), json!(description));
    }
    if campaign {
        if let Some(when) = &event.when {
            head.insert("first_seen".into(), json!(first_instant(&when.date)));
            let last = when.until.as_ref().unwrap_or(&when.date);
            head.insert("last_seen".into(), json!(last_instant(last)));
        }
    } else {
        head.insert("status".into(), json!("occurred"));
        head.insert("event_types".into(), json!([event.kind.as_str()]));
        if let Some(when) = &event.when {
            head.insert("start_time".into(), json!(first_instant(&when.date)));
            head.insert("start_time_fidelity".into(), json!(fidelity(&when.date)));
            // The suite requires the end to be later than the start.
            if let Some(until) = when
                .until
                .as_ref()
                .filter(|u| u.last_day() > when.date.last_day())
            {
                head.insert("end_time".into(), json!(last_instant(until)));
                head.insert("end_time_fidelity".into(), json!(fidelity(until)));
            }
        }
    }
    let mut object = ctx.with_record(head, "event", context::record(event));
    if !campaign {
        // The `event` type is defined by the suite's extension, which the object names.
        object["extensions"][EVENT_EXTENSION] = json!({ "extension_type": "new-sdo" });
        sort_extensions(&mut object);
    }
    let mut out = vec![object];
    if let Some(location) = &event.location {
        out.push(context::field_link(
            ctx,
            id,
            "location",
            "located-at",
            location.as_str(),
        ));
    }
    if let Some(of) = &event.campaign {
        out.push(context::field_link(
            ctx,
            id,
            "campaign",
            "part-of",
            of.as_str(),
        ));
    }
    out
}

/// Puts the suite's extension before claimgraph's, so that readers see what the type is first.
fn sort_extensions(object: &mut Value) {
    if let Some(extensions) = object.get_mut("extensions").and_then(Value::as_object_mut) {
        extensions.sort_keys();
    }
}
