//! The explorer (issue 13) is served by the binary: its page at `/explore` and at every
//! `/explore/node/{id}`, and each of its assets under `/explore/assets/` with the right
//! content type, so that the page needs no other host. What the page does in a browser is
//! checked by `tests/e2e/explore.mjs` (headless Chromium).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::graphql::{Api, local_assets};
use crate::support::root;

/// The files in `assets/explore/` that are not served as assets.
const NOT_SERVED: &[&str] = &["index.html", "update.sh", "LICENSES.md"];

fn expected_content_type(file: &str) -> &'static str {
    if file.ends_with(".css") {
        "text/css"
    } else if file.ends_with(".js") || file.ends_with(".mjs") {
        "text/javascript"
    } else if file.ends_with(".json") {
        "application/json"
    } else {
        panic!(
            "assets/explore/{file}: no content type expected for this file; add one here and in src/http/explore.rs"
        )
    }
}

/// Every file of `assets/explore/` the page may load, by name.
fn asset_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("assets/explore"))
        .expect("assets/explore")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| !NOT_SERVED.contains(&name.as_str()))
        .collect();
    files.sort();
    files
}

/// The import map of the page: bare module names to asset URLs.
fn import_map(html: &str) -> serde_json::Map<String, Value> {
    let start = html
        .find("<script type=\"importmap\">")
        .expect("the page has an import map")
        + "<script type=\"importmap\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let map: Value = serde_json::from_str(&html[start..end]).expect("the import map is JSON");
    map["imports"].as_object().expect("imports").clone()
}

/// The module specifiers a script imports (`from "x"`, `import "x"`), quoted either way.
fn imports(script: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for keyword in ["from ", "import "] {
        for part in script.split(keyword).skip(1) {
            let part = part.trim_start();
            let Some(quote) = part.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = part[1..].find(quote) {
                found.insert(part[1..1 + end].to_owned());
            }
        }
    }
    found
}

#[actix_web::test]
async fn the_explorer_page_answers_at_explore_and_at_every_node_address() {
    let api = Api::seed();
    let mut bodies = Vec::new();
    for path in [
        "/explore",
        "/explore/",
        "/explore/node/x",
        "/explore/node/ayn-al-assad-rocket-attack-2022-01-05",
        "/explore/node/an%20id%2Fwith%20slashes",
        "/explore/map",
        "/explore/timeline",
        "/explore/paths",
    ] {
        let reply = api.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.content_type.starts_with("text/html"),
            "{path}: {}",
            reply.content_type
        );
        assert_eq!(
            reply.headers.get("cache-control").unwrap(),
            "no-cache",
            "{path}"
        );
        bodies.push(reply.text());
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "one page for every route"
    );
    let html = &bodies[0];
    assert!(html.contains("<title>claimgraph — Explorer</title>"));
    // Every script, stylesheet and module the page names is served here.
    let mut urls = local_assets(html, "/explore/assets/");
    urls.extend(
        import_map(html)
            .values()
            .map(|v| v.as_str().unwrap().to_owned()),
    );
    assert!(urls.len() >= 7, "{urls:?}");
    for url in urls {
        let reply = api.get(&url).await;
        assert_eq!(reply.status, 200, "{url}");
        assert!(!reply.bytes.is_empty(), "{url}");
    }
}

#[actix_web::test]
async fn every_explorer_asset_is_served_with_its_content_type() {
    let api = Api::seed();
    let files = asset_files();
    assert!(files.len() >= 10, "{files:?}");
    for file in &files {
        let reply = api.get(&format!("/explore/assets/{file}")).await;
        assert_eq!(
            reply.status, 200,
            "{file} is in assets/explore but not served"
        );
        let want = expected_content_type(file);
        assert!(
            reply.content_type.starts_with(want),
            "{file}: {} (want {want})",
            reply.content_type
        );
        if want.starts_with("text/") {
            assert!(reply.content_type.contains("charset=utf-8"), "{file}");
        }
        assert_eq!(
            reply.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert!(
            reply.headers.contains_key("cache-control"),
            "{file} has no Cache-Control"
        );
        let on_disk = std::fs::read(root().join("assets/explore").join(file)).unwrap();
        assert_eq!(
            reply.bytes, on_disk,
            "{file}: served bytes differ from the file"
        );
    }
}

#[actix_web::test]
async fn every_module_import_resolves_to_a_served_asset() {
    let api = Api::seed();
    let html = api.get("/explore").await.text();
    let map = import_map(&html);
    let scripts = asset_files()
        .into_iter()
        .filter(|f| f.ends_with(".js") || f.ends_with(".mjs"));
    for file in &scripts.collect::<Vec<_>>() {
        let script = String::from_utf8(api.get(&format!("/explore/assets/{file}")).await.bytes)
            .expect("scripts are UTF-8");
        for spec in imports(&script) {
            if let Some(relative) = spec.strip_prefix("./") {
                let reply = api.get(&format!("/explore/assets/{relative}")).await;
                assert_eq!(
                    reply.status, 200,
                    "{file} imports {spec}, which is not served"
                );
            } else if spec == "ws" && file == "graphql-ws-client.js" {
                // Only inside graphql-ws's error message for Node ("import WebSocket from 'ws'").
            } else {
                assert!(
                    map.contains_key(&spec),
                    "{file} imports {spec:?}, which the import map does not resolve"
                );
            }
        }
    }
}

#[actix_web::test]
async fn unknown_explorer_assets_are_404() {
    let api = Api::seed();
    for missing in [
        "/explore/assets/nope.js",
        "/explore/assets/index.html",
        "/explore/assets/update.sh",
        "/explore/assets/..%2F..%2Fsrc%2Flib.rs",
        "/explore/assets/urql-core.mjs.map",
        "/explore/nowhere",
    ] {
        let reply = api.get(missing).await;
        assert_eq!(reply.status, 404, "{missing}");
    }
}

#[actix_web::test]
async fn a_browser_revalidating_an_unchanged_file_gets_304() {
    let api = Api::seed();
    for path in [
        "/explore",
        "/explore/assets/app.js",
        "/graphiql/graphiql.min.css",
    ] {
        let first = api.get(path).await;
        assert_eq!(first.status, 200, "{path}");
        let etag = first
            .headers
            .get("etag")
            .unwrap_or_else(|| panic!("{path} has no ETag"))
            .to_str()
            .unwrap()
            .to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        for asked in [
            etag.clone(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
        ] {
            let again = api
                .call(
                    actix_web::test::TestRequest::get()
                        .uri(path)
                        .insert_header(("if-none-match", asked.as_str())),
                )
                .await;
            assert_eq!(again.status, 304, "{path} with If-None-Match: {asked}");
            assert!(again.bytes.is_empty(), "{path}: a 304 has no body");
            assert_eq!(again.headers.get("etag").unwrap().to_str().unwrap(), etag);
        }
        let changed = api
            .call(
                actix_web::test::TestRequest::get()
                    .uri(path)
                    .insert_header(("if-none-match", "\"other\"")),
            )
            .await;
        assert_eq!(changed.status, 200, "{path} with another ETag");
        assert_eq!(changed.bytes, first.bytes);
    }
}
