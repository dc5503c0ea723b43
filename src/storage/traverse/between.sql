-- The claims (edges) both of whose ends are among the nodes ?1, under the same filters as
-- neighbours.sql (?4 minimum confidence, ?5 follow refuted, ?6/?7 relations), at most ?3.
-- Each subject's claims are read and their objects checked (the unary + keeps the planner
-- from probing claims_listed_out for every pair of nodes, which grows with their square).
SELECT id, subject_id, object_id, relation, confidence FROM claims
 WHERE subject_id IN rarray(?1) AND +object_id IN rarray(?1)
   AND confidence >= ?4 AND (?5 OR status <> 'refuted')
   AND (NOT ?6 OR relation IN rarray(?7))
 ORDER BY id
 LIMIT ?3
