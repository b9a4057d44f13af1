package domain_test

import (
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

// Any text either parses to a date that prints back as itself, or is
// refused with an error; nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2013", "2013-06", "2013-06-13", "2024-02-30", "0000", "9999-12-31", "2013-6-1", "", "20130613", "2013-06-13T00:00", "-001", "２０１３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		if err != nil {
			return
		}
		again, err := domain.ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("%q parsed as %v, which prints %q and parses as %v (%v)", s, d, d.String(), again, err)
		}
		if d.Before(d) {
			t.Fatalf("%v is before itself", d)
		}
	})
}

// Any text either decodes to a kind and number that encode back to an ID
// that decodes the same, or is refused as INVALID.
func FuzzParseGlobalID(f *testing.F) {
	for _, s := range []string{domain.GlobalID(domain.KindArtist, 1), domain.GlobalID(domain.KindRecord, 1<<40), "QXJ0aXN0OjA", "QXJ0aXN0Oi0x", "not-an-id", "", "QXJ0aXN0OjE=", "Ojo6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, id, err := domain.ParseGlobalID(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("%q: %v is not INVALID", s, err)
			}
			return
		}
		if id <= 0 || !(kind.IsThing() || kind.IsFact()) {
			t.Fatalf("%q decoded to %s %d", s, kind, id)
		}
		k2, id2, err := domain.ParseGlobalID(domain.GlobalID(kind, id))
		if err != nil || k2 != kind || id2 != id {
			t.Fatalf("%s %d does not round-trip: %s %d %v", kind, id, k2, id2, err)
		}
	})
}
