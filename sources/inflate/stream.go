package inflate

import (
	"errors"
	"hash/crc32"
	"io"
	"math"
)

// WindowSize is the room a caller of ReadWindowed leaves in front of its
// buffer: the bytes of the stream a deflate copy may reach back to.
const WindowSize = windowSize

// streamOut is the buffer Read decodes into when it streams (no workers).
const streamOut = 256 << 10

// Without workers a Reader decodes the member as one stream: every call
// goes on from the symbol where the last one stopped, into the caller's
// buffer, with the 32 KiB before it copied in front. Chunks decoded whole
// (as with workers) took a buffer of 1.5-4 MB per 256 KiB of compressed
// log text, and a stretch that inflates far more than log text (5 GB of
// zeros) past any bound; a stream takes a window and the caller's buffer.

// ReadWindowed decodes the member's next bytes into buf[WindowSize:] and
// returns how many; it first overwrites buf[:WindowSize] with the 32 KiB
// of the stream before them, which the decode copies from. A reader that
// hands its buffers on whole (sources' read-ahead) gets the bytes where
// they were decoded: Read's copy of every byte on the inflating goroutine
// was 7 % of a report's time on a .gz, where this copies 64 KiB per
// buffer. Like Read it returns io.EOF at the member's end, its trailer
// checked. With workers it is Read into buf[WindowSize:].
func (r *Reader) ReadWindowed(buf []byte) (int, error) {
	if len(buf) < windowSize+slack+1 {
		return 0, errors.New("inflate: ReadWindowed buffer too small")
	}
	if r.cfg.Workers != 0 {
		return r.Read(buf[windowSize:])
	}
	if r.err != nil {
		return 0, r.err
	}
	if !r.streaming {
		if r.err = r.seqRead(r.bit, 2*r.cfg.ChunkSize); r.err != nil {
			return 0, r.err
		}
		r.seq.state, r.seq.final = stateHeader, false
		r.streaming = true
	}
	copy(buf, r.win)
	// Near the stream's start the window holds fewer real bytes.
	r.seq.floor = int(max(0, windowSize-r.total))
	o := windowSize
	var st status
	for {
		var err error
		o, st, err = decode(&r.seq, buf, o, math.MaxInt64)
		if err != nil {
			r.err = err
			return 0, err
		}
		if st != needInput {
			break
		}
		if r.err = r.seqRead(r.seq.bitPos(), 2*r.cfg.ChunkSize); r.err != nil {
			return 0, r.err
		}
	}
	n := o - windowSize
	r.crc = crc32.Update(r.crc, crc32.IEEETable, buf[windowSize:o])
	r.total += int64(n)
	copy(r.win, buf[o-windowSize:o]) // the old window and what followed
	if st == atEnd {
		r.bit, r.final = r.seq.bitPos(), true
		if r.err = r.trailer(); r.err == nil {
			r.err = io.EOF
		}
		if n > 0 {
			return n, nil
		}
		return 0, r.err
	}
	r.progress(r.seq.bitPos() >> 3)
	return n, nil
}

// readStream is Read without workers: ReadWindowed into a buffer of its
// own, then copied out.
func (r *Reader) readStream(p []byte) (int, error) {
	for r.off == len(r.out) {
		if r.err != nil {
			return 0, r.err
		}
		if r.streamBuf == nil {
			r.streamBuf = make([]byte, windowSize+streamOut)
		}
		n, err := r.ReadWindowed(r.streamBuf)
		r.out, r.off = r.streamBuf[windowSize:windowSize+n], 0
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, r.out[r.off:])
	r.off += n
	return n, nil
}
