package connectedtest

import "time"

// compact forgets what no request can observe any more: holds that have
// expired (their ids still answer a confirm, see holdid.go) and
// idempotency keys past their 24 hours. Both wait in queues in order of
// expiry, so compacting looks only at their fronts and costs nothing when
// nothing has expired; writes call it, so a server that is written to for
// hours keeps only what is still live. Call with s.mu held.
func (c *credential) compact(now time.Time) {
	for h, ok := c.holdExpiry.front(); ok && !h.active(now); h, ok = c.holdExpiry.front() {
		c.holdExpiry.pop()
		if c.holds[h.blockerID] == h { // not confirmed meanwhile
			delete(c.holds, h.blockerID)
			c.busy.remove(h.slot.pracID, h.busy)
		}
	}
	for e, ok := c.idemExpiry.front(); ok && e.expired(now); e, ok = c.idemExpiry.front() {
		c.idemExpiry.pop()
		if c.idem[e.key] == e { // not replaced by a new use of the key
			delete(c.idem, e.key)
		}
	}
}
