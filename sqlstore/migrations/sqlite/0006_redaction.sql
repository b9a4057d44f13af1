-- An admin may redact a recorded revision: its content (and its summary)
-- is blanked where the history keeps it, and who did it, when and why is
-- kept instead, so the history still says that a change happened.
ALTER TABLE changes ADD COLUMN redacted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN redacted_at TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN redacted_reason TEXT NOT NULL DEFAULT '';
