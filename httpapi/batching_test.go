package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/httpapi"
)

// lastStatementCount reads how many SQL statements the last request ran from
// the server's request log.
func lastStatementCount(t *testing.T, logs *logBuffer) int {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var entry struct {
			Msg        string `json:"msg"`
			Path       string `json:"path"`
			Statements int    `json:"sql_statements"`
		}
		if json.Unmarshal([]byte(lines[i]), &entry) == nil && entry.Msg == "request" && entry.Path == "/graphql" {
			return entry.Statements
		}
	}
	t.Fatal("no request in the log")
	return 0
}

// The nested query of the performance issue: artists → memberships → group →
// members → artist → credits → work → credits → act. Batching makes its cost
// in statements a matter of its depth: the same for 2 artists as for 20.
const nestedQuery = `query Nested($n: Int) {
  artists(first: $n) { totalCount edges { node { name names { value }
    memberships { roles group { name members(first: 20) { totalCount edges { node { start artist { name
      credits(first: 20) { totalCount edges { node { role work { name released credits { role act { name } } } } } }
    } } } } } }
  } } }
}`

// slowBatches gives loaders time to gather every sibling even on a busy CI
// machine, so that statement counts do not depend on scheduling.
var slowBatches = httpapi.Options{BatchWait: 50 * time.Millisecond}

func TestNestedQueryStatementsAreBoundedByDepth(t *testing.T) {
	srv, _, logs := newServerWith(t, slowBatches, testFixtures)
	counts := map[int]int{}
	for _, n := range []int{2, 5, 20} {
		res := post(t, srv.URL, nestedQuery, map[string]any{"n": n})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		counts[n] = lastStatementCount(t, logs)
	}
	t.Logf("statements for 2, 5 and 20 artists: %d, %d, %d", counts[2], counts[5], counts[20])
	// Each level costs a few statements: a page (and its count), the nodes
	// (one per kind), their names. A level can take two batches where some
	// siblings were cached by an earlier level and come back at once, and a
	// bigger page meets more kinds of node; but the cost is set by the
	// query's depth: 20 artists, with hundreds of nodes below them, cost a
	// few statements more than 2 do, not ten times as many.
	if counts[20] > counts[2]+10 || counts[20] > 30 {
		t.Errorf("statements grow with the number of nodes: %v", counts)
	}
}

func TestConnectionTotalsAreBatchedToo(t *testing.T) {
	srv, _, logs := newServerWith(t, slowBatches, testFixtures)
	q := `query($n: Int) { artists(first: $n) { edges { node { credits { totalCount } awardResults { totalCount } performances { totalCount } } } } }`
	counts := map[int]int{}
	for _, n := range []int{1, 20} {
		if res := post(t, srv.URL, q, map[string]any{"n": n}); len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		counts[n] = lastStatementCount(t, logs)
	}
	if counts[20] != counts[1] {
		t.Errorf("statements for 1 and 20 artists' totals: %v", counts)
	}
}

func TestTotalCountIsOnlyCountedWhenAsked(t *testing.T) {
	srv, _, logs := newServer(t)
	post(t, srv.URL, `{ artists(first: 5) { edges { node { name } } } }`, nil)
	without := lastStatementCount(t, logs)
	post(t, srv.URL, `{ artists(first: 5) { totalCount edges { node { name } } } }`, nil)
	with := lastStatementCount(t, logs)
	if with != without+1 {
		t.Errorf("statements without totalCount %d, with %d: want one count more", without, with)
	}
}
