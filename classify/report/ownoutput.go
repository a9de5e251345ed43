package report

import (
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// ownoutput.go tells fivexx's own output given back to it as an input:
// --events saved beside the logs it was made from (report --events
// dir/*.log > dir/events.ndjson, then report dir/*) read as an nginx JSON
// access log of 5xx alone, and every 5xx was counted twice, without a
// word. The rules are:
//   - Only the first lines of a file tell, as its head was read before
//     reading (at most ownLines of them): each is an object whose keys
//     are exactly an Event's, in the order --events writes them. No
//     proxy's JSON log has that key set: it has no cause, confidence or
//     evidence.
//   - --json's object is told by its first two lines as WriteJSON writes
//     them: "{" alone, then its first key, "inputs", opening its list.
//   - Such an input is not read (sources.Spec.NotRead): its state says
//     why, as a compressed file's does in live mode.

// OwnEventsState and OwnJSONState are the states of an input that is
// fivexx's own --events or --json output (OwnOutput).
const (
	OwnEventsState = "not read: fivexx's own --events output, not a log"
	OwnJSONState   = "not read: fivexx's own --json report, not a log"
)

// ownLines is how many of a head's first lines must be events.
const ownLines = 4

// eventKeys are the keys of an event's line, in the order --events
// writes them: Event's JSON names.
var eventKeys = jsonNames(reflect.TypeOf(Event{}))

func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// OwnOutput is the state of an input whose head (its first whole lines)
// is fivexx's own --events or --json output (OwnEventsState,
// OwnJSONState), or "" when it is not.
func OwnOutput(head []string) string {
	if len(head) >= 2 && head[0] == "{" && head[1] == `  "inputs": [` {
		return OwnJSONState
	}
	if len(head) == 0 {
		return ""
	}
	for _, l := range head[:min(len(head), ownLines)] {
		if !EventLine(l) {
			return ""
		}
	}
	return OwnEventsState
}

// IsOwnOutputState reports whether state is one OwnOutput gives.
func IsOwnOutputState(state string) bool {
	return state == OwnEventsState || state == OwnJSONState
}

// EventLine reports whether line is a line of --events: one JSON object
// whose keys are exactly an Event's, in its order.
func EventLine(line string) bool {
	// Most lines of a log fail here, before a decoder is made.
	if !strings.HasPrefix(line, `{"`+eventKeys[0]+`":`) {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for _, want := range eventKeys {
		k, err := dec.Token()
		if err != nil || k != any(want) {
			return false
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}
