package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/artistgraph/artistgraph/domain"
)

// Record labels (domain/label.go) in the store: how labels, signings and
// releases are read, written and exported. kindStorages declares them.

var (
	labelSpec = spec[*domain.Label]{
		kind: domain.KindLabel, table: "labels", cols: "d.founded, d.country",
		row: func() (*domain.Label, []any) {
			l := &domain.Label{}
			return l, append(thingDest(&l.Thing), dateCol{&l.Founded}, &l.Country)
		},
	}
	signingSpec = spec[*domain.Signing]{
		kind: domain.KindSigning, table: "signings", cols: "d.label_id, d.act_id, d.start_date, d.end_date",
		row: func() (*domain.Signing, []any) {
			s := &domain.Signing{}
			return s, append(factDest(&s.Fact), &s.LabelID, &s.ActID, dateCol{&s.Start}, dateCol{&s.End})
		},
	}
	labelReleaseSpec = spec[*domain.LabelRelease]{
		kind: domain.KindLabelRelease, table: "label_releases", cols: "d.label_id, d.work_id",
		row: func() (*domain.LabelRelease, []any) {
			r := &domain.LabelRelease{}
			return r, append(factDest(&r.Fact), &r.LabelID, &r.WorkID)
		},
	}
)

func labelStorage() kindStorage {
	return keyed(holding(thingKind(labelSpec, "founded, country",
		func(it *domain.LabelDoc) []any { return []any{it.Founded.String(), it.Country} },
		func(t *domain.Label, d domain.ThingDoc) *domain.LabelDoc {
			return &domain.LabelDoc{ThingDoc: d, Founded: t.Founded, Country: string(t.Country)}
		}), labelSpec, (*writer).labelFacts, (*documents).label), `d.founded`)
}

func signingStorage() kindStorage {
	return factKind(signingSpec, func(x *documents, s *domain.Signing, sources map[int64][]string) (any, map[string]string, error) {
		return heldBy(x.signing(s, sources), domain.KindLabel, x.slug(s.LabelID))
	})
}

func labelReleaseStorage() kindStorage {
	return factKind(labelReleaseSpec, func(x *documents, r *domain.LabelRelease, sources map[int64][]string) (any, map[string]string, error) {
		return heldBy(x.labelRelease(r, sources), domain.KindLabel, x.slug(r.LabelID))
	})
}

// labelFacts writes a label's signings and releases, each keyed by what it
// joins (and a signing by its start, as a membership is).
func (l *writer) labelFacts(doc *domain.LabelDoc) error {
	label := l.ids[domain.KindLabel][doc.Slug]
	for i := range doc.Signings {
		s := &doc.Signings[i]
		act, err := l.act(s.Act)
		if err != nil {
			return err
		}
		_, _, err = l.fact(domain.KindSigning, fmt.Sprintf("%d/%d/%s", label, act, s.Start), &s.FactDoc,
			`signings (id, label_id, act_id, start_date, end_date)`,
			[]any{label, act, s.Start.String(), s.End.String()},
			[]link{{label, "label"}, {act, "act"}})
		if err != nil {
			return err
		}
	}
	for i := range doc.Releases {
		r := &doc.Releases[i]
		work, err := l.work(r.WorkRef)
		if err != nil {
			return err
		}
		_, _, err = l.fact(domain.KindLabelRelease, fmt.Sprintf("%d/%d", label, work), &r.FactDoc,
			`label_releases (id, label_id, work_id)`, []any{label, work},
			[]link{{label, "label"}, {work, "work"}})
		if err != nil {
			return err
		}
	}
	return nil
}

// label exports labels with their signings (by start, then act) and
// releases (by work).
func (x *documents) label(things []*domain.Label, part thingPart) ([]any, error) {
	signings, err := byParent(x.ctx, x.db, signingSpec, "d.label_id", ids(things), "d.start_date, n.id", func(s *domain.Signing) int64 { return s.LabelID })
	if err != nil {
		return nil, err
	}
	releases, err := byParent(x.ctx, x.db, labelReleaseSpec, "d.label_id", ids(things), "n.id", func(r *domain.LabelRelease) int64 { return r.LabelID })
	if err != nil {
		return nil, err
	}
	sources, err := x.sources(append(factIDs(signings), factIDs(releases)...))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(things))
	for i, t := range things {
		doc := part.thingDoc(t).(*domain.LabelDoc)
		for _, s := range signings[t.ID] {
			doc.Signings = append(doc.Signings, x.signing(s, sources))
		}
		slices.SortStableFunc(doc.Signings, func(a, b domain.SigningDoc) int {
			return cmp.Or(strings.Compare(a.Start.String(), b.Start.String()), strings.Compare(a.Act, b.Act))
		})
		for _, r := range releases[t.ID] {
			doc.Releases = append(doc.Releases, x.labelRelease(r, sources))
		}
		slices.SortStableFunc(doc.Releases, func(a, b domain.LabelReleaseDoc) int {
			return cmp.Or(strings.Compare(a.Album, b.Album), strings.Compare(a.Song, b.Song))
		})
		out[i] = doc
	}
	return out, nil
}

func (x *documents) signing(s *domain.Signing, sources map[int64][]string) domain.SigningDoc {
	return domain.SigningDoc{FactDoc: x.fact(s.Fact, sources), Act: x.slug(s.ActID), Start: s.Start, End: s.End}
}

func (x *documents) labelRelease(r *domain.LabelRelease, sources map[int64][]string) domain.LabelReleaseDoc {
	return domain.LabelReleaseDoc{FactDoc: x.fact(r.Fact, sources), WorkRef: x.work(r.WorkID)}
}

// FactsLinking reads, for each thing, the facts of one kind that join it
// in one role (a label's signings: KindSigning, "label"), by fact ID: one
// relation read for any kind of fact, through the links every fact keeps.
func (db *DB) FactsLinking(ctx context.Context, kind domain.Kind, role string, things []int64) (map[int64][]domain.Node, error) {
	out := map[int64][]domain.Node{}
	if len(things) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT l.thing_id, l.fact_id FROM fact_links l JOIN nodes n ON n.id = l.fact_id
		WHERE l.thing_id `+inList+` AND l.role = ? AND n.kind = ? ORDER BY l.thing_id, l.fact_id`, idList(things), role, string(kind))
	if err != nil {
		return nil, err
	}
	var owners, facts []int64
	for rows.Next() {
		var owner, fact int64
		if err := rows.Scan(&owner, &fact); err != nil {
			rows.Close()
			return nil, err
		}
		owners, facts = append(owners, owner), append(facts, fact)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	nodes, err := db.nodesOfKind(ctx, kind, facts)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if n != nil {
			out[owners[i]] = append(out[owners[i]], n)
		}
	}
	return out, nil
}
