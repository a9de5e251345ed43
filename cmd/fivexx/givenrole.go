package main

import (
	"fivexx/sources"
)

// givenrole.go refuses at start a role given on the command line (--app,
// --proxy-errors) that the file's head plainly contradicts, by the rules
// of sources/givenrole.go: nginx's error log given as --app was read as
// app-text, its lines app evidence (wrong verdicts); an access log given
// as --proxy-errors was read as the access log while the advice said "no
// proxy access log". The rules are:
//   - Only a file whose head can be peeked at start and has lines is
//     checked here, and marked checked (Spec.RoleChecked). Standard
//     input, a named pipe and a file empty at start are checked by the
//     decoder when their first lines come (an app's), or told by the
//     engine (an error log's that gives access entries): a problem on
//     the inputs pane and in the report, not an exit.
//   - A contradiction is a usage error, exit 2, naming the flag and the
//     file, what its lines read as and how to give it.

// checkGivenRoles checks the roles given to specs against their heads;
// the first contradicted is a usageError.
func (f *inputFlags) checkGivenRoles(specs []sources.Spec) error {
	for i := range specs {
		s := &specs[i]
		if !sources.CheckedRole(*s) || !peekable(*s) {
			continue
		}
		lines, _ := f.heads.head(s.Path)
		if len(lines) == 0 {
			continue
		}
		s.RoleChecked = true
		if c, bad := sources.ContradictsRole(*s, lines, f.heads.sample(s.Path, sources.RoleUnknown)); bad {
			return usageError{givenArg(*s) + ": " + c.Reads() + ": " + c.Fix()}
		}
	}
	return nil
}

// givenArg is how spec was given: "--app api=app.log".
func givenArg(spec sources.Spec) string {
	arg := spec.Path
	if spec.Opts.Service != "" {
		arg = spec.Opts.Service + "=" + spec.Path
	}
	return sources.GivenFlag(spec.Role) + " " + arg
}
