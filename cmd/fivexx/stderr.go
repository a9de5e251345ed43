package main

import (
	"fmt"
	"io"
	"strings"

	"fivexx/sources/textsafe"
)

// printError writes msg to stderr as fivexx's error, every line of it
// escaped (textsafe): error messages name input files and quote nginx
// configs, and a file name picked up by a glob over a log directory can
// hold an escape sequence as well as any log line can.
func printError(stderr io.Writer, msg string) {
	lines := strings.Split(strings.TrimSuffix(msg, "\n"), "\n")
	for i, l := range lines {
		lines[i] = textsafe.Escape(l)
	}
	fmt.Fprintf(stderr, "fivexx: error: %s\n", strings.Join(lines, "\n"))
}

// printNote prints a note with the program prefix, escaped as printError does.
func printNote(stderr io.Writer, msg string) {
	fmt.Fprintf(stderr, "fivexx: note: %s\n", textsafe.Escape(msg))
}
