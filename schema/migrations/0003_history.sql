-- claimgraph schema 3: versions, history and merges.
-- Every node carries the version its last change produced; an editor's update names the
-- version it was based on, so a stale one is refused instead of overwriting newer work.
-- Nothing is deleted: an actor merged into another keeps its row and points at the survivor.

ALTER TABLE nodes ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE nodes ADD COLUMN merged_into TEXT REFERENCES nodes (id);
CREATE INDEX nodes_merged_into ON nodes (merged_into) WHERE merged_into IS NOT NULL;

-- One row per change of one node, oldest first. `changes` is a JSON list of
-- {"field", "old", "new"} in the fixture format's field names.
CREATE TABLE history (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id TEXT NOT NULL REFERENCES nodes (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    editor  TEXT NOT NULL CHECK (trim(editor) <> ''),
    at      TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('created', 'updated', 'status_changed', 'merged_away', 'merged_in', 'relinked')),
    changes TEXT NOT NULL CHECK (json_valid(changes)),
    reason  TEXT,
    UNIQUE (node_id, version)
);

-- What a database held before history was kept: one entry per node, with no field detail.
INSERT INTO history (node_id, version, editor, at, action, changes, reason)
SELECT id, 1, 'claimgraph', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'created', '[]',
       'recorded before claimgraph kept history'
FROM nodes;
