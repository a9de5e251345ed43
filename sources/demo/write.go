package demo

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// WriteFiles writes what scenario s logs from start for d into access.log,
// error.log and app.log in dir (created if missing), and returns their paths.
func WriteFiles(dir string, s Scenario, seed int64, start time.Time, d time.Duration) ([]string, error) {
	return New(s, seed, start).WriteFiles(dir, start.UTC().Add(d))
}

// WriteFiles writes the lines up to log time until into access.log,
// error.log and app.log in dir (created if missing), and returns their
// paths. Requests still in flight at until are cut as a real log would be.
func (g *Generator) WriteFiles(dir string, until time.Time) (paths []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create demo log directory: %w", err)
	}
	streams := [...]Stream{Access, Errors, App}
	var files [len(streams) + 1]*os.File
	var writers [len(streams) + 1]*bufio.Writer
	defer func() {
		for _, f := range files {
			if f == nil {
				continue
			}
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close %s: %w", f.Name(), cerr)
			}
		}
	}()
	for _, s := range streams {
		path := filepath.Join(dir, s.FileName())
		f, err := os.Create(path)
		if err != nil {
			return nil, fmt.Errorf("create demo log: %w", err)
		}
		files[s], writers[s] = f, bufio.NewWriterSize(f, 1<<16)
		paths = append(paths, path)
	}
	for g.Peek().Compare(until) <= 0 {
		l := g.pop()
		w := writers[l.Stream]
		w.WriteString(l.Text)
		if err := w.WriteByte('\n'); err != nil {
			return nil, fmt.Errorf("write %s: %w", files[l.Stream].Name(), err)
		}
	}
	for _, s := range streams {
		if err := writers[s].Flush(); err != nil {
			return nil, fmt.Errorf("write %s: %w", files[s].Name(), err)
		}
	}
	return paths, nil
}
