// Package seed reads artistgraph fixtures: JSON documents, written by hand,
// that describe things and facts by slug (see README.md in this folder and
// fixture.schema.json). The fixtures in fixtures/ are embedded in the binary
// and seed a new database.
package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/artistgraph/artistgraph/domain"
)

//go:embed fixtures/*.json
var embedded embed.FS

// Fixtures is the fixture set shipped with artistgraph.
func Fixtures() fs.FS {
	sub, err := fs.Sub(embedded, "fixtures")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// MaxFileSize is the largest fixture file read, so that a wrong path (a
// database, a video) fails fast instead of filling memory.
const MaxFileSize = 64 << 20

// Loader writes a validated dataset all or nothing; *sqlite.DB is one.
type Loader interface {
	Load(ctx context.Context, ds *domain.Dataset) error
}

// ReadFS reads every *.json file of fsys, in name order, as one dataset.
func ReadFS(fsys fs.FS) (*domain.Dataset, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make([]file, 0, len(names))
	for _, name := range names {
		files = append(files, file{name: name, open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
	}
	return read(files)
}

// ReadPaths reads fixture files, and every *.json file under folders, as one
// dataset.
func ReadPaths(paths ...string) (*domain.Dataset, error) {
	var files []file
	var problems domain.Problems
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			problems.Add(p, "", "cannot read: %v", errors.Unwrap(err))
			continue
		}
		if !info.IsDir() {
			files = append(files, osFile(p))
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(q, ".json") && !strings.HasSuffix(q, ".schema.json") {
				found = append(found, q)
			}
			return err
		})
		if err != nil {
			problems.Add(p, "", "cannot read the folder: %v", err)
		}
		sort.Strings(found)
		for _, q := range found {
			files = append(files, osFile(q))
		}
	}
	if len(problems) > 0 {
		return nil, problems.Err()
	}
	if len(files) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "no fixture files found in %s", strings.Join(paths, ", "))
	}
	return read(files)
}

// Load reads fixture paths and loads them into db all or nothing.
func Load(ctx context.Context, db Loader, paths ...string) (*domain.Dataset, error) {
	ds, err := ReadPaths(paths...)
	if err != nil {
		return nil, err
	}
	return ds, db.Load(ctx, ds)
}

type file struct {
	name string
	open func() (io.ReadCloser, error)
}

func osFile(p string) file {
	return file{name: p, open: func() (io.ReadCloser, error) { return os.Open(p) }}
}

// read decodes every file and reports the problems of all of them at once.
func read(files []file) (*domain.Dataset, error) {
	all := &domain.Dataset{}
	var problems domain.Problems
	for _, f := range files {
		ds, p := readOne(f)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		all.Append(ds)
	}
	return all, problems.Err()
}

func readOne(f file) (*domain.Dataset, *domain.Problem) {
	fail := func(format string, args ...any) (*domain.Dataset, *domain.Problem) {
		return nil, &domain.Problem{File: f.name, Why: fmt.Sprintf(format, args...)}
	}
	r, err := f.open()
	if err != nil {
		return fail("cannot open: %v", err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return fail("cannot read: %v", err)
	}
	if len(data) > MaxFileSize {
		return fail("larger than %d MiB; split it into several files", MaxFileSize>>20)
	}
	if !utf8.Valid(data) {
		return fail("%s: not UTF-8 text", position(data, invalidUTF8At(data)))
	}
	ds, err := Decode(data)
	if err != nil {
		return fail("%v", err)
	}
	Locate(ds, f.name)
	return ds, nil
}

// Decode reads one fixture document strictly: unknown fields, wrong types
// and trailing data are errors that give the line and column.
func Decode(data []byte) (*domain.Dataset, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ds domain.Dataset
	if err := dec.Decode(&ds); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty file: a fixture is a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%s: the JSON ends too soon (is the file truncated?)", position(data, len(data)))
		case errors.As(err, &syntax):
			// Offset counts the bytes read, the offending one included.
			return nil, fmt.Errorf("%s: %v", position(data, int(syntax.Offset)-1), syntax)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("%s: %s: a %s cannot go in a field of type %s", position(data, int(typ.Offset)), jsonField(typ.Field), typ.Value, typ.Type)
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		offset := int(dec.InputOffset())
		if field, ok := strings.CutPrefix(msg, "unknown field "); ok {
			// encoding/json does not say where an unknown field is; the
			// first place the name stands as a key is a good guess.
			if at := keyOffset(data, field); at >= 0 {
				offset = at
			}
			msg += " (a typo? unknown fields are refused so that nothing is silently dropped)"
		}
		return nil, fmt.Errorf("%s: %s", position(data, offset), msg)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: more data after the fixture's JSON object", position(data, int(dec.InputOffset())))
	}
	return &ds, nil
}

// jsonField drops the Go names of embedded structs from a field path
// ("songs.ThingDoc.name" is "songs.name" in the document).
func jsonField(path string) string {
	parts := strings.Split(path, ".")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// keyOffset finds where quoted is used as an object key.
func keyOffset(data []byte, quoted string) int {
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte(quoted))
		if i < 0 {
			return -1
		}
		at := from + i
		rest := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return at
		}
		from = at + len(quoted)
	}
}

// position turns a byte offset into "line L, column C".
func position(data []byte, offset int) string {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// Locate records, on every thing and fact, the file and JSON path it came
// from, for error messages.
func Locate(ds *domain.Dataset, name string) {
	name = path.Clean(filepath.ToSlash(name))
	at := func(l *domain.Loc, format string, args ...any) {
		*l = domain.Loc{File: name, Path: fmt.Sprintf(format, args...)}
	}
	for i := range ds.Sources {
		at(&ds.Sources[i].Loc, "sources[%d]", i)
	}
	for i := range ds.Artists {
		at(&ds.Artists[i].Loc, "artists[%d]", i)
	}
	for i := range ds.Groups {
		g := &ds.Groups[i]
		at(&g.Loc, "groups[%d]", i)
		for j := range g.Members {
			at(&g.Members[j].Loc, "groups[%d].members[%d]", i, j)
		}
	}
	for i := range ds.Songs {
		s := &ds.Songs[i]
		at(&s.Loc, "songs[%d]", i)
		for j := range s.Credits {
			at(&s.Credits[j].Loc, "songs[%d].credits[%d]", i, j)
		}
	}
	for i := range ds.Albums {
		a := &ds.Albums[i]
		at(&a.Loc, "albums[%d]", i)
		for j := range a.Credits {
			at(&a.Credits[j].Loc, "albums[%d].credits[%d]", i, j)
		}
		for j := range a.Tracks {
			at(&a.Tracks[j].Loc, "albums[%d].tracks[%d]", i, j)
		}
	}
	for i := range ds.Awards {
		a := &ds.Awards[i]
		at(&a.Loc, "awards[%d]", i)
		for j := range a.Results {
			at(&a.Results[j].Loc, "awards[%d].results[%d]", i, j)
		}
	}
	for i := range ds.Events {
		e := &ds.Events[i]
		at(&e.Loc, "events[%d]", i)
		for j := range e.Performances {
			at(&e.Performances[j].Loc, "events[%d].performances[%d]", i, j)
		}
	}
	for i := range ds.Charts {
		at(&ds.Charts[i].Loc, "charts[%d]", i)
	}
	for i := range ds.Platforms {
		at(&ds.Platforms[i].Loc, "platforms[%d]", i)
	}
	for i := range ds.ChartRuns {
		at(&ds.ChartRuns[i].Loc, "chartRuns[%d]", i)
	}
	for i := range ds.Milestones {
		at(&ds.Milestones[i].Loc, "milestones[%d]", i)
	}
	for i := range ds.Records {
		at(&ds.Records[i].Loc, "records[%d]", i)
	}
}

// Store is what seeding a database needs; *sqlite.DB is one.
type Store interface {
	Loader
	IsEmpty(ctx context.Context) (bool, error)
}

// IfEmpty loads the embedded fixtures into db when it holds nothing yet, and
// reports whether it did.
func IfEmpty(ctx context.Context, db Store) (bool, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil || !empty {
		return false, err
	}
	ds, err := ReadFS(Fixtures())
	if err != nil {
		return false, fmt.Errorf("embedded fixtures: %w", err)
	}
	if err := db.Load(ctx, ds); err != nil {
		return false, fmt.Errorf("embedded fixtures: %w", err)
	}
	return true, nil
}
