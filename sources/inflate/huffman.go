package inflate

import "math/bits"

// buildTable fills table for the canonical Huffman code with code lengths
// lens (RFC 1951 3.2.2): a main table of 1<<tableBits entries indexed by
// the next input bits (deflate sends codes most significant bit first, so
// the table is indexed by the reversed code), a short code filling every
// entry whose low bits are its code, and a subtable for each main entry
// whose codes are longer. symEntry is each symbol's entry without its
// length.
//
// It refuses what compress/flate refuses: an over-subscribed code, and an
// incomplete one unless it is a single code of length 1 (zlib and
// compress/flate take that degenerate case), or no code at all where
// emptyOK (a block of literals only needs no distance code).
func buildTable(table []uint32, lens []uint8, tableBits uint, symEntry []uint32, emptyOK bool) bool {
	var count [16]int
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	maxLen := 15
	for maxLen > 0 && count[maxLen] == 0 {
		maxLen--
	}
	mainSize := 1 << tableBits
	if maxLen == 0 {
		if !emptyOK {
			return false
		}
		for i := range table[:mainSize] {
			table[i] = invalidEntry
		}
		return true
	}
	left := 1
	for l := 1; l <= 15; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false // over-subscribed
		}
	}
	if left > 0 && !(maxLen == 1 && count[1] == 1) {
		return false // incomplete
	}
	if left > 0 {
		for i := range table[:mainSize] {
			table[i] = invalidEntry
		}
	}
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	// Subtables: the longest code under each main entry sets its size.
	var subLen [1 << litlenTableBits]uint8
	var subStart [1 << litlenTableBits]uint16
	var revs [288]uint16
	for s, l := range lens {
		if l == 0 {
			continue
		}
		rev := bits.Reverse16(uint16(next[l])) >> (16 - l)
		next[l]++
		revs[s] = rev
		if uint(l) > tableBits {
			p := rev & uint16(mainSize-1)
			subLen[p] = max(subLen[p], l-uint8(tableBits))
		}
	}
	end := mainSize
	for p := range mainSize {
		if subLen[p] == 0 {
			continue
		}
		n := 1 << subLen[p]
		if end+n > len(table) {
			return false
		}
		subStart[p] = uint16(end)
		table[p] = uint32(end)<<16 | uint32(subLen[p])<<8 | flagSpecial | flagSubtable | uint32(tableBits)
		end += n
	}
	for s, l := range lens {
		if l == 0 {
			continue
		}
		rev := int(revs[s])
		if uint(l) <= tableBits {
			e := symEntry[s] | uint32(l)
			for i := rev; i < mainSize; i += 1 << l {
				table[i] = e
			}
			continue
		}
		p := rev & (mainSize - 1)
		sl := uint(l) - tableBits
		e := symEntry[s] | uint32(sl)
		start, size := int(subStart[p]), 1<<subLen[p]
		for i := rev >> tableBits; i < size; i += 1 << sl {
			table[start+i] = e
		}
	}
	return true
}
