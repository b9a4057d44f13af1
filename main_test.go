package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
)

// syncBuffer is written by the program and read by the test at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func noEnv(string) string { return "" }

// TestServe runs the real program on port 0 with a new database: it seeds
// it, answers GraphQL and the health check, and shuts down on cancel.
func TestServe(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "artistgraph.db")
	ctx, cancel := context.WithCancel(context.Background())
	out, stdoutW := io.Pipe()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", dbPath}, stdoutW, &stderr, noEnv)
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no start line (%v); stderr:\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, out)
	base := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	if base == "" {
		t.Fatalf("start line %q has no address", line)
	}
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ song(slug: \"seven\") { creditLine released } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"creditLine":"Jung Kook feat. Latto","released":"2023-07-14"`) {
		t.Errorf("GraphQL answered %s", body)
	}
	res, err = http.Get(base + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"seeding the database from the built-in fixtures"`, `"msg":"seeded"`, `"msg":"request"`, `"operation":"query anonymous"`, `"path":"/graphql"`, `"msg":"shutting down"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("the database file was not created: %v", err)
	}
}

func TestPortVariable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	go run(ctx, []string{"-db", ":memory:"}, w, io.Discard, func(k string) string {
		if k == "PORT" {
			return "0"
		}
		return ""
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	// Listening on every interface, it prints an address a browser opens.
	if err != nil || !strings.Contains(line, "serving http://localhost:") {
		t.Errorf("with PORT=0: %q %v", line, err)
	}
	go io.Copy(io.Discard, out)
}

func TestSeedCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "wiki.db")
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, good, `{"sources": [{"slug": "s", "name": "S"}], "artists": [{"slug": "solo", "name": "Solo", "birthDate": "2000"}],
		"songs": [{"slug": "hit", "name": "Hit", "released": "2020-05", "credits": [{"act": "solo", "role": "primary", "sources": ["s"]}]}]}`)
	writeFile(t, bad, `{"milestones": [{"song": "hit", "platform": "spotify", "metric": "streams", "threshold": 5, "reached": "2019", "sources": ["s"]}],
		"artists": [{"slug": "BAD", "name": "x"}]}`)

	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"seed", "-db", dbPath, good}, &stdout, &stderr, noEnv); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if !strings.Contains(stdout.String(), "loaded 3 things and 1 facts") {
		t.Errorf("seed said %q", stdout.String())
	}
	before, _ := os.ReadFile(dbPath)

	stdout.Reset()
	err := run(ctx, []string{"seed", "-db", dbPath, bad}, &stdout, &stderr, noEnv)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("a bad fixture: %v", err)
	}
	for _, want := range []string{"3 problem(s); nothing was written", `no platform has the slug "spotify"`, "bad.json: milestones[0].reached: 2019 is before the work's release (2020-05)", "bad.json: artists[0].slug"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	after, _ := os.ReadFile(dbPath)
	if !bytes.Equal(before, after) {
		t.Error("a refused load changed the database file")
	}

	stdout.Reset()
	if err := run(ctx, []string{"seed", "-check", good}, &stdout, &stderr, noEnv); err != nil || !strings.Contains(stdout.String(), "valid") {
		t.Errorf("-check: %v %q", err, stdout.String())
	}
	if err := run(ctx, []string{"seed", "-check", "seed/fixtures"}, io.Discard, &stderr, noEnv); err != nil {
		t.Errorf("-check of the shipped fixtures: %v", err)
	}
	if err := run(ctx, []string{"seed", "-check", bad}, io.Discard, &stderr, noEnv); err == nil {
		t.Error("-check accepted a bad fixture")
	}
}

func TestUsage(t *testing.T) {
	ctx := context.Background()
	var stderr bytes.Buffer
	err := run(ctx, []string{"-h"}, io.Discard, &stderr, noEnv)
	if !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Errorf("-h: %v", err)
	}
	for _, want := range []string{"-addr", "-db", "seed -check", "/healthz", ":memory:"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	stderr.Reset()
	if err := run(ctx, []string{"seed", "-h"}, io.Discard, &stderr, noEnv); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-check") {
		t.Errorf("seed -h: %v\n%s", err, stderr.String())
	}
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"seed"}, {"seed", "-db"}} {
		if err := run(ctx, args, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, exitCode(err), err)
		}
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("test fixture is not JSON: %v", err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadmeExamples runs every GraphQL example of the README and checks the
// answer printed under it, so the README cannot drift from the program.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	pairs := regexp.MustCompile("(?s)```graphql\n(.*?)```\\s*```json\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(pairs) < 4 {
		t.Fatalf("found %d examples in the README", len(pairs))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	// Served through memory-mapped reads (-mmap), so those answer the same.
	go run(ctx, []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "readme.db"), "-mmap", "64"}, w, io.Discard, noEnv)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	base := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	for _, p := range pairs {
		body, _ := json.Marshal(map[string]string{"query": string(p[1])})
		res, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if err := json.Unmarshal(p[2], &want); err != nil {
			t.Fatalf("README answer is not JSON: %v\n%s", err, p[2])
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			t.Errorf("README example\n%s\nanswers\n%s\nnot\n%s", p[1], g, p[2])
		}
	}
}

func TestExportAndBackupCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	var stdout bytes.Buffer
	if err := run(ctx, []string{"seed", "-db", dbPath, "seed/fixtures"}, &stdout, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "export")
	stdout.Reset()
	if err := run(ctx, []string{"export", "-db", dbPath, out}, &stdout, io.Discard, noEnv); err != nil || !strings.Contains(stdout.String(), "exported 79 items in 13 files") {
		t.Fatalf("export: %v %q", err, stdout.String())
	}
	if err := run(ctx, []string{"seed", "-check", out}, io.Discard, io.Discard, noEnv); err != nil {
		t.Errorf("the export does not check: %v", err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := run(ctx, []string{"backup", "-db", dbPath, copyPath}, io.Discard, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"backup", "-db", dbPath, copyPath}, io.Discard, io.Discard, noEnv); err == nil {
		t.Error("backup wrote over an existing file")
	}
	if err := run(ctx, []string{"export", "-db", filepath.Join(dir, "none.db"), filepath.Join(dir, "x")}, io.Discard, io.Discard, noEnv); err == nil {
		t.Error("export of a missing database")
	}
	for _, args := range [][]string{{"export"}, {"backup"}} {
		if err := run(ctx, args, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "tokens.db")
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "create", "-db", dbPath, "-name", "ana", "-role", "admin"}, &out, io.Discard, noEnv); err != nil || !strings.HasPrefix(out.String(), "ag_") {
		t.Fatalf("create: %v %q", err, out.String())
	}
	secret := strings.TrimSpace(out.String())
	out.Reset()
	if err := run(ctx, []string{"token", "list", "-db", dbPath}, &out, io.Discard, noEnv); err != nil || !strings.Contains(out.String(), "ana\tadmin") || strings.Contains(out.String(), secret) {
		t.Errorf("list: %v %q", err, out.String())
	}
	if err := run(ctx, []string{"token", "revoke", "-db", dbPath, "-name", "ana"}, io.Discard, io.Discard, noEnv); err != nil {
		t.Error(err)
	}
	if err := run(ctx, []string{"token", "revoke", "-db", dbPath, "-name", "ana"}, io.Discard, io.Discard, noEnv); err == nil {
		t.Error("revoked twice")
	}
	for _, args := range [][]string{{"token"}, {"token", "create"}, {"token", "burn", "-name", "x"}} {
		if err := run(ctx, args, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// startServer runs the real program on port 0 and returns its address and
// the channel its result arrives on.
func startServer(t *testing.T, ctx context.Context, args ...string) (string, <-chan error) {
	t.Helper()
	out, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "a.db")}, args...), stdoutW, io.Discard, noEnv)
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no start line: %v", err)
	}
	go io.Copy(io.Discard, out)
	return regexp.MustCompile(`[0-9.]+:[0-9]+`).FindString(line), done
}

// A request in flight when the server is told to stop is answered before
// it stops; new connections are refused meanwhile.
func TestShutdownDrainsRequestsInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, done := startServer(t, ctx)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query": "{ song(slug: \"seven\") { creditLine } }"}`
	// Half the request, then the stop, then the rest.
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", addr, len(body), body[:10])
	time.Sleep(100 * time.Millisecond)
	cancel()
	time.Sleep(100 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("a new connection was accepted while stopping")
	}
	fmt.Fprint(conn, body[10:])
	answer, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(answer), "HTTP/1.1 200") || !strings.Contains(string(answer), "Jung Kook feat. Latto") {
		t.Errorf("in-flight request answered:\n%s", answer)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
}

// The server's flags set its limits and its persisted queries.
func TestServerFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _ := startServer(t, ctx, "-max-depth", "3", "-persisted", "httpapi/examples", "-only-persisted")
	ask := func(query string) string {
		body, _ := json.Marshal(map[string]string{"query": query})
		res, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		answer, _ := io.ReadAll(res.Body)
		return string(answer)
	}
	listed, err := os.ReadFile("httpapi/examples/03-search.graphql")
	if err != nil {
		t.Fatal(err)
	}
	// Listed, so past the persisted-query check, then too deep for 3.
	if got := ask(string(listed)); !strings.Contains(got, "nests 4 fields deep; at most 3") {
		t.Errorf("a listed query: %.300s", got)
	}
	if got := ask(`{ song(slug: "seven") { name } }`); !strings.Contains(got, "PERSISTED_QUERY_NOT_ALLOWED") {
		t.Errorf("an unlisted query: %s", got)
	}
	if err := run(ctx, []string{"-only-persisted"}, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
		t.Errorf("-only-persisted without -persisted: %v", err)
	}
	// A page size the store would refuse is refused at start-up.
	for _, size := range []string{"101", "-1"} {
		if err := run(ctx, []string{"-max-page-size", size}, io.Discard, io.Discard, noEnv); exitCode(err) != 2 || !strings.Contains(err.Error(), "-max-page-size") {
			t.Errorf("-max-page-size %s: %v", size, err)
		}
	}
	if err := run(ctx, []string{"-log", "xml"}, io.Discard, io.Discard, noEnv); exitCode(err) != 2 {
		t.Errorf("-log xml: %v", err)
	}
}

// A connection that sends no headers, or sits idle between requests, is
// closed: each holds a file descriptor.
func TestIdleConnectionsAreClosed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _ := startServer(t, ctx, "-header-timeout", "200ms", "-idle-timeout", "200ms")
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	for name, conn := range map[string]net.Conn{"silent": silent, "idle": idle} {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := io.ReadAll(conn) // the answer, if any, then the server's close
		if err != nil {
			t.Errorf("the %s connection was not closed: %v", name, err)
		}
	}
}

// The load's progress on a terminal: one short line rewritten while items
// are read, then each later phase on its own line with the time the one
// before took, and the summary on a line of its own.
func TestLoadProgressShowsEachPhase(t *testing.T) {
	var out bytes.Buffer
	progress, done := phases(&out, seed.Files{}, time.Now().Add(-time.Second))
	progress(domain.LoadStats{Things: 10, Facts: 100, Phase: domain.PhaseItems})
	for _, p := range []string{domain.PhaseIndexes, domain.PhaseReferences, domain.PhaseCommit} {
		progress(domain.LoadStats{Things: 10, Facts: 100, Phase: p})
	}
	done()
	text := out.String()
	for _, want := range []string{"10 things, 100 facts", domain.PhaseItems + ": done in", domain.PhaseIndexes + ": done in", domain.PhaseReferences + ": done in", domain.PhaseCommit + ": done in"} {
		if !strings.Contains(text, want) {
			t.Errorf("the progress lacks %q:\n%q", want, text)
		}
	}
	if !strings.HasSuffix(text, "\n") {
		t.Errorf("the last line is left open, to be glued to the summary: %q", text)
	}
	for _, line := range strings.Split(text, "\r") {
		if len(line) > 80 {
			t.Errorf("a line of %d characters wraps in a narrow terminal: %q", len(line), line)
		}
	}
}

// The port is taken first: a port in use is said at once, before a
// database is created or seeded.
func TestPortInUseIsSaidFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dbPath := filepath.Join(t.TempDir(), "never.db")
	err = run(context.Background(), []string{"-addr", ln.Addr().String(), "-db", dbPath}, io.Discard, io.Discard, noEnv)
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("a port in use: %v", err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the database was created before the port was taken: %v", err)
	}
}

// TestMemoryLimit sets the heap's soft limit from -memory-limit, unless
// the environment sets GOMEMLIMIT.
func TestMemoryLimit(t *testing.T) {
	before, gc := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(gc)
	t.Cleanup(func() { debug.SetMemoryLimit(before); debug.SetGCPercent(gc) })
	noEnv := func(string) string { return "" }
	limitMemory(96, noEnv)
	if got := debug.SetMemoryLimit(-1); got != 96<<20 {
		t.Errorf("limit %d bytes; want 96 MiB", got)
	}
	if got := debug.SetGCPercent(400); got != 400 {
		t.Errorf("GOGC %d; want 400 under a limit", got)
	}
	limitMemory(64, func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB", "GOGC": "100"}[k] })
	if got := debug.SetMemoryLimit(-1); got != 96<<20 {
		t.Errorf("limit %d bytes; GOMEMLIMIT in the environment should win", got)
	}
}
