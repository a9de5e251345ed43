package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// flags.go writes the flag package's parse errors as fivexx's own (STYLE
// §5): it printed "flag provided but not defined: -jsno" and the whole
// usage, without the "fivexx: error:" prefix, and a live-only flag given
// to report said only that it was not defined.

// liveOnlyFlags are the flags only live mode has.
var liveOnlyFlags = map[string]bool{"from-start": true, "cmd-restart": true}

// parseFlags parses args with fs, for the command name ("" for live). A
// bad flag is a usageError with the message to print; -h gives the
// help on stderr and flag.ErrHelp, as the flag package does.
func parseFlags(fs *flag.FlagSet, args []string, name string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		usage()
		return err
	}
	return usageError{flagMessage(err.Error(), fs, name)}
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	namedFlag     = regexp.MustCompile(` -([A-Za-z][\w-]*)`)
)

// flagMessage is the flag package's error msg in fivexx's words.
func flagMessage(msg string, fs *flag.FlagSet, name string) string {
	help := "fivexx --help lists its flags"
	if name != "" {
		help = "fivexx " + name + " --help lists its flags"
	}
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		f := m[1]
		switch {
		case liveOnlyFlags[f] && name != "":
			return fmt.Sprintf("--%s is for live mode (fivexx --%s FILE...), not %s", f, f, name)
		case f == "version" || f == "v":
			return fmt.Sprintf("--%s: fivexx version prints the version; %s", f, help)
		}
		if near := nearFlag(fs, f); near != "" {
			return fmt.Sprintf("unknown flag --%s: did you mean --%s? (%s)", f, near, help)
		}
		return fmt.Sprintf("unknown flag --%s (%s)", f, help)
	}
	return namedFlag.ReplaceAllString(msg, " --$1") + " (" + help + ")"
}

// nearFlag is the flag of fs that f is at most two edits from, if one is.
func nearFlag(fs *flag.FlagSet, f string) string {
	best, bestD := "", 3
	fs.VisitAll(func(fl *flag.Flag) {
		if d := editDistance(strings.ToLower(f), fl.Name); d < bestD {
			best, bestD = fl.Name, d
		}
	})
	return best
}
