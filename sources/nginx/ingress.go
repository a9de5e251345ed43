package nginx

// The ingress-nginx controller's output (kubectl logs deploy/ingress-nginx-
// controller) carries its nginx's access lines and error lines in one
// stream, with the controller's own klog lines and start-up banner. The
// error lines decide refused against timed out and the phase (formats.md
// §1.4, §2), so the ingress-nginx format reads them as every nginx access
// format reads the error lines in its stream (stream.go): at the offset of
// the access line before them (a controller in UTC read on a laptop in
// Berlin put every error line an hour off its request, and none joined),
// or of the first access line held for detection, or in
// ParserOptions.Location when the user set one, or the local zone before
// any access line. The controller's klog lines after its first
// request are read too (klog.go); its banner is start-up lines only. Unlike the
// other access formats, ingress-nginx also scores nginx's error lines in
// detection (detectIngress): the controller's stream often opens with
// them.
