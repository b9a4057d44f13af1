-- Songs are listed by name, by release date and by streams; each ordering
-- reads an index in order and stops at the page.
--
-- A song's streams are its highest streams milestone, kept in songs.streams
-- by triggers: an insert raises it (no index needed, so a fresh load that
-- has dropped its indexes pays one row update), a change or a deletion
-- (cascaded from its node too) works it out again.
ALTER TABLE songs ADD COLUMN streams INTEGER NOT NULL DEFAULT 0;
UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = songs.id AND m.metric = 'streams'), 0);
CREATE INDEX songs_streams ON songs (streams, id);
-- Undated songs come last, as the list has always put them.
CREATE INDEX songs_released ON songs ((CASE WHEN released = '' THEN '9999' ELSE released END), id);

CREATE TRIGGER milestones_streams_insert AFTER INSERT ON milestones WHEN NEW.metric = 'streams' BEGIN
  UPDATE songs SET streams = max(streams, NEW.threshold) WHERE id = NEW.work_id;
END;
CREATE TRIGGER milestones_streams_update AFTER UPDATE OF work_id, metric, threshold ON milestones BEGIN
  UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = songs.id AND m.metric = 'streams'), 0)
  WHERE id IN (OLD.work_id, NEW.work_id);
END;
CREATE TRIGGER milestones_streams_delete AFTER DELETE ON milestones WHEN OLD.metric = 'streams' BEGIN
  UPDATE songs SET streams = coalesce((SELECT max(threshold) FROM milestones m WHERE m.work_id = OLD.work_id AND m.metric = 'streams'), 0)
  WHERE id = OLD.work_id;
END;
