package report

import (
	"bytes"
	"strings"
	"testing"

	"fivexx/classify"
)

// The text report's advice quotes file names and --app names: an escape
// sequence in one is shown escaped, as in the inputs table, not sent to
// the terminal (a name with ESC[2J cleared the screen).
func TestTextAdviceIsEscaped(t *testing.T) {
	s := &classify.Snapshot{Advice: []classify.Advice{{
		Problem: "e\x1b[31m.log is empty (0 lines): nothing was read from it",
		Fix:     "give sv\x1b[2J\x1b]0;T\x07c=app.log",
	}}}
	var b bytes.Buffer
	if err := WriteText(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Fatalf("raw escape bytes in the text report:\n%q", out)
	}
	if !strings.Contains(out, `e\x1b[31m.log is empty`) {
		t.Fatalf("the name is not shown escaped:\n%s", out)
	}
}
