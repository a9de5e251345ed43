package sources

import (
	"os"
	"path/filepath"
	"testing"
)

// A file renamed away under a name that does not begin with the one
// followed (archive/app-20261124.log, another directory), still written
// by its writer (not reopened yet), and then copytruncated under that new
// name: the copy lies beside the new name, archive/app-20261124.log.1. It
// was looked for beside the old name only (access.log*), never found: the
// lines written after the last read and before the cut were lost without
// a word. The open file's own name now is looked beside too.
func TestFollowCopyTruncateOfAFileRenamedAway(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.Mkdir(filepath.Join(dir, "archive"), 0o755))
	p := filepath.Join(dir, "access.log")
	mustDo(t, os.WriteFile(p, nil, 0o644))
	s := newStepFollower(t, p)
	w := newLogWriter(t, p)
	w.write(10)
	s.wait(followPoll)

	moved := filepath.Join(dir, "archive", "app-20261124.log")
	mustDo(t, os.Rename(p, moved))
	mustDo(t, os.WriteFile(p, nil, 0o644))
	w.write(2) // 11-12: into the moved file, read there
	s.wait(followPoll)
	s.wantState("moved away", StateRotated, 1)
	w.write(5) // 13-17: not read before the copy: only in its copy
	rotateCopyTruncate(t, moved)
	w.write(3) // 18-20
	s.wait(followPoll)
	s.wantLines("after the moved file's copytruncate", linesT(1, 20))
}
