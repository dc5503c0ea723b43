-- Breadth-first walk over claims in both directions from ?1, up to ?2 hops, stopping after
-- ?3 rows. A node may come back at a greater depth (UNION only drops exact repeats); the
-- caller keeps each node's least depth. ?4: minimum confidence; ?5: 1 to follow refuted
-- claims; ?6: 1 to follow only the relations in the array ?7. Each direction is its own
-- recursive step, so that each uses its index (claims_subject, claims_object).
WITH RECURSIVE walk(node, depth) AS (
    SELECT ?1, 0
    UNION
    SELECT c.object_id, w.depth + 1 FROM walk w JOIN claims c ON c.subject_id = w.node
     WHERE w.depth < ?2 AND c.object_id IS NOT NULL
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
       AND (NOT ?6 OR c.relation IN rarray(?7))
    UNION
    SELECT c.subject_id, w.depth + 1 FROM walk w JOIN claims c ON c.object_id = w.node
     WHERE w.depth < ?2
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
       AND (NOT ?6 OR c.relation IN rarray(?7))
    LIMIT ?3
)
SELECT node, depth FROM walk
