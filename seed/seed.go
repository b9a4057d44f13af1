// Package seed reads artistgraph fixtures: JSON documents, written by hand,
// that describe things and facts by slug (see README.md in this folder and
// fixture.schema.json). The fixtures in fixtures/ are embedded in the binary
// and seed a new database. Files are streamed an item at a time, so a
// fixture set may be far larger than memory. Export writes a store back as
// fixture files.
package seed

import (
	"bufio"
	"bytes"
	"cmp"
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
	"sync/atomic"
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

// file is one fixture file, opened afresh for every pass over it.
type file struct {
	name string
	size int64
	open func() (io.ReadCloser, error)
}

// Files is a set of fixture files, read in order as one set of items. It
// implements domain.Items: each walk streams the files again.
type Files struct {
	files []file
	read  *atomic.Int64 // bytes read by the walk under way, for progress
}

// BytesRead is how far the current walk has read, in bytes.
func (f Files) BytesRead() int64 {
	if f.read == nil {
		return 0
	}
	return f.read.Load()
}

// Size is the total size of the files in bytes.
func (f Files) Size() int64 {
	var n int64
	for _, fl := range f.files {
		n += fl.size
	}
	return n
}

// ReadFS reads every *.json file of fsys, in name order, as one dataset.
func ReadFS(fsys fs.FS) (*domain.Dataset, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var set Files
	for _, name := range names {
		set.files = append(set.files, file{name: name, open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
	}
	return set.Dataset()
}

// Dataset reads the whole set into memory.
func (f Files) Dataset() (*domain.Dataset, error) {
	ds := &domain.Dataset{}
	err := f.Each(ds.Add)
	return ds, err
}

// ReadPaths finds fixture files, and every *.json file under folders (JSON
// Schema files aside), to be streamed by Each.
func ReadPaths(paths ...string) (Files, error) {
	set := Files{read: new(atomic.Int64)}
	var problems domain.Problems
	add := func(p string, size int64) {
		set.files = append(set.files, file{name: p, size: size, open: func() (io.ReadCloser, error) { return os.Open(p) }})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			problems.Add(p, "", "cannot read: %v", errors.Unwrap(err))
			continue
		}
		if !info.IsDir() {
			add(p, info.Size())
			continue
		}
		var found []string
		sizes := map[string]int64{}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(q, ".json") && !strings.HasSuffix(q, ".schema.json") {
				found = append(found, q)
				if info, err := d.Info(); err == nil {
					sizes[q] = info.Size()
				}
			}
			return err
		})
		if err != nil {
			problems.Add(p, "", "cannot read the folder: %v", err)
		}
		sort.Strings(found)
		for _, q := range found {
			add(q, sizes[q])
		}
	}
	if len(problems) > 0 {
		return Files{}, problems.Err()
	}
	if len(set.files) == 0 {
		return Files{}, domain.Errorf(domain.EINVALID, "no fixture files found in %s", strings.Join(paths, ", "))
	}
	return set, nil
}

// Load reads fixture paths and loads them into db all or nothing.
func Load(ctx context.Context, db domain.Loader, paths ...string) (domain.LoadStats, error) {
	var zero domain.LoadStats
	files, err := ReadPaths(paths...)
	if err != nil {
		return zero, err
	}
	return db.LoadItems(ctx, files, nil)
}

// IfEmpty loads the embedded fixtures into db when it holds nothing yet, and
// reports whether it did.
func IfEmpty(ctx context.Context, db domain.Loader) (bool, error) {
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

// Each streams every item of every file to fn, in file order. A file that
// cannot be read as a fixture is reported with its line and column, and the
// walk goes on to the next file so that one run reports every broken file;
// the problems are returned at the end. An error from fn stops the walk.
func (f Files) Each(fn func(item any) error) error {
	var problems domain.Problems
	var done int64
	for _, fl := range f.files {
		err := fl.each(fn, func(n int64) {
			if f.read != nil {
				f.read.Store(done + n)
			}
		})
		done += fl.size
		var p *domain.Problem
		var ps *domain.Problems
		switch {
		case errors.As(err, &ps):
			problems = append(problems, *ps...)
		case errors.As(err, &p):
			problems = append(problems, *p)
		case err != nil:
			return err
		}
	}
	return problems.Err()
}

// Decode reads one fixture document from memory, strictly: unknown fields,
// wrong types and trailing data are errors that give the line and column.
func Decode(data []byte) (*domain.Dataset, error) {
	ds := &domain.Dataset{}
	err := file{name: "", open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}.each(ds.Add, func(int64) {})
	var ps *domain.Problems
	if errors.As(err, &ps) {
		whys := make([]string, len(*ps))
		for i, p := range *ps {
			whys[i] = p.Why
		}
		return nil, errors.New(strings.Join(whys, "\n"))
	}
	return ds, err
}

// stopped wraps an error from the caller's fn, to tell it from a problem of
// the file.
type stopped struct{ err error }

func (s stopped) Error() string { return s.err.Error() }

func (fl file) each(fn func(item any) error, read func(int64)) error {
	r, err := fl.open()
	if err != nil {
		return &domain.Problem{File: fl.name, Why: fmt.Sprintf("cannot open: %v", err)}
	}
	defer r.Close()
	counted := &utf8Reader{r: bufio.NewReaderSize(r, 1<<16)}
	dec := json.NewDecoder(counted)
	dec.DisallowUnknownFields()
	var problems domain.Problems
	bad := func(offset int64, why string) {
		switch {
		case len(problems) < maxProblemsPerFile:
			var p *domain.Problem
			if errors.As(fl.problem(offset, why), &p) {
				problems = append(problems, *p)
			}
		case len(problems) == maxProblemsPerFile:
			problems = append(problems, domain.Problem{File: fl.name, Why: "more problems follow; fix these first"})
		}
	}
	err = decodeDocument(dec, fl.name, func(item any) error {
		read(dec.InputOffset())
		if err := fn(item); err != nil {
			return stopped{err}
		}
		return nil
	}, bad)
	var s stopped
	switch {
	case errors.As(err, &s):
		return s.err
	case err == nil:
	case counted.bad >= 0:
		bad(counted.bad, "not UTF-8 text")
	default:
		var p *domain.Problem
		if errors.As(fl.describe(err, dec.InputOffset()), &p) {
			problems = append(problems, *p)
		}
	}
	if len(problems) > 0 {
		return &problems
	}
	return nil
}

// maxProblemsPerFile bounds the problems reported of one file: placing
// each reads the file again up to it.
const maxProblemsPerFile = 100

// decodeDocument walks the top-level object, decoding one item at a time.
// An item that is well-formed JSON but wrong (an unknown field, a wrong
// type, an impossible date) is reported through bad, every flaw at its own
// value, and reading goes on with the next item.
func decodeDocument(dec *json.Decoder, name string, fn func(item any) error, bad func(offset int64, why string)) error {
	if err := expectDelim(dec, '{', "a fixture is a JSON object"); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if key == "$schema" {
			var s string
			if err := dec.Decode(&s); err != nil {
				return err
			}
			continue
		}
		spec, ok := domain.SectionSpec(key)
		if !ok {
			return fmt.Errorf("unknown field %q", key)
		}
		if err := expectDelim(dec, '[', fmt.Sprintf("%q holds a list", key)); err != nil {
			return err
		}
		for i := 0; dec.More(); i++ {
			at := fmt.Sprintf("%s[%d]", key, i)
			start := dec.InputOffset()
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return itemError{start: start, path: at}
			}
			item, err := decodeItem(spec, raw)
			if err != nil {
				rawStart := dec.InputOffset() - int64(len(raw))
				flaws := diagnose(raw, spec.Doc, at)
				if len(flaws) == 0 {
					flaws = []flaw{{0, at, strings.TrimPrefix(err.Error(), "json: ")}}
				}
				for _, f := range flaws {
					bad(rawStart+f.offset, f.path+": "+f.why)
				}
				continue
			}
			locate(item, name, at)
			if err := fn(item); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("more data after the fixture's JSON object")

// itemError marks an item that is not even well-formed JSON. The decoder's
// offsets inside a value are not reliable, so the item is read again to
// place the error.
type itemError struct {
	start int64
	path  string
}

func (e itemError) Error() string { return "cannot read " + e.path }

type notExpected struct{ what string }

func (n notExpected) Error() string { return n.what }

func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return notExpected{what}
	}
	return nil
}

// decodeItem reads one item, strictly; a thing also records which fields
// the file wrote (domain.ThingDoc.Stated), so that a load onto a stored
// thing changes only those.
func decodeItem(spec domain.KindSpec, raw []byte) (any, error) {
	v := spec.NewDoc()
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		return nil, err
	}
	if _, thing := domain.ItemThing(v); thing != nil {
		if err := json.Unmarshal(raw, &thing.Stated); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// describe turns a decoding error into a problem at its line and column.
func (fl file) describe(err error, inputOffset int64) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var unexpected notExpected
	var item itemError
	switch {
	case errors.As(err, &item):
		return fl.describeItem(item)
	case errors.Is(err, io.EOF):
		return fl.problem(0, "empty file: a fixture is a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fl.problem(-1, "the JSON ends too soon (is the file truncated?)")
	case errors.As(err, &syntax):
		return fl.syntaxProblem(syntax)
	case errors.As(err, &typ):
		return fl.problem(typ.Offset, fmt.Sprintf("%s: a %s cannot go in a field of type %s", jsonField(typ.Field), typ.Value, typ.Type))
	case errors.As(err, &unexpected):
		return fl.problem(inputOffset-1, unexpected.what)
	case errors.Is(err, errTrailing):
		return fl.problem(inputOffset, err.Error())
	}
	return fl.problem(inputOffset, strings.TrimPrefix(err.Error(), "json: "))
}

// syntaxProblem places a syntax error by scanning the file again from its
// start: the streaming decoder's offsets differ by where it stopped.
func (fl file) syntaxProblem(syntax *json.SyntaxError) error {
	r, err := fl.open()
	if err != nil {
		return fl.problem(syntax.Offset, syntax.Error())
	}
	defer r.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); errors.As(err, &syntax) {
		// Offset counts the bytes read, the offending one included.
		return fl.problem(syntax.Offset-1, syntax.Error())
	}
	return fl.problem(syntax.Offset, syntax.Error())
}

// describeItem reads a broken item again, alone, to say where and why it is
// broken.
func (fl file) describeItem(e itemError) error {
	r, err := fl.open()
	if err != nil {
		return fl.problem(e.start, "cannot read "+e.path)
	}
	defer r.Close()
	if _, err := io.CopyN(io.Discard, r, e.start); err != nil {
		return fl.problem(e.start, "cannot read "+e.path)
	}
	// The offset is where the previous item ended: skip the comma and
	// spaces between the two.
	br := bufio.NewReader(r)
	for {
		c, err := br.ReadByte()
		if err != nil {
			return fl.problem(-1, "the JSON ends too soon (is the file truncated?)")
		}
		if c != ',' && c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			_ = br.UnreadByte()
			break
		}
		e.start++
	}
	var raw json.RawMessage
	scan := json.NewDecoder(br)
	if err := scan.Decode(&raw); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			// Offset counts the bytes read, the offending one included.
			return fl.problem(e.start+syntax.Offset-1, e.path+": "+syntax.Error())
		}
		return fl.problem(-1, "the JSON ends too soon (is the file truncated?)")
	}
	return fl.problem(e.start, "cannot read "+e.path)
}

// problem reports a problem at a byte offset of the file (-1: its end).
func (fl file) problem(offset int64, why string) error {
	line, col := fl.position(offset)
	return &domain.Problem{File: fl.name, Why: fmt.Sprintf("line %d, column %d: %s", line, col, why)}
}

// position finds the line and column of a byte offset by reading the file
// again up to it: errors are rare, and the decoder keeps no text behind it.
func (fl file) position(offset int64) (line, col int) {
	r, err := fl.open()
	if err != nil {
		return 0, 0
	}
	defer r.Close()
	br := bufio.NewReader(r)
	line, col = 1, 1
	for i := int64(0); offset < 0 || i < offset; {
		c, size, err := br.ReadRune()
		if err != nil {
			break
		}
		i += int64(size)
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
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

// utf8Reader passes bytes through and stops at the first byte that is not
// UTF-8, remembering its offset: encoding/json would silently turn it into
// U+FFFD.
type utf8Reader struct {
	r     io.Reader
	off   int64
	carry []byte
	bad   int64
}

var errNotUTF8 = errors.New("not UTF-8")

func (u *utf8Reader) Read(p []byte) (int, error) {
	if u.off == 0 && u.bad == 0 && len(u.carry) == 0 {
		u.bad = -1
	}
	if u.bad >= 0 {
		return 0, errNotUTF8
	}
	n, err := u.r.Read(p)
	buf := append(u.carry, p[:n]...)
	i := 0
	for i < len(buf) {
		if buf[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) {
			break
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			u.bad = u.off - int64(len(u.carry)) + int64(i)
			return 0, errNotUTF8
		}
		i += size
	}
	if err != nil && i < len(buf) {
		u.bad = u.off - int64(len(u.carry)) + int64(i)
		return 0, errNotUTF8
	}
	u.carry = append([]byte(nil), buf[i:]...)
	u.off += int64(n)
	return n, err
}

// locate records, on an item and the facts it holds, the file and JSON path
// it came from, for error messages.
func locate(item any, name, at string) {
	if name != "" {
		name = path.Clean(filepath.ToSlash(name))
	}
	loc := func(l *domain.Loc, format string, args ...any) {
		*l = domain.Loc{File: name, Path: at + fmt.Sprintf(format, args...)}
	}
	if _, t := domain.ItemThing(item); t != nil {
		loc(&t.Loc, "")
	} else if f := domain.FactPart(item); f != nil {
		loc(&f.Loc, "")
	}
	domain.HeldFacts(item, func(_ domain.Kind, list string, j int, f *domain.FactDoc) {
		loc(&f.Loc, ".%s[%d]", list, j)
	})
}

// Locate records on every item of a dataset the file it came from, with JSON
// paths as if the dataset were one document.
func Locate(ds *domain.Dataset, name string) {
	counts := map[string]int{}
	_ = ds.Each(func(item any) error {
		key := sectionOf(item)
		locate(item, name, fmt.Sprintf("%s[%d]", key, counts[key]))
		counts[key]++
		return nil
	})
}

func sectionOf(item any) string {
	spec, _ := domain.SpecOfItem(item)
	return cmp.Or(spec.Section, spec.Apart)
}
