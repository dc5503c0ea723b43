-- claimgraph schema 11: what STIX imports leave behind.
--
-- `stix_ids` maps each imported STIX object to the node it became, with the version read,
-- so that a re-import lands on the same node (even after a rename) and an older version of
-- an object is not imported over a newer one.
-- `stix_objects` keeps, verbatim, the objects claimgraph has no place for (indicators,
-- malware, sightings, relationships its vocabulary cannot say), so nothing is dropped.

CREATE TABLE stix_ids (
    stix_id  TEXT PRIMARY KEY,
    node_id  TEXT NOT NULL REFERENCES nodes (id),
    modified TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX stix_ids_node ON stix_ids (node_id);

CREATE TABLE stix_objects (
    id       TEXT PRIMARY KEY,
    type     TEXT NOT NULL,
    modified TEXT NOT NULL,
    object   TEXT NOT NULL CHECK (json_valid(object))
) WITHOUT ROWID;
