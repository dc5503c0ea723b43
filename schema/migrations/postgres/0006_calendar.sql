-- claimgraph schema 6 (PostgreSQL): events dated to the day, indexed by their calendar day
-- ("MM-DD"). Derived anniversaries look for earlier events whose day falls within a few
-- days of a later event's day; this index narrows that to a few calendar days instead of
-- comparing every pair of events.
--
-- Same statement as the SQLite step: `substr` and `length` count characters in both, and
-- days are ISO text in both (no `date` type, because partial dates are kept), so the
-- expression and the partial-index predicate carry over unchanged and match the
-- anniversary query's `substr(when_date, 6, 5)` text as written.
CREATE INDEX events_calendar ON events (substr(when_date, 6, 5)) WHERE length(when_date) = 10;
