-- claimgraph schema 5 (PostgreSQL): indexes for the graph walks.
-- Each end of a claim, then its other end, with the columns a walk filters on (confidence,
-- status, relation): one breadth-first level can then be answered from the index alone,
-- a hub's neighbours in id order without visiting its claim rows. They replace the
-- (end, relation) indexes; lists by relation still use them, checking the relation inside
-- the index.
--
-- Same statements as the SQLite step: nothing here is dialect-specific.
DROP INDEX claims_subject;
DROP INDEX claims_object;
CREATE INDEX claims_out ON claims (subject_id, object_id, confidence, status, relation);
CREATE INDEX claims_in ON claims (object_id, subject_id, confidence, status, relation);
