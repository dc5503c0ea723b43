-- A node's claims of some relations, most confident first, read from the index alone: the
-- nested lists (`claimants`, `suspectedPatrons`, …) seek to (node, relation) instead of
-- scanning every claim of a hub through claims_out/claims_in, and take the claim's id and
-- the node at its other end from the index instead of its row.
CREATE INDEX claims_listed_out ON claims (subject_id, relation, confidence DESC, id, object_id);
CREATE INDEX claims_listed_in ON claims (object_id, relation, confidence DESC, id, subject_id);
