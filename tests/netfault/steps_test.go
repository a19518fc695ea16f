package netfault

import (
	"context"
	"sync"

	"github.com/dronline/connected-go/connected"
)

// betweenAttempts runs the test's step for each retry the client sends (1
// for the first), in place of a wait: the backoff is zero, so the SDK
// sends a retry as soon as it has decided to, and the step runs from an
// AttemptStart hook for every attempt after a call's first. Hooks run on
// the call's goroutine before the attempt's request is sent, so the step
// has finished — typically lifting the fault — when the retry meets the
// network, and the attempt before it has ended. Retries are counted over
// every call of the client, a read-back's included.
func betweenAttempts(step func(retry int)) []connected.ClientOption {
	var (
		mu sync.Mutex
		n  int
	)
	return []connected.ClientOption{
		connected.WithBackoff(0, 0),
		connected.WithHooks(connected.Hooks{AttemptStart: func(_ context.Context, a connected.AttemptInfo) context.Context {
			if a.Attempt < 2 {
				return nil
			}
			mu.Lock()
			n++
			retry := n
			mu.Unlock()
			step(retry)
			return nil
		}}),
	}
}
