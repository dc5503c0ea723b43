-- patrons.sql for PostgreSQL, which takes no LIMIT inside a recursive CTE: the limit sits on
-- the outer query instead, and PostgreSQL stops the climb as soon as that many rows are read.
-- Parameters as in patrons.sql.
WITH RECURSIVE up(root, node, depth) AS (
    SELECT value, value, 0 FROM rarray(?1)
    UNION
    SELECT u.root, c.object_id, u.depth + 1 FROM up u JOIN claims c ON c.subject_id = u.node
     WHERE c.relation IN ('front_for', 'backed_by') AND c.object_id IS NOT NULL
       AND c.object_id <> c.subject_id
       AND c.confidence >= ?4 AND (?5 OR c.status <> 'refuted')
       AND u.depth < ?2
)
SELECT root, node, depth FROM up LIMIT ?3
