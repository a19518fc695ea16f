package netfault

import (
	"context"
	"net/http/httptrace"

	"github.com/dronline/connected-go/connected"
)

// The first attempt of a call times out at an exact point of the exchange,
// or when an event outside the client happens, rather than after a timer
// that a loaded machine may or may not beat. An AttemptStart hook gives
// the first attempt a context of its own (the SDK sends the request with
// the context the hook returns) that is cancelled with
// context.DeadlineExceeded as its cause at that point: to the SDK, the
// attempt failed on the network while the call's context is still live,
// so it retries. The client must be made with WithAttemptTimeout(0): later
// attempts then have no deadline of their own, so a retry that should
// succeed once a fault is lifted cannot time out on a slow machine; the
// call's context still bounds them. The AttemptEnd hook releases the
// attempt's context however it ended.

// firstAttemptExpiresAt expires the first attempt when the httptrace hook
// that arm sets calls expire.
func firstAttemptExpiresAt(arm func(tr *httptrace.ClientTrace, expire func())) connected.Option {
	return firstAttemptExpires(func(ctx context.Context, expire func()) context.Context {
		tr := &httptrace.ClientTrace{}
		arm(tr, expire)
		return httptrace.WithClientTrace(ctx, tr)
	})
}

// onFirstResponseByte expires when the response has begun to arrive.
func onFirstResponseByte(tr *httptrace.ClientTrace, expire func()) {
	tr.GotFirstResponseByte = expire
}

// firstAttemptExpiresWhen expires the first attempt when event is closed:
// an event outside the client, such as the server having answered.
func firstAttemptExpiresWhen(event <-chan struct{}) connected.Option {
	return firstAttemptExpires(func(ctx context.Context, expire func()) context.Context {
		go func() {
			select {
			case <-event:
				expire()
			case <-ctx.Done(): // the attempt ended first
			}
		}()
		return ctx
	})
}

// attemptRelease is the context key of the cancel that ends a first
// attempt's own context, for the AttemptEnd hook.
type attemptRelease struct{}

// firstAttemptExpires gives each call's first attempt a context that
// expire cancels with DeadlineExceeded; arm may derive from it (a trace)
// or watch it (its Done closes when the attempt ends).
func firstAttemptExpires(arm func(ctx context.Context, expire func()) context.Context) connected.Option {
	return connected.WithHooks(connected.Hooks{
		AttemptStart: func(ctx context.Context, a connected.AttemptInfo) context.Context {
			if a.Attempt != 1 {
				return nil
			}
			actx, cancel := context.WithCancelCause(ctx)
			actx = context.WithValue(actx, attemptRelease{}, context.CancelFunc(func() { cancel(nil) }))
			return arm(actx, func() { cancel(context.DeadlineExceeded) })
		},
		AttemptEnd: func(ctx context.Context, _ connected.AttemptInfo) {
			if release, ok := ctx.Value(attemptRelease{}).(context.CancelFunc); ok {
				release()
			}
		},
	})
}
