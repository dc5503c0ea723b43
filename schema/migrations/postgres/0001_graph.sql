-- claimgraph schema 1 (PostgreSQL): the knowledge graph.
-- One row in `nodes` per node of any type keeps ids unique graph-wide, which lets a claim
-- or a statement refer to a node without knowing its type.
--
-- Differences from the SQLite step, and why:
-- * Types: TEXT -> text, INTEGER -> bigint, REAL -> double precision. Integer booleans
--   (`claims.value_approximate`) stay bigint 0/1 with the same CHECK, so that the Rust
--   texts that write and compare 0/1 run on both engines.
-- * `json_valid` does not exist here; `claimgraph_json_valid` (below) takes its place in
--   the CHECKs.
-- * Every foreign key is DEFERRABLE INITIALLY DEFERRED. SQLite's writer turns on
--   `defer_foreign_keys` in each write transaction, since a batch may refer forwards to a
--   record it writes later; deferring here gives the same check-at-commit without a
--   per-transaction statement.
-- * `nodes.type`'s CHECK is named (`nodes_type_check`) so that step 10 can widen it.

-- True for text that parses as JSON, false otherwise, NULL for NULL (as SQLite's
-- json_valid). It parses as `json`, not `jsonb`: jsonb refuses "\u0000", which SQLite
-- accepts, and the check must refuse only what SQLite refuses. plpgsql so the parse error
-- can be caught; the result depends on the argument alone, hence IMMUTABLE.
CREATE FUNCTION claimgraph_json_valid(doc text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF doc IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM doc::json;
    RETURN true;
EXCEPTION
    WHEN invalid_text_representation OR invalid_json_text OR untranslatable_character THEN
        RETURN false;
END;
$$;

CREATE TABLE nodes (
    id   text PRIMARY KEY,
    type text NOT NULL
        CONSTRAINT nodes_type_check
        CHECK (type IN ('actor', 'location', 'event', 'source', 'statement', 'claim'))
);

CREATE TABLE actors (
    id          text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    kind        text NOT NULL,
    name        text NOT NULL CHECK (trim(name) <> ''),
    description text
);

CREATE TABLE locations (
    id           text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    kind         text NOT NULL,
    name         text NOT NULL CHECK (trim(name) <> ''),
    description  text,
    lat          double precision CHECK (lat BETWEEN -90 AND 90),
    lon          double precision CHECK (lon BETWEEN -180 AND 180),
    precision_km double precision CHECK (precision_km >= 0),
    parent_id    text REFERENCES locations (id) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX locations_parent ON locations (parent_id);

-- Times are kept twice: as written (`when_date`, `when_until`: YYYY, YYYY-MM or
-- YYYY-MM-DD, ISO text, since a partial date has no `date` value) and as the first and
-- last calendar day they cover, which is what date-range filters compare.
CREATE TABLE events (
    id          text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    kind        text NOT NULL,
    title       text NOT NULL CHECK (trim(title) <> ''),
    description text,
    when_date   text,
    when_until  text,
    part_of_day text,
    first_day   text,
    last_day    text,
    location_id text REFERENCES locations (id) DEFERRABLE INITIALLY DEFERRED,
    campaign_id text REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    details     text CHECK (details IS NULL OR claimgraph_json_valid(details))
);
CREATE INDEX events_location ON events (location_id);
CREATE INDEX events_campaign ON events (campaign_id);
CREATE INDEX events_days ON events (first_day, last_day);

CREATE TABLE sources (
    id           text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    kind         text NOT NULL,
    title        text NOT NULL CHECK (trim(title) <> ''),
    publisher_id text REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    url          text,
    published    text,
    reliability  text CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    via_id       text REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    description  text
);

CREATE TABLE statements (
    id          text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    speaker_id  text REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    text        text NOT NULL CHECK (trim(text) <> ''),
    when_date   text,
    when_until  text,
    part_of_day text,
    first_day   text,
    last_day    text,
    location_id text REFERENCES locations (id) DEFERRABLE INITIALLY DEFERRED,
    event_id    text REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    source_id   text NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    description text
);
CREATE INDEX statements_speaker ON statements (speaker_id);
CREATE INDEX statements_source ON statements (source_id);

CREATE TABLE statement_about (
    statement_id text NOT NULL REFERENCES statements (id) DEFERRABLE INITIALLY DEFERRED,
    position     bigint NOT NULL,
    node_id      text NOT NULL REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (statement_id, position)
);
CREATE INDEX statement_about_node ON statement_about (node_id);

-- A claim is an edge whose far end is either a node or a literal value; the last CHECK
-- keeps it from being both or neither.
CREATE TABLE claims (
    id                  text PRIMARY KEY REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    subject_id          text NOT NULL REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    relation            text NOT NULL,
    object_id           text REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    value_amount        double precision,
    value_unit          text,
    value_approximate   bigint NOT NULL DEFAULT 0 CHECK (value_approximate IN (0, 1)),
    value_text          text,
    asserted_by_id      text REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED, -- NULL: asserter unknown
    source_id           text NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    confidence          bigint NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    credibility         bigint CHECK (credibility BETWEEN 1 AND 6),
    status              text NOT NULL CHECK (status IN ('asserted', 'disputed', 'confirmed', 'refuted')),
    asserted_date       text,
    asserted_until      text,
    asserted_part       text,
    valid_from          text,
    valid_to            text,
    qualifiers          text NOT NULL DEFAULT '{}' CHECK (claimgraph_json_valid(qualifiers)),
    note                text,
    CHECK ((object_id IS NULL) <> (value_amount IS NULL AND value_text IS NULL))
);
CREATE INDEX claims_subject ON claims (subject_id, relation);
CREATE INDEX claims_object ON claims (object_id, relation);
CREATE INDEX claims_asserted_by ON claims (asserted_by_id);
CREATE INDEX claims_source ON claims (source_id);

CREATE TABLE claim_evidence (
    claim_id     text NOT NULL REFERENCES claims (id) DEFERRABLE INITIALLY DEFERRED,
    position     bigint NOT NULL,
    statement_id text NOT NULL REFERENCES statements (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_evidence_statement ON claim_evidence (statement_id);

-- Other names and spellings of an actor or a location; `position` keeps the order given.
CREATE TABLE aliases (
    node_id  text NOT NULL REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    position bigint NOT NULL,
    alias    text NOT NULL CHECK (trim(alias) <> ''),
    PRIMARY KEY (node_id, position)
);

-- Which sources mention an actor, a location or an event.
CREATE TABLE node_sources (
    node_id   text NOT NULL REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    position  bigint NOT NULL,
    source_id text NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (node_id, position)
);
CREATE INDEX node_sources_source ON node_sources (source_id);
