package domain_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in        string
		precision domain.Precision
		wantErr   bool
	}{
		{"2013", domain.PrecisionYear, false},
		{"2024-02", domain.PrecisionMonth, false},
		{"2013-06-13", domain.PrecisionDay, false},
		{"2024-02-29", domain.PrecisionDay, false},
		{"2023-02-29", 0, true},
		{"2023-13", 0, true},
		{"2023-00", 0, true},
		{"2023-04-31", 0, true},
		{"0000", 0, true},
		{"23", 0, true},
		{"2023/07/14", 0, true},
		{"2023-7-14", 0, true},
		{"July 2023", 0, true},
		{"", 0, true},
		{"２０２３", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := domain.ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Precision() != tt.precision || d.String() != tt.in {
				t.Errorf("ParseDate(%q) = %q at %v, want it back at %v", tt.in, d, d.Precision(), tt.precision)
			}
		})
	}
}

func TestDatesSortAsTextAtTheirPrecision(t *testing.T) {
	in := []string{"2024-03", "2024-02-01", "2024", "2024-01-31", "2024-02", "2023-12-31"}
	want := []string{"2023-12-31", "2024", "2024-01-31", "2024-02", "2024-02-01", "2024-03"}
	slices.Sort(in)
	if !slices.Equal(in, want) {
		t.Errorf("sorted %v, want %v", in, want)
	}
}

func TestBefore(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"2023-02", "2023-07-14", true},
		{"2023-07", "2023-07-14", false}, // the month may hold a later day
		{"2023", "2023-07-14", false},
		{"2022", "2023-07-14", true},
		{"2024-02", "2023-07-14", false},
		{"2023-07-13", "2023-07-14", true},
		{"2023-07-14", "2023-07-14", false},
	}
	for _, tt := range tests {
		if got := domain.MustParseDate(tt.a).Before(domain.MustParseDate(tt.b)); got != tt.want {
			t.Errorf("%s.Before(%s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDaysBetweenHonoursPrecision(t *testing.T) {
	tests := []struct {
		from, to string
		want     domain.Range
	}{
		{"2023-07-14", "2023-10-30", domain.Range{Min: 108, Max: 108}},
		{"2023-07-14", "2024-02", domain.Range{Min: 202, Max: 230}},
		{"2021-07-09", "2021-11-04", domain.Range{Min: 118, Max: 118}},
		{"2023", "2023-12-31", domain.Range{Min: 0, Max: 364}},
	}
	for _, tt := range tests {
		got := domain.DaysBetween(domain.MustParseDate(tt.from), domain.MustParseDate(tt.to))
		if got != tt.want {
			t.Errorf("DaysBetween(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestAgeAtHonoursPrecision(t *testing.T) {
	tests := []struct {
		birth, on string
		want      string
	}{
		{"1997-09-01", "2013-06-13", "15"},
		{"1997-09-01", "2018-10-24", "21"},
		{"1997-09-01", "2013-09", "16"},
		{"1997-09-15", "2013-09", "15–16"}, // the birthday falls within the month
		{"1997-09-01", "2013-08-31", "15"},
		{"1997-09-01", "2013-09-01", "16"},
		{"1997", "2013-06-13", "15–16"},
	}
	for _, tt := range tests {
		got := domain.AgeAt(domain.MustParseDate(tt.birth), domain.MustParseDate(tt.on))
		if got.String() != tt.want {
			t.Errorf("AgeAt(%s, %s) = %s, want %s", tt.birth, tt.on, got, tt.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct {
		D domain.Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2024-02"}`), &v); err != nil || v.D.String() != "2024-02" {
		t.Fatalf("got %v, %v", v.D, err)
	}
	for _, bad := range []string{`{"d":"2023-02-29"}`, `{"d":2023}`, `{"d":"soon"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestGlobalIDRoundTrip(t *testing.T) {
	id := domain.GlobalID(domain.KindMembership, 42)
	kind, n, err := domain.ParseGlobalID(id)
	if err != nil || kind != domain.KindMembership || n != 42 {
		t.Fatalf("ParseGlobalID(%q) = %v, %v, %v", id, kind, n, err)
	}
	for _, bad := range []string{"", "!!", "QXJ0aXN0", "Tm9wZTox", "QXJ0aXN0Oi0x"} {
		if _, _, err := domain.ParseGlobalID(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseGlobalID(%q): want EINVALID, got %v", bad, err)
		}
	}
}
