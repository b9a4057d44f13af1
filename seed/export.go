package seed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/artistgraph/artistgraph/domain"
)

// Exporter gives every item of a graph, in a stable order.
type Exporter interface {
	Export(ctx context.Context, emit func(section string, item any) error) error
}

// PerExportFile caps the items of one exported file.
const PerExportFile = 50_000

// ExportStats counts what Export wrote.
type ExportStats struct {
	Files, Items int
}

// Export writes the whole graph into dir, which must be empty or missing, as
// fixture files in the documented format: one top-level list per file, an
// item per indented block, in the store's stable order, so that two exports
// of the same graph are the same bytes and a diff of two exports reads as a
// diff of the graph. Loading the files into an empty database rebuilds it.
func Export(ctx context.Context, src Exporter, dir string) (ExportStats, error) {
	var stats ExportStats
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return stats, fmt.Errorf("%s is not empty: export into a new folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stats, err
	}
	var (
		f       *os.File
		w       *bufio.Writer
		current string
		count   int
		part    int
	)
	closeFile := func() error {
		if f == nil {
			return nil
		}
		_, _ = w.WriteString("\n  ]\n}\n")
		err := w.Flush()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		f = nil
		return err
	}
	err := src.Export(ctx, func(section string, item any) error {
		if section != current || count == PerExportFile {
			if err := closeFile(); err != nil {
				return err
			}
			if section != current {
				part = 0
			}
			part++
			current, count = section, 0
			// Files are numbered in section order, so that things come
			// before the facts that name them, as a load reads them fastest.
			name := filepath.Join(dir, fmt.Sprintf("%02d-%s-%04d.json", slices.Index(domain.Sections(), section), section, part))
			var err error
			if f, err = os.Create(name); err != nil {
				return err
			}
			w = bufio.NewWriterSize(f, 1<<20)
			fmt.Fprintf(w, "{\n  %q: [\n", section)
			stats.Files++
		}
		body, err := json.MarshalIndent(item, "    ", "  ")
		if err != nil {
			return err
		}
		if count > 0 {
			_, _ = w.WriteString(",\n")
		}
		_, _ = w.WriteString("    ")
		_, err = w.Write(body)
		count++
		stats.Items++
		return err
	})
	if cerr := closeFile(); err == nil {
		err = cerr
	}
	return stats, err
}
