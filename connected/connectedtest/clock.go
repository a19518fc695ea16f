package connectedtest

import (
	"sync"
	"time"
)

// clock is the server's notion of now: a base (frozen instant or injected
// func) plus everything Advance added. Every rule that depends on time
// (hold expiry, the 24 h / 48 h reschedule windows, idempotency retention,
// the slot horizon) reads it, so tests move time instead of sleeping.
type clock struct {
	mu     sync.Mutex
	base   func() time.Time
	offset time.Duration
}

func newClock(c *config) *clock {
	if c.clock != nil {
		return &clock{base: c.clock}
	}
	start := c.start
	if start.IsZero() {
		start = time.Now().Truncate(time.Second)
	}
	start = start.UTC()
	return &clock{base: func() time.Time { return start }}
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset).UTC()
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// read returns now and the offset advanced so far, together.
func (c *clock) read() (time.Time, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset).UTC(), c.offset
}
