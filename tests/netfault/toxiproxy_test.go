package netfault

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// netFault is a real TCP proxy (toxiproxy, in process, on loopback)
// between the SDK and the fake server. Faults are toxics added and removed
// by the test, and the proxy is switched off and on by the test, so every
// fault starts and ends at a point the test chooses, not after a sleep.
type netFault struct {
	proxy *toxiproxy.Proxy
	url   string // the fake's base URL, through the proxy
}

func newNetFault(t *testing.T, upstreamURL string) *netFault {
	t.Helper()
	u, err := url.Parse(upstreamURL)
	require.NoError(t, err)
	api := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(api, "connected", "127.0.0.1:0", u.Host)
	require.NoError(t, p.Start())
	t.Cleanup(func() {
		// Removing the toxics interrupts them (a latency toxic would
		// otherwise hold its goroutine for its whole delay), then Stop
		// closes every proxied connection.
		p.Toxics.ResetToxics(context.Background())
		p.Stop()
	})
	return &netFault{proxy: p, url: "http://" + p.Listen + u.Path}
}

// add installs a toxic on every connection, current and future. stream is
// "upstream" (client → server) or "downstream" (server → client).
func (n *netFault) add(t *testing.T, name, typ, stream string, attrs string) {
	t.Helper()
	_, err := n.proxy.Toxics.AddToxicJson(strings.NewReader(fmt.Sprintf(
		`{"name":%q,"type":%q,"stream":%q,"toxicity":1,"attributes":%s}`, name, typ, stream, attrs)))
	require.NoError(t, err)
}

func (n *netFault) remove(t *testing.T, name string) {
	t.Helper()
	require.NoError(t, n.proxy.Toxics.RemoveToxic(context.Background(), name))
}

// down stops accepting connections and closes the open ones: the server
// is unreachable (connection refused) until up.
func (n *netFault) down(t *testing.T) {
	t.Helper()
	n.proxy.Stop()
}

func (n *netFault) up(t *testing.T) {
	t.Helper()
	require.NoError(t, n.proxy.Start())
}
