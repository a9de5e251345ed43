package tui

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"fivexx/classify"
)

func TestRunQuits(t *testing.T) {
	var out, errOut bytes.Buffer
	src := newFakeSource(fixtureSnapshot(plainStrings))
	err := Run(src, Options{Input: strings.NewReader("q"), Output: &out, ErrorOutput: &errOut, Refresh: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %q", errOut.String())
	}
	// The alternate screen is entered and left again.
	if !strings.Contains(out.String(), "\x1b[?1049h") || !strings.Contains(out.String(), "\x1b[?1049l") {
		t.Errorf("alt screen not entered and left: %q", out.String())
	}
}

// The ctrl+c key (byte 0x03 from a raw terminal) quits as q does, but
// Run says so: fivexx exits 130 for it, as for SIGINT (QA s38 L4); from
// the filter too, where every other key is text.
func TestRunSaysCtrlCInterrupted(t *testing.T) {
	for _, keys := range []string{"\x03", "/ab\x03", "q"} {
		var out, errOut bytes.Buffer
		err := Run(newFakeSource(fixtureSnapshot(plainStrings)), Options{Input: strings.NewReader(keys), Output: &out, ErrorOutput: &errOut, Refresh: 10 * time.Millisecond})
		if want := keys != "q"; errors.Is(err, ErrInterrupted) != want || (!want && err != nil) {
			t.Errorf("keys %q: Run: %v, want ErrInterrupted %v", keys, err, want)
		}
		if !strings.Contains(out.String(), "\x1b[?1049l") {
			t.Errorf("keys %q: alt screen not left", keys)
		}
	}
}

// panickySource panics on the n-th snapshot.
type panickySource struct {
	*fakeSource
	calls, at int
}

func (p *panickySource) Snapshot() *classify.Snapshot {
	p.calls++
	if p.calls == p.at {
		panic("engine exploded")
	}
	return p.fakeSource.Snapshot()
}

func TestRunRecoversPanics(t *testing.T) {
	tests := []struct {
		name string
		src  Source
	}{
		// The first call is in New, outside the program.
		{"before the program", &panickySource{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), at: 1}},
		// The second is in the tick command.
		{"in a command", &panickySource{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), at: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			in := &blockingReader{done: make(chan struct{})}
			defer close(in.done)
			err := Run(tt.src, Options{Input: in, Output: &out, ErrorOutput: &errOut, Refresh: 10 * time.Millisecond})
			if err == nil || !strings.Contains(err.Error(), "engine exploded") {
				t.Fatalf("Run error = %v, want the panic", err)
			}
			if !strings.Contains(errOut.String(), "fivexx: panic: engine exploded") ||
				!strings.Contains(errOut.String(), "goroutine") {
				t.Errorf("stderr lacks the panic and stack: %q", errOut.String())
			}
			if strings.Contains(out.String(), "\x1b[?1049h") && !strings.Contains(out.String(), "\x1b[?1049l") {
				t.Error("alt screen left on")
			}
		})
	}
}

// explodingModel panics in Update, or makes the next View panic, on the
// message its Init sends.
type explodingModel struct{ inView bool }

func (e explodingModel) Init() tea.Cmd { return func() tea.Msg { return "go" } }

func (e explodingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch {
	case msg != "go":
		return e, nil
	case e.inView:
		return explodingView{}, nil
	}
	panic("update exploded")
}

func (e explodingModel) View() string { return "ok" }

// explodingView panics in View.
type explodingView struct{}

func (explodingView) Init() tea.Cmd                         { return nil }
func (v explodingView) Update(tea.Msg) (tea.Model, tea.Cmd) { return v, nil }
func (explodingView) View() string                          { panic("view exploded") }

func TestGuardRecoversUpdateAndView(t *testing.T) {
	tests := []struct {
		name  string
		model tea.Model
		want  string
	}{
		{"update", explodingModel{}, "update exploded"},
		{"view", explodingModel{inView: true}, "view exploded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caught := &caughtPanic{}
			in := &blockingReader{done: make(chan struct{})}
			defer close(in.done)
			var out bytes.Buffer
			p := tea.NewProgram(guard{inner: tt.model, caught: caught}, tea.WithInput(in), tea.WithOutput(&out))
			caught.kill = p.Kill
			_, err := p.Run()
			v, stack, ok := caught.get()
			if !ok || v != tt.want || len(stack) == 0 {
				t.Fatalf("caught %v (stack %d bytes), want %q", v, len(stack), tt.want)
			}
			if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
				t.Errorf("Run error %v", err)
			}
		})
	}
}

// blockingReader is terminal input that never types anything.
type blockingReader struct{ done chan struct{} }

func (b *blockingReader) Read([]byte) (int, error) {
	<-b.done
	return 0, errors.New("closed")
}

func TestRunQuitsWhenDone(t *testing.T) {
	in := &blockingReader{done: make(chan struct{})}
	defer close(in.done)
	done := make(chan struct{})
	var out bytes.Buffer
	result := make(chan error, 1)
	go func() {
		result <- Run(newFakeSource(fixtureSnapshot(plainStrings)),
			Options{Input: in, Output: &out, Done: done, Refresh: 10 * time.Millisecond})
	}()
	close(done)
	select {
	case err := <-result:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Done closed")
	}
}
