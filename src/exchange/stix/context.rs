//! What every object of an export needs to know about the whole graph: each record's STIX id,
//! which threat-actors need an identity twin, what cites each source, which claims each
//! statement is evidence for. Computed over the whole graph, never the export's scope, so
//! that a neighbourhood's copy of an object is the whole graph's copy (design §1, principle 3).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::stamps::Stamps;
use super::{actors, claims, extension, ids};
use crate::model::{Claim, EventKind, GraphSet, Location, Source};

/// The graph being exported, indexed.
pub struct Context<'a> {
    /// Every record.
    pub set: &'a GraphSet,
    /// The namespace of the UUIDv5 ids.
    pub namespace: Uuid,
    /// When records were created and changed.
    pub stamps: Stamps,
    /// The STIX id of each record's main object.
    refs: HashMap<&'a str, String>,
    /// Actors by id, for names.
    actor_names: HashMap<&'a str, &'a str>,
    /// Threat-actors that speak, assert, publish or take stances, and so need an identity.
    pub twins: HashSet<&'a str>,
    /// The records citing each source (as record ids), in section and id order.
    pub cited_by: HashMap<&'a str, Vec<&'a str>>,
    /// The claims each statement is evidence for.
    pub evidence_for: HashMap<&'a str, Vec<&'a str>>,
    /// Sources by id.
    pub sources: HashMap<&'a str, &'a Source>,
    /// Locations by id, for ancestors' coordinates.
    pub locations: HashMap<&'a str, &'a Location>,
}

impl<'a> Context<'a> {
    /// Indexes the graph.
    pub fn new(set: &'a GraphSet, namespace: Uuid, stamps: Stamps) -> Context<'a> {
        let mut context = Context {
            set,
            namespace,
            stamps,
            refs: HashMap::new(),
            actor_names: HashMap::new(),
            twins: HashSet::new(),
            cited_by: HashMap::new(),
            evidence_for: HashMap::new(),
            sources: set.sources.iter().map(|s| (s.id.as_str(), s)).collect(),
            locations: set.locations.iter().map(|l| (l.id.as_str(), l)).collect(),
        };
        context.index_refs();
        context.index_twins();
        context.index_citations();
        context
    }

    fn index_refs(&mut self) {
        let set = self.set;
        for a in &set.actors {
            self.refs.insert(
                a.id.as_str(),
                self.id(actors::stix_type(a.kind), a.id.as_str()),
            );
            self.actor_names.insert(a.id.as_str(), a.name.as_str());
        }
        for l in &set.locations {
            self.refs
                .insert(l.id.as_str(), self.id("location", l.id.as_str()));
        }
        for e in &set.events {
            let t = if e.kind == EventKind::Campaign {
                "campaign"
            } else {
                "event"
            };
            self.refs.insert(e.id.as_str(), self.id(t, e.id.as_str()));
        }
        for s in &set.sources {
            self.refs
                .insert(s.id.as_str(), self.id("report", s.id.as_str()));
        }
        for s in &set.statements {
            self.refs
                .insert(s.id.as_str(), self.id("note", s.id.as_str()));
        }
        let claim_ids: HashSet<&str> = set.claims.iter().map(|c| c.id.as_str()).collect();
        for c in &set.claims {
            let t = if is_relationship(c, &claim_ids) {
                "relationship"
            } else {
                "note"
            };
            self.refs.insert(c.id.as_str(), self.id(t, c.id.as_str()));
        }
        for s in &set.stances {
            self.refs
                .insert(s.id.as_str(), self.id("opinion", s.id.as_str()));
        }
    }

    fn index_twins(&mut self) {
        let set = self.set;
        let speaking = set
            .claims
            .iter()
            .filter_map(|c| c.asserted_by.actor())
            .chain(set.stances.iter().map(|s| &s.actor))
            .chain(set.statements.iter().filter_map(|s| s.speaker.as_ref()))
            .chain(set.sources.iter().filter_map(|s| s.publisher.as_ref()));
        let threat_actors: HashSet<&str> = set
            .actors
            .iter()
            .filter(|a| actors::stix_type(a.kind) == "threat-actor")
            .map(|a| a.id.as_str())
            .collect();
        for id in speaking {
            if let Some(id) = threat_actors.get(id.as_str()) {
                self.twins.insert(id);
            }
        }
    }

    fn index_citations(&mut self) {
        let set = self.set;
        let mut cite = |source: &'a str, by: &'a str| {
            self.cited_by.entry(source).or_default().push(by);
        };
        for a in &set.actors {
            a.sources
                .iter()
                .for_each(|s| cite(s.as_str(), a.id.as_str()));
        }
        for l in &set.locations {
            l.sources
                .iter()
                .for_each(|s| cite(s.as_str(), l.id.as_str()));
        }
        for e in &set.events {
            e.sources
                .iter()
                .for_each(|s| cite(s.as_str(), e.id.as_str()));
        }
        for s in &set.statements {
            cite(s.source.as_str(), s.id.as_str());
        }
        for c in &set.claims {
            cite(c.source.as_str(), c.id.as_str());
            for e in &c.evidence {
                self.evidence_for
                    .entry(e.as_str())
                    .or_default()
                    .push(c.id.as_str());
            }
        }
        for s in &set.stances {
            self.cited_by
                .entry(s.source.as_str())
                .or_default()
                .push(s.id.as_str());
        }
    }

    /// The id of the object of this STIX type for this key.
    pub fn id(&self, stix_type: &str, key: &str) -> String {
        ids::id(&self.namespace, stix_type, key)
    }

    /// The STIX id of a record's main object (a dangling id for an unknown record, which a
    /// validated graph does not have).
    pub fn stix_ref(&self, record: &str) -> String {
        self.refs
            .get(record)
            .cloned()
            .unwrap_or_else(|| self.id("identity", record))
    }

    /// The identity standing for an actor in `created_by_ref`: the actor itself or its twin.
    pub fn identity(&self, actor: &str) -> String {
        self.id("identity", actor)
    }

    /// An actor's name, for notes' `authors` and abstracts.
    pub fn actor_name(&self, actor: &str) -> Option<&'a str> {
        self.actor_names.get(actor).copied()
    }

    /// The producer identity's id.
    pub fn producer(&self) -> String {
        extension::producer_id(&self.namespace)
    }

    /// The start of an object: type, spec version, id, creator and timestamps, in the order
    /// STIX documents show them.
    pub fn head(
        &self,
        stix_type: &str,
        id: String,
        created_by: Option<String>,
        created_from: &str,
        modified_from: &[&str],
    ) -> Map<String, Value> {
        let mut head = Map::new();
        head.insert("type".into(), json!(stix_type));
        head.insert("spec_version".into(), json!("2.1"));
        head.insert("id".into(), json!(id));
        if let Some(by) = created_by {
            head.insert("created_by_ref".into(), json!(by));
        }
        head.insert("created".into(), json!(self.stamps.created(created_from)));
        let mut from = vec![created_from];
        from.extend_from_slice(modified_from);
        head.insert(
            "modified".into(),
            json!(self.stamps.modified(from.iter().copied())),
        );
        head
    }

    /// The reference to a source that a claim, statement or stance carries.
    pub fn source_reference(&self, source: &str) -> Value {
        let mut reference = json!({ "source_name": "claimgraph", "external_id": source });
        if let Some(s) = self.sources.get(source) {
            reference["description"] = json!(s.title.as_str());
            if let Some(url) = &s.url {
                reference["url"] = json!(url);
            }
        }
        reference
    }

    /// Adds the record extension to an object.
    pub fn with_record(&self, object: Map<String, Value>, kind: &str, record: Value) -> Value {
        extension::with_record(&self.namespace, Value::Object(object), kind, record)
    }

    /// Adds the extension that says what a derived object stands for.
    pub fn derived(
        &self,
        mut object: Map<String, Value>,
        kind: &str,
        id: &str,
        field: Option<&str>,
    ) -> Value {
        let mut content = json!({
            "extension_type": "property-extension",
            "record_type": kind,
            "id": id,
        });
        if let Some(field) = field {
            content["field"] = json!(field);
        }
        let mut extensions = Map::new();
        extensions.insert(extension::definition_id(&self.namespace), content);
        object.insert("extensions".into(), Value::Object(extensions));
        Value::Object(object)
    }
}

/// Whether a claim goes out as a `relationship`: it has a STIX relationship type and an
/// object that is not itself a relationship (SROs cannot link SROs). Otherwise a `note`.
fn is_relationship(claim: &Claim, claim_ids: &HashSet<&str>) -> bool {
    claims::relationship_type(claim.relation).is_some()
        && claim
            .object
            .as_ref()
            .is_some_and(|o| !claim_ids.contains(o.as_str()))
}

/// Appends `fields` to `object`, skipping those the head already has.
pub fn extend(object: &mut Map<String, Value>, fields: Value) {
    if let Value::Object(fields) = fields {
        for (k, v) in fields {
            if !object.contains_key(&k) {
                object.insert(k, v);
            }
        }
    }
}

/// A record in the fixture format. Records are structs with string keys, which
/// serde_json always serialises; `null` would only mark a bug.
pub fn record(r: &impl serde::Serialize) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}

/// A structural link (a record field such as an event's location) as a relationship
/// created by the producer, stamped like its owner.
pub fn field_link(
    ctx: &Context<'_>,
    owner: &str,
    field: &str,
    relationship_type: &str,
    target: &str,
) -> Value {
    let link = producer_link(
        ctx,
        &format!("{owner}/{field}"),
        owner,
        relationship_type,
        ctx.stix_ref(target),
        &[target],
    );
    ctx.derived(link, "field", owner, Some(field))
}

/// A relationship the producer makes from `owner`'s object to `target_ref` (a record field,
/// or a threat-actor's identity twin), stamped like `owner` and the records in `also`.
pub fn producer_link(
    ctx: &Context<'_>,
    key: &str,
    owner: &str,
    relationship_type: &str,
    target_ref: String,
    also: &[&str],
) -> Map<String, Value> {
    let mut link = ctx.head(
        "relationship",
        ctx.id("relationship", key),
        Some(ctx.producer()),
        owner,
        also,
    );
    link.insert("relationship_type".into(), json!(relationship_type));
    link.insert("source_ref".into(), json!(ctx.stix_ref(owner)));
    link.insert("target_ref".into(), json!(target_ref));
    link
}
