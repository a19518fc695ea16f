package sandbox

import (
	"net/http"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// newBenchSandbox is a server with the control API on and a journal of up
// to entries requests (other bounds at their defaults), the handler that
// serves both, and a function that says how many bytes the journal counts.
func newBenchSandbox(entries int) (*connectedtest.Server, http.Handler, func() int64) {
	j := newJournal(JournalLimits{Entries: entries})
	s := connectedtest.NewServer(connectedtest.WithStartTime(monday()), connectedtest.WithRequestRecording(false),
		connectedtest.WithExchangeHook(j.add))
	return s, handler(s, "", j), func() int64 { _, b := j.usage(); return b }
}
