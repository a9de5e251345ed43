//go:build linux

package sources_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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
		t.Fatal("no /proc/self/fd:", err)
	}
	var was syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
		t.Fatal(err)
	}
	lim := was
	lim.Cur = uint64(len(fds) + 64 + 24)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
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

// An nginx error log that waits for the access logs' zone gives its
// place back while it waits: 1,000 error logs first, holding every place,
// waited for the access log that waited for one (s38 review M2).
func TestMergeZoneWaitersGiveTheirPlaceBack(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	link := sources.NewZoneLink(time.UTC)
	var ins []*sources.Input
	const errorLogs, accessLogs = 1000, 1
	for k := range errorLogs {
		p := filepath.Join(dir, fmt.Sprintf("error.log.%d", k))
		line := fmt.Sprintf("%s [error] 19209#19209: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: \"GET /ok?n=%d HTTP/1.1\", upstream: \"http://127.0.0.1:34599/ok\", host: \"127.0.0.1\"\n", t0.Add(time.Duration(k)*time.Second).Format("2006/01/02 15:04:05"), k, k)
		if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		in := sources.NewInput(len(ins), sources.Spec{Path: p})
		in.WaitZone(link)
		ins = append(ins, in)
	}
	for k := range accessLogs {
		p := filepath.Join(dir, fmt.Sprintf("access.log.%d", k))
		line := fmt.Sprintf("10.0.0.9 - - [%s] \"GET /ok?n=%d HTTP/1.1\" 502 3 \"-\" \"gen/1\"\n", t0.Add(time.Duration(k)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), k)
		if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		in := sources.NewInput(len(ins), sources.Spec{Path: p, Format: "nginx-combined"})
		in.GiveZone(link)
		ins = append(ins, in)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	merged := 0
	errs := sources.MergeRuns(ctx, ins, func(run []sources.Item) { merged += len(run) })
	if ctx.Err() != nil {
		t.Fatalf("the merge did not end in 30 s (%d lines merged): a waiter held a place the access logs needed", merged)
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if merged != errorLogs+accessLogs {
		t.Errorf("%d lines merged, want %d", merged, errorLogs+accessLogs)
	}
}
