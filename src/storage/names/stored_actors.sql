-- Every actor that has not been merged away, with its names (name first, then aliases) from
-- the name index, one row per name, in id order.
SELECT a.id, a.kind, NULL, n.text
  FROM actors a
  JOIN nodes ON nodes.id = a.id AND nodes.merged_into IS NULL
  JOIN names n ON n.node_id = a.id
 ORDER BY a.id, n.alias, n.row
