package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// controlDoc is the control API's OpenAPI document as served, loaded and routed
// once for the tests that check every control answer against it.
var controlDoc = sync.OnceValues(func() (routers.Router, error) {
	raw, err := servedSpec()
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil
	return legacy.NewRouter(doc)
})

// controlClient calls a server's control API and checks every exchange
// against the control API's OpenAPI document.
type controlClient struct {
	t     *testing.T
	s     *connectedtest.Server
	token string
	hc    *http.Client
}

func newControlClient(t *testing.T, s *connectedtest.Server) *controlClient {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &controlClient{t: t, s: s, hc: &http.Client{Transport: tr}}
}

// root is the server's origin, without /v1.
func (c *controlClient) root() string { return strings.TrimSuffix(c.s.URL(), basePath) }

func (c *controlClient) do(method, path string, body any) *response {
	c.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			raw, err = json.Marshal(body)
			require.NoError(c.t, err)
		}
	}
	req, err := http.NewRequest(method, c.root()+path, bytes.NewReader(raw))
	require.NoError(c.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer func() { _ = resp.Body.Close() }()
	out := &response{Status: resp.StatusCode, Header: resp.Header}
	out.Raw, err = io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(c.t, json.Unmarshal(out.Raw, &out.Body), "%s", out.Raw)
	}
	c.checkAgainstDoc(req, raw, resp, out.Raw)
	return out
}

// checkAgainstDoc validates the exchange with kin-openapi: a route the
// document lacks, or an answer it does not describe, fails the test.
func (c *controlClient) checkAgainstDoc(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	c.t.Helper()
	if strings.HasPrefix(req.URL.Path, "/_sandbox/inspector/") || req.URL.Path == "/_sandbox/" {
		return // the page, not the API
	}
	router, err := controlDoc()
	require.NoError(c.t, err)
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(vreq)
	// The legacy router returns a fresh RouteError with the same reason.
	var re *routers.RouteError
	if errors.As(err, &re) && re.Reason == routers.ErrMethodNotAllowed.Error() {
		assert.Equal(c.t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s is not in the document, so it must answer 405", req.Method, req.URL.Path)
		return
	}
	if err != nil {
		assert.Equal(c.t, http.StatusNotFound, resp.StatusCode, "%s %s is not in the document, so it must answer 404", req.Method, req.URL.Path)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	assert.NoError(c.t, openapi3filter.ValidateResponse(context.Background(), out), "%s %s answered %d %s", req.Method, req.URL.Path, resp.StatusCode, respBody)
}

func (c *controlClient) get(path string) *response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil)
}

func (c *controlClient) post(path string, body any) *response {
	c.t.Helper()
	return c.do(http.MethodPost, path, body)
}

// newControlServer starts a test server with the control API on and a
// journal of 100 requests.
func newControlServer(t *testing.T, opts ...connectedtest.Option) (*connectedtest.Server, *controlClient) {
	s := newTestServer(t, append(WithControlAPI("", JournalLimits{Entries: 100}), opts...)...)
	return s, newControlClient(t, s)
}
