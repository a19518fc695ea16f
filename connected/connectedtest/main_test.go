package connectedtest

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// After answering a request whose body it did not read to the end
		// (the 413), net/http half-closes the connection and waits 500 ms
		// before closing it, so the client reads the answer instead of a
		// reset. The goroutine ends by itself; it is not a leak.
		goleak.IgnoreAnyFunction("net/http.(*conn).closeWriteAndWait"),
	)
}
