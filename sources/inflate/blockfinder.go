package inflate

import (
	"encoding/binary"
	"math/bits"
)

// The block finder looks for the first bit in a range where a non-final
// dynamic-Huffman block starts: a worker decodes its chunk from there with
// the window unknown. Nearly every bit offset fails on its first 13 bits
// (BFINAL 0, BTYPE 2, HLIT ≤ 29, HDIST ≤ 29: 11 % pass), looked up in
// headerOK; of those, most fail the code-length code, which must be a
// complete code; what is left must give complete literal/length and
// distance codes with an end-of-block code. A candidate that passes all of
// it can still be a false start: the worker's decode from it then fails,
// usually within a few symbols, and the search goes on (chunk.go), and a
// false start that decodes cleanly is caught when the chunk before does not
// stop where it started (reader.go).
//
// Stored and fixed-Huffman blocks are not looked for: their headers are too
// short to tell from noise. A chunk whose first block is one of them starts
// at the next dynamic block, which the chunk before then does not stop at,
// and it is decoded again from where that one stopped.

// headerOK says whether 13 bits, from a block's first, can start a
// non-final dynamic block (findBlock tests the same in bit masks).
var headerOK [1 << 13]bool

// kraft4 is the Kraft sum (in 128ths) of 4 code-length code lengths of 3
// bits: the code is complete when they add up to 128 in all. Most bit
// offsets that pass headerOK fail here, in 5 lookups.
var kraft4 [1 << 12]uint16

func init() {
	for v := range kraft4 {
		for i := range 4 {
			if l := v >> (3 * i) & 7; l != 0 {
				kraft4[v] += 128 >> l
			}
		}
	}
	for v := range headerOK {
		headerOK[v] = v&1 == 0 && (v>>1)&3 == 2 && (v>>3)&31 <= 29 && (v>>8)&31 <= 29
	}
}

// peek64 returns the bits of in from bit b on (zeros past its end): 64 -
// b%8 of them, at least 57.
func peek64(in []byte, b int64) uint64 {
	if i := int(b >> 3); i >= 0 && i+8 <= len(in) {
		return binary.LittleEndian.Uint64(in[i:]) >> (b & 7)
	}
	return peek64End(in, b)
}

// peek64End is peek64 near the end of in (kept apart so peek64 inlines).
func peek64End(in []byte, b int64) uint64 {
	i := int(b >> 3)
	var v uint64
	for k := 7; k >= 0; k-- {
		v <<= 8
		if i+k < len(in) {
			v |= uint64(in[i+k])
		}
	}
	return v >> (b & 7)
}

// findBlock returns the first bit in [from, to), as bits of in, where a
// block that passes checkDynamic starts, or -1. It reads at most 74 bits
// past to, zeros past the end of in.
//
// It tests 32 bit offsets at once: one 64-bit load, and a mask of the
// offsets whose first 13 bits pass headerOK made with shifts and ands
// (bit k set when bit k is 0, bit k+1 is 0, bit k+2 is 1, and neither
// bits k+4..k+7 nor k+9..k+12 are all ones, which would make HLIT or HDIST
// 30 or 31). Only the offsets left (one in 9) are looked at one by one.
func findBlock(in []byte, from, to int64) int64 {
	for b := from; b < to; b += 32 {
		w := peek64(in, b)
		m := ^w & ^(w >> 1) & (w >> 2) &^ (w >> 4 & (w >> 5) & (w >> 6) & (w >> 7)) &^ (w >> 9 & (w >> 10) & (w >> 11) & (w >> 12))
		m &= 1<<32 - 1
		if n := to - b; n < 32 {
			m &= 1<<n - 1
		}
		for m != 0 {
			k := int64(bits.TrailingZeros64(m))
			m &= m - 1
			// The code-length code's Kraft sum, here rather than in
			// checkDynamic: 1 in 250 candidates pass it.
			nclen := int(w>>(k+13)&15) + 4
			p := peek64(in, b+k+17) & (1<<(3*nclen) - 1)
			if kraft4[p&4095]+kraft4[p>>12&4095]+kraft4[p>>24&4095]+kraft4[p>>36&4095]+kraft4[p>>48&4095] != 1<<7 {
				continue
			}
			if checkDynamic(in, b+k) {
				return b + k
			}
		}
	}
	return -1
}

// checkDynamic says whether the dynamic block header at bit b of in (whose
// first 13 bits passed headerOK) has a complete code-length code and gives
// complete literal/length and distance codes (or a single distance code, or
// none) with an end-of-block code.
func checkDynamic(in []byte, b int64) bool {
	v := peek64(in, b)
	nlit := int(v>>3&31) + 257
	ndist := int(v>>8&31) + 1
	nclen := int(v>>13&15) + 4
	p := peek64(in, b+17) & (1<<(3*nclen) - 1)
	if kraft4[p&4095]+kraft4[p>>12&4095]+kraft4[p>>24&4095]+kraft4[p>>36&4095]+kraft4[p>>48&4095] != 1<<7 {
		return false
	}
	var clens [19]uint8
	for i := range nclen {
		clens[precodeOrder[i]] = uint8(p >> (3 * i) & 7)
	}
	var pre [1 << precodeBits]uint32
	if !buildTable(pre[:], clens[:], precodeBits, precodeSymEntry[:], false) {
		return false
	}
	var lens [286 + 30]uint8
	total := nlit + ndist
	bit := b + 17 + 3*int64(nclen)
	// peek64 gives at least 57 bits; a code and its repeat bits take 14.
	w := peek64(in, bit)
	nw := 57
	for i := 0; i < total; {
		if nw < 14 {
			bit += int64(57 - nw)
			w, nw = peek64(in, bit), 57
		}
		e := pre[w&(1<<precodeBits-1)]
		l := int(e & 15)
		w >>= l
		nw -= l
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return false
			}
			val, rep = lens[i-1], 3+int(w&3)
			w >>= 2
			nw -= 2
		case 17:
			rep = 3 + int(w&7)
			w >>= 3
			nw -= 3
		default:
			rep = 11 + int(w&127)
			w >>= 7
			nw -= 7
		}
		if i+rep > total {
			return false
		}
		for range rep {
			lens[i] = val
			i++
		}
	}
	if lens[256] == 0 {
		return false
	}
	return complete(lens[:nlit], false) && complete(lens[nlit:total], true)
}

// complete says whether code lengths make a complete code; where loose, a
// single code of length 1 or none at all will do too (distance codes).
func complete(lens []uint8, loose bool) bool {
	var count [16]int
	for _, l := range lens {
		count[l]++
	}
	left := 1
	for l := 1; l <= 15; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false
		}
	}
	n := len(lens) - count[0]
	return left == 0 || loose && (n == 0 || n == 1 && count[1] == 1)
}
