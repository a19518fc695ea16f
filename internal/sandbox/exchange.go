package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dronline/connected-go/internal/contract"
)

// exchangeTagHeader carries, from the sandbox's handler to the journal,
// which exchange a journaled request is. The server calls the journal's
// hook with the request's headers (its secrets already redacted) and
// nothing else of the exchange; the tag finds what the handler saw of it:
// the API key, to show shortened, and the writer, whose headers are the
// response's by the time the hook runs. The handler sets it on every API
// request, replacing one a client sent, and the journal leaves it out.
const exchangeTagHeader = "X-Sandbox-Exchange"

// exchangeSeen is what the sandbox's handler saw of one exchange.
type exchangeSeen struct {
	credential string // the API key sent, shortened; "" when none was
	w          http.ResponseWriter
}

// exchanges holds the exchanges in flight by their tag.
type exchanges struct {
	next atomic.Uint64
	mu   sync.Mutex
	m    map[string]*exchangeSeen
}

// begin registers an exchange and returns its tag; end forgets it.
func (x *exchanges) begin(seen *exchangeSeen) string {
	tag := strconv.FormatUint(x.next.Add(1), 36)
	x.mu.Lock()
	if x.m == nil {
		x.m = map[string]*exchangeSeen{}
	}
	x.m[tag] = seen
	x.mu.Unlock()
	return tag
}

func (x *exchanges) end(tag string) {
	x.mu.Lock()
	delete(x.m, tag)
	x.mu.Unlock()
}

// get returns the exchange with this tag, or nil: an exchange the
// sandbox's handler did not see (a server driven through its Handler
// directly) has none.
func (x *exchanges) get(tag string) *exchangeSeen {
	if tag == "" {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.m[tag]
}

// serveTagged serves an API request through api, registered so that the
// journal can find what the handler saw of it.
func (x *exchanges) serveTagged(api http.Handler, w http.ResponseWriter, r *http.Request) {
	seen := &exchangeSeen{credential: shortKey(bearer(r.Header.Get("Authorization"))), w: w}
	tag := x.begin(seen)
	defer x.end(tag)
	r2 := *r
	r2.Header = r.Header.Clone()
	r2.Header.Set(exchangeTagHeader, tag)
	api.ServeHTTP(w, &r2)
}

// bearer is the key of an "Authorization: Bearer <key>" header, or "".
func bearer(v string) string {
	scheme, key, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(key)
}

// shortKey shortens an API key for display: its prefix, an ellipsis and
// its last four characters (sk_sandbox_…abcd), enough to tell a run's
// credentials apart and too little to use. A key too short to keep four
// characters of safely shows none.
func shortKey(key string) string {
	if key == "" {
		return ""
	}
	prefix := ""
	for _, p := range []string{contract.SandboxKeyPrefix, contract.LiveKeyPrefix} {
		if strings.HasPrefix(key, p) {
			prefix = p
		}
	}
	rest := key[len(prefix):]
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}
