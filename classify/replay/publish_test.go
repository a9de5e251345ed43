package replay_test

import (
	"context"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/sources/demo"
)

// TestFullSpeedVerdictsDoNotDependOnPublishing: at full speed the player
// publishes a snapshot every Options.Publish of wall time, and each
// publish also judged what was due. Where that fell in the stream depended
// on the machine's load, and with it whether an app line stamped just past
// a 5xx's grace was among its lines: in slow-dependency, a 504's "request
// finished" 5.4 s after it (TestLaterTimelinesAreTheEagerOnes failed on a
// loaded machine). Publishing at every look at the controls and never must
// give the same verdicts, lines and timelines.
func TestFullSpeedVerdictsDoNotDependOnPublishing(t *testing.T) {
	var sc demo.Scenario
	for _, s := range demo.Scenarios() {
		if s.Name == "slow-dependency" {
			sc = s
		}
	}
	if sc.Name == "" {
		t.Fatal("no slow-dependency scenario")
	}
	paths, err := demo.WriteFiles(t.TempDir(), sc, 7, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	digest := func(publish time.Duration) string {
		var ins []*sources.Input
		for i, p := range paths {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		d := newVerdictDigest()
		eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now, OnVerdict: d.add})
		pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: publish})
		for _, err := range pl.RunMerged(context.Background(), ins) {
			if err != nil {
				t.Fatal(err)
			}
		}
		return d.check(t)
	}
	never, always := digest(time.Hour), digest(time.Nanosecond)
	if never != always {
		t.Errorf("publishing never: %s; at every look: %s", never, always)
	}
}
