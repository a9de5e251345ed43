package inflate

// Table entries (uint32), one per table index, as in libdeflate: the next
// tableBits bits of the input index the main table directly, so most
// symbols cost one load; longer codes go through a subtable.
//
//	bits 0-3   bits the code takes (in a subtable: bits past the main table's)
//	bits 8-11  extra bits after the code (lengths, distances); for a
//	           subtable pointer, the subtable's index bits
//	bits 4-7   flags below
//	bits 16-31 literal byte, length or distance base, or subtable start
const (
	flagLiteral  = 0x80 // literal/length table: a literal byte
	flagSpecial  = 0x40 // not a literal, length or distance: one of the two below, or invalid
	flagSubtable = 0x20 // the entry points at a subtable
	flagEOB      = 0x10 // end of block
)

const (
	litlenTableBits = 11
	distTableBits   = 8
	precodeBits     = 7
	// Most entries a table can need: its main table and the largest set of
	// subtables a complete code can require (zlib's enough, as libdeflate's
	// LITLEN_ENOUGH and OFFSET_ENOUGH for these table bits).
	litlenEnough = 2342
	distEnough   = 402

	invalidEntry = flagSpecial
	windowSize   = 1 << 15
	maxMatch     = 258
)

var lengthBase = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
var lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
var distBase = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
var distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

// precodeOrder is the order the code-length code's lengths come in.
var precodeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// litlenSymEntry and distSymEntry are each symbol's entry, bar the code
// length the table builder adds.
var litlenSymEntry [288]uint32
var distSymEntry [32]uint32

// fixedLitlen and fixedDist decode fixed-Huffman blocks (RFC 1951 3.2.6).
var fixedLitlen [litlenEnough]uint32
var fixedDist [distEnough]uint32

func init() {
	for s := 0; s < 256; s++ {
		litlenSymEntry[s] = uint32(s)<<16 | flagLiteral
	}
	litlenSymEntry[256] = flagSpecial | flagEOB
	for s := 257; s < 286; s++ {
		litlenSymEntry[s] = uint32(lengthBase[s-257])<<16 | uint32(lengthExtra[s-257])<<8
	}
	litlenSymEntry[286], litlenSymEntry[287] = invalidEntry, invalidEntry
	for s := 0; s < 30; s++ {
		distSymEntry[s] = uint32(distBase[s])<<16 | uint32(distExtra[s])<<8
	}
	distSymEntry[30], distSymEntry[31] = invalidEntry, invalidEntry

	var lens [288]uint8
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	if !buildTable(fixedLitlen[:], lens[:], litlenTableBits, litlenSymEntry[:], false) {
		panic("inflate: fixed literal/length table")
	}
	for i := range 32 {
		lens[i] = 5
	}
	if !buildTable(fixedDist[:], lens[:32], distTableBits, distSymEntry[:], false) {
		panic("inflate: fixed distance table")
	}
}
