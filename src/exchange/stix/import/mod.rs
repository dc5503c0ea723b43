//! Reading STIX 2.1 bundles into records (design §5). claimgraph's own objects carry their
//! record, which is decoded exactly as a fixture record; other producers' objects are mapped
//! by type to fixture records and decoded the same way; what the graph has no place for is
//! kept verbatim. Every record then goes through the one validation path, so an import
//! reports problems as `seed` does, at the bundle's `file:line`.

mod foreign;
mod ours;
mod parse;
mod slug;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Path};
use crate::fixture::decode_record;
use crate::model::{EntityType, GraphSet};
use crate::storage::stix::{self as stored, Kept, Known};
use crate::storage::{ChangeReport, Edit, Lookup, StorageError, Writer};
use crate::validate::{self, Locate, Problem};

pub use parse::{Bundles, parse};

/// A bundle file as read.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// Its name, for messages.
    pub path: PathBuf,
    /// Its text; empty for a file on disk, which is streamed instead.
    pub text: String,
    /// Whether `path` is a file to read: it is streamed, never held whole, and read again
    /// only if a problem needs a line.
    pub on_disk: bool,
}

/// One object of a bundle, with where it is.
#[derive(Debug, Clone)]
pub struct Object {
    /// Index into the files.
    pub file: usize,
    /// Its index in the bundle's `objects`.
    pub index: usize,
    /// The object (for claimgraph's own, only its id, type, versions and record type).
    pub value: Value,
    /// claimgraph's record, decoded as the object was read (see [`parse`]).
    pub record: Option<Box<Carried>>,
}

/// A claimgraph record carried by an object, decoded as fixtures are.
#[derive(Debug, Clone)]
pub struct Carried {
    /// Its type.
    pub section: EntityType,
    /// The extension's key, for the record's path in the file.
    pub key: String,
    /// The record, or where in it and what is wrong.
    pub decoded: Result<GraphSet, (Path, String)>,
}

impl Object {
    /// The object's `id`.
    pub fn id(&self) -> &str {
        self.value["id"].as_str().unwrap_or("")
    }

    /// The object's `type`.
    pub fn stix_type(&self) -> &str {
        self.value["type"].as_str().unwrap_or("")
    }

    /// Its version: `modified`, else `created` (cyber observables have neither).
    pub fn modified(&self) -> &str {
        self.value["modified"]
            .as_str()
            .or_else(|| self.value["created"].as_str())
            .unwrap_or("")
    }

    /// The path of the object in its file.
    pub fn path(&self) -> Path {
        Path::root().key("objects").index(self.index)
    }

    /// A string property.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.value[key].as_str()
    }
}

/// Where a record came from: its object, and the path of the record inside the file.
#[derive(Debug, Clone)]
struct Place {
    file: usize,
    path: Path,
    /// Whether the record is the object's own (claimgraph's) record, so that a field's path
    /// inside it is a path in the file; a mapped record's fields have no place in the file.
    verbatim: bool,
}

/// Bundles read into records, and what could not become one.
#[derive(Debug, Default)]
pub struct Read {
    /// The records.
    pub set: GraphSet,
    /// Where each record came from, by section and index.
    places: HashMap<(EntityType, usize), Place>,
    /// The files, for lines.
    files: Vec<parse::File>,
    /// Problems found while reading, located.
    pub diagnostics: Vec<Diagnostic>,
    /// STIX id, node id, version: which node each object became.
    pub mapped: Vec<(String, String, String)>,
    /// Objects kept verbatim, with why.
    pub kept: Vec<(Object, &'static str)>,
    /// Objects not imported because a newer version was imported before.
    pub older: Vec<String>,
    /// How many objects of each STIX type became records of each type.
    pub became: BTreeMap<(String, &'static str), usize>,
}

impl Read {
    fn push(
        &mut self,
        object: &Object,
        section: EntityType,
        record: Value,
        path: Path,
        verbatim: bool,
    ) {
        self.push_decoded(
            object,
            section,
            decode_record(section, record),
            path,
            verbatim,
        );
    }

    fn push_decoded(
        &mut self,
        object: &Object,
        section: EntityType,
        decoded: Result<GraphSet, (Path, String)>,
        path: Path,
        verbatim: bool,
    ) {
        match decoded {
            Ok(set) => {
                let index = self.set.section_len(section);
                self.set.extend(set);
                self.places.insert(
                    (section, index),
                    Place {
                        file: object.file,
                        path,
                        verbatim,
                    },
                );
                *self
                    .became
                    .entry((object.stix_type().to_owned(), section.section()))
                    .or_default() += 1;
            }
            Err((inner, message)) => {
                let (path, message) = if verbatim {
                    (path.join(&inner), message)
                } else {
                    (path, format!("{}: {inner}: {message}", object.id()))
                };
                self.problem(object.file, path, message);
            }
        }
    }

    fn problem(&mut self, file: usize, path: Path, message: String) {
        let d = self.files[file].diagnostic(path, message);
        self.diagnostics.push(d);
    }
}

impl Locate for Read {
    fn locate(&self, problem: Problem) -> Diagnostic {
        match self.places.get(&(problem.section, problem.index)) {
            Some(place) => {
                let (path, message) = if place.verbatim {
                    (place.path.join(&problem.field), problem.message)
                } else {
                    (
                        place.path.clone(),
                        format!("{}: {}", problem.field, problem.message),
                    )
                };
                self.files[place.file].diagnostic(path, message)
            }
            None => problem.in_batch(),
        }
    }

    fn place(&self, section: EntityType, index: usize) -> String {
        match self.places.get(&(section, index)) {
            Some(place) => {
                let file = &self.files[place.file];
                format!(
                    "{}:{} ({})",
                    file.path.display(),
                    file.line(&place.path),
                    place.path
                )
            }
            None => format!("{}[{index}]", section.section()),
        }
    }
}

/// Maps parsed bundles to records, given what earlier imports made of their objects.
pub fn map(bundles: Bundles, known: &HashMap<String, Known>, namespace: &uuid::Uuid) -> Read {
    let mut read = Read {
        files: bundles.files,
        diagnostics: bundles.diagnostics,
        ..Read::default()
    };
    let bundle_ids = bundles.bundle_ids;
    let ours = ours::Ours::find(&bundles.objects, namespace);
    let mut foreign = Vec::new();
    let mut nodes: HashMap<String, (String, EntityType)> = known
        .iter()
        .map(|(stix, k)| (stix.clone(), (k.node.clone(), k.entity_type)))
        .collect();
    for object in bundles.objects {
        if let Some(k) = known.get(object.id())
            && k.modified.as_str() > object.modified()
        {
            read.older.push(object.id().to_owned());
            continue;
        }
        match ours.classify(&object) {
            ours::Class::Record {
                section,
                decoded,
                path,
            } => {
                if let Ok(set) = &decoded
                    && let Some((_, record)) = set.records().next()
                {
                    let id = record.id().to_string();
                    nodes.insert(object.id().to_owned(), (id.clone(), section));
                    read.mapped
                        .push((object.id().to_owned(), id, object.modified().to_owned()));
                }
                read.push_decoded(&object, section, decoded, path, true);
            }
            ours::Class::Twin(actor) => {
                nodes.insert(object.id().to_owned(), (actor, EntityType::Actor));
            }
            ours::Class::Derived => {}
            ours::Class::Foreign => foreign.push(object),
            ours::Class::Bad(message) => {
                read.problem(object.file, object.path().key("extensions"), message);
            }
        }
    }
    foreign::map(&mut read, foreign, &mut nodes, &bundle_ids);
    read
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Records added, changed, unchanged.
    pub report: ChangeReport,
    /// Objects kept verbatim (added, or replaced by a newer version), by type and why.
    pub kept: BTreeMap<(String, &'static str), usize>,
    /// Objects kept before at the same or a newer version.
    pub kept_unchanged: usize,
    /// How many objects of each STIX type became records of each type.
    pub became: BTreeMap<(String, &'static str), usize>,
    /// Objects skipped because a newer version was imported before.
    pub older: usize,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bundles are invalid; every problem is listed.
    #[error("{} in the bundles; nothing was imported", if .0.len() == 1 { "1 problem".to_owned() } else { format!("{} problems", .0.len()) })]
    Invalid(Vec<Diagnostic>),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Validates what was read against the graph and writes it, all or nothing (the caller's
/// transaction is rolled back on an error).
pub fn write(w: &Writer<'_>, read: &Read, editor: &str) -> Result<Imported, ImportError> {
    if !read.diagnostics.is_empty() {
        return Err(ImportError::Invalid(read.diagnostics.clone()));
    }
    let problems = validate::validate(&read.set, &Lookup(w.connection()), &HashSet::new(), read)?;
    if !problems.is_empty() {
        return Err(ImportError::Invalid(
            problems.into_iter().map(|p| read.locate(p)).collect(),
        ));
    }
    let edit = Edit::by(editor).because(Some("STIX 2.1 import".to_owned()));
    let report = w.apply(&read.set, &edit)?;
    stored::remember(&w.connection(), &read.mapped)?;
    let mut imported = Imported {
        report,
        became: read.became.clone(),
        older: read.older.len(),
        ..Imported::default()
    };
    for (object, why) in &read.kept {
        let text = serde_json::to_string(&object.value).unwrap_or_default();
        match stored::keep(
            &w.connection(),
            object.id(),
            object.stix_type(),
            object.modified(),
            &text,
        )? {
            Kept::Added | Kept::Changed => {
                *imported
                    .kept
                    .entry((object.stix_type().to_owned(), *why))
                    .or_default() += 1;
            }
            Kept::Unchanged => imported.kept_unchanged += 1,
        }
    }
    Ok(imported)
}

/// The ids of claimgraph's extension definition in its own namespace and in `namespace`:
/// objects carrying a record under one of them are claimgraph's (see [`parse`]).
pub fn definitions(namespace: &uuid::Uuid) -> Vec<String> {
    let mut ids = vec![crate::exchange::stix::extension::definition_id(
        &crate::exchange::stix::ids::NAMESPACE,
    )];
    let own = crate::exchange::stix::extension::definition_id(namespace);
    if !ids.contains(&own) {
        ids.push(own);
    }
    ids
}

/// Every STIX id the bundles name, to look up what earlier imports made of them.
pub fn named_ids(bundles: &Bundles) -> Vec<String> {
    let mut ids: HashSet<String> = HashSet::new();
    for o in &bundles.objects {
        ids.insert(o.id().to_owned());
        for key in ["created_by_ref", "source_ref", "target_ref"] {
            if let Some(r) = o.str(key) {
                ids.insert(r.to_owned());
            }
        }
        if let Some(refs) = o.value["object_refs"].as_array() {
            ids.extend(refs.iter().filter_map(Value::as_str).map(str::to_owned));
        }
    }
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    ids
}
