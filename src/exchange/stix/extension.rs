//! The objects every claimgraph bundle carries (`docs/stix-design.md` §2.8): the producer
//! identity (the graph itself, which creates the records' structure) and the extension
//! definition under which each object carries its claimgraph record, verbatim, in the
//! fixture format. Importing a claimgraph bundle reads those records back through the fixture
//! validation path, so the round trip is exact.

use serde_json::{Value, json};

use super::ids;

/// The key of the producer identity.
const PRODUCER: &str = "#producer";
/// The key of the extension definition.
const DEFINITION: &str = "#claimgraph-record";
/// When the definition was written; it changes only with its `version`.
const DEFINED: &str = "2026-12-01T00:00:00.000Z";

/// The id of the producer identity.
pub fn producer_id(namespace: &uuid::Uuid) -> String {
    ids::id(namespace, "identity", PRODUCER)
}

/// The id of the extension definition, the key of every object's record extension.
pub fn definition_id(namespace: &uuid::Uuid) -> String {
    ids::id(namespace, "extension-definition", DEFINITION)
}

/// The producer identity: claimgraph as a system.
pub fn producer(namespace: &uuid::Uuid) -> Value {
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": producer_id(namespace),
        "created": DEFINED,
        "modified": DEFINED,
        "name": "claimgraph",
        "description": "The knowledge graph that exported this bundle: it records who asserts each link, in which source and how sure.",
        "identity_class": "system",
    })
}

/// The extension definition of the record extension.
pub fn definition(namespace: &uuid::Uuid) -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": definition_id(namespace),
        "created_by_ref": producer_id(namespace),
        "created": DEFINED,
        "modified": DEFINED,
        "name": "claimgraph record",
        "description": "The claimgraph record this object was exported from, in claimgraph's fixture format (record_type, record), or what a derived object stands for (record_type status, field or twin, with id and field).",
        "schema": "The JSON Schema of claimgraph fixture records: schema/fixture.schema.json in the claimgraph repository.",
        "version": "1.0.0",
        "extension_types": ["property-extension"],
    })
}

/// Adds the record extension to `object`: the record, verbatim, under its type.
pub fn with_record(
    namespace: &uuid::Uuid,
    mut object: Value,
    record_type: &str,
    record: Value,
) -> Value {
    object["extensions"] = json!({
        definition_id(namespace): {
            "extension_type": "property-extension",
            "record_type": record_type,
            "record": record,
        }
    });
    object
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{definition, definition_id, producer, with_record};
    use crate::exchange::stix::ids::NAMESPACE;

    #[test]
    fn the_definition_is_created_by_the_producer_and_is_a_property_extension() {
        let d = definition(&NAMESPACE);
        assert_eq!(d["created_by_ref"], producer(&NAMESPACE)["id"]);
        assert_eq!(d["extension_types"], json!(["property-extension"]));
        assert_eq!(d["id"], definition_id(&NAMESPACE));
        // The ids of the design note's golden bundle (Python's uuid5 over the same keys).
        assert_eq!(
            d["id"],
            "extension-definition--c84fc9d1-1b20-55fa-8f2c-52d40b0dba1d"
        );
        assert_eq!(
            producer(&NAMESPACE)["id"],
            "identity--c3b99067-e3da-5f3c-a8e1-ee218d34bfa6"
        );
    }

    #[test]
    fn an_object_carries_its_record_under_the_definitions_id() {
        let object = with_record(
            &NAMESPACE,
            json!({ "type": "identity" }),
            "actor",
            json!({ "id": "iran", "kind": "state", "name": "Iran" }),
        );
        let extension = &object["extensions"][definition_id(&NAMESPACE)];
        assert_eq!(extension["extension_type"], "property-extension");
        assert_eq!(extension["record"]["id"], "iran");
    }
}
