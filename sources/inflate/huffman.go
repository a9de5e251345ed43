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
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	// Symbols by code length (a counting sort), for the doubling below.
	var offs [17]int
	for l := 1; l <= 15; l++ {
		offs[l+1] = offs[l] + count[l]
	}
	var sorted [288]uint16
	var subLen [1 << litlenTableBits]uint8
	var subStart [1 << litlenTableBits]uint16
	var revs [288]uint16
	var long [288]uint16
	nlong := 0
	for s, l := range lens {
		if l == 0 {
			continue
		}
		sorted[offs[l]] = uint16(s)
		offs[l]++
		rev := bits.Reverse16(uint16(next[l])) >> (16 - l)
		next[l]++
		revs[s] = rev
		if uint(l) > tableBits {
			// Subtables: the longest code under a main entry sets its
			// size; only the few main entries with long codes under them
			// are listed.
			p := rev & uint16(mainSize-1)
			if subLen[p] == 0 {
				long[nlong] = p
				nlong++
			}
			subLen[p] = max(subLen[p], l-uint8(tableBits))
		}
	}
	// The main table, as libdeflate fills it: codes of length l take one
	// entry each in the first 1<<l entries, which are then copied to the
	// next 1<<l, so each short code ends up in every entry whose low l
	// bits are its reversed code. An entry no code reaches (an incomplete
	// code) keeps the invalid entry it started from. Filling each code's
	// entries one by one, 1<<(tableBits-l) of them, took 2.5 times as long.
	main := table[:mainSize]
	main[0] = invalidEntry
	i := 0
	for l := 1; l <= int(tableBits); l++ {
		copy(main[1<<(l-1):1<<l], main[:1<<(l-1)])
		for ; i < offs[l]; i++ {
			s := sorted[i]
			main[revs[s]] = symEntry[s] | uint32(l)
		}
	}
	end := mainSize
	for _, p := range long[:nlong] {
		n := 1 << subLen[p]
		if end+n > len(table) {
			return false
		}
		subStart[p] = uint16(end)
		main[p] = uint32(end)<<16 | uint32(subLen[p])<<8 | flagSpecial | flagSubtable | uint32(tableBits)
		end += n
	}
	for _, s := range sorted[i:offs[15]] {
		l := lens[s]
		rev := int(revs[s])
		p := rev & (mainSize - 1)
		sl := uint(l) - tableBits
		e := symEntry[s] | uint32(sl)
		sub := table[subStart[p] : int(subStart[p])+1<<subLen[p]]
		for i := rev >> tableBits; i < len(sub); i += 1 << sl {
			sub[i] = e
		}
	}
	return true
}
