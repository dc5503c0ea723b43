//! claimgraph's own objects: those carrying a record under the claimgraph extension. The
//! record is the data; the STIX properties around it are a view for other tools, and the
//! derived objects (twins, structural links, status opinions) are views of records too.

use std::collections::HashSet;

use super::Object;
use crate::diagnostic::Path;
use crate::exchange::stix::extension;
use crate::exchange::stix::ids::NAMESPACE;
use crate::model::EntityType;

/// How claimgraph's objects are recognised in a set of bundles.
pub struct Ours {
    /// Ids of claimgraph's extension definitions (the default namespace's, the one given,
    /// and any definition named "claimgraph record" in the bundles).
    definitions: HashSet<String>,
    /// Ids of the producer identities that created them.
    producers: HashSet<String>,
}

/// What an object is to claimgraph.
pub enum Class {
    /// It carries a record of this section, at this path in its file.
    Record {
        /// The record's type.
        section: EntityType,
        /// The record, decoded, or what is wrong with it.
        decoded: Result<crate::model::GraphSet, (Path, String)>,
        /// Where the record is in the file.
        path: Path,
    },
    /// The identity standing for this threat-actor (by claimgraph id).
    Twin(String),
    /// A view of records carried elsewhere, or the producer or the definition itself.
    Derived,
    /// Another producer's object.
    Foreign,
    /// It names claimgraph's extension but is not one of its objects.
    Bad(String),
}

impl Ours {
    /// Finds claimgraph's definitions and producers among the objects.
    pub fn find(objects: &[Object], namespace: &uuid::Uuid) -> Ours {
        let mut definitions: HashSet<String> = [namespace, &NAMESPACE]
            .iter()
            .map(|ns| extension::definition_id(ns))
            .collect();
        let mut producers: HashSet<String> = [namespace, &NAMESPACE]
            .iter()
            .map(|ns| extension::producer_id(ns))
            .collect();
        for o in objects {
            if o.stix_type() == "extension-definition" && o.str("name") == Some("claimgraph record")
            {
                definitions.insert(o.id().to_owned());
                if let Some(by) = o.str("created_by_ref") {
                    producers.insert(by.to_owned());
                }
            }
        }
        Ours {
            definitions,
            producers,
        }
    }

    /// What the object is.
    pub fn classify(&self, object: &Object) -> Class {
        if self.definitions.contains(object.id()) || self.producers.contains(object.id()) {
            return Class::Derived;
        }
        let Some(extensions) = object.value["extensions"].as_object() else {
            return Class::Foreign;
        };
        let Some((key, content)) = extensions
            .iter()
            .find(|(k, _)| self.definitions.contains(*k))
        else {
            return Class::Foreign;
        };
        let kind = content["record_type"].as_str().unwrap_or("");
        match kind {
            "twin" if object.stix_type() == "identity" => match content["id"].as_str() {
                Some(actor) => Class::Twin(actor.to_owned()),
                None => Class::Bad("a twin identity must name its actor in \"id\"".to_owned()),
            },
            "twin" | "field" | "status" => Class::Derived,
            _ => match EntityType::parse(kind) {
                Some(section) if content.get("record").is_some() || object.record.is_some() => {
                    let decoded = match &object.record {
                        Some(carried) => carried.decoded.clone(),
                        None => crate::fixture::decode_record(section, content["record"].clone()),
                    };
                    Class::Record {
                        section,
                        decoded,
                        path: object.path().key("extensions").key(key).key("record"),
                    }
                }
                Some(_) => Class::Bad(format!(
                    "a claimgraph {kind} object must carry its \"record\""
                )),
                None => Class::Bad(format!(
                    "unknown claimgraph record_type {kind:?}: use actor, location, event, source, statement, claim or stance (or twin, field, status for derived objects)"
                )),
            },
        }
    }
}
