-- claimgraph schema 12 (PostgreSQL): a location's ISO 3166-1 alpha-2 country code, for
-- formats that name countries by code (STIX `country`). Whether a code is on ISO's list is
-- checked when a record is decoded; the column only enforces its shape.
--
-- Same statement as the SQLite step, with text for TEXT. (`upper` here also upper-cases
-- non-ASCII letters, where SQLite's does not; a code that differs only there is not two
-- ASCII letters and is refused on decoding anyway.)

ALTER TABLE locations ADD COLUMN country_code text
    CHECK (country_code IS NULL OR (length(country_code) = 2 AND country_code = upper(country_code)));
