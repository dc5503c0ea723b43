-- 1 when location ?1 lies inside location ?2 at any depth (following parents up from ?1);
-- the walk is bounded, since containment has no cycles but a damaged file might.
WITH RECURSIVE up (id, depth) AS (
    SELECT parent_id, 1 FROM locations WHERE id = ?1 AND parent_id IS NOT NULL
    UNION
    SELECT l.parent_id, up.depth + 1 FROM locations l JOIN up ON l.id = up.id
     WHERE l.parent_id IS NOT NULL AND up.depth < 64
)
SELECT 1 FROM up WHERE id = ?2 LIMIT 1
