package sources

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nxadm/tail"
)

// FollowOptions says how to follow a file.
type FollowOptions struct {
	// FromStart reads the existing content first; otherwise following starts at the end.
	FromStart bool
	// Poll uses polling instead of inotify (network file systems).
	Poll bool
}

// stateLogger turns nxadm/tail's log lines into input states. They are the
// only rotation signals the library gives, and its default logger would
// write to stderr, over the UI.
type stateLogger struct{ in *Input }

func (l stateLogger) Printf(format string, v ...interface{}) { l.set(fmt.Sprintf(format, v...)) }
func (l stateLogger) Print(v ...interface{})                 { l.set(fmt.Sprint(v...)) }
func (l stateLogger) Println(v ...interface{})               { l.set(fmt.Sprint(v...)) }
func (l stateLogger) Fatal(v ...interface{})                 { l.set("read error: " + fmt.Sprint(v...)) }
func (l stateLogger) Fatalf(f string, v ...interface{})      { l.set("read error: " + fmt.Sprintf(f, v...)) }
func (l stateLogger) Fatalln(v ...interface{})               { l.set("read error: " + fmt.Sprint(v...)) }
func (l stateLogger) Panic(v ...interface{})                 { l.set("read error: " + fmt.Sprint(v...)) }
func (l stateLogger) Panicf(f string, v ...interface{})      { l.set("read error: " + fmt.Sprintf(f, v...)) }
func (l stateLogger) Panicln(v ...interface{})               { l.set("read error: " + fmt.Sprint(v...)) }

func (l stateLogger) set(msg string) {
	switch {
	case strings.HasPrefix(msg, "Waiting for"):
		l.in.SetState("waiting for file")
	case strings.HasPrefix(msg, "Re-opening truncated"):
		l.in.SetState("truncated")
	case strings.HasPrefix(msg, "Re-opening moved/deleted"):
		l.in.SetState("rotated")
	case strings.HasPrefix(msg, "Successfully reopened"):
		l.in.SetState("reopened")
	case strings.HasPrefix(msg, "Stopping tail"):
		l.in.SetState("gone")
	default:
		l.in.SetState(msg)
	}
}

// Follow follows an input until ctx ends: files with nxadm/tail (reopen on
// rotation, follow truncation), standard input and commands until they end.
// It does not close out.
func Follow(ctx context.Context, in *Input, out chan<- Item, opt FollowOptions, restartCmd bool) error {
	d := newDecoder(in, out)
	if in.Spec.Command {
		return runCommand(ctx, in, d, restartCmd)
	}
	if in.Spec.Path == "-" {
		// Standard input closing ends this input, not the program.
		return ReadToEnd(ctx, in, out)
	}
	if !opt.FromStart {
		// Live mode starts at the end; sample the head so the format is known
		// before the first new line arrives.
		if err := detectFromHead(in); err == nil {
			d = newDecoder(in, out)
		}
	}
	cfg := tail.Config{
		Follow:        true,
		ReOpen:        true,
		Poll:          opt.Poll,
		CompleteLines: true, // a partial last line waits for its newline
		Logger:        stateLogger{in},
	}
	if _, err := os.Stat(in.Spec.Path); err == nil && !opt.FromStart {
		cfg.Location = &tail.SeekInfo{Offset: 0, Whence: io.SeekEnd}
	} else if err != nil {
		in.SetState("waiting for file")
	}
	t, err := tail.TailFile(in.Spec.Path, cfg)
	if err != nil {
		in.SetState("read error: " + err.Error())
		return err
	}
	var once sync.Once
	stop := func() { once.Do(func() { _ = t.Stop() }) }
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	if in.State() == "starting" {
		in.SetState("following")
	}
	// Undetected formats decide on what trickled in once lines stop coming.
	flush := time.NewTicker(100 * time.Millisecond)
	defer flush.Stop()
	// Drain t.Lines until it closes: tail exits only then, and a stopped
	// reader would otherwise block it.
	for {
		select {
		case line, ok := <-t.Lines:
			if !ok {
				return nil
			}
			if line.Err != nil {
				in.SetState("read error: " + line.Err.Error())
				continue
			}
			in.bytes.Add(int64(len(line.Text) + 1))
			text := strings.TrimSuffix(line.Text, "\r")
			if len(text) > MaxLineBytes {
				text = text[:MaxLineBytes]
				in.tooLong.Add(1)
			}
			if s := in.State(); s == "reopened" || s == "waiting for file" || s == "starting" {
				in.SetState("following")
			}
			if err := d.line(ctx, text); err != nil {
				stop()
				for range t.Lines {
				}
				return nil
			}
		case <-flush.C:
			// Undetected formats decide on what trickled in; a held-back app
			// record goes out once its stack trace (if any) has had time to follow.
			if err := d.flush(ctx); err != nil {
				return nil
			}
		}
	}
}

// detectFromHead picks the format from the first lines of an existing file.
func detectFromHead(in *Input) error {
	if in.Format().Name != "" {
		return nil
	}
	f, err := os.Open(in.Spec.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 256<<10))
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	var lines []string
	for sc.Scan() && len(lines) < detectLines {
		if strings.TrimSpace(sc.Text()) != "" {
			lines = append(lines, sc.Text())
		}
	}
	if len(lines) == 0 {
		return fmt.Errorf("empty")
	}
	format, how, err := Resolve(in.Spec, lines)
	if err != nil {
		return err
	}
	return in.SetFormat(format, how)
}
