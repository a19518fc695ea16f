package sandbox

import (
	"math"
	"net/http"
	"sync"
	"time"
)

type clockJSON struct {
	Object string    `json:"object"`
	Now    time.Time `json:"now"`
	// OffsetSeconds is everything advanced so far.
	OffsetSeconds float64 `json:"offset_seconds"`
}

// clockGuard makes a read of the clock and its offset one step, and an
// advance and the read of its outcome another: the control API is what
// moves the sandbox's clock.
type clockGuard struct{ mu sync.Mutex }

func (c *controller) clockView() clockJSON {
	return clockJSON{Object: "sandbox_clock", Now: c.srv.Now(), OffsetSeconds: c.srv.ClockOffset().Seconds()}
}

func (c *controller) getClock(w http.ResponseWriter, _ *http.Request) {
	c.clock.mu.Lock()
	v := c.clockView()
	c.clock.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

// maxAdvance bounds one advance: far beyond any rule's window (24 h
// idempotency, 28 days of slots), far below time.Duration's range.
const maxAdvance = 10 * 365 * 24 * time.Hour

func (c *controller) advanceClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Seconds *float64 `json:"seconds"`
	}
	if e := decodeBody(r, &in); e != nil {
		e.write(w)
		return
	}
	switch {
	case in.Seconds == nil:
		errParamMissing("seconds").write(w)
		return
	case math.IsNaN(*in.Seconds) || *in.Seconds < 0 || *in.Seconds > maxAdvance.Seconds():
		// Time only moves forward: holds, keys and windows assume it.
		errParamInvalid("seconds", "a number of seconds from 0 to 315360000").write(w)
		return
	}
	c.clock.mu.Lock()
	c.srv.Advance(time.Duration(*in.Seconds * float64(time.Second)))
	v := c.clockView()
	c.clock.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}
