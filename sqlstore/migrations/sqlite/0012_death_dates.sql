-- An artist's date of death, at its own precision like every date: it ends
-- memberships and ages (see domain.Artist.AliveOn).
ALTER TABLE artists ADD COLUMN death_date TEXT NOT NULL DEFAULT '';
