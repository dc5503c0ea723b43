-- claimgraph schema 11 (PostgreSQL): what STIX imports leave behind.
--
-- `stix_ids` records which node each imported STIX object became and the version that was
-- read, so that importing the object again lands on the same node (even if it was renamed
-- since) and an older version never replaces a newer one.
-- `stix_objects` stores, as received, the objects claimgraph has nowhere to put
-- (indicators, malware, sightings, relationships outside its vocabulary), so an import
-- loses nothing.
--
-- Differences from the SQLite step, and why:
-- * `WITHOUT ROWID` has no equivalent (PostgreSQL tables are heaps with separate indexes);
--   the primary keys are the same.
-- * `json_valid` -> `claimgraph_json_valid` (step 1); the FK is deferred like every other.

CREATE TABLE stix_ids (
    stix_id  text PRIMARY KEY,
    node_id  text NOT NULL REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    modified text NOT NULL
);

CREATE INDEX stix_ids_node ON stix_ids (node_id);

CREATE TABLE stix_objects (
    id       text PRIMARY KEY,
    type     text NOT NULL,
    modified text NOT NULL,
    object   text NOT NULL CHECK (claimgraph_json_valid(object))
);
