//go:build linux

package sources_test

import (
	"context"
	"os"
	"syscall"
	"testing"

	"fivexx/sources"
)

// TestMergeManySmallFilesUnderOpenFileLimit: 1,000 files of 100 lines
// merged with room for only a few more than mergeOpening's 64 files open
// at once. Each reader, started at once, held its file open until it had
// sent its only batch: hundreds were open together, and a report of 2,000
// such files under a hard limit of 256 failed to open some of them.
func TestMergeManySmallFilesUnderOpenFileLimit(t *testing.T) {
	ins := writeNginxFiles(t, 1000, 100)
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	var was syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
		t.Skip(err)
	}
	lim := was
	lim.Cur = uint64(len(fds) + 64 + 24)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was)
	merged := 0
	errs := sources.MergeRuns(context.Background(), ins, func(run []sources.Item) { merged += len(run) })
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
			if failed == 1 {
				t.Error(err)
			}
		}
	}
	if failed > 0 || merged != 1000*100 {
		t.Errorf("%d of 1000 inputs failed, %d lines merged, want none and %d", failed, merged, 1000*100)
	}
}
