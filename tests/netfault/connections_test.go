package netfault

import (
	"net/http"

	"github.com/dronline/connected-go/connected"
)

// freshConnections gives every attempt its own connection. net/http
// re-sends a request with an Idempotency-Key by itself when a reused
// connection drops (harmless: same key), which would hide an injected
// fault from the SDK; fault tests that count attempts turn reuse off.
func freshConnections() connected.Option {
	return connected.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
}
