package domain_test

import (
	"fmt"
	"testing"

	"github.com/artistgraph/artistgraph/domain"
)

func TestRankAscending(t *testing.T) {
	got := domain.RankAscending([]domain.Contender{
		{ID: 1, Value: domain.Range{Min: 202, Max: 230}}, // Seven, month-precise
		{ID: 2, Value: domain.Range{Min: 183, Max: 213}},
		{ID: 3, Value: domain.Range{Min: 176, Max: 206}},
		{ID: 4, Value: domain.Range{Min: 300, Max: 300}},
		{ID: 5, Value: domain.Range{Min: 300, Max: 300}},
		{ID: 6, Value: domain.Range{Min: 90, Max: 90}},
	})
	want := "[6:1 3:2~ 2:3~ 1:4~ 4:5= 5:5=]"
	if s := fmt.Sprint(summary(got)); s != want {
		t.Errorf("got %s, want %s (id:rank, ~ uncertain, = tied)", s, want)
	}
}

func TestRankDescending(t *testing.T) {
	got := domain.RankDescending([]domain.Contender{
		{ID: 1, Value: domain.Range{Min: 3, Max: 3}},
		{ID: 2, Value: domain.Range{Min: 7, Max: 7}},
		{ID: 3, Value: domain.Range{Min: 3, Max: 3}},
	})
	if s := fmt.Sprint(summary(got)); s != "[2:1 1:2= 3:2=]" {
		t.Errorf("got %s", s)
	}
}

func summary(ps []domain.Placed) []string {
	var out []string
	for _, p := range ps {
		s := fmt.Sprintf("%d:%d", p.ID, p.Rank)
		if !p.Certain {
			s += "~"
		}
		if p.Tied {
			s += "="
		}
		out = append(out, s)
	}
	return out
}
