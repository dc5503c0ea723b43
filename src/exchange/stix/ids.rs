//! Deterministic STIX identifiers: the same record exports to the same id every time, so
//! re-exports diff cleanly and platforms deduplicate (`docs/stix-design.md` §3).

use uuid::Uuid;

/// claimgraph's UUIDv5 namespace for STIX ids. STIX 2.1 §2.9 lets producers use UUIDv5 over
/// a namespace of their own for SDOs and SROs (never the SCO namespace `00abedb4-…`).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x78f0_3b3b_eaf9_4dcb_91fb_dabe_cb26_9da6);

/// The STIX id of an object of `stix_type` keyed by `key`: `{type}--UUIDv5(NS, "{type}:{key}")`.
/// The key is a claimgraph id, or a derived key with `/` or `#` (which ids cannot hold), so
/// keys never collide; the type in the name keeps a threat actor's twin identity distinct.
pub fn id(namespace: &Uuid, stix_type: &str, key: &str) -> String {
    let name = format!("{stix_type}:{key}");
    format!(
        "{stix_type}--{}",
        Uuid::new_v5(namespace, name.as_bytes()).hyphenated()
    )
}

#[cfg(test)]
mod tests {
    use super::{NAMESPACE, id};

    #[test]
    fn an_id_is_the_uuidv5_of_type_and_key_in_claimgraphs_namespace() {
        // Python: uuid.uuid5(UUID("78f03b3b-eaf9-4dcb-91fb-dabecb269da6"),
        //                    "threat-actor:saraya-qasem-al-jabarin")
        assert_eq!(
            id(&NAMESPACE, "threat-actor", "saraya-qasem-al-jabarin"),
            "threat-actor--dee0d1b6-b0cf-53aa-af3f-5500a3054bca"
        );
    }

    #[test]
    fn the_same_key_under_another_type_is_another_uuid() {
        let actor = id(&NAMESPACE, "threat-actor", "kataib-hezbollah");
        let twin = id(&NAMESPACE, "identity", "kataib-hezbollah");
        assert_ne!(actor.split("--").nth(1), twin.split("--").nth(1));
        assert_eq!(actor, id(&NAMESPACE, "threat-actor", "kataib-hezbollah"));
    }
}
