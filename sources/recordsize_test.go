package sources

import (
	"testing"
	"unsafe"
)

// TestProxyErrorFitsItsSizeClass pins ProxyError at 256 bytes, a size
// class of its own: one byte more is a 288-byte allocation for every
// error line parsed, and a report in a 5xx storm holds the error lines of
// up to 50,000 waiting 5xx (classify's TestStormBytesPerWaiting5xx). It
// was 264 bytes while Status was an int apart from Reason.
func TestProxyErrorFitsItsSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(ProxyError{}); n > 256 {
		t.Errorf("ProxyError is %d bytes: want at most 256 (a 288-byte allocation for each error line otherwise)", n)
	}
}
