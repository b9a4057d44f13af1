-- Near spellings compare letters: the trigram index spells Hangul
-- syllables as their jamo (artistgraph_letters, registered by the store),
-- so one wrong vowel is one letter off, not a whole syllable.
DELETE FROM name_trigrams;
INSERT INTO name_trigrams (rowid, compact, node_id) SELECT rowid, artistgraph_letters(compact), node_id FROM name_search;
