-- search.sql for PostgreSQL: the best ?2 matches of the tsquery ?1 among its ?3 most
-- recently indexed matches, with their snippets. `doc` weighs the name A, the aliases B and
-- the body C (migration 0002); ts_rank's weights {D, C, B, A} give them the proportions
-- SQLite's bm25 columns have (10, 5, 1). As on SQLite, the candidates are taken from the end
-- of the index without scoring, so a common word costs ?3 scores, not one per match.
WITH candidates AS MATERIALIZED (
    SELECT rowid AS row, node_id, type,
           ts_rank('{0, 0.1, 0.5, 1.0}', doc, to_tsquery('simple', ?1))::float8 AS score
      FROM search WHERE doc @@ to_tsquery('simple', ?1)
     ORDER BY rowid DESC LIMIT ?3
),
best AS MATERIALIZED (
    SELECT * FROM candidates ORDER BY score DESC, node_id LIMIT ?2
)
SELECT best.node_id, best.type, best.score,
       ts_headline('simple', concat_ws(' … ', nullif(s.name, ''), nullif(s.aliases, ''), nullif(s.body, '')),
                   to_tsquery('simple', ?1),
                   'StartSel=<mark>, StopSel=</mark>, MaxWords=12, MinWords=4, FragmentDelimiter=" … "')
  FROM best JOIN search s ON s.rowid = best.row
 ORDER BY best.score DESC, best.node_id
