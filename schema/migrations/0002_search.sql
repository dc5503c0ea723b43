-- claimgraph schema 2: full-text search over names, aliases, descriptions and statement text.
-- Case and diacritics are folded (unicode61 remove_diacritics 2), so "Ayn al-Asad",
-- "AYN AL-ASAD" and "Āyn al-Asad" are the same words. claimgraph keeps the index current
-- when it writes a record; this migration fills it for what a version-1 database holds.

CREATE VIRTUAL TABLE search USING fts5 (
    node_id UNINDEXED,
    type UNINDEXED,
    name,
    aliases,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search (node_id, type, name, aliases, body)
SELECT a.id, 'actor', a.name,
       coalesce((SELECT group_concat(alias, ' ; ') FROM aliases WHERE node_id = a.id), ''),
       coalesce(a.description, '')
FROM actors a;

INSERT INTO search (node_id, type, name, aliases, body)
SELECT l.id, 'location', l.name,
       coalesce((SELECT group_concat(alias, ' ; ') FROM aliases WHERE node_id = l.id), ''),
       coalesce(l.description, '')
FROM locations l;

INSERT INTO search (node_id, type, name, aliases, body)
SELECT e.id, 'event', e.title, '', coalesce(e.description, '') FROM events e;

INSERT INTO search (node_id, type, name, aliases, body)
SELECT s.id, 'source', s.title, '', coalesce(s.description, '') FROM sources s;

INSERT INTO search (node_id, type, name, aliases, body)
SELECT s.id, 'statement', '', '', s.text || ' ' || coalesce(s.description, '') FROM statements s;
