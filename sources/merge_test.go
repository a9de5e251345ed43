package sources

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// untimedParser is the test format with untimed lines too: "U <text>" is
// an app line without a time, as plain app logs have.
type untimedParser struct{ testParser }

func (p untimedParser) Parse(line string) (Record, error) {
	if text, ok := strings.CutPrefix(line, "U "); ok {
		return &AppEntry{Message: text, Raw: line}, nil
	}
	return p.testParser.Parse(line)
}

func init() {
	Register(Format{Name: "test-app-untimed", Role: RoleApp,
		New: func(ParserOptions) (Parser, error) { return untimedParser{testParser{RoleApp}}, nil }})
}

// mergedLines merges a (test-proxy) and b (test-app-untimed) with
// MergeEach, or MergeBatches when batches is set, and returns the lines in
// the order they went out.
func mergedLines(t *testing.T, a, b string, batches bool) []string {
	t.Helper()
	ins := []*Input{
		NewInput(0, Spec{Path: writeFile(t, "a.log", a), Format: "test-proxy"}),
		NewInput(1, Spec{Path: writeFile(t, "b.log", b), Format: "test-app-untimed"}),
	}
	var got []string
	var errs []error
	if batches {
		out := make(chan []Item, 4)
		done := make(chan []error)
		go func() { done <- MergeBatches(context.Background(), ins, out) }()
		for batch := range out {
			for _, it := range batch {
				got = append(got, it.Rec.RawLine())
			}
		}
		errs = <-done
	} else {
		errs = MergeEach(context.Background(), ins, func(it Item) { got = append(got, it.Rec.RawLine()) })
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return got
}

// timedLines returns a test log with a line "T<sec> x" for each of secs
// (4102444800 is 2100-01-01).
func timedLines(secs ...int64) string {
	var b strings.Builder
	for _, s := range secs {
		fmt.Fprintf(&b, "T%d x\n", s)
	}
	return b.String()
}

// A record far ahead of the record after it in its input (a clock set to
// 2100) is merged at the time of that record, in file order: merged by its
// time, it held back every later line of its input until the other inputs
// reached 2100, their end. A record is judged by the one after it, so a
// sparse log, a log that leaps forward for real and an input's last record
// are merged by time, as before.
func TestMergeSendsAFarFutureLineInFileOrder(t *testing.T) {
	const y2100 = 4102444800
	for _, tc := range []struct {
		name string
		a, b string
		want string // the lines in the order they go out, by their first word
	}{
		{"far-future line in the middle", timedLines(1, 4, 6), timedLines(2, y2100, 3, 5, 7),
			"T1 T2 T4102444800 T3 T4 T5 T6 T7"},
		{"far-future first line", timedLines(1, 4, 6), timedLines(y2100, 2, 3, 5),
			"T1 T4102444800 T2 T3 T4 T5 T6"},
		{"far-future last line: by its time", timedLines(1, 4, 6), timedLines(2, y2100),
			"T1 T2 T4 T6 T4102444800"},
		{"far-future line before untimed lines", timedLines(1, 4, 6), "T2 x\nT4102444800 x\nU a\nU b\nT3 x\nT5 x\n",
			"T1 T2 T4102444800 U U T3 T4 T5 T6"},
		{"two far-future lines confirm each other: by time", timedLines(1, 4, 6), timedLines(2, y2100, y2100, 3, 5),
			"T1 T2 T4 T6 T4102444800 T4102444800 T3 T5"},
		{"sparse error log, lines 30 min apart", timedLines(0, 600, 1200, 1800, 2400, 3000, 3600), timedLines(1800, 3600),
			"T0 T600 T1200 T1800 T1800 T2400 T3000 T3600 T3600"},
		{"a log quiet for an hour, then on", timedLines(1, 2, 3602, 3603), timedLines(1, 3601, 3604),
			"T1 T1 T2 T3601 T3602 T3603 T3604"},
		{"out of order by less than mergeJump: by time", timedLines(1, 40, 60), timedLines(2, 50, 11),
			"T1 T2 T40 T50 T11 T60"},
	} {
		for _, batches := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batches=%v", tc.name, batches), func(t *testing.T) {
				var got []string
				for _, l := range mergedLines(t, tc.a, tc.b, batches) {
					got = append(got, strings.Fields(l)[0])
				}
				if g := strings.Join(got, " "); g != tc.want {
					t.Errorf("merged %s\n          want %s", g, tc.want)
				}
			})
		}
	}
}

// Whether a record is merged in file order depends on the record after it
// in its input, which may be in the input's next batch: the merge takes
// that batch before it decides. The far-future line is put at every place
// around the first batch's end.
func TestMergeLooksIntoTheNextBatch(t *testing.T) {
	var odd, even []int64
	for i := int64(0); i < 2*batchSize; i++ {
		odd, even = append(odd, 2*i+1), append(even, 2*i+2)
	}
	for at := batchSize - 3; at <= batchSize+2; at++ {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			b := slices.Insert(slices.Clone(even), at, 4102444800)
			got := mergedLines(t, timedLines(odd...), timedLines(b...), false)
			// In time order, with the far-future line right before the
			// line after it (even[at], which follows odd[at]).
			var want []string
			for i := range odd {
				if i == at {
					want = append(want, "T4102444800 x")
				}
				want = append(want, fmt.Sprintf("T%d x", odd[i]), fmt.Sprintf("T%d x", even[i]))
			}
			i := slices.Index(want, "T4102444800 x")
			want[i], want[i+1] = want[i+1], want[i]
			if !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Errorf("merged order differs at %d: got %q, want %q", i, got[i:min(i+4, len(got))], want[i:min(i+4, len(want))])
			}
		})
	}
}

// A run takes a record while its key is before until, the limit a
// nanosecond later when ties go to the run's input: that is, at most the
// limit, whatever the limit's nanosecond (the last one of a second too).
func TestUntilTakesKeysUpToTheLimit(t *testing.T) {
	for _, limit := range []mergeKey{{5, 0}, {5, 1}, {5, 500}, {5, int64(time.Second) - 1}, {-3, int64(time.Second) - 1}, zeroKey} {
		until := limit.plusNanosecond()
		for _, k := range []mergeKey{
			{limit.sec - 1, 0}, {limit.sec - 1, int64(time.Second) - 1},
			{limit.sec, 0}, {limit.sec, max(limit.nsec-1, 0)}, limit, {limit.sec, min(limit.nsec+1, int64(time.Second)-1)},
			{limit.sec + 1, 0}, {limit.sec + 1, 1},
		} {
			if got, want := k.less(until), k.less(limit) || k == limit; got != want {
				t.Errorf("limit %v: key %v before %v is %v, want %v", limit, k, until, got, want)
			}
		}
		if !limit.less(noLimit) {
			t.Errorf("limit %v is not before noLimit", limit)
		}
	}
	if latest := keyOf(time.Unix(1<<63-1-62135596800, 999_999_999)); !latest.less(noLimit) {
		t.Errorf("the latest time's key %v is not before noLimit", latest)
	}
}
