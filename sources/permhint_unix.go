//go:build unix

package sources

import (
	"os"
	"strconv"
	"syscall"
)

// groupAccess is the group of path and whether its mode lets that group
// read it (look into it, for a directory: dir).
func groupAccess(path string, dir bool) (gid string, may, ok bool) {
	st, err := os.Stat(path)
	if err != nil {
		return "", false, false
	}
	s, isStat := st.Sys().(*syscall.Stat_t)
	if !isStat {
		return "", false, false
	}
	bit := os.FileMode(0o040)
	if dir {
		bit = 0o010
	}
	return strconv.FormatUint(uint64(s.Gid), 10), st.Mode().Perm()&bit != 0, true
}
