-- claimgraph schema 7 (PostgreSQL): a node's claims of given relations, most confident
-- first, from the index alone. The nested lists (`claimants`, `suspectedPatrons`, …) seek
-- straight to (node, relation) rather than reading all of a hub's claims, and get the
-- claim's id and the node at its other end from the index rather than the table.
--
-- Same statements as the SQLite step. (Whether PostgreSQL answers from the index alone
-- also depends on the visibility map, i.e. on vacuum; the index is useful either way.)
CREATE INDEX claims_listed_out ON claims (subject_id, relation, confidence DESC, id, object_id);
CREATE INDEX claims_listed_in ON claims (object_id, relation, confidence DESC, id, subject_id);
