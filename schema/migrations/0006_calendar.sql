-- Events dated to the day, indexed by calendar day ("MM-DD"): derived anniversaries look up
-- the earlier events whose day falls within a window of a later event's day, a few days of
-- the calendar, instead of comparing the later event with every earlier one.
CREATE INDEX events_calendar ON events (substr(when_date, 6, 5)) WHERE length(when_date) = 10;
