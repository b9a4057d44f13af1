-- Full-text index over every name of every thing. "compact" holds the name
-- folded to lower-case letters and digits with no separators, so that
-- "Jeon Jungkook" finds "Jeon Jung-kook". unicode61 with diacritics removed
-- splits Latin and Hangul text into words; the prefix indexes make "jungk*"
-- cheap. A row's ID is its node's ID times 1000 plus the name's position, so
-- a thing's rows are one range.
CREATE VIRTUAL TABLE name_search USING fts5 (
	value,
	compact,
	node_id UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);
