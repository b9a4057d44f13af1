package main

// The subcommands besides serving: seed, seed gen, export, backup, token.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/artistgraph/artistgraph/domain"
	"github.com/artistgraph/artistgraph/seed"
	"github.com/artistgraph/artistgraph/seed/synth"
	"github.com/artistgraph/artistgraph/sqlstore"
)

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "gen" {
		return runGen(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("artistgraph seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:
  artistgraph seed [-db FILE] PATH...   load fixture files, and the *.json files under folders
  artistgraph seed -check PATH...       validate them against each other and the built-in fixtures
  artistgraph seed gen -out DIR         write a synthetic graph (see 'artistgraph seed gen -h')

A load is all or nothing: on any problem nothing is written and every problem
is listed with its file, JSON path and reason. Loading the same fixtures twice
changes nothing. Files are streamed, so they may be larger than memory; on a
terminal the load shows its progress. Flags:
`)
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", "artistgraph.db", "SQLite database file to load into (created when missing), or a PostgreSQL database's URL")
	check := fs.Bool("check", false, "validate only: write nothing")
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{errors.New("seed needs at least one fixture file or folder")}
	}
	files, err := seed.ReadPaths(fs.Args()...)
	if err != nil {
		return err
	}
	target := *dbPath
	if *check {
		// A scratch database holding the built-in fixtures stands in for
		// "the graph", so fixtures may refer to what ships with artistgraph.
		target = sqlstore.MemoryPath
	}
	db, err := sqlstore.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	if *check {
		if _, err := seed.IfEmpty(ctx, db); err != nil {
			return err
		}
	}
	start := time.Now()
	progress, done := progressPrinter(stderr, files, start)
	stats, err := db.LoadItems(ctx, files, progress)
	done()
	if err != nil {
		return err
	}
	verb := "loaded"
	if *check {
		verb, target = "valid", "nothing (checked only)"
	}
	fmt.Fprintf(stdout, "%s: %s %d things and %d facts into %s in %s\n", joinArgs(fs.Args()), verb, stats.Things, stats.Facts, target, time.Since(start).Round(time.Millisecond))
	return nil
}

// progressPrinter shows a load's progress on a terminal: while items are
// read, one line rewritten a few times a second (counts, rate, the time
// left judged by bytes read); then a line for each later phase, with how
// long the one before took. done ends the last line, before the summary.
func progressPrinter(w io.Writer, files seed.Files, start time.Time) (progress func(domain.LoadStats), done func()) {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil, func() {}
	}
	return phases(w, files, start)
}

// phases is progressPrinter's output, to any writer.
func phases(w io.Writer, files seed.Files, start time.Time) (progress func(domain.LoadStats), done func()) {
	var last time.Time
	phase, phaseStart, open := domain.PhaseItems, start, false
	progress = func(s domain.LoadStats) {
		now := time.Now()
		if s.Phase != phase {
			fmt.Fprintf(w, "\r\033[K%s: done in %s\n%s…", phase, now.Sub(phaseStart).Round(100*time.Millisecond), s.Phase)
			phase, phaseStart, open = s.Phase, now, true
			return
		}
		if phase != domain.PhaseItems || now.Sub(last) < 250*time.Millisecond {
			return
		}
		last, open = now, true
		elapsed := now.Sub(start).Seconds()
		// Short, and cleared to the end: a wrapped line would leave a
		// new line at every update in a narrow terminal.
		line := fmt.Sprintf("\r%d things, %d facts, %.0f/s", s.Things, s.Facts, float64(s.Facts)/elapsed)
		if total, read := files.Size(), files.BytesRead(); total > 0 && read > 0 && read < total {
			left := time.Duration(elapsed * float64(total-read) / float64(read) * float64(time.Second))
			line += fmt.Sprintf(", %.0f%% read, ~%s left", 100*float64(read)/float64(total), left.Round(time.Second))
		}
		fmt.Fprint(w, line+"\033[K")
	}
	done = func() {
		if open {
			fmt.Fprintf(w, "\r\033[K%s: done in %s\n", phase, time.Since(phaseStart).Round(100*time.Millisecond))
		}
	}
	return progress, done
}

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("artistgraph seed gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:
  artistgraph seed gen -out DIR [-size large|small] [-seed N] [-artists N] [-groups N] [-songs N]

Writes valid fixtures of a synthetic graph with the shape of real careers
into DIR. The same seed and sizes write the same files. The large size has
100,000 artists, 10,000 groups and 1,000,000 songs: about 1.2 million
things and 5 million facts, 1 GB of JSON. Flags:
`)
		fs.PrintDefaults()
	}
	out := fs.String("out", "", "folder to write the fixtures into (created; required)")
	size := fs.String("size", "large", "large or small (a thousandth of large)")
	seedValue := fs.Uint64("seed", 1, "random seed")
	artists := fs.Int("artists", 0, "artists (default: the size's)")
	groups := fs.Int("groups", 0, "groups (default: the size's)")
	songs := fs.Int("songs", 0, "songs (default: the size's)")
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	cfg, ok := map[string]synth.Config{"large": synth.Large, "small": synth.Small}[*size]
	if *out == "" || !ok || fs.NArg() > 0 {
		fs.Usage()
		return usageError{errors.New("seed gen needs -out DIR, and -size large or small")}
	}
	cfg.Seed = *seedValue
	for flagValue, field := range map[*int]*int{artists: &cfg.Artists, groups: &cfg.Groups, songs: &cfg.Songs} {
		if *flagValue > 0 {
			*field = *flagValue
		}
	}
	start := time.Now()
	stats, err := synth.Generate(*out, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: wrote %d things and %d facts in %d files in %s\n", *out, stats.Things, stats.Facts, stats.Files, time.Since(start).Round(time.Millisecond))
	return nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("artistgraph export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:
  artistgraph export [-db FILE] DIR

Writes the whole graph into DIR (new or empty) as fixture files, in a stable
order and layout, so that two exports diff as the graph does and loading DIR
into an empty database rebuilds the graph. Flags:
`)
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", "artistgraph.db", "SQLite database file to export, or a PostgreSQL database's URL")
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{errors.New("export needs one folder to write into")}
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	stats, err := seed.Export(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: exported %d items in %d files in %s\n", fs.Arg(0), stats.Items, stats.Files, time.Since(start).Round(time.Millisecond))
	return nil
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("artistgraph backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:
  artistgraph backup [-db FILE] OUT

Copies the database into the new file OUT as one consistent snapshot, while
a server may be reading and writing it. Flags:
`)
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", "artistgraph.db", "SQLite database file to back up, or a PostgreSQL database's URL (backed up by pg_dump, in its custom format)")
	if err := fs.Parse(args); err != nil {
		return usageOr(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{errors.New("backup needs the file to write")}
	}
	db, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: backed up to %s\n", db.Path(), fs.Arg(0))
	return nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("artistgraph token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage:
  artistgraph token create [-db FILE] -name NAME [-role editor|admin]   print a new token, once
  artistgraph token revoke [-db FILE] -name NAME                        revoke NAME's token
  artistgraph token list [-db FILE]                                     list tokens, never their secrets

Reads need no token; writes will send one as "Authorization: Bearer <token>".
Only a hash of each secret is kept. Flags:
`)
		fs.PrintDefaults()
	}
	dbPath := fs.String("db", "artistgraph.db", "SQLite database file, or a PostgreSQL database's URL")
	name := fs.String("name", "", "whose token it is")
	role := fs.String("role", domain.RoleEditor, "editor or admin")
	if len(args) == 0 {
		fs.Usage()
		return usageError{errors.New("token needs create, revoke or list")}
	}
	verb := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return usageOr(err)
	}
	if fs.NArg() > 0 || !slices.Contains([]string{"create", "revoke", "list"}, verb) || (verb != "list" && *name == "") {
		fs.Usage()
		return usageError{errors.New("token create and revoke need -name")}
	}
	db, err := sqlstore.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch verb {
	case "create":
		token, err := db.CreateToken(ctx, *name, *role)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
	case "revoke":
		if err := db.RevokeToken(ctx, *name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked the token of %s\n", *name)
	case "list":
		tokens, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			state := "live"
			if t.Revoked != nil {
				state = "revoked " + t.Revoked.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\tcreated %s\t%s\n", t.ID, t.Name, t.Role, t.Created.Format(time.RFC3339), state)
		}
	}
	return nil
}

func joinArgs(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return fmt.Sprintf("%d paths", len(args))
}

// openExisting opens a database that must exist already, rather than
// creating an empty one by mistake.
func openExisting(ctx context.Context, path string) (*sqlstore.DB, error) {
	if sqlstore.IsPostgres(path) {
		return sqlstore.Open(ctx, path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s", path)
	}
	return sqlstore.Open(ctx, path)
}
