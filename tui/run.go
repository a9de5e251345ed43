package tui

// What Bubble Tea v1.3.10 does itself, and what Run adds:
//   - quit: Program.Run restores the terminal (raw mode, cursor, alt screen)
//     on every exit path.
//   - SIGINT, SIGTERM and SIGHUP: Run handles them itself and quits the
//     program cleanly. Bubble Tea's own handler is off: once the program
//     had quit another way (the caller's context closed on the same
//     signal), its goroutine blocked for ever sending the signal's message
//     and Run never returned, the terminal left raw (a third of the
//     time; charmbracelet/bubbletea PR #1806). Without SIGHUP a `kill -HUP`
//     left the terminal raw too.
//   - panics in Update, View and commands: Bubble Tea recovers them and
//     restores the terminal, but prints the panic to stdout and returns a bare
//     ErrProgramPanic. Run wraps the model (guard) to catch them first, stops
//     the program cleanly, then prints the panic and its stack to stderr and
//     returns an error that carries the value. Bubble Tea's own catch stays as
//     a last resort.
//   - panics outside the program (New, setup): Run's own recover.
//   - Options.Done: the caller's context; when it closes Run quits cleanly.

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
)

// ErrInterrupted is what Run returns when the ctrl+c key quit, where q
// returns nil: the raw terminal sends ctrl+c as a key, not as SIGINT, and
// the caller exits as SIGINT would have it (130), so that `fivexx … &&
// next` does not go on.
var ErrInterrupted = errors.New("interrupted by ctrl+c")

// Run shows the UI for src on the alternate screen until the user quits. It
// returns nil on quit (q) and on SIGINT/SIGTERM, ErrInterrupted on the
// ctrl+c key; after a panic, the terminal is
// restored, the panic and its stack go to Options.ErrorOutput (stderr) and
// the error says what happened.
func Run(src Source, opts Options) (err error) {
	errOut := opts.ErrorOutput
	if errOut == nil {
		errOut = os.Stderr
	}
	caught := &caughtPanic{}
	defer func() {
		if r := recover(); r != nil {
			caught.set(r, debug.Stack())
		}
		if v, stack, ok := caught.get(); ok {
			fmt.Fprintf(errOut, "fivexx: panic: %v\n\n%s\n", v, stack)
			err = fmt.Errorf("tui: panic: %v", v)
		}
	}()

	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler()}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	g := guard{inner: New(src, opts), caught: caught}
	p := tea.NewProgram(g, popts...)
	caught.kill = p.Kill
	finished := make(chan struct{})
	defer close(finished)
	if opts.Done != nil {
		go quitWhenDone(p, opts.Done, finished, caught)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	go func() {
		select {
		case <-signals:
			p.Quit() // safe however late: Program.Send gives up once the program ended
		case <-finished:
		}
	}()
	final, err := p.Run()
	if errors.Is(err, tea.ErrInterrupted) {
		err = nil
	}
	if g, ok := final.(guard); ok && err == nil {
		if m, ok := g.inner.(Model); ok && m.interrupted {
			err = ErrInterrupted
		}
	}
	if err != nil {
		err = fmt.Errorf("tui: %w", err)
	}
	return err
}

// quitWhenDone quits p when done closes, unless the program finished first.
func quitWhenDone(p *tea.Program, done, finished <-chan struct{}, caught *caughtPanic) {
	defer func() {
		if r := recover(); r != nil {
			caught.set(r, debug.Stack())
		}
	}()
	select {
	case <-done:
		p.Quit()
	case <-finished:
	}
}

// caughtPanic holds the first panic recovered while the program ran.
type caughtPanic struct {
	mu    sync.Mutex
	value any
	stack []byte
	kill  func() // stops the program when quitting through Update is impossible
}

func (c *caughtPanic) set(v any, stack []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stack == nil {
		c.value, c.stack = v, stack
	}
}

func (c *caughtPanic) get() (any, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.value, c.stack, c.stack != nil
}

// guard wraps the model so a panic in Update, View or a command stops the
// program cleanly (terminal restored) and is reported by Run.
type guard struct {
	inner  tea.Model
	caught *caughtPanic
}

// Init implements tea.Model.
func (g guard) Init() (cmd tea.Cmd) {
	defer g.recover(func() { cmd = tea.Quit })
	return g.inner.Init()
}

// Update implements tea.Model. A panicMsg (a command panicked) quits.
func (g guard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if pm, ok := msg.(panicMsg); ok {
		g.caught.set(pm.value, pm.stack)
		return g, tea.Quit
	}
	defer g.recover(func() { m, cmd = g, tea.Quit })
	g.inner, cmd = g.inner.Update(msg)
	return g, cmd
}

// View implements tea.Model. View cannot return a command, so after a panic
// it kills the program, which restores the terminal without drawing again.
func (g guard) View() (s string) {
	if _, _, ok := g.caught.get(); ok {
		return ""
	}
	defer g.recover(func() {
		s = ""
		if g.caught.kill != nil {
			g.caught.kill()
		}
	})
	return g.inner.View()
}

// recover records a panic and runs then; it must be deferred directly.
func (g guard) recover(then func()) {
	if r := recover(); r != nil {
		g.caught.set(r, debug.Stack())
		then()
	}
}
