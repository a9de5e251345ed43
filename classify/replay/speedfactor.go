package replay

// SpeedFactor is the speed playback runs at: how many seconds of log time
// pass in a second of wall time; 0 is "max" (as fast as it reads). The
// demo's replay line turns its "next … in" from log time into wall time
// with it: at 10× it said "in 51s" and counted down 10 a second.
func (p *Player) SpeedFactor() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.speed
}
