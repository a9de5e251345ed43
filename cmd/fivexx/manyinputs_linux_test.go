//go:build linux

package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// 300 access logs (50 gzipped), 300 nginx error logs and 300 app logs
// under a soft limit of 64 open files more than the test holds: the
// access and error logs, linked to the error logs' zone (peeked, so none
// waits), took no place among the 64 readers opening their files, and
// 182-534 of them failed "too many open files" (s38 review M2, ulimit -n
// 128 on the nginx-upstream recording split 300 ways).
func TestReportOfManyLinkedInputsUnderOpenFileLimit(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 21, 7, 40, 0, 0, time.UTC)
	var files []string
	put := func(name, text string, gz bool) {
		p := filepath.Join(dir, name)
		data := []byte(text)
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			data, p = b.Bytes(), p+".gz"
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	const n = 300
	for k := range n {
		var b strings.Builder
		for l := range 20 {
			at := t0.Add(time.Duration(k*20+l) * time.Second)
			st, us := 200, "200"
			if l == 0 {
				st, us = 502, "502"
			}
			fmt.Fprintf(&b, "127.0.0.1 - - [%s] \"GET /ok?n=%d HTTP/1.1\" %d 3 \"-\" \"lab/1\" rt=0.001 uct=\"0.000\" uht=\"0.001\" urt=\"0.001\" ua=\"127.0.0.1:36769\" us=\"%s\" rid=%032x\n", at.Format("02/Jan/2006:15:04:05 -0700"), k*20+l, st, us, k*20+l+1)
		}
		put(fmt.Sprintf("access_%03d.log", k), b.String(), k < 50)
	}
	for k := range n {
		at := t0.Add(time.Duration(k*20) * time.Second)
		put(fmt.Sprintf("error_%03d.log", k), fmt.Sprintf("%s [error] 19209#19209: *%d upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: , request: \"GET /ok?n=%d HTTP/1.1\", upstream: \"http://127.0.0.1:36769/ok\", host: \"127.0.0.1\"\n", at.Format("2006/01/02 15:04:05"), k, k*20), false)
	}
	for k := range n {
		at := t0.Add(time.Duration(k*20) * time.Second)
		put(fmt.Sprintf("app_%03d.log", k), fmt.Sprintf("{\"time\":%q,\"level\":\"INFO\",\"msg\":\"request started\",\"request_id\":\"%032x\",\"method\":\"GET\",\"path\":\"/ok?n=%d\"}\n", at.Format(time.RFC3339Nano), k*20+1, k*20), false)
	}
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
	code, _, errOut := runCLI(append([]string{"report", "--json"}, files...)...)
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was)
	if code != 0 || strings.Contains(errOut, "too many open files") {
		t.Errorf("exit %d, %d inputs failed too many open files: %.300s", code, strings.Count(errOut, "too many open files"), errOut)
	}
}
