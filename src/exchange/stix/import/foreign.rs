//! Other producers' objects (OpenCTI, MISP, OASIS's examples) mapped to fixture records by
//! type (design §5): identities, threat-actors and intrusion sets become actors, reports
//! sources, relationships claims asserted by their `created_by_ref` (or their report's
//! author) in each report that contains them. The rest is kept verbatim.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::{Object, Read, slug};
use crate::model::{EntityType, EventKind, ObjectKind, Relation, SourceKind};

/// Node ids by STIX id, with their types.
type Nodes = HashMap<String, (String, EntityType)>;

/// The record type an object of this STIX type becomes, if any.
fn section_of(stix_type: &str) -> Option<EntityType> {
    Some(match stix_type {
        "identity" | "threat-actor" | "intrusion-set" => EntityType::Actor,
        "campaign" | "event" | "incident" => EntityType::Event,
        "location" => EntityType::Location,
        "report" | "grouping" => EntityType::Source,
        "note" => EntityType::Statement,
        _ => return None,
    })
}

/// Maps the objects, adding records, kept objects and problems to `read`.
pub fn map(
    read: &mut Read,
    objects: Vec<Object>,
    nodes: &mut Nodes,
    bundle_ids: &[Option<String>],
) {
    let containing = containing_reports(&objects);
    let authors = objects
        .iter()
        .filter(|o| matches!(o.stix_type(), "report" | "grouping"))
        .filter_map(|o| Some((o.id().to_owned(), o.str("created_by_ref")?.to_owned())))
        .collect();
    for o in &objects {
        if let Some(section) = section_of(o.stix_type())
            && !nodes.contains_key(o.id())
        {
            let id = slug::id(o.str("name"), o.stix_type(), o.id());
            nodes.insert(o.id().to_owned(), (id, section));
        }
    }
    let mut m = Mapper {
        read,
        nodes,
        containing,
        authors,
        bundle_ids,
        defaults: BTreeMap::new(),
    };
    let (opinions, rest): (Vec<Object>, Vec<Object>) = objects
        .into_iter()
        .partition(|o| o.stix_type() == "opinion");
    for o in rest {
        m.object(o);
    }
    for o in opinions {
        m.opinion(o);
    }
    m.default_sources();
}

/// The reports (and groupings) listing each object, by STIX id, in id order.
fn containing_reports(objects: &[Object]) -> HashMap<String, Vec<String>> {
    let mut containing: HashMap<String, Vec<String>> = HashMap::new();
    for o in objects
        .iter()
        .filter(|o| matches!(o.stix_type(), "report" | "grouping"))
    {
        for r in o.value["object_refs"].as_array().into_iter().flatten() {
            if let Some(r) = r.as_str() {
                containing
                    .entry(r.to_owned())
                    .or_default()
                    .push(o.id().to_owned());
            }
        }
    }
    for list in containing.values_mut() {
        list.sort();
        list.dedup();
    }
    containing
}

struct Mapper<'a> {
    read: &'a mut Read,
    nodes: &'a mut Nodes,
    containing: HashMap<String, Vec<String>>,
    /// Each report's `created_by_ref`.
    authors: HashMap<String, String>,
    bundle_ids: &'a [Option<String>],
    /// The source standing for each file's own voice, made when an object is in no report.
    defaults: BTreeMap<usize, String>,
}

impl Mapper<'_> {
    fn object(&mut self, o: Object) {
        match o.stix_type() {
            "identity" | "threat-actor" | "intrusion-set" => self.actor(&o),
            "location" => self.location(&o),
            "campaign" | "event" | "incident" => self.event(&o),
            "report" | "grouping" => self.source(&o),
            "note" => self.statement(&o),
            "relationship" => self.relationship(o),
            _ => self
                .read
                .kept
                .push((o, "claimgraph's graph has no place for this type")),
        }
    }

    fn node(&self, o: &Object) -> String {
        self.nodes
            .get(o.id())
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    }

    /// The node a reference names, if it is one of these types.
    fn resolve(&self, stix_id: &str, types: &[EntityType]) -> Option<String> {
        self.nodes
            .get(stix_id)
            .filter(|(_, t)| types.contains(t))
            .map(|(id, _)| id.clone())
    }

    /// The sources an object is reported in: the reports listing it.
    fn sources_of(&self, o: &Object) -> Vec<String> {
        self.containing
            .get(o.id())
            .into_iter()
            .flatten()
            .filter_map(|r| self.resolve(r, &[EntityType::Source]))
            .collect()
    }

    /// The source of something said: each report listing it, or the file's own voice.
    fn said_in(&mut self, o: &Object) -> Vec<String> {
        let sources = self.sources_of(o);
        if !sources.is_empty() {
            return sources;
        }
        let file = o.file;
        let id = self.defaults.entry(file).or_insert_with(|| {
            let name = self.read.files[file]
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("bundle");
            let bundle = self
                .bundle_ids
                .get(file)
                .cloned()
                .flatten()
                .unwrap_or_default();
            slug::id(Some(&format!("stix bundle {name}")), "bundle", &bundle)
        });
        vec![id.clone()]
    }

    /// The actor an object's `created_by_ref` names; a name that resolves to nothing is a
    /// problem (an asserter must not vanish).
    fn creator(&mut self, o: &Object) -> Result<Option<String>, ()> {
        let Some(by) = o.str("created_by_ref") else {
            return Ok(None);
        };
        match self.resolve(by, &[EntityType::Actor]) {
            Some(actor) => Ok(Some(actor)),
            None => {
                let message = format!(
                    "created_by_ref names {by}, which is neither an identity in these bundles nor one imported before: add that identity to the bundle"
                );
                self.read
                    .problem(o.file, o.path().key("created_by_ref"), message);
                Err(())
            }
        }
    }

    fn push(&mut self, o: &Object, section: EntityType, record: Map<String, Value>) {
        let id = record
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        self.read
            .mapped
            .push((o.id().to_owned(), id, o.modified().to_owned()));
        self.read
            .push(o, section, Value::Object(record), o.path(), false);
    }

    /// A text property the record cannot do without; its absence is a problem at the object.
    fn required(&mut self, o: &Object, key: &str, becomes: &str) -> Result<Value, ()> {
        match o.value[key].as_str().filter(|t| !t.trim().is_empty()) {
            Some(text) => Ok(json!(text)),
            None => {
                let message = format!(
                    "{} {} has no \"{key}\", which its {becomes} needs: give it one",
                    o.stix_type(),
                    o.id()
                );
                self.read.problem(o.file, o.path().key(key), message);
                Err(())
            }
        }
    }

    fn actor(&mut self, o: &Object) {
        let Ok(name) = self.required(o, "name", "actor") else {
            return;
        };
        let mut r = Map::new();
        r.insert("id".into(), json!(self.node(o)));
        r.insert("kind".into(), json!(actor_kind(o)));
        r.insert("name".into(), name);
        let aliases: Vec<&Value> = o.value["aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        if !aliases.is_empty() {
            r.insert("aliases".into(), json!(aliases));
        }
        copy(&mut r, "description", &o.value["description"]);
        let sources = self.sources_of(o);
        if !sources.is_empty() {
            r.insert("sources".into(), json!(sources));
        }
        self.push(o, EntityType::Actor, r);
    }

    fn location(&mut self, o: &Object) {
        let v = &o.value;
        let (kind, place) = ["city", "administrative_area", "country", "region"]
            .iter()
            .zip(["city", "province", "country", "region"])
            .find_map(|(key, kind)| v[*key].as_str().map(|p| (kind, p)))
            .unwrap_or(("site", ""));
        let mut r = Map::new();
        r.insert("id".into(), json!(self.node(o)));
        r.insert("kind".into(), json!(kind));
        let name = v["name"]
            .as_str()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(place);
        let name = if name.is_empty() {
            format!("{}, {}", v["latitude"], v["longitude"])
        } else {
            name.to_owned()
        };
        r.insert("name".into(), json!(name));
        copy(&mut r, "description", &v["description"]);
        // Kept only when it is an assigned ISO code, in either case ("us" is seen): producers
        // also write names there.
        let country = v["country"].as_str().map(str::to_ascii_uppercase);
        if let Some(code) = country
            .as_deref()
            .and_then(crate::model::CountryCode::parse)
        {
            r.insert("country_code".into(), json!(code.as_str()));
        }
        if let (Some(lat), Some(lon)) = (v["latitude"].as_f64(), v["longitude"].as_f64()) {
            let mut point = json!({ "lat": lat, "lon": lon });
            if let Some(m) = v["precision"].as_f64() {
                point["precision_km"] = json!(m / 1000.0);
            }
            r.insert("coordinates".into(), point);
        }
        let sources = self.sources_of(o);
        if !sources.is_empty() {
            r.insert("sources".into(), json!(sources));
        }
        self.push(o, EntityType::Location, r);
    }

    fn event(&mut self, o: &Object) {
        let v = &o.value;
        let campaign = o.stix_type() == "campaign";
        let kind = if campaign {
            "campaign".to_owned()
        } else {
            v["event_types"][0]
                .as_str()
                .map(|k| k.replace('-', "_"))
                .filter(|k| EventKind::parse(k).is_some_and(|k| k != EventKind::Campaign))
                .unwrap_or_else(|| "other".to_owned())
        };
        let mut r = Map::new();
        r.insert("id".into(), json!(self.node(o)));
        r.insert("kind".into(), json!(kind));
        let title = v["name"].as_str().unwrap_or(o.stix_type());
        r.insert("title".into(), json!(title));
        copy(&mut r, "description", &v["description"]);
        let (start, end) = if campaign {
            ("first_seen", "last_seen")
        } else if o.stix_type() == "event" {
            ("start_time", "end_time")
        } else {
            ("first_seen", "last_seen")
        };
        let end = v[end].as_str().or_else(|| v["stop_time"].as_str());
        if let Some(date) = v[start].as_str().and_then(day) {
            let mut when = json!({ "date": date });
            if let Some(until) = end.and_then(day).filter(|u| *u > date) {
                when["until"] = json!(until);
            }
            r.insert("when".into(), when);
        }
        let sources = self.sources_of(o);
        if !sources.is_empty() {
            r.insert("sources".into(), json!(sources));
        }
        self.push(o, EntityType::Event, r);
    }

    fn source(&mut self, o: &Object) {
        let v = &o.value;
        let Ok(title) = self.required(o, "name", "source") else {
            return;
        };
        let Ok(publisher) = self.creator(o) else {
            return;
        };
        let kind = v["report_types"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|k| k.replace('-', "_"))
            .find(|k| SourceKind::parse(k).is_some())
            .unwrap_or_else(|| "report".to_owned());
        let mut r = Map::new();
        r.insert("id".into(), json!(self.node(o)));
        r.insert("kind".into(), json!(kind));
        r.insert("title".into(), title);
        if let Some(p) = publisher {
            r.insert("publisher".into(), json!(p));
        }
        let url = v["external_references"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|e| e["url"].as_str());
        if let Some(url) = url {
            r.insert("url".into(), json!(url));
        }
        if let Some(date) = v["published"].as_str().and_then(day) {
            r.insert("published".into(), json!(date));
        }
        copy(&mut r, "description", &v["description"]);
        self.push(o, EntityType::Source, r);
    }

    fn statement(&mut self, o: &Object) {
        let v = &o.value;
        let Ok(text) = self.required(o, "content", "statement") else {
            return;
        };
        let Ok(speaker) = self.creator(o) else { return };
        let about: Vec<String> = v["object_refs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|r| {
                self.resolve(
                    r,
                    &[
                        EntityType::Actor,
                        EntityType::Location,
                        EntityType::Event,
                        EntityType::Statement,
                    ],
                )
            })
            .collect();
        let source = self.said_in(o).remove(0);
        let mut r = Map::new();
        r.insert("id".into(), json!(self.node(o)));
        if let Some(s) = speaker {
            r.insert("speaker".into(), json!(s));
        }
        r.insert("text".into(), text);
        r.insert("source".into(), json!(source));
        if !about.is_empty() {
            r.insert("about".into(), json!(about));
        }
        copy(&mut r, "description", &v["abstract"]);
        self.push(o, EntityType::Statement, r);
    }

    fn relationship(&mut self, o: Object) {
        let ends = (
            o.str("source_ref").and_then(|r| self.nodes.get(r).cloned()),
            o.str("target_ref").and_then(|r| self.nodes.get(r).cloned()),
        );
        let (Some((subject, s_type)), Some((object, o_type))) = ends else {
            self.read
                .kept
                .push((o, "an end of the relationship is not in the graph"));
            return;
        };
        let Some(relation) = relation_for(o.str("relationship_type").unwrap_or(""), s_type, o_type)
        else {
            self.read.kept.push((
                o,
                "claimgraph's vocabulary has no relation for it between these types",
            ));
            return;
        };
        let Ok(by) = self.creator(&o) else { return };
        let asserter = by
            .or_else(|| self.report_author(&o))
            .unwrap_or_else(|| "unknown".to_owned());
        let base = match self.nodes.get(o.id()) {
            Some((id, EntityType::Claim)) => id.clone(),
            _ => slug::id(
                Some(&format!("{subject} {} {object}", relation.as_str())),
                "claim",
                o.id(),
            ),
        };
        self.nodes
            .insert(o.id().to_owned(), (base.clone(), EntityType::Claim));
        let sources = self.said_in(&o);
        let reports: Vec<String> = self.containing.get(o.id()).cloned().unwrap_or_default();
        for (n, source) in sources.iter().enumerate() {
            let id = if n == 0 {
                base.clone()
            } else {
                // One claim per report, so that corroboration counts each.
                slug::id(
                    Some(&base),
                    "claim",
                    reports.get(n).map_or("", String::as_str),
                )
            };
            let v = &o.value;
            let mut r = Map::new();
            r.insert("id".into(), json!(id));
            r.insert("subject".into(), json!(subject));
            r.insert("relation".into(), json!(relation.as_str()));
            r.insert("object".into(), json!(object));
            r.insert("asserted_by".into(), json!(asserter));
            r.insert("source".into(), json!(source));
            match v["confidence"].as_i64() {
                Some(c) => r.insert("confidence".into(), json!(c)),
                // No confidence given: even odds, and the Admiralty grade "cannot be judged".
                None => {
                    r.insert("credibility".into(), json!(6));
                    r.insert("confidence".into(), json!(50))
                }
            };
            if let Some(d) = v["start_time"].as_str().and_then(day) {
                r.insert("valid_from".into(), json!(d));
            }
            if let Some(d) = v["stop_time"].as_str().and_then(day) {
                r.insert("valid_to".into(), json!(d));
            }
            copy(&mut r, "note", &v["description"]);
            if n == 0 {
                self.push(&o, EntityType::Claim, r);
            } else {
                self.read
                    .push(&o, EntityType::Claim, Value::Object(r), o.path(), false);
            }
        }
    }

    /// The author of the first report listing the object, when that is a known actor.
    fn report_author(&self, o: &Object) -> Option<String> {
        let reports = self.containing.get(o.id())?;
        reports.iter().find_map(|r| {
            let author = self.authors.get(r)?;
            self.resolve(author, &[EntityType::Actor])
        })
    }

    fn opinion(&mut self, o: Object) {
        let claim = o.value["object_refs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(|r| self.resolve(r, &[EntityType::Claim]));
        let party = o
            .str("created_by_ref")
            .and_then(|r| self.resolve(r, &[EntityType::Actor]));
        let (Some(claim), Some(party)) = (claim, party) else {
            self.read.kept.push((
                o,
                "an opinion becomes a stance only on an imported claim, by a known identity",
            ));
            return;
        };
        let position = match o.str("opinion").unwrap_or("") {
            "agree" | "strongly-agree" => "confirms",
            "disagree" => "disputes",
            "strongly-disagree" => "denies",
            _ => "uncertain",
        };
        let source = self.said_in(&o).remove(0);
        let mut r = Map::new();
        r.insert(
            "id".into(),
            json!(slug::id(
                o.str("explanation").map(|_| "opinion"),
                "opinion",
                o.id()
            )),
        );
        r.insert("claim".into(), json!(claim));
        r.insert("actor".into(), json!(party));
        r.insert("position".into(), json!(position));
        r.insert("asserted_by".into(), json!(party));
        r.insert("source".into(), json!(source));
        r.insert(
            "confidence".into(),
            json!(o.value["confidence"].as_i64().unwrap_or(50)),
        );
        copy(&mut r, "note", &o.value["explanation"]);
        self.push(&o, EntityType::Stance, r);
    }

    /// The sources standing for files whose objects are in no report.
    fn default_sources(&mut self) {
        let defaults = std::mem::take(&mut self.defaults);
        for (file, id) in defaults {
            // The file's name, not its path: the same file imported from elsewhere is the
            // same source.
            let path = &self.read.files[file].path;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let record = json!({
                "id": id,
                "kind": "other",
                "title": format!("STIX bundle {name}"),
                "description": "Objects of this bundle that no report in it lists.",
            });
            let object = Object {
                file,
                index: 0,
                value: json!({ "type": "bundle" }),
                record: None,
            };
            self.read.push(
                &object,
                EntityType::Source,
                record,
                crate::diagnostic::Path::root(),
                false,
            );
        }
    }
}

/// The actor kind of an identity, threat-actor or intrusion set.
fn actor_kind(o: &Object) -> &'static str {
    if o.stix_type() != "identity" {
        return "armed_group";
    }
    let sectors: Vec<&str> = o.value["sectors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match o.str("identity_class") {
        Some("individual") => "person",
        _ if sectors.contains(&"government-national") => "government_body",
        _ if sectors.contains(&"defense") => "military_force",
        _ if sectors.contains(&"communications") => "media_outlet",
        _ => "organization",
    }
}

/// The claimgraph relation a STIX relationship type says between these types, if any.
fn relation_for(stix: &str, subject: EntityType, object: EntityType) -> Option<Relation> {
    use EntityType::{Actor, Event, Location};
    let relation = match (stix, subject, object) {
        ("attributed-to", Event, Actor) => Relation::AttributedTo,
        // "is really" / "acts for": an intrusion set's or a threat actor's patron or face.
        ("attributed-to", Actor, Actor) => Relation::FrontFor,
        ("targets", _, _) => Relation::Targeted,
        ("located-at", Actor, Location) => Relation::StationedIn,
        ("located-at", Event, Location) => Relation::OccurredAt,
        ("located-at", Location, Location) => Relation::LocatedIn,
        _ => Relation::parse(&stix.replace('-', "_"))?,
    };
    let spec = relation.spec();
    let fits = spec.subjects.contains(&subject)
        && matches!(spec.object, ObjectKind::Entity(types) if types.contains(&object));
    fits.then_some(relation)
}

/// The day of a STIX timestamp (`2013-02-19T00:00:00.000Z` → `2013-02-19`).
fn day(timestamp: &str) -> Option<&str> {
    let d = timestamp.get(..10)?;
    let ok = d.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    ok.then_some(d)
}

/// Copies a string property, if there is a non-empty one.
fn copy(record: &mut Map<String, Value>, key: &str, value: &Value) {
    if let Some(s) = value.as_str().filter(|s| !s.trim().is_empty()) {
        record.insert(key.into(), json!(s));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Object, actor_kind, day, relation_for};
    use crate::model::EntityType::{Actor, Event, Location, Statement};
    use crate::model::Relation;

    fn object(value: serde_json::Value) -> Object {
        Object {
            file: 0,
            index: 0,
            value,
            record: None,
        }
    }

    #[test]
    fn attribution_reads_by_what_is_attributed() {
        assert_eq!(
            relation_for("attributed-to", Event, Actor),
            Some(Relation::AttributedTo)
        );
        assert_eq!(
            relation_for("attributed-to", Actor, Actor),
            Some(Relation::FrontFor)
        );
        assert_eq!(
            relation_for("located-at", Actor, Location),
            Some(Relation::StationedIn)
        );
        assert_eq!(
            relation_for("located-at", Location, Location),
            Some(Relation::LocatedIn)
        );
        assert_eq!(
            relation_for("targets", Event, Location),
            Some(Relation::Targeted)
        );
    }

    #[test]
    fn a_relation_that_does_not_fit_its_ends_is_no_claim() {
        assert_eq!(relation_for("uses", Actor, Actor), None);
        assert_eq!(relation_for("targets", Actor, Event), None);
        assert_eq!(relation_for("front-for", Statement, Actor), None);
        // claimgraph's own names, hyphenated, read back where they fit.
        assert_eq!(
            relation_for("backed-by", Actor, Actor),
            Some(Relation::BackedBy)
        );
    }

    #[test]
    fn identities_become_people_bodies_forces_or_outlets_by_class_and_sector() {
        let kind = |v| actor_kind(&object(v));
        assert_eq!(
            kind(json!({ "type": "identity", "identity_class": "individual" })),
            "person"
        );
        assert_eq!(
            kind(
                json!({ "type": "identity", "identity_class": "organization", "sectors": ["government-national"] })
            ),
            "government_body"
        );
        assert_eq!(
            kind(json!({ "type": "identity", "identity_class": "organization" })),
            "organization"
        );
        assert_eq!(kind(json!({ "type": "intrusion-set" })), "armed_group");
    }

    #[test]
    fn a_timestamp_gives_its_day_and_anything_else_nothing() {
        assert_eq!(day("2013-02-19T00:00:00.000000Z"), Some("2013-02-19"));
        assert_eq!(day("2023-04-07T20:00:00.0002Z"), Some("2023-04-07"));
        assert_eq!(day("yesterday"), None);
        assert_eq!(day("2013-2-19"), None);
    }
}
