-- claimgraph schema 1: the knowledge graph.
-- Every node has a row in `nodes`, so that ids are unique across the whole graph and a
-- claim or a statement can point at a node of any type.

CREATE TABLE nodes (
    id   TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('actor', 'location', 'event', 'source', 'statement', 'claim'))
);

CREATE TABLE actors (
    id          TEXT PRIMARY KEY REFERENCES nodes (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    description TEXT
);

CREATE TABLE locations (
    id           TEXT PRIMARY KEY REFERENCES nodes (id),
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL CHECK (trim(name) <> ''),
    description  TEXT,
    lat          REAL CHECK (lat BETWEEN -90 AND 90),
    lon          REAL CHECK (lon BETWEEN -180 AND 180),
    precision_km REAL CHECK (precision_km >= 0),
    parent_id    TEXT REFERENCES locations (id),
    CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX locations_parent ON locations (parent_id);

-- A time is stored as given (`when_date`, `when_until`: YYYY, YYYY-MM or YYYY-MM-DD) and as
-- the calendar days it covers (`first_day`, `last_day`), which date-range filters compare.
CREATE TABLE events (
    id          TEXT PRIMARY KEY REFERENCES nodes (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL CHECK (trim(title) <> ''),
    description TEXT,
    when_date   TEXT,
    when_until  TEXT,
    part_of_day TEXT,
    first_day   TEXT,
    last_day    TEXT,
    location_id TEXT REFERENCES locations (id),
    campaign_id TEXT REFERENCES events (id),
    details     TEXT CHECK (details IS NULL OR json_valid(details))
);
CREATE INDEX events_location ON events (location_id);
CREATE INDEX events_campaign ON events (campaign_id);
CREATE INDEX events_days ON events (first_day, last_day);

CREATE TABLE sources (
    id           TEXT PRIMARY KEY REFERENCES nodes (id),
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL CHECK (trim(title) <> ''),
    publisher_id TEXT REFERENCES actors (id),
    url          TEXT,
    published    TEXT,
    reliability  TEXT CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    via_id       TEXT REFERENCES sources (id),
    description  TEXT
);

CREATE TABLE statements (
    id          TEXT PRIMARY KEY REFERENCES nodes (id),
    speaker_id  TEXT REFERENCES actors (id),
    text        TEXT NOT NULL CHECK (trim(text) <> ''),
    when_date   TEXT,
    when_until  TEXT,
    part_of_day TEXT,
    first_day   TEXT,
    last_day    TEXT,
    location_id TEXT REFERENCES locations (id),
    event_id    TEXT REFERENCES events (id),
    source_id   TEXT NOT NULL REFERENCES sources (id),
    description TEXT
);
CREATE INDEX statements_speaker ON statements (speaker_id);
CREATE INDEX statements_source ON statements (source_id);

CREATE TABLE statement_about (
    statement_id TEXT NOT NULL REFERENCES statements (id),
    position     INTEGER NOT NULL,
    node_id      TEXT NOT NULL REFERENCES nodes (id),
    PRIMARY KEY (statement_id, position)
);
CREATE INDEX statement_about_node ON statement_about (node_id);

-- Claims are the edges. The object is a node or a literal value, never both.
CREATE TABLE claims (
    id                  TEXT PRIMARY KEY REFERENCES nodes (id),
    subject_id          TEXT NOT NULL REFERENCES nodes (id),
    relation            TEXT NOT NULL,
    object_id           TEXT REFERENCES nodes (id),
    value_amount        REAL,
    value_unit          TEXT,
    value_approximate   INTEGER NOT NULL DEFAULT 0 CHECK (value_approximate IN (0, 1)),
    value_text          TEXT,
    asserted_by_id      TEXT REFERENCES actors (id), -- NULL: asserter unknown
    source_id           TEXT NOT NULL REFERENCES sources (id),
    confidence          INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    credibility         INTEGER CHECK (credibility BETWEEN 1 AND 6),
    status              TEXT NOT NULL CHECK (status IN ('asserted', 'disputed', 'confirmed', 'refuted')),
    asserted_date       TEXT,
    asserted_until      TEXT,
    asserted_part       TEXT,
    valid_from          TEXT,
    valid_to            TEXT,
    qualifiers          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(qualifiers)),
    note                TEXT,
    CHECK ((object_id IS NULL) <> (value_amount IS NULL AND value_text IS NULL))
);
CREATE INDEX claims_subject ON claims (subject_id, relation);
CREATE INDEX claims_object ON claims (object_id, relation);
CREATE INDEX claims_asserted_by ON claims (asserted_by_id);
CREATE INDEX claims_source ON claims (source_id);

CREATE TABLE claim_evidence (
    claim_id     TEXT NOT NULL REFERENCES claims (id),
    position     INTEGER NOT NULL,
    statement_id TEXT NOT NULL REFERENCES statements (id),
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_evidence_statement ON claim_evidence (statement_id);

-- Names and spellings of actors and locations, in the order given.
CREATE TABLE aliases (
    node_id  TEXT NOT NULL REFERENCES nodes (id),
    position INTEGER NOT NULL,
    alias    TEXT NOT NULL CHECK (trim(alias) <> ''),
    PRIMARY KEY (node_id, position)
);

-- The sources that mention an actor, location or event.
CREATE TABLE node_sources (
    node_id   TEXT NOT NULL REFERENCES nodes (id),
    position  INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id),
    PRIMARY KEY (node_id, position)
);
CREATE INDEX node_sources_source ON node_sources (source_id);
