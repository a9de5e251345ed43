package sources

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ReadToEnd reads an input from its start to its end, parsing every line and
// sending the records on out. It is the report and replay reader; it does
// not close out. Standard input is read until it closes.
func ReadToEnd(ctx context.Context, in *Input, out chan<- Item) error {
	return readToEnd(ctx, in, newDecoder(in, out), true)
}

// ReadBatches is ReadToEnd sending records in batches (in file order), for
// readers that go as fast as they can. It does not close out.
func ReadBatches(ctx context.Context, in *Input, out chan<- []Item) error {
	d := newDecoder(in, nil)
	d.batches = out
	return readToEnd(ctx, in, d, true)
}

// readToEnd reads in to its end through d. With watchShrink (report,
// replay) a regular file that shrinks while read ends the read with a
// *ShrankError (shrink.go); live mode reads without it, as it tells a
// truncation itself.
func readToEnd(ctx context.Context, in *Input, d *decoder, watchShrink bool) error {
	defer in.zoneEnd()
	if in.Spec.NotRead != "" {
		return nil // its state says why
	}
	if in.Spec.Command {
		err := runCommand(ctx, in, d, false, 0)
		if err == nil {
			err = d.release(ctx)
		}
		return err
	}
	if in.Spec.Path == "-" {
		return readStdin(ctx, in, d, os.Stdin)
	}
	if err := in.waitOpening(ctx); err != nil {
		return err
	}
	defer in.doneOpening()
	// Live history stops at an offset of its own, and what comes after
	// is followed: not watched.
	rc, watch, size, err := openWatched(in.Spec.Path, &in.bytes, watchShrink && in.historyEnd == 0)
	if err != nil {
		in.SetState("read error: " + err.Error())
		return err
	}
	defer rc.Close()
	end := in.historyEnd
	if stop := in.Spec.StopAt; stop > 0 && (end == 0 || stop < end) {
		// Its lines from there on are another input's (Spec.StopAt).
		end = stop
	}
	if end > 0 {
		if p, plain := rc.(*readCloser); plain {
			// Live history: its lines up to end, the rest followed.
			rc, size = &readCloser{Reader: io.LimitReader(p.Reader, end), close: p.close}, end
		}
	}
	in.size.Store(size)
	if a, gz := rc.(*readAhead); gz {
		in.cores = inflatingCores(in.cores)
		in.ahead.Store(a)
	}
	d.reading()
	err = readDecoded(ctx, in, rc, d.lineFunc(ctx), d)
	if err == nil {
		// At its end the file is closed before the last batch goes out:
		// with thousands of small files merged (each read to its end at
		// once: mergeGate) their readers held their files open while they
		// made and sent that batch, and under a hard limit of 256 open
		// files a report of 2,000 failed to open some of them.
		rc.Close()
		err = d.finish(ctx)
	} else if ctx.Err() == nil {
		// The whole lines before the error are the input's: those held
		// for detection and the batch not sent yet go out too (a .gz cut
		// short lost its last partial batch, up to 127 lines).
		_ = d.finish(ctx)
	}
	if se := (*ShrankError)(nil); err != nil && watch != nil && ctx.Err() == nil && !errors.As(err, &se) {
		// A .gz cut while inflated fails as one cut before (unexpected
		// EOF): its size tells which.
		if se = watch.shrank(); se != nil {
			err = se
		}
	}
	if err != nil {
		if ctx.Err() == nil {
			// Stopped (a replay at --to, a quit): no read error, as
			// readStdin says none; a replay's inputs pane said "read
			// error: context canceled" for a log cut at --to.
			in.SetState("read error: " + err.Error())
		}
		if pe := (*os.PathError)(nil); errors.As(err, &pe) && pe.Path == in.Spec.Path {
			return err // it names the file already
		}
		return fmt.Errorf("read %s: %w", in.Spec.Path, err)
	}
	in.doneReading(d.sentNo)
	return nil
}

// readStdin reads standard input (r, injected by tests) to its end. Its end
// ends this input only: the state says "done" and the caller goes on.
// Gzip is inflated, told by its magic bytes as OpenFile tells a file's:
// `fivexx report - < access.log.gz` read the compressed bytes as lines
// (hundreds unparsed) and its advice said "not text".
func readStdin(ctx context.Context, in *Input, d *decoder, r io.Reader) error {
	d.reading()
	var src io.Reader = countingReader{r: r, n: &in.bytes}
	br := bufio.NewReaderSize(src, 64<<10)
	src = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := newGzipStream(br)
		if err != nil {
			in.SetState("read error: " + err.Error())
			return fmt.Errorf("read standard input: %w", err)
		}
		ahead := newReadAhead(zr, zr.Close)
		defer ahead.Close()
		in.ahead.Store(ahead)
		src = ahead
	}
	err := readDecoded(ctx, in, src, d.lineFunc(ctx), d)
	if err == nil {
		err = d.finish(ctx)
	} else if ctx.Err() == nil {
		_ = d.finish(ctx) // the whole lines before the error, as readToEnd
	}
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		in.SetState("read error: " + err.Error())
		return fmt.Errorf("read standard input: %w", err)
	}
	in.doneReading(d.sentNo)
	return nil
}

// reading sets the input's state to "reading", unless the format given
// could not be built (newDecoder's state names the error: a log_format
// from nginx.conf that does not compile was "done" with every line
// unparsed and no word why).
func (d *decoder) reading() {
	if !d.broken {
		d.in.SetState("reading")
	}
}

// doneReading marks the input done unless its state says something worth
// keeping, and notes lastRecord, the line number of its last record sent
// on (LastRecord).
func (in *Input) doneReading(lastRecord int64) {
	in.mu.Lock()
	if in.state == "reading" {
		in.state = "done"
	}
	in.lastRecord, in.ended = lastRecord, true
	in.mu.Unlock()
}

// LastRecord returns, once the input has been read to its end (ReadToEnd,
// ReadBatches and the merges that use them), the line number of the last
// record sent on (Item.LineNo; 0: none) and true. A replay's player reads
// it to tell when it has played an input's last line: the reader is done
// long before (its state says "done" while the lines are still to play).
func (in *Input) LastRecord() (line int64, ended bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.lastRecord, in.ended
}

// CheckReadable opens a file input once to fail early with a message that
// names the path (report exits 2 on it). A regular file is opened and its
// first byte read: /proc/self/mem opens, then fails its first read (EIO).
// A device is opened, not read (a read would take a terminal's or a
// port's bytes from the reader), and a socket is refused: open(2) cannot
// open one (ENXIO). Each was an input that failed after 0 lines, exit 1
// and a report of the others. A pipe, a FIFO or a process substitution
// (<(zcat x.gz)) is not opened: that would lose what the check read, or
// block until a writer came, so for those it only checks that the path
// is there.
func CheckReadable(spec Spec) error {
	if spec.Command || spec.Path == "-" {
		return nil
	}
	st, err := os.Stat(spec.Path)
	if err != nil {
		return err
	}
	switch mode := st.Mode(); {
	case st.IsDir():
		// A PathError as open's, so the message names the path once:
		// "cannot read input d: is a directory", as live says it, where
		// report said "cannot read input d: open d: is a directory".
		return &os.PathError{Op: "open", Path: spec.Path, Err: syscall.EISDIR}
	case mode&os.ModeSocket != 0:
		return &os.PathError{Op: "open", Path: spec.Path, Err: errSocket}
	case mode&os.ModeDevice != 0:
		f, err := os.Open(spec.Path)
		if err != nil {
			return err
		}
		return f.Close()
	case !mode.IsRegular():
		return nil
	}
	if err := firstByte(spec.Path); err != nil {
		return err
	}
	rc, _, err := OpenFile(spec.Path, nil)
	if err != nil {
		return err
	}
	return rc.Close()
}

// errSocket is why a socket is no input.
var errSocket = errors.New("is a socket, not a file: a log is read from a file, a pipe or a command's output (--cmd)")

// firstByte reads a regular file's first byte, failing as its read would
// fail (an empty file does not).
func firstByte(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var b [1]byte
	if _, err := f.Read(b[:]); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
