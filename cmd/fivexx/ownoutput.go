package main

import (
	"io"

	"fivexx/classify/report"
	"fivexx/sources"
)

// notReadOwnOutput marks each input of specs whose head is fivexx's own
// --events or --json output (report.OwnOutput) as not read, and says so
// on stderr, once: its lines counted every 5xx of the logs it was made
// from a second time. The report, --json's input entry and the inputs
// pane then show its state as its problem.
//
// An input whose head cannot be peeked, or told nothing (standard input,
// a --cmd, a named pipe; a file whose first line is longer than its
// peeked head, or empty at start), is told by the first lines its reader
// holds to detect its format (sources.Spec.NotReadIf): fivexx's own
// --events piped to "-" was read as an nginx JSON access log, every 5xx
// counted twice (QA s32). Its note is said when it is read (notReadNote).
func (f *inputFlags) notReadOwnOutput(specs []sources.Spec, stderr io.Writer) {
	for i := range specs {
		s := &specs[i]
		if !peekable(*s) {
			if s.NotRead == "" {
				s.NotReadIf = report.OwnOutput
			}
			continue
		}
		lines, _ := f.heads.head(s.Path)
		if st := report.OwnOutput(lines); st != "" {
			s.NotRead = st
			printNote(stderr, s.Label()+": "+st)
			continue
		}
		s.NotReadIf = report.OwnOutput
	}
}

// noteNotReadWhileRead says on stderr, once read, which inputs their first
// lines told to be fivexx's own output (Spec.NotReadIf), as
// notReadOwnOutput says it of those their head told.
func noteNotReadWhileRead(ins []*sources.Input, stderr io.Writer) {
	for _, in := range ins {
		if why := in.NotRead(); why != "" && in.Spec.NotRead == "" {
			printNote(stderr, in.Spec.Label()+": "+why)
		}
	}
}
