package main

import (
	"fmt"
	"io"
	"strconv"

	"fivexx/classify"
)

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		for _, g := range classify.ExplainCodes() {
			fmt.Fprintf(stdout, "%d %s\n%s\n\n", g.Code, g.Title, g.Text)
		}
		fmt.Fprint(stdout, explainCauses())
		fmt.Fprint(stdout, "\n"+formatsText())
		return 0
	}
	if args[0] == "formats" {
		fmt.Fprint(stdout, formatsText())
		return 0
	}
	code, err := strconv.Atoi(args[0])
	g, ok := classify.ExplainCode(code)
	if err != nil || !ok {
		fmt.Fprintf(stderr, "fivexx: error: explain knows 500, 502, 503, 504, 429 and formats, not %q\n", args[0])
		return 2
	}
	fmt.Fprintf(stdout, "%d %s\n%s\n", g.Code, g.Title, g.Text)
	return 0
}

func explainCauses() string {
	s := "Causes fivexx reports:\n"
	for _, c := range classify.AllCauses {
		s += fmt.Sprintf("  %-22s %s\n", c, c.Summary())
	}
	return s
}
