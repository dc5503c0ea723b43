-- The actors above each actor of the array ?1, climbing front_for and backed_by claims from
-- subject to object: each (root, actor, hops) once, up to ?2 hops and ?3 rows. UNION drops
-- repeats, so a cycle adds at most one row per hop and stops at ?2. ?4: minimum confidence;
-- ?5: 1 to follow refuted claims.
WITH RECURSIVE up(root, node, depth) AS (
    SELECT value, value, 0 FROM rarray(?1)
    UNION
    SELECT u.root, c.object_id, u.depth + 1 FROM up u JOIN claims c ON c.subject_id = u.node
     WHERE c.relation IN ('front_for', 'backed_by') AND c.object_id IS NOT NULL
       AND c.object_id <> c.subject_id
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
       AND u.depth < ?2
    LIMIT ?3
)
SELECT root, node, depth FROM up
