//! Puts a response's fields in the order the query asked for them.
//!
//! async-graphql resolves an object's fields concurrently and writes each when it finishes,
//! so `motives` could come back before `claimants`. The GraphQL spec orders a response by the
//! query (CollectFields), and people reading answers in GraphiQL expect it; this pass reorders
//! the finished answer by the operation's selection sets, fragments expanded in place.

use std::collections::HashSet;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Value};

/// Reorders `data`, the answer to the operation `operation_name` of `doc`, to the query's
/// order. Keys the query did not name (none, in a correct answer) keep their place after.
pub fn in_query_order(doc: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    if let Some(op) = operation {
        reorder(doc, data, &[&op.node.selection_set.node]);
    }
}

fn reorder(doc: &ExecutableDocument, value: &mut Value, sets: &[&SelectionSet]) {
    match value {
        Value::List(items) => {
            for item in items {
                reorder(doc, item, sets);
            }
        }
        Value::Object(map) => {
            let mut fields: IndexMap<Name, Vec<&SelectionSet>> = IndexMap::new();
            let mut seen = HashSet::new();
            for set in sets {
                collect(doc, set, &mut fields, &mut seen);
            }
            let mut ordered = IndexMap::with_capacity(map.len());
            for (key, subsets) in &fields {
                if let Some(mut v) = map.shift_remove(key) {
                    reorder(doc, &mut v, subsets);
                    ordered.insert(key.clone(), v);
                }
            }
            ordered.extend(std::mem::take(map));
            *map = ordered;
        }
        _ => {}
    }
}

/// The response keys of `set` in order, each with the selection sets asked under it;
/// `seen` keeps a fragment spread twice on one object from being walked twice.
fn collect<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    fields: &mut IndexMap<Name, Vec<&'d SelectionSet>>,
    seen: &mut HashSet<&'d Name>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                let subsets = fields.entry(key).or_default();
                if !field.node.selection_set.node.items.is_empty() {
                    subsets.push(&field.node.selection_set.node);
                }
            }
            Selection::InlineFragment(inline) => {
                collect(doc, &inline.node.selection_set.node, fields, seen);
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if seen.insert(name)
                    && let Some(def) = doc.fragments.get(name)
                {
                    collect(doc, &def.node.selection_set.node, fields, seen);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Value;
    use async_graphql::parser::parse_query;

    use super::in_query_order;

    fn keys(v: &Value) -> Vec<String> {
        match v {
            Value::Object(m) => m.keys().map(|k| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn fields_come_back_in_the_order_asked_through_fragments_and_lists() {
        let doc = parse_query(
            "query { b a ...F items { y x } } fragment F on Query { c: a2 ... on Query { d } }",
        )
        .map_err(|e| e.to_string());
        let Ok(doc) = doc else {
            panic!("the test document parses: {doc:?}");
        };
        let mut data = Value::from_json(serde_json::json!({
            "items": [{ "x": 1, "y": 2 }, { "x": 3, "y": 4 }],
            "d": 0, "c": 0, "a": 0, "b": 0
        }))
        .unwrap_or(Value::Null);
        in_query_order(&doc, None, &mut data);
        assert_eq!(keys(&data), ["b", "a", "c", "d", "items"]);
        let Value::Object(m) = &data else {
            panic!("an object");
        };
        let Some(Value::List(items)) = m.get("items") else {
            panic!("a list");
        };
        assert!(items.iter().all(|i| keys(i) == ["y", "x"]));
    }
}
