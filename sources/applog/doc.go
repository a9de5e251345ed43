// Package applog parses application logs into *sources.AppEntry records:
// JSON lines ("app-json"), logfmt and its relatives ("app-logfmt") and plain
// text with a leading timestamp ("app-text"). Each format registers itself
// with sources.Register from init; import the package for its side effect.
//
// The rules are:
//   - One key table (fields.go) maps key names to entry fields for every
//     format, case-insensitively, with a rank per key so that the most
//     specific key wins whatever order the keys come in.
//   - Keys are also found nested under req, request, http, ctx, res and
//     response, and written as dotted paths (ECS "http.request.method"):
//     a nested object and a dotted key make the same path.
//   - A line that continues a stack trace (Go, Java, Python) is attached to
//     the previous entry: Parse returns (nil, nil) and appends the line to
//     that entry's Raw. The entry was already returned, so whoever holds the
//     pointer sees Raw grow until the next record arrives; see stack.go.
//   - Values that say nothing ("", "-", null) are skipped, so a lower-ranked
//     key can still fill the field.
package applog
