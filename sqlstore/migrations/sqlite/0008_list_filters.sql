-- The filters of the top-level lists (artists by country and birth date,
-- groups by country and formation, albums by kind and year, events by kind
-- and start date) each read an index.
CREATE INDEX artists_country ON artists (country, birth_date);
CREATE INDEX artists_birth ON artists (birth_date);
CREATE INDEX groups_country ON groups_ (country, formed);
CREATE INDEX groups_formed ON groups_ (formed);
CREATE INDEX albums_kind ON albums (album_kind, released);
CREATE INDEX albums_released ON albums (released);
CREATE INDEX events_kind ON events (event_kind, start_date);
CREATE INDEX events_start ON events (start_date);
