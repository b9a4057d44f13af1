-- What a second career needs to be said (issue 13): a group formed on an
-- event (a TV show) and its hiatuses, a recurring event's edition, the
-- ceremony an award result was given at, and a chart run's weeks at its
-- peak. Deleting the event a group was formed on forgets the link; a
-- ceremony is joined through fact_links, which keeps it from deletion.
ALTER TABLE groups_ ADD COLUMN formed_on INTEGER REFERENCES nodes (id) ON DELETE SET NULL;
ALTER TABLE groups_ ADD COLUMN hiatuses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE events ADD COLUMN edition INTEGER NOT NULL DEFAULT 0;
ALTER TABLE award_results ADD COLUMN ceremony_id INTEGER REFERENCES nodes (id);
ALTER TABLE chart_runs ADD COLUMN weeks_at_peak INTEGER;
ALTER TABLE chart_runs ADD COLUMN weeks_at_peak_bound TEXT NOT NULL DEFAULT '';
