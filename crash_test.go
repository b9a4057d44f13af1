package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed/synth"
	"github.com/artistgraph/artistgraph/sqlstore"
)

// TestMain lets the crash tests run this very binary as the program, so
// that they can kill it with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("ARTISTGRAPH_AS_PROGRAM") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// program starts the artistgraph program in a process of its own.
func program(t *testing.T, args ...string) (*exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ARTISTGRAPH_AS_PROGRAM=1")
	// The program ends with the test, however the test ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, out
}

// killed SIGKILLs a program and checks that it was still running.
func killed(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("the program had already ended: %v", err)
	}
	err := cmd.Wait()
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !status.Signaled() {
		t.Fatalf("the program ended by itself (%v) before it could be killed", err)
	}
}

func openAfterCrash(t *testing.T, path string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("the database does not open after the crash: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("after the crash: %v", err)
	}
	return db
}

// Killed in the middle of a large fixture load, the program leaves a
// database that opens, passes the integrity check, and holds none of the
// load; the same load then runs to the end.
func TestCrashDuringLoad(t *testing.T) {
	dir := t.TempDir()
	cfg := synth.Large
	cfg.Artists, cfg.Groups, cfg.Songs, cfg.Events, cfg.Awards = 2_000, 200, 20_000, 400, 10
	stats, err := synth.Generate(filepath.Join(dir, "fixtures"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "crash.db")
	for _, into := range []string{"an empty database", "a populated database"} {
		if into == "a populated database" {
			// The second time, the database holds the built-in fixtures.
			if err := run(context.Background(), []string{"seed", "-db", dbPath, "seed/fixtures"}, io.Discard, io.Discard, noEnv); err != nil {
				t.Fatal(err)
			}
		}
		cmd, _ := program(t, "seed", "-db", dbPath, filepath.Join(dir, "fixtures"))
		time.Sleep(700 * time.Millisecond) // well into the load, which takes seconds
		killed(t, cmd)
		db := openAfterCrash(t, dbPath)
		if id, err := db.IDBySlug(context.Background(), domain.KindArtist, "artist-0"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("into %s: part of the killed load is there (%d, %v)", into, id, err)
		}
		db.Close()
	}
	start := time.Now()
	if err := run(context.Background(), []string{"seed", "-db", dbPath, filepath.Join(dir, "fixtures")}, io.Discard, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	t.Logf("the load the test kills takes %s uninterrupted (%d facts)", time.Since(start).Round(time.Millisecond), stats.Facts)
}

// Killed while editors write, the program loses none of the writes it
// acknowledged, and each other write is there whole or not at all.
func TestCrashDuringWrites(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "writes.db")
	if err := run(ctx, []string{"seed", "-db", dbPath, "seed/fixtures"}, io.Discard, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	var tokenOut strings.Builder
	if err := run(ctx, []string{"token", "create", "-db", dbPath, "-name", "crash", "-role", "editor"}, &tokenOut, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tokenOut.String())
	seeded := countArtists(t, dbPath)
	cmd, out := program(t, "-addr", "127.0.0.1:0", "-db", dbPath)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	base := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	var mu sync.Mutex
	var acknowledged []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				slug := fmt.Sprintf("crash-%d-%d", w, i)
				body, _ := json.Marshal(map[string]any{"query": `mutation($s: String!) { createArtist(input: {slug: $s, name: $s}, summary: "crash test") { id } }`, "variables": map[string]any{"s": slug}})
				req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server is gone
				}
				var answer struct {
					Data   map[string]any
					Errors []any
				}
				err = json.NewDecoder(res.Body).Decode(&answer)
				res.Body.Close()
				if err == nil && len(answer.Errors) == 0 && answer.Data["createArtist"] != nil {
					mu.Lock()
					acknowledged = append(acknowledged, slug)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Second)
	killed(t, cmd)
	close(stop)
	wg.Wait()
	db := openAfterCrash(t, dbPath)
	if len(acknowledged) == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}
	for _, slug := range acknowledged {
		id, err := db.IDBySlug(ctx, domain.KindArtist, slug)
		if err != nil {
			t.Fatalf("acknowledged %s is lost: %v", slug, err)
		}
		if page, err := db.History(ctx, id, domain.PageArgs{}); err != nil || len(page.IDs) != 1 {
			t.Errorf("%s has %d history entries (%v), want its creation", slug, len(page.IDs), err)
		}
	}
	// Whatever else is there is whole: as many artists were added as
	// creations recorded, each with its history row.
	recent, err := db.RecentChanges(ctx, domain.ChangeFilter{Actor: "crash"}, domain.PageArgs{First: 1, WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	artists, err := db.ListThings(ctx, domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 1, WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	if added := artists.Total - seeded; recent.Total != added || added < len(acknowledged) {
		t.Errorf("%d artists added, %d creations recorded, %d acknowledged", added, recent.Total, len(acknowledged))
	}
	t.Logf("%d writes acknowledged before the kill, %d recorded", len(acknowledged), recent.Total)
}

func countArtists(t *testing.T, path string) int {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.ListThings(context.Background(), domain.KindArtist, domain.ThingFilter{}, domain.PageArgs{First: 1, WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}
