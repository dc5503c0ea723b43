-- claimgraph schema 10 (PostgreSQL): stances, the position a named party takes on a claim
-- ("Iran denied any involvement"), with who reports it, in which source, when, and with
-- what confidence.
--
-- Differences from the SQLite step, and why:
-- * `nodes.type` must also accept 'stance'. SQLite cannot alter a constraint, so there
--   `storage::migrate` edits the stored schema right after the file runs; PostgreSQL can,
--   so the constraint is replaced here instead, with the same list in the same order.
--   Every stored row already satisfies the wider check.
-- * Foreign keys are deferred like every other (see step 1).

ALTER TABLE nodes DROP CONSTRAINT nodes_type_check;
ALTER TABLE nodes ADD CONSTRAINT nodes_type_check
    CHECK (type IN ('actor', 'location', 'event', 'source', 'statement', 'claim', 'stance'));

CREATE TABLE stances (
    id             text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    claim_id       text NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    actor_id       text NOT NULL REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    position       text NOT NULL CHECK (position IN ('confirms', 'denies', 'disputes', 'uncertain', 'declines_to_comment')),
    asserted_by_id text REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED, -- NULL: the source's own voice
    source_id      text NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    date           text,
    evidence_id    text REFERENCES statements (id) DEFERRABLE INITIALLY DEFERRED,
    confidence     bigint NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    note           text
);

-- A claim's stances (`Claim.stances`) and an actor's (`Actor.stances`, optionally by
-- position); the claims filter `stance: {by, position}` seeks (actor, position) and reads
-- the claim ids from the index.
CREATE INDEX stances_on_claim ON stances (claim_id, date, id);
CREATE INDEX stances_by_actor ON stances (actor_id, position, claim_id);
-- The remaining references, for reverse lookups and for the foreign-key checks.
CREATE INDEX stances_asserted_by ON stances (asserted_by_id);
CREATE INDEX stances_source ON stances (source_id);
CREATE INDEX stances_evidence ON stances (evidence_id);
