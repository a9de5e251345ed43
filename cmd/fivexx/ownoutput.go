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
func (f *inputFlags) notReadOwnOutput(specs []sources.Spec, stderr io.Writer) {
	for i := range specs {
		s := &specs[i]
		if !peekable(*s) {
			continue
		}
		lines, _ := f.heads.head(s.Path)
		if st := report.OwnOutput(lines); st != "" {
			s.NotRead = st
			printNote(stderr, s.Label()+": "+st)
		}
	}
}
