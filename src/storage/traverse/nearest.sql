-- One breadth-first level of a neighbourhood: the distinct nodes linked to any of the nodes
-- ?1 by a claim, either way, in id order, at most ?2 of them. The walks' filters as in
-- neighbours.sql: ?3 minimum confidence; ?4 1 to follow refuted claims; ?5 1 to follow only
-- the relations in the array ?6. Both halves read only the indexes claims_listed_out and
-- claims_listed_in.
SELECT object_id FROM claims
 WHERE subject_id IN rarray(?1) AND object_id IS NOT NULL
   AND confidence >= ?3 AND (?4 OR status <> 'refuted')
   AND (NOT ?5 OR relation IN rarray(?6))
UNION
SELECT subject_id FROM claims
 WHERE object_id IN rarray(?1)
   AND confidence >= ?3 AND (?4 OR status <> 'refuted')
   AND (NOT ?5 OR relation IN rarray(?6))
ORDER BY 1
LIMIT ?2
