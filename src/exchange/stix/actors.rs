//! Actors as STIX objects (`docs/stix-design.md` §2.1): armed and front groups are
//! `threat-actor`s; everyone else is an `identity` whose class and sector say what it is. No
//! state is labelled a threat actor: that would be a judgement the reporting did not make.

use serde_json::{Value, json};

use super::context::{self, Context};
use super::ids;
use crate::model::{Actor, ActorKind};

/// The STIX type an actor exports as.
pub fn stix_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::ArmedGroup | ActorKind::FrontGroup => "threat-actor",
        _ => "identity",
    }
}

/// An identity's `identity_class` and `sectors` (STIX's open vocabularies) for an actor's kind.
fn identity_class(kind: ActorKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        ActorKind::Person => ("individual", &[]),
        // Unnamed officials are an informal group, not an organisation.
        ActorKind::Officials => ("group", &["government-national"]),
        ActorKind::State | ActorKind::GovernmentBody => ("organization", &["government-national"]),
        // industry-sector-ov has no "military"; "defense" is the nearest.
        ActorKind::MilitaryForce | ActorKind::Coalition => ("organization", &["defense"]),
        ActorKind::MediaOutlet => ("organization", &["communications"]),
        // A group that asserts something is exported as a twin identity of class group.
        ActorKind::ArmedGroup | ActorKind::FrontGroup => ("group", &[]),
        ActorKind::Organization => ("organization", &[]),
    }
}

/// The STIX object of an actor, without timestamps and extension (the exporter adds those).
pub fn object(namespace: &uuid::Uuid, actor: &Actor) -> Value {
    let stix_type = stix_type(actor.kind);
    let mut object = json!({
        "type": stix_type,
        "spec_version": "2.1",
        "id": ids::id(namespace, stix_type, actor.id.as_str()),
        "name": actor.name.as_str(),
    });
    if let Some(description) = &actor.description {
        object["description"] = json!(description);
    }
    if !actor.aliases.is_empty() {
        let aliases: Vec<&str> = actor.aliases.iter().map(|a| a.as_str()).collect();
        // threat-actor has `aliases`; identity has none in STIX 2.1.
        if stix_type == "threat-actor" {
            object["aliases"] = json!(aliases);
        }
    }
    if stix_type == "identity" {
        let (class, sectors) = identity_class(actor.kind);
        object["identity_class"] = json!(class);
        if !sectors.is_empty() {
            object["sectors"] = json!(sectors);
        }
    }
    object
}

/// The actor's object with its record, then its identity twin and the `attributed-to` link
/// between them when the actor is a threat-actor that speaks (design §2.1).
pub fn objects(ctx: &Context<'_>, actor: &Actor) -> Vec<Value> {
    let id = actor.id.as_str();
    let mut head = ctx.head(
        stix_type(actor.kind),
        ctx.stix_ref(id),
        Some(ctx.producer()),
        id,
        &[],
    );
    context::extend(&mut head, object(&ctx.namespace, actor));
    let mut out = vec![ctx.with_record(head, "actor", context::record(actor))];
    if ctx.twins.contains(id) {
        let mut twin = ctx.head("identity", ctx.identity(id), Some(ctx.producer()), id, &[]);
        twin.insert("name".into(), json!(actor.name.as_str()));
        twin.insert("identity_class".into(), json!("group"));
        out.push(ctx.derived(twin, "twin", id, None));
        let link = context::producer_link(
            ctx,
            &format!("{id}/identity"),
            id,
            "attributed-to",
            ctx.identity(id),
            &[],
        );
        out.push(ctx.derived(link, "twin", id, None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{object, stix_type};
    use crate::exchange::stix::ids::NAMESPACE;
    use crate::model::{Actor, ActorKind, Id, Text};

    fn actor(id: &str, kind: ActorKind, name: &str, aliases: &[&str]) -> Actor {
        Actor {
            id: Id::parse(id).expect("an id"),
            kind,
            name: Text::try_from(name.to_owned()).expect("a name"),
            aliases: aliases
                .iter()
                .map(|a| Text::try_from((*a).to_owned()).expect("an alias"))
                .collect(),
            description: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn groups_are_threat_actors_and_states_are_identities_of_governments() {
        assert_eq!(stix_type(ActorKind::ArmedGroup), "threat-actor");
        assert_eq!(stix_type(ActorKind::FrontGroup), "threat-actor");
        let iran = object(&NAMESPACE, &actor("iran", ActorKind::State, "Iran", &[]));
        assert_eq!(iran["type"], "identity");
        assert_eq!(iran["identity_class"], "organization");
        assert_eq!(iran["sectors"][0], "government-national");
    }

    #[test]
    fn a_threat_actor_keeps_its_aliases_and_its_deterministic_id() {
        let saraya = actor(
            "saraya-qasem-al-jabarin",
            ActorKind::FrontGroup,
            "Saraya Qasem al-Jabarin",
            &["Saraya Qassem al-Jabarin"],
        );
        let o = object(&NAMESPACE, &saraya);
        assert_eq!(
            o["id"],
            "threat-actor--dee0d1b6-b0cf-53aa-af3f-5500a3054bca"
        );
        assert_eq!(o["aliases"][0], "Saraya Qassem al-Jabarin");
        assert_eq!(o["spec_version"], "2.1");
    }
}
