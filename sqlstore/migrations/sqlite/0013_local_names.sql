-- The name each thing goes by in each locale it has names in, kept with
-- the thing (domain.LocalNames writes the same JSON when names are
-- written), so that name(locale:) needs no read of its own: by kind
-- (primary, native, stage, translation, alias, romanized, birth, former,
-- then any other), then position; locales in order.
ALTER TABLE nodes ADD COLUMN local_names TEXT NOT NULL DEFAULT '';
UPDATE nodes SET local_names = coalesce((
	SELECT json_group_object(locale, value) FROM (
		SELECT locale, value FROM (
			SELECT locale, value, row_number() OVER (PARTITION BY locale ORDER BY CASE kind
				WHEN 'primary' THEN 0 WHEN 'native' THEN 1 WHEN 'stage' THEN 2 WHEN 'translation' THEN 3
				WHEN 'alias' THEN 4 WHEN 'romanized' THEN 5 WHEN 'birth' THEN 6 WHEN 'former' THEN 7 ELSE 8 END, position) AS pick
			FROM names WHERE node_id = nodes.id AND locale <> ''
		) WHERE pick = 1 ORDER BY locale
	) HAVING count(*) > 0), '')
WHERE slug IS NOT NULL;
