//! The name-search fixtures (`tests/fixtures/search`): the variant spellings, and a graph of
//! their entities among generated look-alikes, for the recall and duplicate tests.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use claimgraph::fixture::generate::lookalikes;
use claimgraph::fixture::yaml;
use claimgraph::storage::names::spelling;
use serde_json::Value;

use super::graphql::Api;
use super::root;

/// Generated names besides the entities (before those a variant spells are left out).
const LOOKALIKES: usize = 4000;

fn dir() -> PathBuf {
    root().join("tests/fixtures/search")
}

/// The variants: (query, expected id, why).
pub fn variants() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(dir().join("variants.yaml")).expect("variants.yaml");
    let doc = yaml::parse(&text)
        .expect("variants.yaml is YAML")
        .expect("variants.yaml is not empty")
        .to_json();
    doc["variants"]
        .as_array()
        .expect("a `variants` list")
        .iter()
        .map(|v| {
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (field("query"), field("expect"), field("why"))
        })
        .collect()
}

/// A search as [`spelled_by_any`] compares it: each word's skeletons, and its consonants joined.
struct Searched {
    words: Vec<Vec<String>>,
    joined: String,
}

impl Searched {
    fn of(query: &str) -> Searched {
        Searched {
            words: spelling::tokens(query)
                .into_iter()
                .map(|forms| forms.into_iter().map(|f| f.skeleton).collect())
                .collect(),
            joined: spelling::joined(query),
        }
    }
}

/// Whether any of the searches spells `name`: finds every one of its words in the name by the
/// spelling rules, or its consonants joined are the name's.
fn spelled_by_any(searches: &[Searched], name: &str) -> bool {
    let words: HashSet<String> = spelling::name_tokens(name)
        .into_iter()
        .flatten()
        .map(|t| t.skeleton)
        .collect();
    let joined = spelling::joined(name);
    searches.iter().any(|search| {
        search.joined == joined
            || search
                .words
                .iter()
                .all(|forms| forms.iter().any(|f| words.contains(f)))
    })
}

/// A name's word skeletons, sorted, and its joined consonants: what two spellings of one name
/// share.
fn words_of(name: &str) -> Vec<String> {
    let mut words: Vec<String> = spelling::name_tokens(name)
        .into_iter()
        .filter_map(|forms| forms.into_iter().last().map(|t| t.skeleton))
        .collect();
    words.sort();
    words.push(spelling::joined(name));
    words
}

/// The entities plus generated look-alikes (leaving out any look-alike that a variant spells
/// word for word) plus `more` records (a fixture's JSON); and how many look-alikes were kept.
pub fn graph(dir: &Path, variants: &[(String, String, String)], more: &[Value]) -> (Api, usize) {
    let searches: Vec<Searched> = variants.iter().map(|(q, _, _)| Searched::of(q)).collect();
    let mut generated = lookalikes(LOOKALIKES, 11);
    let mut kept = 0;
    // Two look-alikes that spell the same words ("Qasem al-Sadr", "Qassim al-Sadr") would be
    // one name twice: the first is kept.
    let mut spelled: HashSet<Vec<String>> = HashSet::new();
    for section in ["actors", "locations"] {
        if let Some(list) = generated[section].as_array_mut() {
            list.retain(|r| {
                let name = r["name"].as_str().unwrap_or_default();
                !spelled_by_any(&searches, name) && spelled.insert(words_of(name))
            });
            kept += list.len();
        }
    }
    let path = dir.join("lookalikes.json");
    std::fs::write(&path, generated.to_string()).unwrap();
    let mut paths = vec![self::dir().join("entities.yaml"), path];
    for (i, extra) in more.iter().enumerate() {
        let path = dir.join(format!("more-{i}.json"));
        std::fs::write(&path, extra.to_string()).unwrap();
        paths.push(path);
    }
    (Api::from_paths(&paths), kept)
}
