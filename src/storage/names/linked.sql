-- The nodes each of the ids ?1 is linked to by a claim, either way, with the relation.
SELECT subject_id, object_id, relation FROM claims
 WHERE subject_id IN rarray(?1) AND object_id IS NOT NULL
UNION
SELECT object_id, subject_id, relation FROM claims
 WHERE object_id IN rarray(?1)
