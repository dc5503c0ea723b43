//! The rules a batch must satisfy as a whole.

use std::collections::{HashMap, HashSet};

use super::{Existing, Locate, Problem, defined_ids, suggest};
use crate::diagnostic::Path;
use crate::model::{
    AssertedBy, Claim, EntityType, Event, GraphSet, Id, Location, ObjectKind, Relation, Source,
    Stance, StancePosition, Statement, UNKNOWN, When,
};

use EntityType::{
    Actor as A, Claim as C, Event as E, Location as L, Source as S, Stance as Sn, Statement as St,
};

/// Checks a batch against itself and the existing graph; an empty list means it may be written.
pub fn validate<X: Existing>(
    set: &GraphSet,
    existing: &X,
    undecoded: &HashSet<String>,
    locate: &dyn Locate,
) -> Result<Vec<Problem>, X::Error> {
    let mut c = Checker {
        set,
        existing,
        undecoded,
        locate,
        defined: defined_ids(set),
        problems: Vec::new(),
        known: None,
        asserters: None,
    };
    c.unique_ids()?;
    for (i, r) in set.actors.iter().enumerate() {
        c.sources(A, i, &r.sources)?;
    }
    for (i, r) in set.locations.iter().enumerate() {
        c.location(i, r)?;
    }
    for (i, r) in set.events.iter().enumerate() {
        c.event(i, r)?;
    }
    for (i, r) in set.sources.iter().enumerate() {
        c.source(i, r)?;
    }
    for (i, r) in set.statements.iter().enumerate() {
        c.statement(i, r)?;
    }
    for (i, r) in set.claims.iter().enumerate() {
        c.claim(i, r)?;
    }
    for (i, r) in set.stances.iter().enumerate() {
        c.stance(i, r)?;
    }
    c.containment_cycles(
        L,
        |i| set.locations.get(i).map(|r| (&r.id, r.parent.as_ref())),
        "parent",
    )?;
    c.containment_cycles(
        E,
        |i| set.events.get(i).map(|r| (&r.id, r.campaign.as_ref())),
        "campaign",
    )?;
    c.containment_cycles(
        S,
        |i| set.sources.get(i).map(|r| (&r.id, r.via.as_ref())),
        "via",
    )?;
    Ok(c.problems)
}

enum Found {
    Is(EntityType),
    Undecoded,
    Missing,
}

struct Checker<'a, X: Existing> {
    set: &'a GraphSet,
    existing: &'a X,
    undecoded: &'a HashSet<String>,
    locate: &'a dyn Locate,
    defined: HashMap<&'a str, (EntityType, usize)>,
    problems: Vec<Problem>,
    known: Option<Vec<(String, EntityType)>>,
    /// The batch's claims' asserters, gathered when a stance first needs one.
    asserters: Option<HashMap<&'a Id, &'a AssertedBy>>,
}

impl<'a, X: Existing> Checker<'a, X> {
    fn problem(&mut self, section: EntityType, index: usize, field: Path, message: String) {
        self.problems.push(Problem {
            section,
            index,
            field,
            message,
        });
    }

    fn find(&self, id: &str) -> Result<Found, X::Error> {
        if let Some((t, _)) = self.defined.get(id) {
            return Ok(Found::Is(*t));
        }
        if self.undecoded.contains(id) {
            return Ok(Found::Undecoded);
        }
        Ok(match self.existing.entity_type(id)? {
            Some(t) => Found::Is(t),
            None => Found::Missing,
        })
    }

    fn unique_ids(&mut self) -> Result<(), X::Error> {
        let mut first: HashMap<&Id, (EntityType, usize)> = HashMap::new();
        for (index, record) in self.set.records() {
            let (id, t) = (record.id(), record.entity_type());
            let field = Path::root().key("id");
            if id.as_str() == UNKNOWN {
                self.problem(t, index, field, format!("the id {UNKNOWN:?} is reserved for claims whose asserter is not known; choose another"));
                continue;
            }
            if let Some(&(ft, fi)) = first.get(id) {
                let place = self.locate.place(ft, fi);
                self.problem(t, index, field, format!("duplicate id {:?}: already defined at {place}; ids are unique across the whole graph", id.as_str()));
                continue;
            }
            first.insert(id, (t, index));
            if let Some(stored) = self.existing.entity_type(id.as_str())?
                && stored != t
            {
                self.problem(t, index, field, format!("id {:?} is already {} in the database; ids are unique across the whole graph, so choose another", id.as_str(), stored.with_article()));
            }
        }
        Ok(())
    }

    /// Checks that `id` names a node of one of the `expected` types; gives its type if it does.
    fn reference(
        &mut self,
        (section, index): (EntityType, usize),
        field: Path,
        id: &Id,
        expected: &[EntityType],
    ) -> Result<Option<EntityType>, X::Error> {
        match self.find(id.as_str())? {
            Found::Is(t) if expected.contains(&t) => Ok(Some(t)),
            Found::Is(t) => {
                let want = expected_words(expected);
                self.problem(
                    section,
                    index,
                    field,
                    format!(
                        "{:?} is {}, but this must be {want}",
                        id.as_str(),
                        t.with_article()
                    ),
                );
                Ok(None)
            }
            Found::Undecoded => Ok(None),
            Found::Missing => {
                let hint = self.did_you_mean(id.as_str(), expected)?;
                self.problem(
                    section,
                    index,
                    field,
                    format!("no entity {:?}{hint}", id.as_str()),
                );
                Ok(None)
            }
        }
    }

    fn did_you_mean(&mut self, id: &str, expected: &[EntityType]) -> Result<String, X::Error> {
        if self.known.is_none() {
            let mut known = self.existing.all_ids()?;
            known.extend(self.defined.iter().map(|(k, (t, _))| (k.to_string(), *t)));
            self.known = Some(known);
        }
        let known = self.known.as_deref().unwrap_or_default();
        let of_type = known
            .iter()
            .filter(|(_, t)| expected.contains(t))
            .map(|(k, _)| k.as_str());
        Ok(suggest(id, of_type)
            .map(|s| format!("; did you mean {s:?}?"))
            .unwrap_or_else(|| {
                format!(
                    "; define {} with this id or fix the reference",
                    expected_words(expected)
                )
            }))
    }

    fn optional(
        &mut self,
        at: (EntityType, usize),
        name: &str,
        id: Option<&Id>,
        expected: &[EntityType],
    ) -> Result<(), X::Error> {
        if let Some(id) = id {
            self.reference(at, Path::root().key(name), id, expected)?;
        }
        Ok(())
    }

    fn list(
        &mut self,
        at: (EntityType, usize),
        name: &str,
        ids: &[Id],
        expected: &[EntityType],
    ) -> Result<(), X::Error> {
        for (i, id) in ids.iter().enumerate() {
            self.reference(at, Path::root().key(name).index(i), id, expected)?;
        }
        Ok(())
    }

    fn sources(&mut self, section: EntityType, index: usize, ids: &[Id]) -> Result<(), X::Error> {
        self.list((section, index), "sources", ids, &[S])
    }

    fn when(&mut self, at: (EntityType, usize), name: &str, when: Option<&When>) {
        let Some(w) = when else { return };
        if let Some(until) = w.until
            && until.last_day() < w.date.first_day()
        {
            self.problem(
                at.0,
                at.1,
                Path::root().key(name).key("until"),
                format!("ends ({until}) before it starts ({})", w.date),
            );
        }
        if w.part_of_day.is_some()
            && (w.until.is_some() || w.date.precision() != crate::model::Precision::Day)
        {
            self.problem(
                at.0,
                at.1,
                Path::root().key(name).key("part_of_day"),
                "a part of the day needs a single day as the date".into(),
            );
        }
    }

    fn location(&mut self, i: usize, r: &Location) -> Result<(), X::Error> {
        let at = (L, i);
        self.optional(at, "parent", r.parent.as_ref(), &[L])?;
        self.sources(L, i, &r.sources)?;
        if let Some(c) = &r.coordinates {
            let coords = Path::root().key("coordinates");
            if !(-90.0..=90.0).contains(&c.lat) {
                self.problem(
                    L,
                    i,
                    coords.key("lat"),
                    format!("latitude {} is outside -90 to 90", c.lat),
                );
            }
            if !(-180.0..=180.0).contains(&c.lon) {
                self.problem(
                    L,
                    i,
                    coords.key("lon"),
                    format!("longitude {} is outside -180 to 180", c.lon),
                );
            }
            if c.precision_km.is_some_and(|p| p.is_nan() || p < 0.0) {
                self.problem(
                    L,
                    i,
                    coords.key("precision_km"),
                    "precision_km must be 0 or more".into(),
                );
            }
        }
        Ok(())
    }

    fn event(&mut self, i: usize, r: &Event) -> Result<(), X::Error> {
        let at = (E, i);
        self.optional(at, "location", r.location.as_ref(), &[L])?;
        self.optional(at, "campaign", r.campaign.as_ref(), &[E])?;
        self.sources(E, i, &r.sources)?;
        self.when(at, "when", r.when.as_ref());
        let Some(details) = &r.details else {
            return Ok(());
        };
        let base = Path::root().key("details");
        for (k, d) in details.distances.iter().enumerate() {
            let here = base.key("distances").index(k);
            self.reference(at, here.key("from"), &d.from, &[L])?;
            for (name, v) in [("min_km", d.min_km), ("max_km", d.max_km)] {
                if v.is_some_and(|v| v.is_nan() || v < 0.0) {
                    self.problem(E, i, here.key(name), format!("{name} must be 0 or more"));
                }
            }
            if let (Some(lo), Some(hi)) = (d.min_km, d.max_km)
                && lo > hi
            {
                self.problem(
                    E,
                    i,
                    here.key("max_km"),
                    format!("max_km ({hi}) is less than min_km ({lo})"),
                );
            }
        }
        for (k, m) in details.munitions.iter().enumerate() {
            if m.caliber_mm.is_some_and(|c| c.is_nan() || c <= 0.0) {
                self.problem(
                    E,
                    i,
                    base.key("munitions").index(k).key("caliber_mm"),
                    "caliber_mm must be more than 0".into(),
                );
            }
        }
        Ok(())
    }

    fn source(&mut self, i: usize, r: &Source) -> Result<(), X::Error> {
        let at = (S, i);
        self.optional(at, "publisher", r.publisher.as_ref(), &[A])?;
        self.optional(at, "via", r.via.as_ref(), &[S])?;
        if let Some(u) = &r.url {
            match url::Url::parse(u) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                Ok(parsed) => self.problem(
                    S,
                    i,
                    Path::root().key("url"),
                    format!("url scheme {:?} is not http or https", parsed.scheme()),
                ),
                Err(e) => self.problem(
                    S,
                    i,
                    Path::root().key("url"),
                    format!("invalid url {u:?}: {e}"),
                ),
            }
        }
        Ok(())
    }

    fn statement(&mut self, i: usize, r: &Statement) -> Result<(), X::Error> {
        let at = (St, i);
        self.optional(at, "speaker", r.speaker.as_ref(), &[A])?;
        self.optional(at, "location", r.location.as_ref(), &[L])?;
        self.optional(at, "event", r.event.as_ref(), &[E])?;
        self.reference(at, Path::root().key("source"), &r.source, &[S])?;
        self.list(at, "about", &r.about, EntityType::ALL)?;
        self.when(at, "when", r.when.as_ref());
        Ok(())
    }

    fn claim(&mut self, i: usize, r: &Claim) -> Result<(), X::Error> {
        let at = (C, i);
        let spec = r.relation.spec();
        let subject =
            self.reference(at, Path::root().key("subject"), &r.subject, EntityType::ALL)?;
        if let Some(t) = subject
            && !spec.subjects.contains(&t)
        {
            self.problem(
                C,
                i,
                Path::root().key("subject"),
                format!(
                    "relation {} needs {} as subject, but {:?} is {}",
                    r.relation.as_str(),
                    expected_words(spec.subjects),
                    r.subject.as_str(),
                    t.with_article()
                ),
            );
        }
        self.object(i, r, spec.object)?;
        if let Some(actor) = r.asserted_by.actor() {
            self.reference(at, Path::root().key("asserted_by"), actor, &[A])?;
        }
        self.reference(at, Path::root().key("source"), &r.source, &[S])?;
        self.list(at, "evidence", &r.evidence, &[St])?;
        self.when(at, "asserted_on", r.asserted_on.as_ref());
        if let (Some(from), Some(to)) = (r.valid_from, r.valid_to)
            && to.last_day() < from.first_day()
        {
            self.problem(
                C,
                i,
                Path::root().key("valid_to"),
                format!("valid_to ({to}) is before valid_from ({from})"),
            );
        }
        let q = Path::root().key("qualifiers");
        if let Some(within) = &r.qualifiers.within {
            self.reference(at, q.key("in"), within, &[L])?;
        }
        match (r.relation, r.qualifiers.years) {
            (Relation::MarkedAnniversaryOf, None) => self.problem(C, i, q.key("years"), "marked_anniversary_of needs qualifiers.years: which anniversary (2 for the second)".into()),
            (_, Some(0)) => self.problem(C, i, q.key("years"), "years must be 1 or more".into()),
            _ => {}
        }
        Ok(())
    }

    fn object(&mut self, i: usize, r: &Claim, kind: ObjectKind) -> Result<(), X::Error> {
        let rel = r.relation.as_str();
        match (kind, &r.object, &r.value) {
            (ObjectKind::Value, None, Some(v)) => {
                if v.amount.is_none() && v.text.is_none() {
                    self.problem(C, i, Path::root().key("value"), "a value needs an amount or a text".into());
                }
            }
            (ObjectKind::Value, _, _) => self.problem(C, i, Path::root().key("value"), format!(
                "relation {rel} takes a value instead of an object, e.g. value: {{amount: 2500, unit: soldiers}}")),
            (ObjectKind::Entity(types), Some(object), None) => {
                if *object == r.subject {
                    self.problem(C, i, Path::root().key("object"), format!("a claim cannot link {:?} to itself", object.as_str()));
                    return Ok(());
                }
                let found = self.reference((C, i), Path::root().key("object"), object, EntityType::ALL)?;
                if let Some(t) = found
                    && !types.contains(&t)
                {
                    self.problem(C, i, Path::root().key("object"), format!(
                        "relation {rel} needs {} as object, but {:?} is {}",
                        expected_words(types), object.as_str(), t.with_article()));
                }
            }
            (ObjectKind::Entity(_), _, Some(_)) => self.problem(C, i, Path::root().key("value"), format!(
                "relation {rel} links two entities: give an object id, not a value")),
            (ObjectKind::Entity(types), None, None) => self.problem(C, i, Path::root().key("object"), format!(
                "missing object: relation {rel} needs {} as object", expected_words(types))),
        }
        Ok(())
    }

    fn stance(&mut self, i: usize, r: &Stance) -> Result<(), X::Error> {
        let at = (Sn, i);
        let claim = self.reference(at, Path::root().key("claim"), &r.claim, &[C])?;
        self.reference(at, Path::root().key("actor"), &r.actor, &[A])?;
        if let Some(actor) = r.asserted_by.actor() {
            self.reference(at, Path::root().key("asserted_by"), actor, &[A])?;
        }
        self.reference(at, Path::root().key("source"), &r.source, &[S])?;
        self.optional(at, "evidence", r.evidence.as_ref(), &[St])?;
        // A claim's asserter saying it again is another claim (with its own source), which
        // corroboration counts; as a stance it would say nothing the claim does not.
        if claim.is_some()
            && r.position == StancePosition::Confirms
            && self
                .asserter_of(&r.claim)?
                .as_ref()
                .and_then(AssertedBy::actor)
                == Some(&r.actor)
        {
            self.problem(
                Sn,
                i,
                Path::root().key("position"),
                format!(
                    "{:?} asserts claim {:?} itself, so its confirming it adds nothing; to record that it says so again in another source, add a claim with that source",
                    r.actor.as_str(),
                    r.claim.as_str()
                ),
            );
        }
        Ok(())
    }

    /// Who asserts the claim `id`, from the batch or else from the graph.
    fn asserter_of(&mut self, id: &Id) -> Result<Option<AssertedBy>, X::Error> {
        let set = self.set;
        let asserters = self
            .asserters
            .get_or_insert_with(|| set.claims.iter().map(|c| (&c.id, &c.asserted_by)).collect());
        if let Some(a) = asserters.get(id) {
            return Ok(Some((*a).clone()));
        }
        self.existing.asserter(id.as_str())
    }

    /// Reports each cycle of a containment link (`field`) once, at its first record in the batch.
    fn containment_cycles<'s>(
        &mut self,
        section: EntityType,
        record: impl Fn(usize) -> Option<(&'s Id, Option<&'s Id>)>,
        field: &str,
    ) -> Result<(), X::Error> {
        let mut in_batch: HashMap<&Id, Option<&Id>> = HashMap::new();
        let mut order = Vec::new();
        let mut i = 0;
        while let Some((id, up)) = record(i) {
            in_batch.entry(id).or_insert(up);
            order.push((i, id));
            i += 1;
        }
        let mut reported: HashSet<Id> = HashSet::new();
        for (index, start) in order {
            if reported.contains(start) {
                continue;
            }
            let mut chain = vec![start.clone()];
            let mut current = start.clone();
            loop {
                let up = match in_batch.get(&current) {
                    Some(up) => up.cloned(),
                    None => self.existing.container(section, current.as_str())?,
                };
                let Some(next) = up else { break };
                if next == *start {
                    chain.push(next);
                    let shown: Vec<&str> = chain.iter().map(Id::as_str).collect();
                    self.problem(
                        section,
                        index,
                        Path::root().key(field),
                        format!(
                            "{field} links form a cycle: {}; remove one of these links",
                            shown.join(" → ")
                        ),
                    );
                    reported.extend(chain);
                    break;
                }
                if chain.contains(&next) || chain.len() > 10_000 {
                    break; // a cycle that does not pass through `start`: reported from its own member
                }
                chain.push(next.clone());
                current = next;
            }
        }
        Ok(())
    }
}

fn expected_words(types: &[EntityType]) -> String {
    if types.len() == EntityType::ALL.len() {
        return "an entity".into();
    }
    let words: Vec<&str> = types.iter().map(|t| t.with_article()).collect();
    words.join(" or ")
}
