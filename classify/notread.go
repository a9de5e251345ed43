package classify

import (
	"strings"

	"fivexx/sources"
)

// notread.go is the advice for a command (--cmd) whose output fivexx does
// not read (sources.Input.NotRead: it printed fivexx's own --events or
// --json output) and that failed. Its fix said "run the command alone (sh
// -c '…') to see why it failed, fix it, and run the report again", as of
// any command that failed: fixed so, it printed fivexx's own output again,
// still not read. The rules are:
//   - The fix says first what is wrong with what it prints (fivexx's own
//     output, not a log: give the logs instead), then its failure.
//   - A report says it of the command's read error (cmd/fivexx
//     commandProblem); live says it once the run ended (notReadAdvice),
//     as no state does: the input's state says why it is not read.
//   - A command that ended well, or is still running, has no advice: its
//     state says why it is not read, as a file's does.

// NotReadCommandAdvice is the advice for in, a command whose output is
// not read (NotRead) and whose last run failed (Ended), and whether it is
// one.
func NotReadCommandAdvice(in *sources.Input) (Advice, bool) {
	why, ended := in.NotRead(), in.Ended()
	if !in.Spec.Command || why == "" || !CommandFailed(ended) {
		return Advice{}, false
	}
	fix := "fivexx does not read what the command prints (" + why + "): give it a command that prints a log"
	if what, own := strings.CutPrefix(why, "not read: fivexx's own "); own {
		what = strings.TrimSuffix(what, ", not a log")
		fix = "the command prints fivexx's own " + what + ", which fivexx does not read (its 5xx would be counted twice): give fivexx the logs that output was made from instead, as files or a --cmd that prints them"
	}
	fix += "; the command failed too (" + ended + "): run it alone (sh -c " + strings.TrimPrefix(in.Spec.Arg(), "--cmd ") + ") to see why"
	return Advice{
		Problem: in.Spec.Label() + " failed (" + ended + ") and was " + why,
		Fix:     fix,
	}, true
}

// CommandFailed reports whether ended, how a command's run ended
// ("exited: status 3: <stderr tail>", sources.Input.Ended), is a failure:
// not a clean exit, not stopped by fivexx, and not "" (still running).
func CommandFailed(ended string) bool {
	return ended != "" && !strings.HasPrefix(ended, "exited: status 0") && !strings.HasPrefix(ended, "stopped")
}

// notReadAdvice is, live, NotReadCommandAdvice of each input whose
// state Config.InputProblems did not give (told): a report gives it
// with the command's read error.
func (e *Engine) notReadAdvice(told map[int]string) []Advice {
	if !e.cfg.Live {
		return nil
	}
	var out []Advice
	for i, in := range e.cfg.Inputs {
		if _, ok := told[i]; ok {
			continue
		}
		if a, ok := NotReadCommandAdvice(in); ok {
			out = append(out, a)
		}
	}
	return out
}
