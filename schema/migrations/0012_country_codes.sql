-- claimgraph schema 12: a location's ISO 3166-1 alpha-2 country code, for exchanges that
-- name countries by code (STIX `country`). The code is checked against ISO's list when a
-- record is decoded; the column only keeps its shape.

ALTER TABLE locations ADD COLUMN country_code TEXT
    CHECK (country_code IS NULL OR (length(country_code) = 2 AND country_code = upper(country_code)));
