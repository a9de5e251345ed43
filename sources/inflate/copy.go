package inflate

import "unsafe"

// copyMatch copies length symbols from out[src:] to out[o:] (src < o), as
// deflate's copies go: one symbol after another, so a copy may repeat what
// it has just written. out has slack room past o+length.
//
// A copy whose source ends 8 bytes or more before its destination (most
// of them) goes 8 bytes a load and store (16 when 16 bytes back or
// more), through unsafe pointers: 4 uint16 symbols or 8 bytes at a time,
// spilling up to 15 bytes into the slack. In profiles of log text, calling copy (memmove) for every match
// took a quarter of the decoder's time: matches are short (tens of
// symbols), and memmove's call and size dispatch cost more than the copy.
func copyMatch[T byte | uint16](out []T, o, src, length int) {
	size := int(unsafe.Sizeof(out[0]))
	if (o-src)*size >= 8 {
		base := unsafe.Pointer(unsafe.SliceData(out))
		s := unsafe.Add(base, src*size)
		d := unsafe.Add(base, o*size)
		n := length * size
		if o-src >= 16/size {
			// 16 bytes a step where the source is that far back: matches
			// in logs run to tens of symbols.
			for ; n > 0; n -= 16 {
				a, b := *(*uint64)(s), *(*uint64)(unsafe.Add(s, 8))
				*(*uint64)(d) = a
				*(*uint64)(unsafe.Add(d, 8)) = b
				s = unsafe.Add(s, 16)
				d = unsafe.Add(d, 16)
			}
			return
		}
		for ; n > 0; n -= 8 {
			*(*uint64)(d) = *(*uint64)(s)
			s = unsafe.Add(s, 8)
			d = unsafe.Add(d, 8)
		}
		return
	}
	for i := range length {
		out[o+i] = out[src+i]
	}
}
