-- Every record of a bulk load as a node, in id order (the tables were empty before it).
INSERT INTO nodes (id, type)
SELECT id, 'actor' FROM actors
UNION ALL SELECT id, 'location' FROM locations
UNION ALL SELECT id, 'event' FROM events
UNION ALL SELECT id, 'source' FROM sources
UNION ALL SELECT id, 'statement' FROM statements
UNION ALL SELECT id, 'claim' FROM claims
UNION ALL SELECT id, 'stance' FROM stances
ORDER BY 1
