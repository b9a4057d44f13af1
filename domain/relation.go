package domain

import "slices"

// Relation words how the thing playing fromRole in a fact stands to the thing
// playing toRole, so that a step reads "<from> <relation> <to>": "Jungkook is
// a member of BTS", "Seven features Latto". detail refines it: the credit
// role of a credit, "won" or "nominated" for an award result, "ended" for a
// membership that is over.
func Relation(kind Kind, fromRole, toRole, detail string) string {
	if s, ok := SpecOf(kind); ok && s.relation != nil {
		return s.relation(fromRole, toRole, detail)
	}
	return "is linked to"
}

// FactDetail is what a fact adds to how its steps read: a credit's role,
// an award result's outcome, "ended" for a membership or signing that is
// over.
func FactDetail(fact Node) string {
	if d, ok := fact.(interface{ relationDetail() string }); ok {
		return d.relationDetail()
	}
	return ""
}

func (c *Credit) relationDetail() string      { return c.Role }
func (r *AwardResult) relationDetail() string { return r.Result }
func (m *Membership) relationDetail() string  { return ended(m.End) }

func ended(end Date) string {
	if end.IsZero() {
		return ""
	}
	return "ended"
}

func membershipWords(fromRole, _, detail string) string {
	past := detail == "ended"
	switch {
	case fromRole == "member" && past:
		return "was a member of"
	case fromRole == "member":
		return "is a member of"
	case past:
		return "had as a member"
	default:
		return "has as a member"
	}
}

func creditWords(fromRole, _, detail string) string {
	if fromRole == "act" {
		return actOnWork[detail]
	}
	return workByAct[detail]
}

func trackWords(fromRole, _, _ string) string {
	if fromRole == "song" {
		return "is on"
	}
	return "includes"
}

func awardResultWords(fromRole, toRole, detail string) string {
	return pick(detail == "won", awardWords[[2]string{fromRole, toRole}])
}

func performanceWordsOf(fromRole, toRole, _ string) string {
	return performanceWords[[2]string{fromRole, toRole}]
}

func chartRunWords(fromRole, _, _ string) string {
	if fromRole == "work" {
		return "charted on"
	}
	return "charted"
}

func milestoneWords(fromRole, _, _ string) string {
	if fromRole == "work" {
		return "passed a milestone on"
	}
	return "saw a milestone of"
}

func recordWords(string, string, string) string { return "shares a record with" }

func pick(first bool, words [2]string) string {
	if first {
		return words[0]
	}
	return words[1]
}

var actOnWork = map[string]string{
	"primary": "is the artist of", "featured": "is featured on", "writer": "wrote", "composer": "composed",
	"lyricist": "wrote the lyrics of", "producer": "produced", "arranger": "arranged", "remixer": "remixed",
}

var workByAct = map[string]string{
	"primary": "is by", "featured": "features", "writer": "was written by", "composer": "was composed by",
	"lyricist": "has lyrics by", "producer": "was produced by", "arranger": "was arranged by", "remixer": "was remixed by",
}

// awardWords holds [won, nominated] wordings by (from role, to role).
var awardWords = map[[2]string][2]string{
	{"recipient", "award"}:     {"won", "was nominated for"},
	{"award", "recipient"}:     {"was won by", "nominated"},
	{"work", "award"}:          {"won", "was nominated for"},
	{"award", "work"}:          {"was given for", "nominated"},
	{"recipient", "work"}:      {"won an award for", "was nominated for"},
	{"work", "recipient"}:      {"brought an award to", "brought a nomination to"},
	{"recipient", "recipient"}: {"shared an award with", "shared a nomination with"},
}

var performanceWords = map[[2]string]string{
	{"performer", "event"}:     "performed at",
	{"event", "performer"}:     "featured a performance by",
	{"performer", "song"}:      "performed",
	{"song", "performer"}:      "was performed by",
	{"song", "event"}:          "was performed at",
	{"event", "song"}:          "featured",
	{"performer", "performer"}: "performed with",
	{"song", "song"}:           "was performed with",
}

// Forward reports whether a step reads its fact the way the fact is written:
// member to group, act to work, song to album, recipient to award, performer
// to event, work to chart or platform.
func Forward(kind Kind, fromRole, toRole string) bool {
	spec, _ := SpecOf(kind)
	subject := func(role string) bool { return slices.Contains(spec.subjects, role) }
	return subject(fromRole) && (kind == KindRecord || !subject(toRole))
}
