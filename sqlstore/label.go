package sqlstore

import (
	"fmt"

	"github.com/artistgraph/artistgraph/domain"
)

// Record labels (domain/label.go) in the store: how labels, signings and
// releases are read and written. kindStorages lists them.

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

var (
	labelStorage = storedThing[*domain.Label, domain.LabelDoc]{
		spec: labelSpec, keyDate: `d.founded`,
		columns: "founded, country",
		values:  func(it *domain.LabelDoc) []any { return []any{it.Founded.String(), it.Country} },
		facts:   (*writer).labelFacts,
	}
	signingStorage      = storedFact[*domain.Signing, domain.SigningDoc]{spec: signingSpec, holder: "d.label_id", order: "d.start_date, n.id"}
	labelReleaseStorage = storedFact[*domain.LabelRelease, domain.LabelReleaseDoc]{spec: labelReleaseSpec, holder: "d.label_id", order: "n.id"}
)

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
		key, err := l.match(datedKey{kind: domain.KindSigning, identity: fmt.Sprintf("%d/%d", label, act), joins: []int64{label, act}, date: &s.Start, fact: &s.FactDoc})
		if err != nil {
			return err
		}
		_, _, err = l.fact(domain.KindSigning, key, &s.FactDoc,
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
