-- The front_for and backed_by claims made about the actors ?1 as subjects (self-links left
-- out: an actor is not its own patron), under the filters of patrons.sql (?2, ?3).
SELECT subject_id, id, object_id FROM claims
 WHERE subject_id IN rarray(?1) AND relation IN ('front_for', 'backed_by')
   AND object_id IS NOT NULL AND object_id <> subject_id
   AND confidence >= ?2 AND (?3 OR status <> 'refuted')
 ORDER BY subject_id, id
