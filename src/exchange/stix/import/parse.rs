//! Reading bundle files: JSON syntax, the bundle's shape, every object's id and type, and one
//! version per id (the latest `modified`, as STIX versioning says).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::{BundleFile, Carried, Object};
use crate::diagnostic::{Diagnostic, Path};
use crate::fixture::yaml;
use crate::model::EntityType;

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
        let root = self.lines.get_or_init(|| {
            let again;
            let text = if self.text.is_empty() {
                again = std::fs::read_to_string(&self.path).unwrap_or_default();
                &again
            } else {
                &self.text
            };
            yaml::parse(text).ok().flatten()
        });
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

/// Reads bundle files. Objects carrying a record under one of `compact` (claimgraph's
/// extension definitions) keep only what import reads of them: their record, id, type and
/// versions; the STIX view around the record is dropped as each object is read, so a large
/// bundle of claimgraph's costs little more memory than its records.
pub fn parse(inputs: Vec<BundleFile>, compact: &[String]) -> Bundles {
    let mut out = Bundles::default();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for input in inputs {
        let on_disk = input.on_disk;
        let file = out.files.len();
        out.files.push(File {
            path: input.path,
            text: input.text,
            lines: OnceLock::new(),
        });
        let mut objects = Vec::new();
        let mut head = Head::default();
        let read = {
            let mut sink = |index: usize, value: Value| {
                let (value, record) = compacted(value, compact);
                objects.push(Object {
                    file,
                    index,
                    value,
                    record,
                });
            };
            let mut seed = BundleSeed {
                sink: &mut sink,
                head: &mut head,
            };
            let f = &out.files[file];
            if on_disk && f.text.is_empty() {
                // Streamed from the file: a large bundle's text is never held whole.
                match std::fs::File::open(&f.path) {
                    Ok(opened) => {
                        let reader = std::io::BufReader::with_capacity(1 << 16, opened);
                        read_bundle(
                            &mut serde_json::Deserializer::from_reader(reader),
                            &mut seed,
                        )
                    }
                    Err(e) => Err(serde_json::Error::io(e)),
                }
            } else {
                read_bundle(&mut serde_json::Deserializer::from_str(&f.text), &mut seed)
            }
        };
        if let Err(e) = read {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            let what = if e.is_syntax() || e.is_eof() {
                "JSON syntax"
            } else {
                "not a STIX bundle"
            };
            out.diagnostics.push(Diagnostic {
                file: Some(out.files[file].path.clone()),
                line: Some(e.line()),
                path: Path::root(),
                message: format!("{what}: {message}"),
            });
            out.bundle_ids.push(None);
            continue;
        }
        out.bundle_ids.push(head.id);
        if head.bundle_type.as_deref() != Some("bundle") {
            let d = out.files[file].diagnostic(
                Path::root(),
                "not a STIX bundle: the file must hold one JSON object with \"type\": \"bundle\" and its \"objects\" list".to_owned(),
            );
            out.diagnostics.push(d);
            continue;
        }
        for object in objects {
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

/// Reads one bundle through `seed`, and checks that nothing follows it.
fn read_bundle<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    seed: &mut BundleSeed<'_>,
) -> Result<(), serde_json::Error> {
    serde::de::DeserializeSeed::deserialize(seed, &mut *de)?;
    de.end()
}

/// What a bundle says of itself.
#[derive(Default)]
struct Head {
    bundle_type: Option<String>,
    id: Option<String>,
}

/// Reads a bundle's top-level object, handing each of its objects to `sink` as it is read.
struct BundleSeed<'s> {
    sink: &'s mut dyn FnMut(usize, Value),
    head: &'s mut Head,
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut BundleSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut BundleSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("one JSON object with \"type\": \"bundle\" and its \"objects\" list")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "objects" => map.next_value_seed(ObjectsSeed {
                    sink: &mut *self.sink,
                })?,
                "type" => {
                    self.head.bundle_type = map.next_value::<Value>()?.as_str().map(str::to_owned)
                }
                "id" => self.head.id = map.next_value::<Value>()?.as_str().map(str::to_owned),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a bundle's `objects` list one object at a time.
struct ObjectsSeed<'s> {
    sink: &'s mut dyn FnMut(usize, Value),
}

impl<'de> serde::de::DeserializeSeed<'de> for ObjectsSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ObjectsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of STIX objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            (self.sink)(index, value);
            index += 1;
        }
        Ok(())
    }
}

/// The object without its STIX view when it carries a claimgraph record (see [`parse`]):
/// its id, type, versions and the record's type, with the record decoded.
fn compacted(value: Value, compact: &[String]) -> (Value, Option<Box<Carried>>) {
    let found = value["extensions"].as_object().and_then(|e| {
        compact.iter().find_map(|k| {
            let content = e.get(k)?;
            let section = EntityType::parse(content["record_type"].as_str()?)?;
            content.get("record")?;
            Some((k.clone(), section))
        })
    });
    let Some((key, section)) = found else {
        return (value, None);
    };
    let Value::Object(mut all) = value else {
        return (value, None);
    };
    let mut kept = serde_json::Map::new();
    for field in ["type", "id", "created", "modified"] {
        if let Some(v) = all.remove(field) {
            kept.insert(field.to_owned(), v);
        }
    }
    let record = all
        .get_mut("extensions")
        .and_then(|e| e.get_mut(&key))
        .and_then(|c| c.as_object_mut())
        .and_then(|c| c.remove("record"))
        .unwrap_or(Value::Null);
    kept.insert(
        "extensions".to_owned(),
        serde_json::json!({ key.clone(): { "record_type": section.as_str() } }),
    );
    let decoded = crate::fixture::decode_record(section, record);
    (
        Value::Object(kept),
        Some(Box::new(Carried {
            section,
            key,
            decoded,
        })),
    )
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
