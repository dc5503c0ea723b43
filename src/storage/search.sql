-- The best ?2 matches of the FTS5 query ?1 among its ?3 most recently indexed matches, with
-- their snippets. Scoring (bm25) costs a lookup per match, so a common word scored over
-- every match took over a second at a million claims; the candidates are read from the end
-- of the word's list of rows without scoring, and only they are scored. Snippets are made
-- for the winners alone: CROSS JOIN keeps them the outer loop, so that the match is looked
-- up by rowid for each winner, not the winners scanned for each match.
WITH candidates AS MATERIALIZED (
    SELECT rowid AS row, node_id, type, -bm25(search, 0.0, 0.0, 10.0, 5.0, 1.0) AS score
      FROM search WHERE search MATCH ?1
     ORDER BY rowid DESC LIMIT ?3
),
best AS MATERIALIZED (
    SELECT * FROM candidates ORDER BY score DESC, node_id LIMIT ?2
)
SELECT best.node_id, best.type, best.score,
       snippet(search, -1, '<mark>', '</mark>', '…', 12)
  FROM best CROSS JOIN search ON search.rowid = best.row
 WHERE search MATCH ?1
 ORDER BY best.score DESC, best.node_id
