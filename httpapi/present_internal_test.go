package httpapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// What the error presenter makes of errors that are nobody's fault here:
// a client that left, a request out of time.
func TestPresenterNamesCancelledAndTimedOutRequests(t *testing.T) {
	var logs bytes.Buffer
	present := presentError(slog.New(slog.NewJSONHandler(&logs, nil)))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	timedOut, stop := context.WithTimeout(context.WithValue(context.Background(), timeoutKey{}, time.Second), -time.Second)
	defer stop()
	cases := []struct {
		ctx  context.Context
		code string
	}{
		{cancelled, ECANCELLED},
		{timedOut, ETIMEOUT},
		{context.Background(), "INTERNAL"},
	}
	for _, c := range cases {
		ctx := graphql.WithResponseContext(c.ctx, graphql.DefaultErrorPresenter, nil)
		got := present(ctx, errors.New("read Credit: interrupted (9)"))
		if got.Extensions["code"] != c.code || strings.Contains(got.Message, "Credit") {
			t.Errorf("%s: %+v", c.code, got)
		}
	}
	if n := strings.Count(logs.String(), "internal error"); n != 1 {
		t.Errorf("%d internal errors logged, want only the real one", n)
	}
}
