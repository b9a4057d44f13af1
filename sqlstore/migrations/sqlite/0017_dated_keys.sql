-- A fact matched by a date (domain.KindSpec.KeyDate) keeps the date last in
-- its key, so that the facts a restatement may match are one short range
-- of the key index: award results and performances had it in the middle.
UPDATE nodes SET fact_key = (
	SELECT r.award_id || '/' || r.category || '/'
		|| coalesce((SELECT group_concat(a.act_id, ',' ORDER BY a.position) FROM award_recipients a WHERE a.result_id = r.id), '')
		|| '/' || coalesce(r.work_id, 0) || '/' || r.date
	FROM award_results r WHERE r.id = nodes.id)
WHERE kind = 'AwardResult';
UPDATE nodes SET fact_key = (
	SELECT p.event_id || '/'
		|| coalesce((SELECT group_concat(f.act_id, ',' ORDER BY f.position) FROM performers f WHERE f.performance_id = p.id), '')
		|| '/' || p.date
	FROM performances p WHERE p.id = nodes.id)
WHERE kind = 'Performance';
