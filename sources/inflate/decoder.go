package inflate

import (
	"encoding/binary"
	"errors"
	"io"
)

// A decoder decodes one deflate stream from an in-memory piece of it, from
// any bit on, and may be handed more input or more output room at any
// symbol: it stops between symbols, never inside one, so a block longer
// than the piece of input it was given costs nothing special.
type decoder struct {
	in   []byte
	base int64 // file offset of in[0]
	// eof says in ends where the file does: running past it is an
	// unexpected EOF, not a call for more input.
	eof bool

	// The bit buffer: bits holds nbits bits read from in, the next one
	// lowest; pos is the next byte of in to load (past len(in) the buffer
	// was fed zeros, and the symbol that used them is undone).
	pos   int
	bits  uint64
	nbits uint

	// floor is the first index of out a copy may reach: out holds a
	// window of 32 KiB in front of the output, of which the stream had
	// only the last windowSize-floor bytes (0 but near the stream's start).
	floor int

	state  int
	final  bool // the block being decoded (or just ended) is the last
	stored int  // bytes left in a stored block

	lit     *[litlenEnough]uint32
	dist    *[distEnough]uint32
	litTab  [litlenEnough]uint32
	distTab [distEnough]uint32
	lens    [286 + 30]uint8
}

const (
	stateHeader  = iota // at a block's first bit
	stateHuffman        // inside a fixed or dynamic block
	stateStored         // inside a stored block
	stateDone           // after the final block
)

// status says why decode returned without an error.
type status int

const (
	atStop     status = iota // at a block boundary at or past stop
	atEnd                    // the final block has ended
	needOutput               // out has no room for another symbol
	needInput                // in ends inside the next symbol or header
)

var (
	errCorrupt = errors.New("flate: corrupt input")
	// errDistance is a copy from before the stream's start.
	errDistance = errors.New("flate: corrupt input: distance too far back")
)

// slack is the room past a symbol that decode wants in out: a match of
// maxMatch, written 8 bytes at a time.
const slack = maxMatch + 16

// setInput gives the decoder in, which starts at file offset base, and
// puts it at file bit bit (which in must hold). eof says in ends the file.
func (d *decoder) setInput(in []byte, base int64, bit int64, eof bool) {
	d.in, d.base, d.eof = in, base, eof
	off := bit - base*8
	d.pos, d.bits, d.nbits = int(off>>3), 0, 0
	if r := uint(off & 7); r != 0 {
		d.refillSlow()
		d.bits >>= r
		d.nbits -= r
	}
}

// reset starts a new stream at file bit bit of in.
func (d *decoder) reset(in []byte, base int64, bit int64, eof bool) {
	d.setInput(in, base, bit, eof)
	d.state, d.final, d.stored = stateHeader, false, 0
}

// bitPos is the file bit the decoder is at.
func (d *decoder) bitPos() int64 {
	return (d.base+int64(d.pos))*8 - int64(d.nbits)
}

// overrun says the decoder used bits past the end of in.
func (d *decoder) overrun() bool {
	return int64(d.pos)*8-int64(d.nbits) > int64(len(d.in))*8
}

// refillSlow fills the bit buffer a byte at a time, with zeros past the
// end of in.
func (d *decoder) refillSlow() {
	for d.nbits <= 56 {
		var b byte
		if d.pos < len(d.in) {
			b = d.in[d.pos]
		}
		d.bits |= uint64(b) << d.nbits
		d.pos++
		d.nbits += 8
	}
}

// refill makes sure the bit buffer holds at least 56 bits.
func (d *decoder) refill() {
	if d.pos+8 <= len(d.in) {
		d.bits |= binary.LittleEndian.Uint64(d.in[d.pos:]) << d.nbits
		d.pos += int(63-d.nbits) >> 3
		d.nbits |= 56
		return
	}
	d.refillSlow()
}

// getBits takes n (≤ 32) bits; the caller has refilled.
func (d *decoder) getBits(n uint) uint32 {
	v := uint32(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nbits -= n
	return v
}

// short is what running out of input means: more of it, or the end of the
// file in the middle of the stream.
func (d *decoder) short() (status, error) {
	if d.eof {
		return needInput, io.ErrUnexpectedEOF
	}
	return needInput, nil
}

// decode decodes into out from index o on, until the first block boundary
// at or past file bit stop, the end of the final block, a full out, or the
// end of in. out[:o] is the output so far, and what copies may reach back
// into: the first chunk's output, or a window of 32 KiB and what followed.
// It returns the new o.
func decode[T byte | uint16](d *decoder, out []T, o int, stop int64) (int, status, error) {
	for {
		switch d.state {
		case stateDone:
			return o, atEnd, nil
		case stateHeader:
			if d.bitPos() >= stop {
				return o, atStop, nil
			}
			pos, bits, nbits := d.pos, d.bits, d.nbits
			err := d.readHeader()
			if d.overrun() {
				// A header cut by the end of in is read again whole:
				// readHeader may have set the state to a block whose
				// tables it did not finish (a stream's decoder, handed
				// input a piece at a time, then read symbols with them).
				d.pos, d.bits, d.nbits = pos, bits, nbits
				d.state = stateHeader
				st, err := d.short()
				return o, st, err
			}
			if err != nil {
				return o, 0, err
			}
		case stateStored:
			var st status
			var err error
			o, st, err = copyStored(d, out, o)
			if err != nil || st != atStop {
				return o, st, err
			}
			d.endBlock()
		case stateHuffman:
			var st status
			var err error
			o, st, err = huffman(d, out, o)
			if err != nil || st != atStop {
				return o, st, err
			}
			d.endBlock()
		}
	}
}

func (d *decoder) endBlock() {
	if d.final {
		d.state = stateDone
	} else {
		d.state = stateHeader
	}
}

// readHeader reads a block header and, for a dynamic block, its code
// lengths, and builds the block's tables.
func (d *decoder) readHeader() error {
	d.refill()
	d.final = d.getBits(1) == 1
	switch d.getBits(2) {
	case 0:
		// Stored: skip to the byte boundary, put whole bytes still in the
		// bit buffer back, then LEN and its complement.
		d.getBits(d.nbits & 7)
		d.pos -= int(d.nbits >> 3)
		d.bits, d.nbits = 0, 0
		d.refill()
		n := d.getBits(16)
		if n != ^d.getBits(16)&0xffff {
			return errCorrupt
		}
		d.pos -= int(d.nbits >> 3)
		d.bits, d.nbits = 0, 0
		if d.pos > len(d.in) {
			d.pos = len(d.in) + 1 // an overrun: more input needed
			return nil
		}
		d.stored, d.state = int(n), stateStored
		return nil
	case 1:
		d.lit, d.dist = &fixedLitlen, &fixedDist
		d.state = stateHuffman
		return nil
	case 2:
		if err := d.readDynamic(); err != nil {
			return err
		}
		d.lit, d.dist = &d.litTab, &d.distTab
		d.state = stateHuffman
		return nil
	}
	return errCorrupt
}

// readDynamic reads a dynamic block's code lengths (RFC 1951 3.2.7).
func (d *decoder) readDynamic() error {
	d.refill()
	nlit := int(d.getBits(5)) + 257
	ndist := int(d.getBits(5)) + 1
	nclen := int(d.getBits(4)) + 4
	if nlit > 286 || ndist > 30 {
		return errCorrupt
	}
	var clens [19]uint8
	for i := range nclen {
		if i%16 == 0 {
			d.refill() // 16 lengths of 3 bits a refill
		}
		clens[precodeOrder[i]] = uint8(d.getBits(3))
	}
	var pre [1 << precodeBits]uint32
	if !buildTable(pre[:], clens[:], precodeBits, precodeSymEntry[:], false) {
		return errCorrupt
	}
	lens := d.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		if d.nbits < 16 {
			d.refill()
			if d.overrun() {
				return nil
			}
		}
		e := pre[d.bits&(1<<precodeBits-1)]
		d.getBits(uint(e & 15))
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return errCorrupt
			}
			v, rep = lens[i-1], 3+int(d.getBits(2))
		case 17:
			rep = 3 + int(d.getBits(3))
		default:
			rep = 11 + int(d.getBits(7))
		}
		if i+rep > len(lens) {
			return errCorrupt
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	if lens[256] == 0 {
		return errCorrupt // no end-of-block code
	}
	if !buildTable(d.litTab[:], lens[:nlit], litlenTableBits, litlenSymEntry[:], false) {
		return errCorrupt
	}
	if !buildTable(d.distTab[:], lens[nlit:], distTableBits, distSymEntry[:], true) {
		return errCorrupt
	}
	return nil
}

// precodeSymEntry is the code-length code's symbols: 0-15 a length, 16-18
// a repeat.
var precodeSymEntry [19]uint32

func init() {
	for s := range precodeSymEntry {
		precodeSymEntry[s] = uint32(s) << 16
	}
}

// copyStored copies a stored block's bytes.
func copyStored[T byte | uint16](d *decoder, out []T, o int) (int, status, error) {
	for d.stored > 0 {
		if o >= len(out) {
			return o, needOutput, nil
		}
		if d.pos >= len(d.in) {
			st, err := d.short()
			return o, st, err
		}
		n := min(d.stored, len(d.in)-d.pos, len(out)-o)
		src := d.in[d.pos : d.pos+n]
		dst := out[o : o+n]
		for i, b := range src {
			dst[i] = T(b)
		}
		d.pos += n
		o += n
		d.stored -= n
	}
	return o, atStop, nil
}
