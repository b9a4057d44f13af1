package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// needProgram finds a program a test needs, or skips the test with one
// line saying how to get it; under CI=true it fails instead.
func needProgram(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed and missing: %s", name, install)
	}
	t.Skipf("skipped: %s is missing (%s)", name, install)
	return ""
}

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// replicaDelay is how late the test's replica replays the primary's
// writes: on loopback it would otherwise keep up before any client could
// tell.
const replicaDelay = "200ms"

// postgresCluster starts a cluster (or, with a primary's port, a streaming
// replica of it, replicaDelay late) by scripts/postgres, stopped and
// removed when the test ends, and returns its URL.
func postgresCluster(t *testing.T, dir string, port, primary int) string {
	t.Helper()
	args := []string{"scripts/postgres", "start", dir, strconv.Itoa(port)}
	if primary != 0 {
		args = []string{"scripts/postgres", "replica", dir, strconv.Itoa(primary), strconv.Itoa(port), replicaDelay}
	}
	out, err := exec.Command("bash", args...).CombinedOutput()
	t.Cleanup(func() { _ = exec.Command("bash", "scripts/postgres", "stop", dir).Run() })
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// appServer starts the program serving the primary's database, reading
// through the replica, and returns it and its address once it serves.
func appServer(t *testing.T, primary, replica string) (*exec.Cmd, string, error) {
	cmd, out := program(t, "-addr", "127.0.0.1:0", "-db", primary, "-replica", replica, "-log-level", "warn")
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return nil, "", fmt.Errorf("the app server did not start: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return cmd, regexp.MustCompile(`http://[0-9.:]+`).FindString(line), nil
}

// gql sends one GraphQL request: a query by GET, a mutation by POST with a
// token. It returns the data, or an error for a failed request or an
// answer with errors.
func gql(base, token, query string, vars map[string]any) (map[string]any, error) {
	var req *http.Request
	if token == "" {
		v, _ := json.Marshal(vars)
		req, _ = http.NewRequest(http.MethodGet, base+"/graphql?query="+url.QueryEscape(query)+"&variables="+url.QueryEscape(string(v)), nil)
	} else {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ = http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var answer struct {
		Data   map[string]any
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		return nil, fmt.Errorf("%s: %w", res.Status, err)
	}
	if len(answer.Errors) > 0 || res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %v", res.Status, answer.Errors)
	}
	return answer.Data, nil
}

const (
	createArtist = `mutation($s: String!) { createArtist(input: {slug: $s, name: $s}, summary: "replica test") { id } }`
	readArtist   = `query($s: String!) { artist(slug: $s) { name } }`
)

// Two app servers share a PostgreSQL primary and read from its streaming
// replica, behind HAProxy. An edit made through one server is read at once
// through the other. Then, under a load of writers and readers through the
// balancer, one app server is killed: every acknowledged write is there,
// and the readers never see an error, since the balancer retries their
// reads on the other server (it retries no write: a POST that fails is
// reported, and the writer knows).
func TestReplicaBehindABalancer(t *testing.T) {
	begin := time.Now()
	haproxy := needProgram(t, "haproxy", "bash scripts/postgres install --with-haproxy")
	if out, err := exec.Command("bash", "scripts/postgres", "install").CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is needed and could not be installed: %s", out)
		}
		t.Skipf("skipped: no PostgreSQL (bash scripts/postgres install): %s", strings.TrimSpace(string(out)))
	}
	// The clusters' folders are the postgres user's when the test runs as
	// root, so their parent is not a private temporary folder.
	dir, err := os.MkdirTemp("", "artistgraph-replica-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	primaryPort := freePort(t)
	primary := postgresCluster(t, filepath.Join(dir, "primary"), primaryPort, 0)
	replica := postgresCluster(t, filepath.Join(dir, "replica"), freePort(t), primaryPort)

	t.Logf("%s: the primary and its replica are up", time.Since(begin).Round(time.Millisecond))
	var tokenOut strings.Builder
	if err := run(context.Background(), []string{"token", "create", "-db", primary, "-name", "balanced", "-role", "editor"}, &tokenOut, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tokenOut.String())
	// Both start on the empty database at once, and both seed it.
	type started struct {
		cmd  *exec.Cmd
		base string
		err  error
	}
	apps := make([]started, 2)
	var wg sync.WaitGroup
	for i := range apps {
		wg.Go(func() { apps[i].cmd, apps[i].base, apps[i].err = appServer(t, primary, replica) })
	}
	wg.Wait()
	for _, app := range apps {
		if app.err != nil {
			t.Fatal(app.err)
		}
	}

	t.Logf("%s: two app servers are up", time.Since(begin).Round(time.Millisecond))
	// Read your writes, across servers.
	for i := range 10 {
		slug := fmt.Sprintf("across-%d", i)
		if _, err := gql(apps[i%2].base, token, createArtist, map[string]any{"s": slug}); err != nil {
			t.Fatalf("create %s through server %d: %v", slug, i%2, err)
		}
		data, err := gql(apps[(i+1)%2].base, "", readArtist, map[string]any{"s": slug})
		if err != nil || data["artist"] == nil {
			t.Fatalf("%s, written through server %d, is not read through the other: %v %v", slug, i%2, data, err)
		}
	}

	t.Logf("%s: read their writes", time.Since(begin).Round(time.Millisecond))
	balancer := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	config := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(config, []byte(`global
	maxconn 2000
defaults
	mode http
	timeout connect 1s
	timeout client 30s
	timeout server 30s
	retries 3
	option redispatch 1
	retry-on conn-failure empty-response response-timeout 502 503 504
frontend graphql
	bind `+balancer+`
	default_backend apps
backend apps
	balance roundrobin
	option httpchk GET /healthz
	# A write is never sent twice: the writer hears that it failed.
	http-request disable-l7-retry if METH_POST
	timeout check 2s
	server a `+strings.TrimPrefix(apps[0].base, "http://")+` check inter 200ms fall 2 rise 2
	server b `+strings.TrimPrefix(apps[1].base, "http://")+` check inter 200ms fall 2 rise 2
`), 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := exec.Command(haproxy, "-db", "-f", config)
	var proxyLog strings.Builder
	proxy.Stdout, proxy.Stderr = &proxyLog, &proxyLog
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Process.Kill(); _ = proxy.Wait() })
	base := "http://" + balancer
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := gql(base, "", readArtist, map[string]any{"s": "jungkook"}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the balancer does not answer:\n%s", proxyLog.String())
		}
	}

	var mu sync.Mutex
	var acknowledged []string
	var reads, readErrors, failedWrites int
	stop := make(chan struct{})
	var load sync.WaitGroup
	for w := range 4 {
		load.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				slug := fmt.Sprintf("balanced-%d-%d", w, i)
				_, err := gql(base, token, createArtist, map[string]any{"s": slug})
				mu.Lock()
				if err == nil {
					acknowledged = append(acknowledged, slug)
				} else {
					failedWrites++
				}
				mu.Unlock()
			}
		})
	}
	for range 4 {
		load.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, err := gql(base, "", `{ artists(first: 20) { edges { node { name memberships { group { name } } } } } }`, nil)
				mu.Lock()
				reads++
				if err != nil {
					readErrors++
					t.Errorf("a read through the balancer failed: %v", err)
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(time.Second)
	killed(t, apps[0].cmd)
	time.Sleep(2 * time.Second)
	close(stop)
	load.Wait()

	t.Logf("%s: the load is over", time.Since(begin).Round(time.Millisecond))
	if len(acknowledged) == 0 {
		t.Fatal("no write was acknowledged")
	}
	for _, slug := range acknowledged {
		data, err := gql(base, "", readArtist, map[string]any{"s": slug})
		if err != nil || data["artist"] == nil {
			t.Fatalf("acknowledged %s is lost: %v %v", slug, data, err)
		}
	}
	t.Logf("%d writes acknowledged, %d failed with the killed server; %d reads, %d failed", len(acknowledged), failedWrites, reads, readErrors)
}
