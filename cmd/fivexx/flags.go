package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// flags.go writes the flag package's parse errors as fivexx's own (STYLE
// §5): it printed "flag provided but not defined: -jsno" and the whole
// usage, without the "fivexx: error:" prefix, and a live-only flag given
// to report said only that it was not defined.

// liveOnlyFlags are the flags only live mode has.
var liveOnlyFlags = map[string]bool{"from-start": true, "cmd-restart": true}

// flagOwner is the commands a flag of their own belongs to, and a call
// that uses it.
type flagOwner struct{ commands, example string }

// commandFlags are the flags of one or two commands that neither live
// mode nor the others take: given elsewhere, the error names where they
// belong, as for a live-only flag given to report. "fivexx --json x" and
// "fivexx --speed 5 x" said only "unknown flag" (QA s30).
var commandFlags = map[string]flagOwner{
	"json":     {"report", "fivexx report --json FILE..."},
	"events":   {"report", "fivexx report --events FILE..."},
	"speed":    {"replay and demo", "fivexx replay --speed 20 FILE..."},
	"from":     {"replay", "fivexx replay --from TIME FILE..."},
	"to":       {"replay", "fivexx replay --to TIME FILE..."},
	"scenario": {"demo", "fivexx demo --scenario NAME"},
	"seed":     {"demo", "fivexx demo --seed N"},
	"list":     {"demo", "fivexx demo --list"},
	"train":    {"demo", "fivexx demo --train"},
	"each":     {"demo", "fivexx demo --each 2m"},
	"write":    {"demo", "fivexx demo --write DIR"},
	"duration": {"demo", "fivexx demo --write DIR --duration 8m"},
	"start":    {"demo", "fivexx demo --write DIR --start TIME"},
	"force":    {"demo", "fivexx demo --write DIR --force"},
}

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
	// invalidValue is the flag package's "invalid value "fast" for flag
	// -each: parse error" (and "invalid boolean value ... for -train").
	invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-+([\w-]+): `)
)

// durationExamples are durations as time.ParseDuration reads them.
const durationExamples = "90s, 1m30s or 2m"

// flagTakes says what a command's flag takes ("demo --each") where that
// says more than its type.
var flagTakes = map[string]string{}

// takes says what a value the flag package could not parse should have
// been, as --speed says it ("--speed takes a positive number from 0.1 to
// 1000000, or max; not "fast""): it said "parse error". "" for a flag of a
// type it does not know.
func takes(fl *flag.Flag, name string) string {
	if t := flagTakes[name+" --"+fl.Name]; t != "" {
		return t
	}
	g, ok := fl.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case time.Duration:
		return "a duration such as " + durationExamples
	case int, int64, uint, uint64:
		return "a whole number such as 7"
	case float64:
		return "a number such as 2.5"
	case bool:
		return "no value (or =true, =false)"
	}
	return ""
}

// flagMessage is the flag package's error msg in fivexx's words.
func flagMessage(msg string, fs *flag.FlagSet, name string) string {
	help := "fivexx --help lists its flags"
	if name != "" {
		help = "fivexx " + name + " --help lists its flags"
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		if fl := fs.Lookup(m[2]); fl != nil {
			if t := takes(fl, name); t != "" {
				return fmt.Sprintf("--%s takes %s; not %s", fl.Name, t, m[1])
			}
		}
	}
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		f := m[1]
		switch {
		case liveOnlyFlags[f] && name != "":
			return fmt.Sprintf("--%s is for live mode (fivexx --%s FILE...), not %s", f, f, name)
		case f == "version" || f == "v":
			return fmt.Sprintf("--%s: fivexx version prints the version; %s", f, help)
		}
		owner, owned := commandFlags[f]
		mode := name
		if mode == "" {
			mode = "live mode"
		}
		near := nearFlag(fs, f)
		switch {
		case owned && near != "":
			return fmt.Sprintf("unknown flag --%s: did you mean --%s? (--%s is for %s; %s)", f, near, f, owner.commands, help)
		case owned:
			return fmt.Sprintf("--%s is for %s (%s), not %s", f, owner.commands, owner.example, mode)
		case near != "":
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
