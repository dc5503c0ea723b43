-- One breadth-first step: the nodes linked to any of the nodes ?1 by a claim, either way, as
-- (from, to) rows, at most ?2. The walks' filters: ?3 minimum confidence; ?4 1 to follow
-- refuted claims; ?5 1 to follow only the relations in the array ?6. Each direction is its own
-- SELECT so that each uses its index (claims_listed_out, claims_listed_in).
SELECT subject_id, object_id FROM claims
 WHERE subject_id IN rarray(?1) AND object_id IS NOT NULL
   AND confidence >= ?3 AND (?4 OR status <> 'refuted')
   AND (NOT ?5 OR relation IN rarray(?6))
UNION ALL
SELECT object_id, subject_id FROM claims
 WHERE object_id IN rarray(?1)
   AND confidence >= ?3 AND (?4 OR status <> 'refuted')
   AND (NOT ?5 OR relation IN rarray(?6))
LIMIT ?2
