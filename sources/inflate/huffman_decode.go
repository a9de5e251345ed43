package inflate

import (
	"encoding/binary"
	"unsafe"
)

// huffman decodes the symbols of a fixed or dynamic block until its end of
// block (atStop), a full out (needOutput) or the end of in (needInput).
//
// The loop keeps the bit buffer in locals and refills it 8 bytes at a
// time, branch-free, while 8 bytes of in are left: 56 bits then cover the
// longest symbol (a 15-bit length code with 5 extra bits and a 15-bit
// distance code with 13). Near the end of in it refills a byte at a time
// and undoes a symbol that ran past the end.
func huffman[T byte | uint16](d *decoder, out []T, o int) (int, status, error) {
	in := d.in
	inBase := unsafe.Pointer(unsafe.SliceData(in))
	pos, bitbuf, nb := d.pos, d.bits, d.nbits
	lit, dist := d.lit, d.dist
	limit := len(out) - slack
	floor := d.floor
	// The state before the last symbol decoded near the end of in.
	spos, sbits, snb, so := -1, uint64(0), uint(0), 0
	for {
		if o > limit {
			// The last symbol may have run past the end of in, into the
			// zeros the refill put there: undo it and ask for input
			// first. Returning needOutput with it kept, the next call
			// (spos unset again) took the zeros for the stream's bits.
			if spos >= 0 && int64(pos)*8-int64(nb) > int64(len(in))*8 {
				goto short
			}
			d.pos, d.bits, d.nbits = pos, bitbuf, nb
			return o, needOutput, nil
		}
		if pos+8 <= len(in) {
			// pos+8 <= len(in) is the bounds check: a slice of 8 bytes made
			// with unsafe spares the two the compiler would add (7-15 %
			// faster, A/B on log text); the load stays little-endian.
			bitbuf |= binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(inBase, pos)), 8)) << nb
			pos += int(63-nb) >> 3
			nb |= 56
		} else {
			if int64(pos)*8-int64(nb) > int64(len(in))*8 {
				goto short
			}
			spos, sbits, snb, so = pos, bitbuf, nb, o
			for nb <= 56 {
				var b byte
				if pos < len(in) {
					b = in[pos]
				}
				bitbuf |= uint64(b) << nb
				pos++
				nb += 8
			}
		}
		e := lit[bitbuf&(1<<litlenTableBits-1)]
		if e&flagLiteral != 0 {
			n := uint(e & 15)
			bitbuf >>= n
			nb -= n
			out[o] = T(e >> 16)
			o++
			// A second literal fits in the bits left (41 or more) and the
			// slack: a refill and a limit check saved.
			e = lit[bitbuf&(1<<litlenTableBits-1)]
			if e&flagLiteral != 0 {
				n := uint(e & 15)
				bitbuf >>= n
				nb -= n
				out[o] = T(e >> 16)
				o++
			}
			continue
		}
		if e&flagSpecial != 0 {
			if e&flagSubtable == 0 {
				bitbuf >>= e & 15
				nb -= uint(e & 15)
				if e&flagEOB == 0 {
					goto corrupt
				}
				goto eob
			}
			bitbuf >>= litlenTableBits
			nb -= litlenTableBits
			e = lit[(e>>16)+uint32(bitbuf&(1<<((e>>8)&15)-1))]
			if e&flagLiteral != 0 {
				n := uint(e & 15)
				bitbuf >>= n
				nb -= n
				out[o] = T(e >> 16)
				o++
				continue
			}
			if e&flagSpecial != 0 {
				bitbuf >>= e & 15
				nb -= uint(e & 15)
				if e&flagEOB == 0 {
					goto corrupt
				}
				goto eob
			}
		}
		// A length, then its distance.
		n := uint(e & 15)
		bitbuf >>= n
		nb -= n
		x := uint(e>>8) & 15
		length := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x
		nb -= x
		e = dist[bitbuf&(1<<distTableBits-1)]
		if e&flagSpecial != 0 {
			if e&flagSubtable == 0 {
				goto corrupt
			}
			bitbuf >>= distTableBits
			nb -= distTableBits
			e = dist[(e>>16)+uint32(bitbuf&(1<<((e>>8)&15)-1))]
			if e&flagSpecial != 0 {
				goto corrupt
			}
		}
		n = uint(e & 15)
		bitbuf >>= n
		nb -= n
		x = uint(e>>8) & 15
		dst := int(e>>16) + int(bitbuf&(1<<x-1))
		bitbuf >>= x
		nb -= x
		if dst > o-floor {
			if spos >= 0 && int64(pos)*8-int64(nb) > int64(len(in))*8 {
				goto short
			}
			d.pos, d.bits, d.nbits = pos, bitbuf, nb
			return o, 0, errDistance
		}
		// copyMatch spills at most 15 bytes past the match, into the slack
		// (o <= limit leaves maxMatch+16 after o).
		_ = out[o+length+15/int(unsafe.Sizeof(out[0]))]
		copyMatch(out, o, o-dst, length)
		o += length
	}
eob:
	// The end of block may have been read from the zeros past in's end.
	if spos >= 0 && int64(pos)*8-int64(nb) > int64(len(in))*8 {
		goto short
	}
	d.pos, d.bits, d.nbits = pos, bitbuf, nb
	return o, atStop, nil
corrupt:
	if spos >= 0 && int64(pos)*8-int64(nb) > int64(len(in))*8 {
		goto short
	}
	d.pos, d.bits, d.nbits = pos, bitbuf, nb
	return o, 0, errCorrupt
short:
	// The last symbol ran past the end of in: undo it.
	d.pos, d.bits, d.nbits = spos, sbits, snb
	{
		st, err := d.short()
		return so, st, err
	}
}
