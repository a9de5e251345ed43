package sources

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
)

// PermissionHint says what lets fivexx read path when err is "permission
// denied": most distributions give a proxy's logs to a group (Debian's
// and Ubuntu's nginx: root:adm 0640, in /var/log/nginx root:adm 0755), so
// joining it, or sudo, is the fix. "cannot read input
// /var/log/nginx/access.log: permission denied" said nothing of it (QA
// s32). It names what blocks: the file, or a directory on its path that
// cannot be looked into. "" when err is no permission error. It reads
// flat, without brackets: live's state put it in brackets and the advice
// quotes that state in its own, three deep (review s33).
func PermissionHint(path string, err error) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
	}
	what, verb := path, "read"
	if _, serr := os.Stat(path); serr != nil && errors.Is(serr, fs.ErrPermission) {
		// A directory on the way cannot be looked into: the first one,
		// from the root down, that does not let us.
		if dir := blockingDir(path); dir != "" {
			what, verb = dir, "look into"
		}
	}
	sudo := "run fivexx with sudo"
	gid, groupMay, ok := groupAccess(what, verb == "look into")
	if !ok || !groupMay || gid == "0" {
		// No group to join but root's.
		return sudo + ", or as a user that may " + verb + " " + what
	}
	subject := "group " + groupName(gid) + " may " + verb + " " + what
	if what == path {
		subject = "group " + groupName(gid) + " may read it"
	}
	if inGroupNotThisLogin(gid) {
		return subject + " and you are in it, but not in this login: log in again or run newgrp " + groupName(gid) + ", or " + sudo
	}
	return subject + ": sudo usermod -aG " + groupName(gid) + " $USER and log in again, or " + sudo
}

// name is group gid's name, else gid.
func groupName(gid string) string {
	if g, err := user.LookupGroupId(gid); err == nil {
		return g.Name
	}
	return gid
}

// blockingDir is the first directory on path's way, from the root
// down, that this process cannot look into (a name in it cannot be
// looked up), or "".
func blockingDir(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	var names []string // abs and its directories, the root last
	for p := abs; ; p = filepath.Dir(p) {
		names = append(names, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	for i := len(names) - 2; i >= 0; i-- {
		if _, err := os.Lstat(names[i]); err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return names[i+1]
			}
			return ""
		}
	}
	return ""
}

// inGroupNotThisLogin reports whether the user is a member of group gid
// in the group database but this process does not have it: joined since
// logging in.
func inGroupNotThisLogin(gid string) bool {
	u, err := user.Current()
	if err != nil {
		return false
	}
	ids, err := u.GroupIds()
	if err != nil || !slices.Contains(ids, gid) {
		return false
	}
	have, err := os.Getgroups()
	if err != nil {
		return false
	}
	for _, g := range have {
		if strconv.Itoa(g) == gid {
			return false
		}
	}
	return strconv.Itoa(os.Getegid()) != gid
}
