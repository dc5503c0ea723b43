-- claimgraph schema 4: indexes for large graphs.
--
-- The search index gets an integer key per node. FTS5 cannot index its `node_id` column, so
-- replacing a node's entry by `DELETE ... WHERE node_id = ?` read the whole index: every write
-- cost time in proportion to the graph, and seeding a large graph took hours. `search_rows`
-- gives each node the rowid of its entry, so a replacement is a lookup by rowid.
CREATE TABLE search_rows (
    row     INTEGER PRIMARY KEY,
    node_id TEXT NOT NULL UNIQUE REFERENCES nodes (id)
);
INSERT INTO search_rows (row, node_id) SELECT rowid, node_id FROM search;

-- Events and statements are listed by day, then id (`storage::query`'s BY_DAY key, written
-- the same way so that SQLite uses these indexes): a page reads its rows in order instead of
-- sorting the whole table.
CREATE INDEX events_by_day ON events ((coalesce(first_day, '9999-12-31') || '|' || id));
CREATE INDEX statements_by_day ON statements ((coalesce(first_day, '9999-12-31') || '|' || id));

-- Every reference has an index on its referring column. Beyond the reverse lookups they
-- serve ("sources this outlet published", "statements at this event"), SQLite needs them for
-- its foreign-key checks: while a batch has a reference still to be satisfied, each row
-- added to a referenced table looks for rows that refer to it, and without an index that
-- look is a scan of the whole referring table.
CREATE INDEX sources_publisher ON sources (publisher_id);
CREATE INDEX sources_via ON sources (via_id);
CREATE INDEX statements_location ON statements (location_id);
CREATE INDEX statements_event ON statements (event_id);
