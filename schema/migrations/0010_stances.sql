-- claimgraph schema 10: stances, a named party's position on a claim ("Iran denied any
-- involvement"), with who reports it, in which source, when and how sure.
--
-- `nodes.type` also takes 'stance': that CHECK is widened by `storage::migrate` right after
-- this file runs (SQLite cannot alter a constraint, and rebuilding `nodes`, which every
-- table refers to, would rewrite the whole graph for a constraint that only grows).

CREATE TABLE stances (
    id             TEXT PRIMARY KEY REFERENCES nodes (id),
    claim_id       TEXT NOT NULL REFERENCES claims (id),
    actor_id       TEXT NOT NULL REFERENCES actors (id),
    position       TEXT NOT NULL CHECK (position IN ('confirms', 'denies', 'disputes', 'uncertain', 'declines_to_comment')),
    asserted_by_id TEXT REFERENCES actors (id), -- NULL: the source's own voice
    source_id      TEXT NOT NULL REFERENCES sources (id),
    date           TEXT,
    evidence_id    TEXT REFERENCES statements (id),
    confidence     INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    note           TEXT
);

-- A claim's stances (`Claim.stances`) and an actor's (`Actor.stances`, which may filter by
-- position); the claims filter `stance: {by, position}` seeks (actor, position) and takes
-- the claims' ids from the index.
CREATE INDEX stances_on_claim ON stances (claim_id, date, id);
CREATE INDEX stances_by_actor ON stances (actor_id, position, claim_id);
-- Every other reference, for the reverse lookups and SQLite's foreign-key checks.
CREATE INDEX stances_asserted_by ON stances (asserted_by_id);
CREATE INDEX stances_source ON stances (source_id);
CREATE INDEX stances_evidence ON stances (evidence_id);
