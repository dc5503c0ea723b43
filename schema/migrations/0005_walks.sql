-- Claims indexed by each end and then the other end, with the columns the walks filter on
-- (confidence, status, relation), so that a breadth-first level reads only the index: a
-- hub's neighbours in id order without touching its claims' rows, and the nearest nodes of
-- a neighbourhood without reading every link of a hub. They replace the indexes by
-- (end, relation): lists by relation still find a node's claims through them and check the
-- relation in the index.
DROP INDEX claims_subject;
DROP INDEX claims_object;
CREATE INDEX claims_out ON claims (subject_id, object_id, confidence, status, relation);
CREATE INDEX claims_in ON claims (object_id, subject_id, confidence, status, relation);
