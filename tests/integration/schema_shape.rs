//! The schema as a frontend's tooling reads it: every part described, scalars that say where
//! they are specified, and a shape that normalised caches (Apollo Client, urql's Graphcache,
//! keyed by `__typename` and `id`) cannot confuse.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::support::graphql::Api;

/// What the description checks need of every type.
const INTROSPECTION: &str = r#"{ __schema {
  types {
    kind name description specifiedByURL
    interfaces { name }
    fields(includeDeprecated: true) {
      name description
      args { name description }
      type { kind name ofType { kind name ofType { kind name } } }
    }
    inputFields { name description }
    enumValues(includeDeprecated: true) { name description }
  }
} }"#;

/// The scalars the GraphQL specification defines; it describes them.
const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

async fn schema() -> Value {
    Api::seed().data(INTROSPECTION, json!({})).await["__schema"].clone()
}

fn described(item: &Value) -> bool {
    item["description"]
        .as_str()
        .is_some_and(|d| !d.trim().is_empty())
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map(Vec::as_slice).unwrap_or_default()
}

#[actix_web::test]
async fn every_type_field_argument_and_enum_value_is_described() {
    let schema = schema().await;
    let mut missing = Vec::new();
    for ty in items(&schema, "types") {
        let name = ty["name"].as_str().unwrap_or_default();
        if name.starts_with("__") {
            continue;
        }
        if !described(ty) && !BUILT_IN_SCALARS.contains(&name) {
            missing.push(format!("type {name}"));
        }
        for field in items(ty, "fields") {
            let field_name = field["name"].as_str().unwrap_or_default();
            if !described(field) {
                missing.push(format!("field {name}.{field_name}"));
            }
            for arg in items(field, "args").iter().filter(|a| !described(a)) {
                missing.push(format!("argument {name}.{field_name}({})", arg["name"]));
            }
        }
        for input in items(ty, "inputFields").iter().filter(|f| !described(f)) {
            missing.push(format!("input field {name}.{}", input["name"]));
        }
        for value in items(ty, "enumValues").iter().filter(|v| !described(v)) {
            missing.push(format!("enum value {name}.{}", value["name"]));
        }
    }
    assert!(
        missing.is_empty(),
        "{} parts of the schema have no description (a doc comment, or \
         #[graphql(desc = …)] where doc comments are not read):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[actix_web::test]
async fn custom_scalars_say_where_they_are_specified() {
    let schema = schema().await;
    let scalars: BTreeMap<&str, &Value> = items(&schema, "types")
        .iter()
        .filter(|t| t["kind"] == "SCALAR")
        .filter_map(|t| t["name"].as_str().map(|n| (n, &t["specifiedByURL"])))
        .filter(|(n, _)| !BUILT_IN_SCALARS.contains(n))
        .collect();
    assert!(scalars.contains_key("Date"), "{scalars:?}");
    for (name, url) in scalars {
        assert!(
            url.as_str().is_some_and(|u| u.starts_with("https://")),
            "scalar {name} has no @specifiedBy(url:): {url}"
        );
    }
}

/// The named type under any list and non-null wrappers.
fn named(ty: &Value) -> &str {
    let mut t = ty;
    while t["name"].is_null() && !t["ofType"].is_null() {
        t = &t["ofType"];
    }
    t["name"].as_str().unwrap_or_default()
}

#[actix_web::test]
async fn only_nodes_have_an_id_so_per_query_values_live_on_wrappers_without_one() {
    // A type with an `id` is cached as one entity per id, whatever query reached it; only
    // the `Node` types hold nothing but what is true of the entity itself.
    let schema = schema().await;
    let with_id: Vec<&str> = items(&schema, "types")
        .iter()
        .filter(|t| t["kind"] == "OBJECT")
        .filter(|t| {
            items(t, "fields")
                .iter()
                .any(|f| f["name"] == "id" && named(&f["type"]) == "ID")
        })
        .filter(|t| !items(t, "interfaces").iter().any(|i| i["name"] == "Node"))
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(
        with_id.is_empty(),
        "object types with an `id` that are not nodes: {with_id:?}; a normalised cache \
         would merge their per-query values across answers, so move them onto a wrapper \
         without an `id` that holds the node"
    );
}

/// `query` with `__typename` asked in every selection set, as Apollo Client and urql do
/// before they send a query. The queries here pass no object literals as arguments.
fn as_a_cache_sends(query: &str) -> String {
    query.replace('{', "{ __typename ")
}

/// Every object with a `__typename` and an `id` in `value`, by `Typename:id`, with the
/// path it was found at.
fn entities<'a>(value: &'a Value, path: String, out: &mut Vec<(String, String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            let typename = map.get("__typename").and_then(Value::as_str);
            if let (Some(t), Some(id)) = (typename, map.get("id").and_then(Value::as_str)) {
                out.push((format!("{t}:{id}"), path.clone(), value));
            }
            for (k, v) in map {
                entities(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                entities(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Where two answers for the same entity disagree, as a normalised cache would see it:
/// nested entities are references (compared by key; their own fields are checked as
/// entities), other objects are compared by the fields both selected.
fn disagreement(a: &Value, b: &Value, at: &str) -> Option<String> {
    let key = |v: &Value| {
        v["__typename"]
            .as_str()
            .zip(v.get("id").and_then(Value::as_str))
            .map(|(t, id)| format!("{t}:{id}"))
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => match (key(a), key(b)) {
            (Some(ka), Some(kb)) => (ka != kb).then(|| format!("{at}: {ka} vs {kb}")),
            _ => fields_disagree(x, y, at),
        },
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| disagreement(va, vb, &format!("{at}[{i}]"))),
        _ => (a != b).then(|| format!("{at}: {a} vs {b}")),
    }
}

/// Where two objects disagree in a field both have.
fn fields_disagree(
    x: &serde_json::Map<String, Value>,
    y: &serde_json::Map<String, Value>,
    at: &str,
) -> Option<String> {
    x.iter().find_map(|(k, va)| {
        y.get(k)
            .and_then(|vb| disagreement(va, vb, &format!("{at}.{k}")))
    })
}

/// Every disagreement between objects sharing `__typename` and `id` anywhere in `answers`.
fn cache_conflicts(answers: &[Value]) -> (Vec<String>, usize) {
    let mut found = Vec::new();
    for (i, data) in answers.iter().enumerate() {
        entities(data, format!("answer {i}"), &mut found);
    }
    let mut seen: BTreeMap<String, (String, &Value)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, path, object) in found {
        match seen.get(&key) {
            Some((first, earlier)) => {
                let (Some(x), Some(y)) = (earlier.as_object(), object.as_object()) else {
                    continue;
                };
                if let Some(d) = fields_disagree(x, y, &key) {
                    problems.push(format!("{d}\n  (at {first} and at {path})"));
                }
            }
            None => {
                seen.insert(key, (path, object));
            }
        }
    }
    (problems, seen.len())
}

/// Asks every query of `queries` as a cache sends it and fails if two objects with the same
/// `__typename` and `id`, anywhere in the answers, give different values for a field (asked
/// with the same arguments: the queries must not ask one field with different arguments).
async fn assert_cache_consistent(api: &Api, queries: &[&str]) {
    let mut answers = Vec::new();
    for q in queries {
        answers.push(api.data(&as_a_cache_sends(q), json!({})).await);
    }
    let (problems, entities) = cache_conflicts(&answers);
    assert!(
        problems.is_empty(),
        "objects sharing `__typename` and `id` disagree, so a normalised cache would show \
         one answer's values in another:\n{}",
        problems.join("\n")
    );
    assert!(
        entities > 10,
        "the answers hold too few entities to compare"
    );
}

#[test]
fn the_cache_check_catches_a_distance_kept_on_an_object_with_an_id() {
    // The shape `neighborhood` had before its nodes lost their `id`: Jabarin's node at
    // distance 0 around Jabarin and at distance 2 around Iran.
    let node = |distance: u32| {
        json!({ "__typename": "NeighborhoodNode", "id": "saraya-qasem-al-jabarin",
                "distance": distance,
                "node": { "__typename": "Actor", "id": "saraya-qasem-al-jabarin" } })
    };
    let around =
        |d: u32| json!({ "neighborhood": { "__typename": "Neighborhood", "nodes": [node(d)] } });
    let (problems, _) = cache_conflicts(&[around(0), around(2)]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("distance: 0 vs 2"), "{problems:?}");
    let (problems, _) = cache_conflicts(&[around(1), around(1)]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[actix_web::test]
async fn objects_with_the_same_id_agree_in_every_answer() {
    let api = Api::seed();
    assert_cache_consistent(
        &api,
        &[
            // Two neighbourhoods that share nodes and claims at different distances.
            r#"{ neighborhood(id: "saraya-qasem-al-jabarin", hops: 2) {
                center { id }
                nodes { nodeId type kind label distance node { id } }
                edges { claimId relation source target direction confidence claim { id confidence } }
            } }"#,
            r#"{ neighborhood(id: "iran", hops: 2) {
                center { id }
                nodes { nodeId type kind label distance node { id } }
                edges { claimId relation source target direction confidence claim { id confidence } }
            } }"#,
            // Paths read from either end.
            r#"{ paths(from: "saraya-qasem-al-jabarin", to: "iran") { hops paths {
                confidence steps { direction confidence from { id } to { id } claim { id } }
                nodes { id }
            } } }"#,
            r#"{ paths(from: "iran", to: "saraya-qasem-al-jabarin") { hops paths {
                confidence steps { direction confidence from { id } to { id } claim { id } }
                nodes { id }
            } } }"#,
            // Patron chains from two actors on one chain.
            r#"{ a: actor(id: "saraya-qasem-al-jabarin") { id patronChain {
                steps { depth client { id } patron { id } claim { id } } top { id } }
            } }"#,
            r#"{ actor(id: "iran-backed-militias") { id patronChain {
                steps { depth client { id } patron { id } claim { id } } top { id } }
            } }"#,
            // Anniversaries, motives and corroboration seen from events and claims.
            r#"{ events(first: 100) { edges { cursor node { id title
                anniversaries { years dayGap anniversaryOn event { id title } assertedBy { id } }
                motives { edges { kind years via claim { id } node { id } } }
            } } } }"#,
            r#"{ claims(first: 100) { edges { cursor node { id confidence status
                corroboration { sourceCount independentSourceCount corroborated selfAsserted
                    claims { id } sources { id } asserters { id } }
            } } } }"#,
            // Search hits, history and links in both directions.
            r#"{ search(query: "rocket") { score snippet node { id } } }"#,
            r#"{ search(query: "iran") { score snippet node { id } } }"#,
            r#"{ actors(first: 100) { edges { node { id name version
                history { version editor action reason }
                suspectedPatrons { edges { cursor claim { id } node { id name } } }
                clients { edges { cursor claim { id } node { id name } } }
            } } } }"#,
            r#"{ eventsNear(lat: 33.3, lon: 44.2, radiusKm: 400) { distanceKm event { id } location { id } } }"#,
        ],
    )
    .await;
}
