package sources

import (
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// dirHints wakes a file follower as soon as inotify reports something about
// its file's name (written, created, renamed, removed, chmod), so new lines
// show without waiting for the next poll. It watches the directory, not the
// file, to see a file appear or be replaced. It is a hint only: the follower
// decides everything from stat, so an overflowed queue, a directory that did
// not exist at start or was itself replaced, or no inotify at all, cost
// latency (one poll), never lines. fsnotify does not log.
type dirHints struct {
	w *fsnotify.Watcher
	// C receives when something happened; a burst of events is one receive.
	C chan struct{}
}

// watchDir watches path's directory, or returns nil if it cannot.
func watchDir(path string) *dirHints {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil
	}
	if err := w.Add(filepath.Dir(path)); err != nil {
		w.Close()
		return nil
	}
	h := &dirHints{w: w, C: make(chan struct{}, 1)}
	base := filepath.Base(path)
	go func() {
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if filepath.Base(ev.Name) == base {
					select {
					case h.C <- struct{}{}:
					default:
					}
				}
			case _, ok := <-w.Errors:
				// A queue overflow loses hints, not lines: the poll still looks.
				if !ok {
					return
				}
			}
		}
	}()
	return h
}

// close stops watching; the goroutine ends as fsnotify closes its channels.
func (h *dirHints) close() { h.w.Close() }
