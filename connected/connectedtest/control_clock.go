package connectedtest

import (
	"math"
	"net/http"
	"time"
)

type clockJSON struct {
	Object string    `json:"object"`
	Now    time.Time `json:"now"`
	// OffsetSeconds is everything advanced so far.
	OffsetSeconds float64 `json:"offset_seconds"`
}

func (s *Server) clockView() clockJSON {
	now, offset := s.clock.read()
	return clockJSON{Object: "sandbox_clock", Now: now, OffsetSeconds: offset.Seconds()}
}

func (s *Server) getClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.clockView())
}

// maxAdvance bounds one advance: far beyond any rule's window (24 h
// idempotency, 28 days of slots), far below time.Duration's range.
const maxAdvance = 10 * 365 * 24 * time.Hour

func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Seconds *float64 `json:"seconds"`
	}
	if e := decodeControlBody(r, &in); e != nil {
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
	s.Advance(time.Duration(*in.Seconds * float64(time.Second)))
	writeJSON(w, http.StatusOK, s.clockView())
}
