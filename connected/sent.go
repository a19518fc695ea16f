package connected

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
)

// sendTrace tells the engine whether an attempt's request may have reached
// the server, from what the transport did rather than from the type of the
// error it returned: a request whose headers were never written cannot have
// been processed, whatever failed (a cancelled context, a refused or
// unresolvable dial, a RoundTripper that refused it); one whose headers were
// written may have been, however it then failed.
//
// Only writes are traced: a GET is never ambiguous and is never read back,
// so the reads that make up most traffic pay nothing. One trace serves
// every attempt of a call (attempts run one after another), so a write
// pays three small allocations per call, not per attempt.
// A hook the transport fires late, after its attempt has returned, can only
// mark the next attempt as written: the safe direction, as it makes a call
// ambiguous, never certain.
type sendTrace struct {
	trace httptrace.ClientTrace
	wrote atomic.Bool // written by the transport's goroutines
}

// withSendTrace returns ctx carrying a new sendTrace. A ClientTrace the
// caller put in ctx keeps working: httptrace composes the two.
func withSendTrace(ctx context.Context) (context.Context, *sendTrace) {
	st := &sendTrace{}
	// WroteHeaders is the earliest point at which the server can have a
	// complete request head. Headers partly flushed before it (a head
	// larger than the transport's write buffer) are not a request a server
	// can act on.
	st.trace.WroteHeaders = func() { st.wrote.Store(true) }
	return httptrace.WithClientTrace(ctx, &st.trace), st
}

// begin is called before each attempt.
func (st *sendTrace) begin() {
	if st != nil {
		st.wrote.Store(false)
	}
}

// written reports whether the current attempt's request head may have been
// written. Without a trace (a GET) the answer is the cautious one: yes.
func (st *sendTrace) written() bool { return st == nil || st.wrote.Load() }
