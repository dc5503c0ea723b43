//! Property tests: generated GraphQL documents, variables and fixture files thrown at the
//! server and the decoder. Whatever comes in, the answer is GraphQL JSON with a code for every
//! error, never a panic and never `INTERNAL` (which would mean the server failed, not the
//! input).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::support::graphql::{Api, Reply};

/// Fields and arguments of the schema, with a few that do not exist, for documents that are
/// sometimes valid and often nearly so.
const FIELDS: &[&str] = &[
    "actor",
    "actors",
    "event",
    "events",
    "claims",
    "search",
    "neighborhood",
    "paths",
    "relations",
    "node",
    "location",
    "locations",
    "name",
    "id",
    "title",
    "edges",
    "node",
    "totalCount",
    "pageInfo",
    "claimants",
    "motives",
    "suspectedPatrons",
    "patronChain",
    "aliases",
    "meaning",
    "score",
    "nodes",
    "nope",
    "__typename",
    "__schema",
    "types",
];
const ARGS: &[&str] = &[
    "id",
    "first",
    "last",
    "after",
    "before",
    "query",
    "hops",
    "limit",
    "from",
    "to",
    "maxHops",
    "kind",
    "within",
    "involving",
    "bogus",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5i64..3000).prop_map(|n| n.to_string()),
        "[a-z-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"iran\"".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("ATTACK".to_owned()),
        Just("$v".to_owned()),
        Just("[1, \"x\"]".to_owned()),
        Just("{a: 1}".to_owned()),
        Just("1e999".to_owned()),
    ]
}

fn field(depth: u32) -> BoxedStrategy<String> {
    let name = prop::sample::select(FIELDS).prop_map(str::to_owned);
    let alias = prop::option::weighted(0.2, "[a-z]{1,3}");
    let args =
        prop::collection::vec((prop::sample::select(ARGS), value()), 0..3).prop_map(|args| {
            if args.is_empty() {
                String::new()
            } else {
                let inner: Vec<String> = args.iter().map(|(n, v)| format!("{n}: {v}")).collect();
                format!("({})", inner.join(", "))
            }
        });
    let leaf = (alias, name, args).prop_map(|(alias, name, args)| match alias {
        Some(a) => format!("{a}: {name}{args}"),
        None => format!("{name}{args}"),
    });
    if depth == 0 {
        return leaf.boxed();
    }
    (
        leaf,
        prop::option::weighted(0.6, prop::collection::vec(field(depth - 1), 1..4)),
    )
        .prop_map(|(head, sub)| match sub {
            Some(sub) => format!("{head} {{ {} }}", sub.join(" ")),
            None => head,
        })
        .boxed()
}

fn document() -> impl Strategy<Value = String> {
    let op = prop::sample::select(
        &[
            "",
            "query",
            "query Q($v: Int)",
            "mutation",
            "subscription",
            "query($v: ID!)",
        ][..],
    );
    let fragment = prop::option::weighted(0.3, field(2));
    (
        op,
        prop::collection::vec(field(3), 1..4),
        fragment,
        any::<u8>(),
    )
        .prop_map(|(op, fields, fragment, cut)| {
            let mut doc = format!("{op} {{ {} }}", fields.join(" "));
            if let Some(f) = fragment {
                doc = format!(
                    "{op} {{ ...F {} }} fragment F on Query {{ {f} }}",
                    fields.join(" ")
                );
            }
            // Now and then a document cut short, as a careless client sends.
            if cut < 20 && !doc.is_empty() {
                let at = usize::from(cut) * doc.len() / 20;
                doc.truncate(doc.floor_char_boundary(at));
            }
            doc
        })
}

fn variables() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(
        prop::sample::select(&["v", "id", "input", "n", "x"][..]),
        value,
        0..3,
    )
    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

/// Every error of an answer has a code, and none is INTERNAL; the answer is JSON.
fn check_answer(reply: &Reply, what: &str) {
    assert!(
        reply.status < 500,
        "{what}: status {} {}",
        reply.status,
        reply.text()
    );
    let body: Value = serde_json::from_slice(&reply.bytes)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", reply.text()));
    for error in body["errors"].as_array().into_iter().flatten() {
        let code = error["extensions"]["code"].as_str();
        assert!(code.is_some(), "{what}: an error without a code: {error}");
        assert_ne!(code, Some("INTERNAL"), "{what}: {error}");
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn generated_documents_get_graphql_answers_with_codes_and_never_internal() {
    let api = Api::seed_for_editors();
    let system = actix_web::rt::System::new();
    let mut runner = runner(200);
    let outcome = runner.run(&(document(), variables()), |(doc, vars)| {
        let body = json!({ "query": doc, "variables": vars }).to_string();
        let reply = system.block_on(api.call_raw_post(&body));
        check_answer(&reply, &doc);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn generated_variables_for_real_operations_never_fail_the_server() {
    let api = Api::seed_for_editors();
    let system = actix_web::rt::System::new();
    let queries: &'static [&'static str] = &[
        "query($v: ID!) { actor(id: $v) { name } }",
        "query($n: Int, $v: String) { actors(first: $n, after: $v) { totalCount } }",
        "query($v: String!) { search(query: $v) { score } }",
        "query($id: ID!, $n: Int!) { neighborhood(id: $id, hops: $n) { truncated } }",
        "mutation($input: ClaimInput!) { assertClaim(input: $input) { id } }",
        "mutation($id: ID!, $input: ActorPatch!) { updateActor(id: $id, version: 1, set: $input) { id } }",
    ];
    let mut runner = runner(200);
    let outcome = runner.run(
        &(prop::sample::select(queries), variables()),
        |(query, vars)| {
            let body = json!({ "query": query, "variables": vars }).to_string();
            let reply = system.block_on(api.call_raw_post(&body));
            check_answer(&reply, query);
            Ok(())
        },
    );
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn generated_request_bodies_are_answered_as_graphql_json() {
    let api = Api::seed();
    let system = actix_web::rt::System::new();
    let body = prop_oneof![
        ".{0,200}",
        "\\{\"query\": .{0,60}\\}",
        "\\[.{0,40}\\]",
        "\\{\"query\": \"\\{ relations \\{ meaning \\} \\}\", \"(variables|extensions|operationName)\": .{0,30}\\}",
    ];
    let mut runner = runner(200);
    let outcome = runner.run(&body, |body| {
        let reply = system.block_on(api.call_raw_post(&body));
        check_answer(&reply, &body);
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn generated_fixture_files_are_diagnosed_never_a_panic() {
    let record = prop_oneof![
        Just("actors:\n  - id: a\n    kind: STATE\n    name: A\n".to_owned()),
        "(actors|events|claims|locations|sources|statements):\n  - id: [a-z-]{0,8}\n    [a-z_]{1,10}: .{0,20}\n",
        ".{0,120}",
        "\\{\"(actors|claims)\": \\[\\{\"id\": .{0,10}\\}\\]\\}",
    ];
    let mut runner = runner(300);
    let outcome = runner.run(&(record, prop::bool::ANY), |(text, json_name)| {
        let name = if json_name {
            "generated.json"
        } else {
            "generated.yaml"
        };
        let loaded = claimgraph::fixture::load_texts(&[(name, &text)]);
        // Whatever was read, every problem names its file.
        for d in &loaded.diagnostics {
            assert!(d.to_string().contains("generated"), "{d}");
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
