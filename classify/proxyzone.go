package classify

import (
	"strconv"
	"strings"
	"time"
)

// A proxy whose request stamps carry no zone (HAProxy's %tr,
// sources.Format.LocalTime) is read in TZ. Written in another zone, every
// one of its times is off by that zone's difference, and the skew the
// request ids learn says so exactly: "app clock -1h0m0s" blamed the app's
// clock, which was right, for the proxy log written in Europe/Paris and
// read in UTC. The rules are:
//   - The skew is learned from ids (not --app-skew), is at least half an
//     hour, and lies within zoneSlack of a whole number of half hours.
//   - The zone the proxy wrote in is then TZ's offset minus the skew:
//     app clock minus proxy clock is TZ's offset minus the proxy's.
//   - No flag sets the zone of a zone-less input; TZ itself does, so the
//     header and advice name one (Etc/GMT-1 is UTC+01:00: POSIX signs).
//   - Not when a 5xx judged had the zone its line gives (HAProxy's %tr at
//     its RFC 3339 or RFC 5424 syslog header's offset, httplog clf's own
//     offset: sources.ProxyEntry.ZoneFromLine): TZ did not read those
//     times, so a whole-hour skew is the app's clock (or its zone-less
//     times), and TZ would change nothing. Taken for TZ's, the header's
//     +02:00 and an app an hour ahead said "run with TZ=UTC".

// zoneSlack is how far from a whole number of half hours a skew may lie
// and still be a zone's: the proxy stamps a request when it starts, the
// app a little later.
const zoneSlack = 5 * time.Second

// proxyZone returns the offset (s east of UTC) the proxy's zone-less
// stamps were most likely written in, by the rules above.
func (e *Engine) proxyZone() (int, bool) {
	sk := e.corr.skew
	if sk.fixed || sk.n == 0 || sk.paths || !e.localSeen || e.lineZoned {
		return 0, false
	}
	skew := e.corr.skew.value()
	half := skew.Round(30 * time.Minute)
	if half == 0 || (skew-half).Abs() > zoneSlack {
		return 0, false
	}
	return e.localOff - int(half/time.Second), true
}

// zoneName says an offset as "UTC+01:00".
func zoneName(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	return "UTC" + sign + pad2(h) + ":" + pad2(m)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// tzFor names a TZ setting for a zone named by zoneName: an Etc/GMT zone
// for whole hours (whose sign is POSIX's, the other way round), the
// proxy host's own zone for half hours, which no Etc zone has.
func tzFor(zone string) string {
	rest, ok := strings.CutPrefix(zone, "UTC")
	if !ok || len(rest) != 6 || rest[4:] != "00" {
		return "TZ set to the proxy host's zone"
	}
	h, _ := strconv.Atoi(rest[1:3])
	if h == 0 {
		return "TZ=UTC"
	}
	sign := "-"
	if rest[0] == '-' {
		sign = "+"
	}
	return "TZ=Etc/GMT" + sign + strconv.Itoa(h)
}

// zoneAdvice is the advice when the proxy's zone-less stamps were most
// likely written in another zone than TZ (the rules above).
func (e *Engine) zoneAdvice() (Advice, bool) {
	off, ok := e.proxyZone()
	if !ok {
		return Advice{}, false
	}
	zone := zoneName(off)
	return Advice{
		Problem: "the proxy's times carry no zone, and the request ids put the app's clock exactly " + signed(e.corr.skew.value().Round(30*time.Minute)) +
			" off: the proxy log was most likely written in " + zone + ", not in the zone fivexx reads it in (TZ), and every proxy time is off by as much",
		Fix: "run fivexx with " + tzFor(zone) + " (or the proxy host's own zone name, as timedatectl shows it): no flag sets the zone of times written without one",
	}, true
}
