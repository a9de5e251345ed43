package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// An input fivexx may not read says what lets it, the same way named or
// found in the standard places: most distributions give a proxy's logs
// to group adm (Debian's and Ubuntu's nginx: /var/log/nginx root:adm,
// its logs 0640), so joining it, or sudo, is the fix. It said only
// "cannot read input /var/log/nginx/access.log: permission denied"; a
// standard place in a directory fivexx may not look into was "none found
// in the standard places" (QA s32, L2). The tests run as root, where
// permissions do not bite: this runs the test binary as nobody
// (setpriv), with no group and then with adm, which the hint names.
func TestPermissionDeniedSaysWhatLetsFivexxRead(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run fivexx as nobody")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Fatal("needs setpriv (util-linux, Debian essential) to run fivexx as nobody: a missing dependency fails, never skips")
	}
	adm, err1 := user.LookupGroup("adm")
	_, err2 := user.Lookup("nobody")
	if err1 != nil || err2 != nil {
		t.Fatal("needs user nobody and group adm (both in Debian's base-passwd): a missing dependency fails, never skips")
	}
	// t.TempDir is 0700: nobody could not run the binary in it.
	dir, err := os.MkdirTemp("", "fivexx-permission")
	mustDo(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	mustDo(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "fivexx.test")
	copyFile(t, os.Args[0], bin, 0o755)
	const line = `127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 10 "-" "curl/8.5.0"` + "\n"
	gid := mustAtoi(t, adm.Gid)
	file := filepath.Join(dir, "access.log") // root:adm 0640
	mustDo(t, os.WriteFile(file, []byte(line), 0o640))
	mustDo(t, os.Chown(file, 0, gid))
	mustDo(t, os.Chmod(file, 0o640))
	nginxDir := filepath.Join(dir, "nginx") // root:adm 0750, its log 0644
	mustDo(t, os.Mkdir(nginxDir, 0o750))
	mustDo(t, os.Chown(nginxDir, 0, gid))
	mustDo(t, os.Chmod(nginxDir, 0o750))
	inDir := filepath.Join(nginxDir, "access.log")
	mustDo(t, os.WriteFile(inDir, []byte(line), 0o644))

	run := func(groups string, places []string, args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(setpriv, append([]string{"--reuid=nobody", "--regid=nogroup", groups, bin}, args...)...)
		cmd.Env = append(os.Environ(), runAsCLIEnv+"=1", defaultPlacesEnv+"="+strings.Join(places, ":"))
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0, errb.String()
		case errors.As(err, &exit):
			return exit.ExitCode(), errb.String()
		}
		t.Fatalf("running %s as nobody: %v", bin, err)
		return 0, ""
	}
	// Flat, no brackets: live's state and the advice put it in theirs
	// (review s33, R5).
	const join = ": sudo usermod -aG adm $USER and log in again, or run fivexx with sudo\n"
	places := []string{inDir, filepath.Join(dir, "none", "error.log")}
	for _, tc := range []struct {
		name   string
		places []string
		args   []string
		want   string
	}{
		{"a file of group adm", nil, []string{"report", file},
			"fivexx: error: cannot read input " + file + ": permission denied; group adm may read it" + join},
		{"given as --app", nil, []string{"report", "--app", file},
			"fivexx: error: cannot read input " + file + ": permission denied; group adm may read it" + join},
		{"in a directory of group adm", nil, []string{"report", inDir},
			"fivexx: error: cannot read input " + inDir + ": permission denied; group adm may look into " + nginxDir + join},
		{"found in the standard places", places, []string{"report"},
			"fivexx: no inputs given; found " + inDir + "\n" +
				"fivexx: error: cannot read input " + inDir + ": permission denied; group adm may look into " + nginxDir + join},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, stderr := run("--clear-groups", tc.places, tc.args...); code != 2 || stderr != tc.want {
				t.Errorf("exit %d, stderr\n%s\nwant exit 2, stderr\n%s", code, stderr, tc.want)
			}
			// What the hint says lets fivexx read it.
			if code, stderr := run("--groups="+adm.Gid, tc.places, tc.args...); code != 0 {
				t.Errorf("in group adm: exit %d, stderr %s", code, stderr)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	mustDo(t, err)
	mustDo(t, os.WriteFile(to, b, mode))
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	mustDo(t, err)
	return n
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
