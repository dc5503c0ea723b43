-- Every location that has not been merged away, with its parent and its names (name first,
-- then aliases) from the name index, one row per name, in id order.
SELECT l.id, l.kind, l.parent_id, n.text
  FROM locations l
  JOIN nodes ON nodes.id = l.id AND nodes.merged_into IS NULL
  JOIN names n ON n.node_id = l.id
 ORDER BY l.id, n.alias, n.row
