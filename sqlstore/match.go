package sqlstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// datedKey is the natural key of a fact matched by a date (see
// domain.KindSpec.KeyDate): the key is its identity, "/" and the date, so
// that the facts of one identity are one short range of the key index. A
// restated fact whose date covers the stored one's, or is covered by it
// ("2010" and "2010-07-23"), is the same fact, never a second one.
type datedKey struct {
	kind domain.Kind
	// identity is the rest of the key ("artist/group" of a membership),
	// made of the IDs of the things joins lists (and other values).
	identity string
	joins    []int64
	// date is the fact's key date in its document: match sets it to the
	// stored date when that is the more precise.
	date *domain.Date
	fact *domain.FactDoc
}

func (k datedKey) key(d domain.Date) string { return k.identity + "/" + d.String() }

// storedDate is one stored fact of the same identity and its date; id 0
// for one this load wrote, whose row may still be queued.
type storedDate struct {
	id   int64
	date domain.Date
}

// match finds the stored fact a dated fact restates and returns the key to
// write it under: a less precise date keeps the stored one, a more precise
// one refines it, "movedFrom" moves it, and a date that fits two stored
// facts is refused as ambiguous. An edit writes its target, by ID.
//
// A load remembers the dates it wrote under each identity (dated), so it
// never reads back its own queued rows; it reads the database only for an
// identity that may hold facts stored before it.
func (l *writer) match(k datedKey) (string, error) {
	key := k.key(*k.date)
	if l.target != nil {
		return key, nil
	}
	field := "." + keyDateField(k.kind)
	if !k.fact.MovedFrom.IsZero() {
		return key, l.move(k, key, field)
	}
	var same []storedDate
	h := keyHash(k.kind, k.identity)
	if l.batched() {
		for _, d := range l.dated[h] {
			same = append(same, storedDate{date: d})
		}
	}
	if !l.fresh && !slices.ContainsFunc(k.joins, l.isNew) {
		stored, err := l.sameIdentity(k)
		if err != nil {
			return "", err
		}
		for _, s := range stored {
			if !slices.ContainsFunc(same, func(m storedDate) bool { return m.date == s.date }) {
				same = append(same, s)
			}
		}
	}
	var fits []storedDate
	for _, s := range same {
		switch {
		case s.date == *k.date:
			return key, nil
		case s.date.Covers(*k.date) || k.date.Covers(s.date):
			fits = append(fits, s)
		}
	}
	switch len(fits) {
	case 0:
		if l.batched() {
			l.dated[h] = append(l.dated[h], *k.date)
		}
		return key, nil
	case 1:
		if k.date.Covers(fits[0].date) {
			*k.date = fits[0].date // less precise: the stored date stands
			return k.key(fits[0].date), nil
		}
		// More precise: the stored fact takes this date.
		return key, l.refine(k, fits[0], key)
	}
	dates := make([]string, len(fits))
	for i, f := range fits {
		dates[i] = f.date.String()
	}
	return "", &domain.Problems{{File: k.fact.File, Path: k.fact.Path + field, Why: fmt.Sprintf(
		"%s fits %d stored %ss (%s %s): give the date as stored, or \"movedFrom\" with it to change it",
		k.date, len(fits), k.kind.Noun(), field[1:], strings.Join(dates, ", "))}}
}

// refine gives a stored fact a more precise key date: one this load wrote
// is looked up by its key once its rows are in.
func (l *writer) refine(k datedKey, fit storedDate, key string) error {
	if fit.id == 0 {
		if err := l.flush(); err != nil {
			return err
		}
		id, err := l.lookupID(`SELECT id FROM nodes WHERE kind = ? AND fact_key = ?`, string(k.kind), k.key(fit.date))
		if err != nil {
			return err
		}
		fit.id = id
	}
	if l.batched() {
		h := keyHash(k.kind, k.identity)
		l.dated[h] = slices.DeleteFunc(l.dated[h], func(d domain.Date) bool { return d == fit.date })
		l.dated[h] = append(l.dated[h], *k.date)
	}
	return l.rekey(k.kind, fit.id, key)
}

// move changes a stored fact's key date, from the one "movedFrom" gives.
func (l *writer) move(k datedKey, key, field string) error {
	if l.batched() {
		if err := l.flush(); err != nil {
			return err
		}
	}
	what := k.kind.Noun()
	problem := func(at, format string, args ...any) error {
		return &domain.Problems{{File: k.fact.File, Path: k.fact.Path + at, Why: fmt.Sprintf(format, args...)}}
	}
	id, err := l.lookupID(`SELECT id FROM nodes WHERE kind = ? AND fact_key = ?`, string(k.kind), k.key(k.fact.MovedFrom))
	if err != nil {
		return err
	}
	taken, err := l.lookupID(`SELECT id FROM nodes WHERE kind = ? AND fact_key = ?`, string(k.kind), key)
	switch {
	case err != nil:
		return err
	case id == 0 && taken != 0:
		return nil // moved already, by an earlier load of the same file
	case id == 0:
		return problem(".movedFrom", "no stored %s of the same %s has %s %s", what, identityOf(k.kind), field[1:], k.fact.MovedFrom)
	case taken != 0 && taken != id:
		return problem(field, "a stored %s already has %s %s; it cannot move there", what, field[1:], k.date)
	}
	if l.batched() {
		h := keyHash(k.kind, k.identity)
		l.dated[h] = append(slices.DeleteFunc(l.dated[h], func(d domain.Date) bool { return d == k.fact.MovedFrom }), *k.date)
	}
	return l.rekey(k.kind, id, key)
}

// rekey gives a stored fact a new key, which the write that follows finds
// it by.
func (l *writer) rekey(kind domain.Kind, id int64, key string) error {
	if l.batched() {
		l.keys[keyHash(kind, key)] = true
	}
	return l.exec(`UPDATE nodes SET fact_key = ? WHERE id = ?`, key, id)
}

// sameIdentity reads the stored facts whose keys differ from k's only by
// the date: the keys that start with the identity and "/", up to "0", the
// byte after "/".
func (l *writer) sameIdentity(k datedKey) ([]storedDate, error) {
	rows, err := l.QueryContext(l.ctx, `SELECT id, fact_key FROM nodes WHERE kind = ? AND fact_key > ? AND fact_key < ?`, string(k.kind), k.identity+"/", k.identity+"0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedDate
	for rows.Next() {
		var s storedDate
		var stored string
		if err := rows.Scan(&s.id, &stored); err != nil {
			return nil, err
		}
		// A longer identity ("1/23" for "1/2") sorts in the range too.
		text, ok := strings.CutPrefix(stored, k.identity+"/")
		if !ok || strings.Contains(text, "/") {
			continue
		}
		if s.date, err = domain.ParseDate(text); err == nil {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// keyDateField is the JSON name of a kind's key date.
func keyDateField(kind domain.Kind) string {
	spec, _ := domain.SpecOf(kind)
	return spec.KeyDate
}

// identityOf words what, besides its date, a dated fact is matched by.
func identityOf(kind domain.Kind) string {
	spec, _ := domain.SpecOf(kind)
	var fields []string
	for _, f := range spec.Key {
		if f != spec.KeyDate {
			fields = append(fields, f)
		}
	}
	return strings.Join(fields, ", ")
}
