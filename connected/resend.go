package connected

import (
	"io"
	"net/http"
)

// The SDK owns every retry. On its own, net/http sends a request again
// when a reused keep-alive connection closes before any byte of the answer
// and it deems the request replayable: any GET, and any request with an
// Idempotency-Key header and a body it can rewind (GetBody). The server
// then receives two requests while the hooks, the logger, the spans and
// ResponseInfo.Attempts see one, and someone reading the server's journal
// finds a request nothing on the client accounts for. So each attempt is
// sent as a request net/http cannot replay: a body without GetBody (an
// empty one for a GET, which goes on the wire as no body at all). A
// connection that fails that way fails the attempt, and the SDK's policy
// decides on a retry that every observer sees.
//
// The cost is on the rare failure only: the retry waits the backoff, where
// net/http would have resent at once.

// unreplayable makes r, an attempt's own shallow copy, one net/http will
// not send again by itself. The call's request keeps its GetBody, which
// the SDK's own retries use.
func unreplayable(r *http.Request) {
	r.GetBody = nil
	if r.Body == nil || r.Body == http.NoBody {
		// An empty body of unknown length. The identity transfer coding
		// says it is not chunked, so net/http sends neither
		// Content-Length nor Transfer-Encoding, as for no body at all,
		// without first probing the body on a goroutine of its own.
		r.Body, r.ContentLength, r.TransferEncoding = emptyBody{}, 0, []string{"identity"}
	}
}

// emptyBody is a body with nothing in it that net/http cannot rewind. A
// value of a struct without fields: no allocation per request.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// WriteTo writes nothing: io.Copy, which net/http sends a body with, then
// needs no buffer of its own.
func (emptyBody) WriteTo(io.Writer) (int64, error) { return 0, nil }
