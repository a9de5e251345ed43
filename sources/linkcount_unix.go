//go:build unix

package sources

import (
	"os"
	"syscall"
)

// linkCount is the number of names st's file has (0 once deleted).
func linkCount(st os.FileInfo) (uint64, bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(s.Nlink), true
}
