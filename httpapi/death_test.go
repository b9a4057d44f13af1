package httpapi_test

import (
	"slices"
	"testing"
)

// An artist's death date ends what a life bounds: memberships and
// signings are no longer current, membersOn leaves the artist out after
// it, ages stop, and the timeline shows it.
func TestDeathEndsMembershipsAndAges(t *testing.T) {
	srv, _, _ := newServer(t)
	res := ask(t, srv.URL, `{
		artist(slug: "liam-payne") {
			deathDate
			atDeath: age(on: "2024-10-16") { min max }
			later: age(on: "2030-01-01") { min max }
			before: age(on: "2020-01-01") { min max }
			memberships { current group { slug } }
			timeline(kinds: [BIRTH, DEATH]) { edges { node { kind date text } } }
		}
		group(slug: "one-direction") {
			before: membersOn(date: "2024-01-01") { membership { artist { slug } } }
			after: membersOn(date: "2025-01-01") { membership { artist { slug } } certain }
			members { edges { node { artist { slug } current } } }
		}
		onThisDay(date: "2025-10-16", kinds: [DEATH]) { edges { node { text } } }
	}`)
	if dig(t, res, "artist.deathDate") != "2024-10-16" {
		t.Errorf("deathDate %v", dig(t, res, "artist.deathDate"))
	}
	for path, want := range map[string]float64{"artist.atDeath.max": 31, "artist.later.max": 31, "artist.later.min": 31, "artist.before.max": 26} {
		if dig(t, res, path) != want {
			t.Errorf("%s: %v, want %v", path, dig(t, res, path), want)
		}
	}
	if dig(t, res, "artist.memberships.0.current") != false {
		t.Errorf("a dead member is current: %v", dig(t, res, "artist.memberships"))
	}
	if got := column(t, res, "artist.timeline.edges", "node.text"); !slices.Equal(got, []string{"Liam Payne was born", "Liam Payne died"}) {
		t.Errorf("timeline %v", got)
	}
	before, after := column(t, res, "group.before", "membership.artist.slug"), column(t, res, "group.after", "membership.artist.slug")
	if !slices.Contains(before, "liam-payne") || slices.Contains(after, "liam-payne") || !slices.Contains(after, "harry-styles") {
		t.Errorf("membersOn before %v, after %v", before, after)
	}
	current := map[string]any{}
	for _, e := range list(t, res, "group.members.edges") {
		current[dig(t, e, "node.artist.slug").(string)] = dig(t, e, "node.current")
	}
	if current["liam-payne"] != false || current["niall-horan"] != true {
		t.Errorf("members' current %v", current)
	}
	if got := column(t, res, "onThisDay.edges", "node.text"); !slices.Contains(got, "Liam Payne died") {
		t.Errorf("on this day %v", got)
	}
}
