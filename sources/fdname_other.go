//go:build !linux

package sources

import "os"

// nameNow is the name f's file has now; not told here (fdname_linux.go).
func nameNow(f *os.File) string { return "" }
