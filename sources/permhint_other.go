//go:build !unix

package sources

// groupAccess is not known here.
func groupAccess(path string, dir bool) (gid string, may, ok bool) { return "", false, false }
