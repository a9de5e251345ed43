package tui

import (
	"io"
	"time"

	"fivexx/classify"
)

// Source is what the UI reads. Implementations are safe for concurrent use.
type Source interface {
	// Snapshot returns the latest published snapshot, never nil; the UI must not mutate it.
	Snapshot() *classify.Snapshot
	// SetWindow asks for another rolling window (1, 5 or 15 min); later snapshots reflect it.
	SetWindow(d time.Duration)
}

// Notifier is implemented by sources that can say when they have a new
// snapshot (the live engine). The UI then fetches as soon as one is
// published, and on its refresh tick only when none is: a line appended
// during a lull reaches the screen without waiting out a refresh period
// on top of the engine's. The channel must coalesce (hold one signal at
// most), so that the UI fetches at most once per publish.
type Notifier interface {
	Published() <-chan struct{}
}

// ReplayControl is implemented by replay sources; when the Source also
// implements it the UI shows replay state and keys. Its methods are called
// from command goroutines, concurrently with Snapshot, never from Update.
type ReplayControl interface {
	TogglePause()
	Faster()
	Slower()
	// NextFivexx plays until the next 5xx has its verdict, then pauses.
	NextFivexx()
	// Suspend holds the replay while fivexx is stopped (ctrl+z), Resume
	// goes on from where it was at its speed, as after a pause: paced by
	// the wall clock, it played the time it was stopped at once.
	Suspend()
	Resume()
	State() ReplayState
}

// ReplayState is where a replay stands.
type ReplayState struct {
	Paused bool
	// Speed is the replay speed as shown: "10×", "max".
	Speed string
	// Done and Total are bytes played and bytes to read; Total is 0 when
	// unknown, both are 0 when nothing is read (the demo).
	Done, Total int64
	// ETA is the time left at the current speed; 0 when unknown.
	ETA time.Duration
	// From and To are the replay's --from and --to. When either is set,
	// the progress is Share, how much of the window they make has been
	// played (0..1), and ETA the time left of it: Done and Total, the
	// whole inputs', are not its progress.
	From, To time.Time
	Share    float64
	// GapsCut counts gaps between log lines played shorter than they were
	// (a replay stands still 5 s at most).
	GapsCut int64
	// Finished says everything was played: the replay line says so and the
	// replay keys are off; the other keys work on the final data.
	Finished bool
	// Note is said after the replay line's state, in the colour of a
	// problem when Problem is set: the demo's scenario and the next one, or
	// that a replay's --from/--to window holds no line.
	Note    string
	Problem bool
	// Stopped is the verdict n (NextFivexx) paused at, until playing goes
	// on; nil otherwise. StoppedWith counts the verdicts made with it.
	// The replay line names it, and the screens select it (its upstream
	// on the overview, its row in its list).
	Stopped     *classify.Verdict
	StoppedWith int64
}

// Options configure the UI.
type Options struct {
	// Title is shown in the header after the program name.
	Title string
	// Refresh is how often the screen is redrawn from Source.Snapshot
	// (at the latest, for a Notifier); defaultRefresh when zero.
	Refresh time.Duration
	// Input and Output replace the terminal (tests); nil means stdin and stdout.
	Input  io.Reader
	Output io.Writer
	// ErrorOutput receives a recovered panic and its stack; os.Stderr when nil.
	ErrorOutput io.Writer
	// Done, when it closes, ends the UI (a signal, or an ingest goroutine that
	// crashed and must get the terminal back to print its panic).
	Done <-chan struct{}
	// Train turns training mode on when the Source implements Trainer: a
	// narration pane, and the causes hidden until the trainee presses r.
	Train bool
}

// defaultRefresh is the redraw period: fast enough to feel live, slow
// enough that View stays cheap whatever the log rate. A Notifier (the live
// engine, which publishes every 100 ms and at once after a quiet interval)
// is fetched as soon as it publishes, this period being the latest; with
// it, an appended line is on screen in 81 ms median, 121 ms worst at 50,000
// lines/s (testdata/livebench; 121 and 184 ms on this tick alone). At 250 ms
// and 200 ms the tick alone took 254 ms median, 439 ms worst, for 0.01 of a
// core less.
const defaultRefresh = 100 * time.Millisecond
