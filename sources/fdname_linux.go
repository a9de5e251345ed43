//go:build linux

package sources

import (
	"os"
	"strconv"
	"strings"
)

// nameNow is the name f's file has now, as the kernel keeps it
// (/proc/self/fd): where it was renamed to since it was opened, "" once
// deleted or when it cannot be told. Control leaves the descriptor's mode
// as it is (Fd would make it blocking).
func nameNow(f *os.File) string {
	rc, err := f.SyscallConn()
	if err != nil {
		return ""
	}
	var name string
	_ = rc.Control(func(fd uintptr) {
		name, err = os.Readlink("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
	})
	if err != nil || !strings.HasPrefix(name, "/") || strings.HasSuffix(name, " (deleted)") {
		return ""
	}
	return name
}
