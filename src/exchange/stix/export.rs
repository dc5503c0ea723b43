//! A STIX 2.1 bundle of the whole graph or of a node's neighbourhood (design §3): the
//! producer and the extension definition first, then each record's objects in fixture
//! section order, each section by id, so that re-exports diff cleanly.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::context::Context;
use super::stamps::Stamps;
use super::{actors, claims, events, extension, locations, sources, stances, statements};
use crate::model::{GraphSet, Record};

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The node whose neighbourhood to export; the whole graph when `None`.
    pub root: Option<String>,
    /// How many claims away from the root to go.
    pub hops: usize,
}

/// Why a bundle cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The root names no record.
    #[error(
        "no node has the id {0:?}; export the whole graph, or give the id of an actor, location, event, source, statement or claim"
    )]
    UnknownRoot(String),
    /// The bundle could not be written.
    #[error("cannot write the bundle: {0}")]
    Write(std::io::Error),
}

/// Writes the bundle of `set` within `scope` to `out`, then `foreign` (objects imports kept
/// verbatim), and gives how many objects it wrote. Objects are made twice, once for the
/// bundle id (which hashes every object's version and comes first) and once to write, so
/// that memory holds the graph and one object, never the whole bundle. The text is what
/// `serde_json`'s pretty printer gives for the whole bundle, with a final newline.
pub fn write(
    set: &GraphSet,
    stamps: Stamps,
    namespace: Uuid,
    scope: &Scope,
    foreign: &[Value],
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let included = match &scope.root {
        Some(root) => Some(neighbourhood(set, root, scope.hops)?),
        None => None,
    };
    let ctx = Context::new(set, namespace, stamps);
    let mut versions = Vec::new();
    each_object(&ctx, included.as_ref(), foreign, &mut |o| {
        versions.push(format!("{}|{}", text(&o["id"]), text(&o["modified"])));
        Ok(())
    })
    .map_err(ExportError::Write)?;
    let id = bundle_id(&namespace, versions);
    let mut count = 0;
    let mut written = || -> std::io::Result<()> {
        write!(
            out,
            "{{\n  \"type\": \"bundle\",\n  \"id\": \"{id}\",\n  \"objects\": ["
        )?;
        each_object(&ctx, included.as_ref(), foreign, &mut |o| {
            out.write_all(if count == 0 { b"\n    " } else { b",\n    " })?;
            count += 1;
            // Each line of the object one level deeper: JSON strings hold no raw newline.
            let text = serde_json::to_string_pretty(&o).map_err(std::io::Error::other)?;
            out.write_all(text.replace('\n', "\n    ").as_bytes())
        })?;
        out.write_all(b"\n  ]\n}\n")?;
        out.flush()
    };
    written().map_err(ExportError::Write)?;
    Ok(count)
}

/// Calls `f` with every object of the bundle, in order.
fn each_object(
    ctx: &Context<'_>,
    included: Option<&HashSet<&str>>,
    foreign: &[Value],
    f: &mut dyn FnMut(Value) -> std::io::Result<()>,
) -> std::io::Result<()> {
    f(extension::producer(&ctx.namespace))?;
    f(extension::definition(&ctx.namespace))?;
    for (_, record) in ctx.set.records() {
        if included.is_none_or(|i| i.contains(record.id().as_str())) {
            for o in record_objects(ctx, record) {
                f(o)?;
            }
        }
    }
    for o in foreign {
        f(o.clone())?;
    }
    Ok(())
}

fn record_objects(ctx: &Context<'_>, record: Record<'_>) -> Vec<Value> {
    match record {
        Record::Actor(r) => actors::objects(ctx, r),
        Record::Location(r) => locations::objects(ctx, r),
        Record::Event(r) => events::objects(ctx, r),
        Record::Source(r) => sources::objects(ctx, r),
        Record::Statement(r) => statements::objects(ctx, r),
        Record::Claim(r) => claims::objects(ctx, r),
        Record::Stance(r) => stances::objects(ctx, r),
    }
}

/// The same content gets the same bundle id: a hash of every object's id and version.
fn bundle_id(namespace: &Uuid, mut versions: Vec<String>) -> String {
    versions.sort();
    let digest = Sha256::digest(versions.join("\n").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    super::ids::id(namespace, "bundle", &hex)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The records within `hops` claims of `root`, with the stances on those claims, and every
/// record they name (their places, sources, speakers, asserters…), so that the bundle
/// imports alone into an empty database.
fn neighbourhood<'a>(
    set: &'a GraphSet,
    root: &str,
    hops: usize,
) -> Result<HashSet<&'a str>, ExportError> {
    let named = names(set);
    let Some((root, _)) = named.get_key_value(root) else {
        return Err(ExportError::UnknownRoot(root.to_owned()));
    };
    let mut touching: HashMap<&str, Vec<(&str, Vec<&str>)>> = HashMap::new();
    for c in &set.claims {
        let ends: Vec<&str> = std::iter::once(c.subject.as_str())
            .chain(c.object.as_ref().map(|o| o.as_str()))
            .collect();
        for end in &ends {
            touching
                .entry(end)
                .or_default()
                .push((c.id.as_str(), ends.clone()));
        }
    }
    let mut included: HashSet<&str> = HashSet::from([*root]);
    let mut frontier = vec![*root];
    for _ in 0..hops {
        let mut next = Vec::new();
        for node in frontier {
            for (claim, ends) in touching.get(node).map_or(&[][..], Vec::as_slice) {
                included.insert(claim);
                next.extend(ends.iter().copied().filter(|e| included.insert(e)));
            }
        }
        frontier = next;
    }
    for s in &set.stances {
        if included.contains(s.claim.as_str()) {
            included.insert(s.id.as_str());
        }
    }
    Ok(closure(&named, included))
}

/// Adds every record named by a record already in, until nothing more is named.
fn closure<'a>(
    named: &HashMap<&'a str, Vec<&'a str>>,
    mut included: HashSet<&'a str>,
) -> HashSet<&'a str> {
    let mut work: Vec<&str> = included.iter().copied().collect();
    while let Some(id) = work.pop() {
        for r in named.get(id).map_or(&[][..], Vec::as_slice) {
            if included.insert(r) {
                work.push(r);
            }
        }
    }
    included
}

/// Each record's id with the ids it names in its fields.
fn names(set: &GraphSet) -> HashMap<&str, Vec<&str>> {
    fn ids<'a>(list: impl IntoIterator<Item = &'a crate::model::Id>) -> Vec<&'a str> {
        list.into_iter().map(|i| i.as_str()).collect()
    }
    let mut named = HashMap::new();
    for a in &set.actors {
        named.insert(a.id.as_str(), ids(&a.sources));
    }
    for l in &set.locations {
        named.insert(l.id.as_str(), ids(l.parent.iter().chain(&l.sources)));
    }
    for e in &set.events {
        let fields = e.location.iter().chain(&e.campaign).chain(&e.sources);
        named.insert(e.id.as_str(), ids(fields));
    }
    for s in &set.sources {
        named.insert(s.id.as_str(), ids(s.publisher.iter().chain(&s.via)));
    }
    for s in &set.statements {
        let fields = s.speaker.iter().chain(&s.location).chain(&s.event);
        let fields = fields.chain(std::iter::once(&s.source)).chain(&s.about);
        named.insert(s.id.as_str(), ids(fields));
    }
    for c in &set.claims {
        let fields = std::iter::once(&c.subject).chain(&c.object);
        let fields = fields
            .chain(c.asserted_by.actor())
            .chain(std::iter::once(&c.source));
        let fields = fields.chain(&c.evidence).chain(&c.qualifiers.within);
        named.insert(c.id.as_str(), ids(fields));
    }
    for s in &set.stances {
        let fields = [&s.claim, &s.actor, &s.source].into_iter();
        let fields = fields.chain(s.asserted_by.actor()).chain(&s.evidence);
        named.insert(s.id.as_str(), ids(fields));
    }
    named
}
