package inflate

import (
	"encoding/binary"
	"errors"
	"io"
)

var errHeader = errors.New("gzip: invalid header")

// gzipHeaderLen is the length of the gzip member header at the start of b
// (RFC 1952 2.3), or io.ErrUnexpectedEOF if b ends inside it.
func gzipHeaderLen(b []byte) (int, error) {
	if len(b) < 10 {
		return 0, io.ErrUnexpectedEOF
	}
	if b[0] != 0x1f || b[1] != 0x8b || b[2] != 8 {
		return 0, errHeader
	}
	flags := b[3]
	n := 10
	if flags&0x04 != 0 { // FEXTRA
		if len(b) < n+2 {
			return 0, io.ErrUnexpectedEOF
		}
		n += 2 + int(binary.LittleEndian.Uint16(b[n:]))
	}
	for _, f := range []byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flags&f == 0 {
			continue
		}
		for {
			if n >= len(b) {
				return 0, io.ErrUnexpectedEOF
			}
			n++
			if b[n-1] == 0 {
				break
			}
		}
	}
	if flags&0x02 != 0 { // FHCRC
		n += 2
	}
	if n > len(b) {
		return 0, io.ErrUnexpectedEOF
	}
	return n, nil
}
