package domain

import (
	"cmp"
	"strings"
)

// Record labels: the companies acts sign to and release on. This file is
// the whole of the three kinds in the domain: declarations (listed in
// kindSpecs), model, documents and rules.

// The kinds of labels and their facts.
const (
	KindLabel        Kind = "Label"
	KindSigning      Kind = "Signing"
	KindLabelRelease Kind = "LabelRelease"
)

// Label is a record label (BigHit Music, Columbia Records, Syco).
type Label struct {
	Thing
	Founded Date
	Country Text
}

// Signing is an act's time on a label.
type Signing struct {
	Fact
	LabelID, ActID int64
	Start, End     Date
}

func (s *Signing) relationDetail() string { return ended(s.End) }

// LabelRelease is a work released on a label.
type LabelRelease struct {
	Fact
	LabelID, WorkID int64
}

// LabelDoc describes a label, the acts signed to it and what it released.
type LabelDoc struct {
	ThingDoc
	Founded  Date              `json:"founded,omitzero"`
	Country  string            `json:"country,omitempty"`
	Signings []SigningDoc      `json:"signings,omitempty"`
	Releases []LabelReleaseDoc `json:"releases,omitempty"`
}

// SigningDoc is an act's time on the label it is written in.
type SigningDoc struct {
	FactDoc
	Label string `json:"label,omitempty"`
	Act   string `json:"act"`
	Start Date   `json:"start,omitzero"`
	End   Date   `json:"end,omitzero"`
}

// LabelReleaseDoc is a work the label it is written in released.
type LabelReleaseDoc struct {
	FactDoc
	Label string `json:"label,omitempty"`
	WorkRef
}

var (
	labelKind = thingKind[LabelDoc, *Label]{
		kind: KindLabel, section: "labels", list: func(d *Dataset) *[]LabelDoc { return &d.Labels },
		keyDate: func(l *LabelDoc) Date { return l.Founded },
		check:   (*Validator).label,
		facts:   (*Validator).labelFacts,
		doc: func(l *Label, d ThingDoc) *LabelDoc {
			return &LabelDoc{ThingDoc: d, Founded: l.Founded, Country: string(l.Country)}
		},
	}
	signingKind = factKind[SigningDoc, *Signing]{
		kind: KindSigning, holders: []Kind{KindLabel}, heldIn: "signings", key: []string{"label", "act", "start"}, keyDate: "start",
		apart: "signings", list: func(d *Dataset) *[]SigningDoc { return &d.Signings },
		holderID: func(s *Signing) int64 { return s.LabelID },
		order: func(a, b *SigningDoc) int {
			return cmp.Or(strings.Compare(a.Start.String(), b.Start.String()), strings.Compare(a.Act, b.Act))
		},
		words: signingWords, subjects: []string{"act"}, datedBy: []Kind{KindArtist, KindGroup, KindLabel},
		doc: func(s *Signing, f FactDoc, r Refs, _ Node) *SigningDoc {
			return &SigningDoc{FactDoc: f, Act: slugOf(r, s.ActID), Start: s.Start, End: s.End}
		},
	}
	labelReleaseKind = factKind[LabelReleaseDoc, *LabelRelease]{
		kind: KindLabelRelease, holders: []Kind{KindLabel}, heldIn: "releases", key: []string{"label", "song or album"},
		apart: "labelReleases", list: func(d *Dataset) *[]LabelReleaseDoc { return &d.LabelReleases },
		holderID: func(r *LabelRelease) int64 { return r.LabelID },
		order: func(a, b *LabelReleaseDoc) int {
			return cmp.Or(strings.Compare(a.Album, b.Album), strings.Compare(a.Song, b.Song))
		},
		words: labelReleaseWords, subjects: []string{"work"},
		doc: func(r *LabelRelease, f FactDoc, refs Refs, _ Node) *LabelReleaseDoc {
			return &LabelReleaseDoc{FactDoc: f, WorkRef: workOf(refs, r.WorkID)}
		},
	}
)

func (v *Validator) label(l *LabelDoc) {
	v.country(l.Loc, l.Country)
}

func (v *Validator) labelFacts(l *LabelDoc) {
	founded := v.holderDate(&l.ThingDoc, l.Founded)
	for _, s := range l.Signings {
		v.sources(s.Loc, s.Sources, true)
		v.order(s.Loc, "start", s.Start, ".end", s.End)
		if act, ok := v.resolve(s.Loc, ".act", s.Act, KindArtist, KindGroup); ok {
			v.notBefore(s.Loc, ".start", s.Start, act, s.Act)
		}
		if !founded.IsZero() && !s.Start.IsZero() && s.Start.Before(founded) {
			v.add(s.Loc, ".start", "%s is before the label was founded (%s)", s.Start, founded)
		}
	}
	for _, r := range l.Releases {
		v.sources(r.Loc, r.Sources, true)
		v.work(r.Loc, r.WorkRef)
	}
}

// signingWords words a signing: act to label and back.
func signingWords(fromRole, _, detail string) string {
	past := detail == "ended"
	switch {
	case fromRole == "act" && past:
		return "was signed to"
	case fromRole == "act":
		return "is signed to"
	case past:
		return "had signed"
	default:
		return "has signed"
	}
}

// labelReleaseWords words a release: work to label and back.
func labelReleaseWords(fromRole, _, _ string) string {
	if fromRole == "work" {
		return "was released on"
	}
	return "released"
}
