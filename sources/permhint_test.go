package sources

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// Live, a file fivexx may not open says in its state what lets it read
// it, as report's error does (cmd/fivexx:
// TestPermissionDeniedSaysWhatLetsFivexxRead runs that one as nobody):
// the state said "read error: open: permission denied; retrying in 200ms"
// (QA s32, L2). The tests run as root, so the EACCES is injected; the
// hint is read from the real file, root:adm 0640.
func TestFollowPermissionDeniedSaysWhatLetsFivexxRead(t *testing.T) {
	adm, err := user.LookupGroup("adm")
	if err != nil {
		t.Fatal("needs group adm (Debian's base-passwd): a missing dependency fails, never skips")
	}
	gid, err := strconv.Atoi(adm.Gid)
	mustDo(t, err)
	p := filepath.Join(t.TempDir(), "access.log")
	mustDo(t, os.WriteFile(p, nil, 0o640))
	mustDo(t, os.Chown(p, 0, gid))
	mustDo(t, os.Chmod(p, 0o640))
	var denied atomic.Bool
	denied.Store(true)
	in := NewInput(0, proxySpec(p))
	r := startFollowFile(t, in, FollowOptions{}, openFailingWhile(&denied, syscall.EACCES))
	r.waitState("retrying")
	// Flat: the advice quotes the state in brackets, and it was
	// "permission denied (its group adm may read it: join it (sudo usermod
	// …) or run fivexx with sudo); retrying in 1.6s" (review s33, R5).
	const want = "read error: open: permission denied; group adm may read it: sudo usermod -aG adm $USER and log in again, or run fivexx with sudo; retrying in "
	if s := in.State(); !strings.HasPrefix(s, want) || strings.ContainsAny(s, "()") {
		t.Errorf("state\n %q\nwant it to start, with no brackets,\n %q", s, want)
	}
	denied.Store(false)
	r.waitState("following")
}

// PermissionHint says nothing of an error that is not a permission's, and
// sudo where no group but root's may read the file.
func TestPermissionHint(t *testing.T) {
	p := filepath.Join(t.TempDir(), "error.log")
	mustDo(t, os.WriteFile(p, nil, 0o600))
	if h := PermissionHint(p, &os.PathError{Op: "open", Path: p, Err: syscall.ENOENT}); h != "" {
		t.Errorf("no such file: hint %q", h)
	}
	if h, want := PermissionHint(p, &os.PathError{Op: "open", Path: p, Err: syscall.EACCES}), "run fivexx with sudo, or as a user that may read "+p; h != want {
		t.Errorf("0600: hint %q, want %q", h, want)
	}
}
