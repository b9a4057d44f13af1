package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/artistgraph/artistgraph/domain"
)

// PostgresEnv names the connection string of a PostgreSQL server the tests
// may create databases on. Without it, the tests start a throwaway server
// of their own from the installed PostgreSQL (initdb, postgres).
const PostgresEnv = "ARTISTGRAPH_TEST_POSTGRES"

// testServer is the one PostgreSQL server of a test process.
var testServer struct {
	once sync.Once
	url  string // an admin connection to it
	err  error
	stop func()
}

// Postgres makes an empty PostgreSQL database for one test, dropped when
// the test ends; every handle on it closes first. Without a server it
// skips the test, or fails it under CI=true.
func Postgres(tb testing.TB) Opener {
	url := NewPostgresDatabase(tb)
	return func(tb testing.TB) domain.Store { return MustOpen(tb, url) }
}

// NewPostgresDatabase creates an empty database on the test server and
// returns its URL; it is dropped when the test ends.
func NewPostgresDatabase(tb testing.TB) string {
	tb.Helper()
	admin := PostgresServer(tb)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "artistgraph_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			tb.Error(err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresServer returns an admin URL of the test process's PostgreSQL
// server: PostgresEnv's, or one started now and stopped by Main.
// Without either, it skips the test with how to run it, or fails it under
// CI=true.
func PostgresServer(tb testing.TB) string {
	tb.Helper()
	testServer.once.Do(func() {
		if env := os.Getenv(PostgresEnv); env != "" {
			testServer.url = env
			return
		}
		testServer.url, testServer.stop, testServer.err = startPostgres()
	})
	if testServer.err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL tests: %v", testServer.err)
		}
		tb.Skipf("PostgreSQL tests skipped: %v (install PostgreSQL, or set %s to a server's URL)", testServer.err, PostgresEnv)
	}
	return testServer.url
}

// Main runs a package's tests, then stops the server PostgresServer
// started for them, if any, and removes its files: a package whose tests
// use PostgreSQL calls it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if testServer.stop != nil {
		testServer.stop()
	}
	os.Exit(code)
}

// startPostgres starts a throwaway server from the installed binaries: a
// new cluster in a temporary folder, reached on a Unix socket there, with
// durability off (the tests' data need not survive a crash).
func startPostgres() (url string, stop func(), err error) {
	bin, err := postgresBin()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "artistgraph-pg-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	// PostgreSQL refuses to run as root: as root, it runs as the postgres
	// user the Debian package made.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			cleanup()
			return "", nil, fmt.Errorf("running as root, and there is no postgres user to run PostgreSQL as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			cleanup()
			return "", nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	server := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=500")
	// The server ends with the test process, however that ends.
	server.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		cleanup()
		return "", nil, err
	}
	server.Stdout, server.Stderr = logFile, logFile
	if err := server.Start(); err != nil {
		cleanup()
		return "", nil, err
	}
	stop = func() {
		_ = server.Process.Signal(syscall.SIGINT) // fast shutdown
		_ = server.Wait()
		logFile.Close()
		cleanup()
	}
	url = "postgres://postgres@/postgres?host=" + dir + "&sslmode=disable"
	ctx := context.Background()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			conn.Close(ctx)
			return url, stop, nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			stop()
			return "", nil, fmt.Errorf("the test server did not start: %w: %s", err, log)
		}
	}
}

// postgresBin finds the folder of the PostgreSQL server's programs:
// pg_config's, or the newest under /usr/lib/postgresql (Debian's place).
func postgresBin() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", errors.New("no PostgreSQL server programs (initdb) in pg_config --bindir or /usr/lib/postgresql/*/bin")
	}
	sort.Slice(found, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(found[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(found[j]))))
		return vi < vj
	})
	return filepath.Dir(found[len(found)-1]), nil
}
