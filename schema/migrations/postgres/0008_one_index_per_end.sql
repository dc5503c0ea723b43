-- claimgraph schema 8 (PostgreSQL): one index per end of a claim instead of two.
-- The walks (neighbours, nearest, between) read all of a node's claims in no particular
-- order and need the other end, confidence, status and relation. Once `status` is added,
-- the lists' indexes carry all of that, so the walks' own indexes go: every claim written
-- then updates two B-trees fewer, and a large seed builds two fewer indexes.
--
-- Same statements as the SQLite step: nothing here is dialect-specific.
DROP INDEX claims_out;
DROP INDEX claims_in;
DROP INDEX claims_listed_out;
DROP INDEX claims_listed_in;
CREATE INDEX claims_listed_out ON claims (subject_id, relation, confidence DESC, id, object_id, status);
CREATE INDEX claims_listed_in ON claims (object_id, relation, confidence DESC, id, subject_id, status);
