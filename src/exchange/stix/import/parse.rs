//! Reading bundle files: JSON syntax, the bundle's shape, every object's id and type, and one
//! version per id (the latest `modified`, as STIX versioning says).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::{BundleFile, Object};
use crate::diagnostic::{Diagnostic, Path};
use crate::fixture::yaml;

/// A bundle file, with the line of every node found when a problem needs one.
#[derive(Debug)]
pub struct File {
    /// Its name.
    pub path: PathBuf,
    text: String,
    lines: OnceLock<Option<yaml::Node>>,
}

impl File {
    /// The line of the node at `path` (JSON is YAML, so the fixture reader finds it).
    pub fn line(&self, path: &Path) -> usize {
        let root = self
            .lines
            .get_or_init(|| yaml::parse(&self.text).ok().flatten());
        root.as_ref().map_or(1, |r| r.line_at(path))
    }

    /// A problem at `path` in this file.
    pub fn diagnostic(&self, path: Path, message: String) -> Diagnostic {
        Diagnostic {
            file: Some(self.path.clone()),
            line: Some(self.line(&path)),
            path,
            message,
        }
    }
}

/// Bundles read: their objects, one version per id, and the problems found.
#[derive(Debug, Default)]
pub struct Bundles {
    /// The files.
    pub files: Vec<File>,
    /// The objects, in file order, each id once.
    pub objects: Vec<Object>,
    /// What is wrong.
    pub diagnostics: Vec<Diagnostic>,
    /// Each file's bundle id.
    pub bundle_ids: Vec<Option<String>>,
}

/// Reads bundle files.
pub fn parse(inputs: Vec<BundleFile>) -> Bundles {
    let mut out = Bundles::default();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for input in inputs {
        let file = out.files.len();
        out.files.push(File {
            path: input.path,
            text: input.text,
            lines: OnceLock::new(),
        });
        let bundle = match serde_json::from_str::<Value>(&out.files[file].text) {
            Ok(v) => v,
            Err(e) => {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_owned();
                out.diagnostics.push(Diagnostic {
                    file: Some(out.files[file].path.clone()),
                    line: Some(e.line()),
                    path: Path::root(),
                    message: format!("JSON syntax: {message}"),
                });
                out.bundle_ids.push(None);
                continue;
            }
        };
        out.bundle_ids
            .push(bundle["id"].as_str().map(str::to_owned));
        let objects = match (bundle["type"].as_str(), bundle["objects"].as_array()) {
            (Some("bundle"), Some(objects)) => objects.clone(),
            (Some("bundle"), None) => Vec::new(),
            _ => {
                let d = out.files[file].diagnostic(
                    Path::root(),
                    "not a STIX bundle: the file must hold one JSON object with \"type\": \"bundle\" and its \"objects\" list".to_owned(),
                );
                out.diagnostics.push(d);
                continue;
            }
        };
        for (index, value) in objects.into_iter().enumerate() {
            let object = Object { file, index, value };
            if let Some(problem) = shape_problem(&object) {
                let d = out.files[file].diagnostic(object.path(), problem);
                out.diagnostics.push(d);
                continue;
            }
            match latest.get(object.id()) {
                Some(&at) if out.objects[at].modified() >= object.modified() => {}
                Some(&at) => out.objects[at] = object,
                None => {
                    latest.insert(object.id().to_owned(), out.objects.len());
                    out.objects.push(object);
                }
            }
        }
    }
    out
}

/// What makes an object unreadable: no type, or an id that is not `type--UUID`.
fn shape_problem(object: &Object) -> Option<String> {
    let t = object.stix_type();
    if t.is_empty() {
        return Some("a STIX object needs a \"type\"".to_owned());
    }
    let id = object.id();
    let uuid = id.strip_prefix(t).and_then(|rest| rest.strip_prefix("--"));
    match uuid {
        Some(u) if uuid::Uuid::parse_str(u).is_ok() => None,
        _ => Some(format!(
            "the id {id:?} is not a STIX id: it must be \"{t}--\" followed by a UUID"
        )),
    }
}
