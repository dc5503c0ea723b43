-- Patrons upwards from each actor of the array ?1: front_for and backed_by claims, then the
-- same from each patron, up to ?2 steps and ?3 rows. The path (`/a/b/`) stops a cycle from
-- going round. ?4: minimum confidence; ?5: 1 to follow refuted claims.
WITH RECURSIVE up(root, client, claim, patron, depth, path) AS (
    SELECT c.subject_id, c.subject_id, c.id, c.object_id, 1,
           '/' || c.subject_id || '/' || c.object_id || '/'
      FROM claims c
     WHERE c.subject_id IN rarray(?1) AND c.relation IN ('front_for', 'backed_by')
       AND c.object_id IS NOT NULL AND c.object_id <> c.subject_id
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
    UNION ALL
    SELECT u.root, c.subject_id, c.id, c.object_id, u.depth + 1, u.path || c.object_id || '/'
      FROM up u JOIN claims c ON c.subject_id = u.patron
     WHERE c.relation IN ('front_for', 'backed_by') AND c.object_id IS NOT NULL
       AND instr(u.path, '/' || c.object_id || '/') = 0
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
       AND u.depth < ?2
    LIMIT ?3
)
SELECT root, client, claim, patron, depth FROM up
