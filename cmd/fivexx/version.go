package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// buildInfo is debug.ReadBuildInfo; a variable so that tests can say what
// the build carries.
var buildInfo = debug.ReadBuildInfo

// cmdVersion prints fivexx's version: the module's when it was installed
// at one (go install fivexx@v1.2.0), else the VCS revision it was built
// from. "fivexx version" was read as a live input named "version" and said
// "standard output is not a terminal"; a build that carries neither says
// so, as a usage error.
func cmdVersion(args []string, stdout, stderr io.Writer) int {
	// "version --help" printed the version, "version extra" too.
	if askedForHelp(args) {
		writeCommandHelp(stdout, nil, "version")
		return 0
	}
	if len(args) > 0 {
		printError(stderr, fmt.Sprintf("version takes no argument, not %q (fivexx version --help)", strings.Join(args, " ")))
		return 2
	}
	v := versionOf(buildInfo())
	if v == "" {
		printError(stderr, "this fivexx carries no version (built from source without VCS information: go build -buildvcs=true adds it); fivexx --help lists the commands")
		return 2
	}
	// run says it when the line could not be written, in the words every
	// command uses: this said "write /dev/stdout: no space left on device".
	fmt.Fprintln(stdout, "fivexx "+v)
	return 0
}

// versionOf is the version a build says it is, or "".
func versionOf(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if rev == "" {
		return ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return "devel " + rev + modified
}
