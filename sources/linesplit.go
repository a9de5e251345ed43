package sources

import (
	"bytes"
	"context"
)

// lineSplitter cuts a byte stream into lines as the bytes arrive, for files,
// pipes and commands alike. The rules are:
//   - a line ends at "\n"; one "\r" before it is dropped;
//   - a line without its newline yet is held until the newline comes (or the
//     stream ends and flush is called): a partial line is never parsed;
//   - at most MaxLineBytes of a line are kept; the rest of a longer line is
//     dropped up to its newline and the line is delivered once, flagged as
//     cut. Splitting it instead (as nxadm/tail's MaxLineSize does) would turn
//     its tail into more lines, each counted as unparsed;
//   - a run of NUL bytes at the start of a line is dropped, before the
//     limit: after copytruncate, a writer without O_APPEND (HAProxy's
//     `log stdout`, which clears it with F_SETFL; any `cmd > file`) goes on
//     at its old offset, so the file starts with that many NULs glued to
//     its first new line. Counted against the limit, 1 MiB of them cut that
//     line and lost its request. They are counted in nuls;
//   - other bytes are passed on as they are: NUL and invalid UTF-8 are the
//     parser's (and the UI's sanitizer's) business, never an error here.
type lineSplitter struct {
	buf     []byte // the partial line so far, at most MaxLineBytes+1 bytes
	dropped bool   // bytes of the partial line were dropped past the limit
	skip    bool   // drop everything up to the next newline (started mid-line)
	nuls    int64  // NUL bytes dropped at the start of lines
}

// lineFunc receives one complete line without its line ending; cut says the
// line was longer than MaxLineBytes and has been cut to that length. The
// slice is only valid during the call.
type lineFunc func(line []byte, cut bool) error

// feed splits p into lines, calling emit for every complete one.
//
// Not inlined: the profile had it inlined into readDecoded, where its
// loop took about 8 instructions a line more than on its own (2.7 M on
// the 345 k-line sample), for one call per read saved.
//
//go:noinline
func (s *lineSplitter) feed(p []byte, emit lineFunc) error {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.hold(p)
			return nil
		}
		chunk := p[:i]
		p = p[i+1:]
		if s.skip {
			s.skip = false
			continue
		}
		if len(s.buf) == 0 && !s.dropped {
			// Fast path: the whole line is in p, no copy. emitLine written
			// out: its call was about 20 instructions per line.
			if len(chunk) > 0 && chunk[0] == 0 {
				chunk = s.dropNULs(chunk)
			}
			if n := len(chunk); n > 0 && chunk[n-1] == '\r' {
				chunk = chunk[:n-1]
			}
			cut := false
			if len(chunk) > MaxLineBytes {
				chunk, cut = chunk[:MaxLineBytes], true
			}
			if err := emit(chunk, cut); err != nil {
				return err
			}
			continue
		}
		s.hold(chunk)
		err := emitLine(s.buf, s.dropped, emit)
		s.reset()
		if err != nil {
			return err
		}
	}
	return nil
}

// moveHeld moves the start of a line the splitter holds (buf) to the
// front of dst, for a reader that reads the rest of the line in right
// after it: the line then lies whole in the reader's block, as every
// other line does, and a slot can borrow it there (readBlocks). Held, it
// was copied into a buffer of its slot's own, and a borrowing slot keeps
// none: a new one for one line in a few hundred was 5.7 MB of a report's
// 121 MB of allocations on the 2 M bench set. It returns how many bytes it
// moved: none when nothing is held, when the line is cut or skipped, or
// when it would take more than a quarter of dst (the read after it stays
// large; such a line is copied as before).
func (s *lineSplitter) moveHeld(dst []byte) int {
	if len(s.buf) == 0 || !s.clean() || len(s.buf) > len(dst)/4 {
		return 0
	}
	n := copy(dst, s.buf)
	s.buf = s.buf[:0]
	return n
}

// feedDecoder is feed for readDecoded, whose emit is d.lineFunc(ctx)
// when d is set: the ordinary whole lines of an input whose lines go into
// slots are parsed by proxyLines or appLines, a loop each; another whole
// line is handed to d.lineBytes directly rather than through emit, a
// closure (its call was 21 instructions a line). The end of a held line,
// and the lines of a reader without a decoder, go through feed.
func (s *lineSplitter) feedDecoder(ctx context.Context, p []byte, emit lineFunc, d *decoder) error {
	if d == nil {
		return s.feed(p, emit)
	}
	for len(p) > 0 {
		if len(s.buf) == 0 && s.clean() && d.repeats == nil {
			// Whole lines into slots (proxyLines, appLines), up to one
			// that is not ordinary or the start of one to hold.
			var n int
			var err error
			switch {
			case d.slotP != nil:
				n, err = d.proxyLines(ctx, p)
			case d.appSlotP != nil:
				n, err = d.appLines(ctx, p)
			}
			if err != nil {
				return err
			}
			if p = p[n:]; len(p) == 0 {
				return nil
			}
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 || len(s.buf) > 0 || !s.clean() {
			// No newline (the start of a line to hold), or the end of a
			// held or skipped line: feed's way, up to that line's end.
			end := len(p)
			if i >= 0 {
				end = i + 1
			}
			if err := s.feed(p[:end], emit); err != nil {
				return err
			}
			p = p[end:]
			continue
		}
		// feed's fast path, as the closure would take it.
		line := p[:i]
		p = p[i+1:]
		if len(line) > 0 && line[0] == 0 {
			line = s.dropNULs(line)
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) > MaxLineBytes {
			line = line[:MaxLineBytes]
			d.in.tooLong.Add(1)
		}
		if err := d.lineBytes(ctx, line); err != nil {
			return err
		}
	}
	return nil
}

// clean reports whether the splitter is between lines or holds only the
// start of an ordinary one (in buf): nothing dropped, nothing to skip.
func (s *lineSplitter) clean() bool { return !s.dropped && !s.skip }

// hold keeps the bytes of a line that has not ended yet, up to the limit.
// One byte past MaxLineBytes is kept so that a line of exactly MaxLineBytes
// followed by "\r\n" is not mistaken for a long one.
func (s *lineSplitter) hold(p []byte) {
	if s.skip {
		return
	}
	if len(s.buf) == 0 && !s.dropped && len(p) > 0 && p[0] == 0 {
		p = s.dropNULs(p) // all of p, maybe: the line has not started yet
	}
	room := MaxLineBytes + 1 - len(s.buf)
	if len(p) > room {
		p = p[:room]
		s.dropped = true
	}
	s.buf = append(s.buf, p...)
}

// dropNULs drops the NUL bytes p starts with (see the rules), and counts
// them. Apart: the lines that take it are rare.
//
//go:noinline
func (s *lineSplitter) dropNULs(p []byte) []byte {
	rest := skipNULs(p)
	s.nuls += int64(len(p) - len(rest))
	return rest
}

// skipNULs returns p without the NUL bytes it starts with.
func skipNULs(p []byte) []byte {
	i := 0
	for i < len(p) && p[i] == 0 {
		i++
	}
	return p[i:]
}

// emitLine drops the "\r" of a "\r\n" ending and cuts a long line.
func emitLine(line []byte, dropped bool, emit lineFunc) error {
	if !dropped {
		line = bytes.TrimSuffix(line, []byte("\r"))
	}
	cut := dropped
	if len(line) > MaxLineBytes {
		line, cut = line[:MaxLineBytes], true
	}
	return emit(line, cut)
}

// flush delivers the partial line as a complete one: the stream has ended,
// or the file it came from has been rotated away or truncated, so no more
// of it will ever come.
func (s *lineSplitter) flush(emit lineFunc) error {
	if s.skip || (len(s.buf) == 0 && !s.dropped) {
		s.reset()
		return nil
	}
	err := emitLine(s.buf, s.dropped, emit)
	s.reset()
	return err
}

// reset forgets the partial line. A large buffer left by a long line is let
// go so one long line does not pin a MiB per input for ever.
func (s *lineSplitter) reset() {
	if cap(s.buf) > 256<<10 {
		s.buf = nil
	}
	s.buf = s.buf[:0]
	s.dropped = false
	s.skip = false
}
