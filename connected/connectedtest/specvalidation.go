package connectedtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/dronline/connected-go/api"
)

// specValidator checks traffic against the pinned contract with
// kin-openapi, so the fake and the spec cannot drift apart unnoticed.
type specValidator struct {
	router routers.Router
}

// pinnedSpec is the pinned spec, loaded and routed on first use and shared
// by every server in the process. The house rule is no package-level
// state, and this is the one exception, for two reasons: loading and
// routing the spec cost about 30 ms and 8 MB, which made a test that
// starts a validating fake pay more for the spec than for everything else
// it does; and what it holds is immutable, derived only from the spec
// compiled into the binary, so sharing it cannot couple two servers
// (kin-openapi's router and validators only read the document). It is
// lazy, not built in an init, so a program that never validates never pays.
var pinnedSpec = sync.OnceValues(loadContract)

func newSpecValidator() (*specValidator, error) { return pinnedSpec() }

func loadContract() (*specValidator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		return nil, fmt.Errorf("connectedtest: loading the spec: %w", err)
	}
	// Route on paths relative to /v1 whatever host the fake listens on.
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("connectedtest: routing the spec: %w", err)
	}
	return &specValidator{router: r}, nil
}

// check validates one exchange and describes the violation, or returns "".
// A request that violates the spec is a violation only if it was answered
// 2xx: refusing bad requests with a 4xx is exactly what the fake should do.
func (v *specValidator) check(r *http.Request, status int, header http.Header, body []byte) string {
	if status == http.StatusNotImplemented {
		// The fake's own answer for an operation it does not implement
		// yet (errNotImplemented): outside the contract on purpose.
		return ""
	}
	reqBody, _ := r.Context().Value(ctxBody).([]byte)
	vr := r.Clone(context.Background())
	vr.URL.Path = strings.TrimPrefix(r.URL.Path, basePath)
	vr.URL.RawPath = ""
	vr.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := v.router.FindRoute(vr)
	if err != nil {
		return "" // not a contract route: answered by the JSON 404
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		// The server checks keys itself; the validator only needs to know
		// that bearer auth is declared.
		AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
	}
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && status < 300 {
		return fmt.Sprintf("%s %s: %d answer to a request that violates the spec: %v", r.Method, r.URL.Path, status, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Sprintf("%s %s: %d response violates the spec: %v", r.Method, r.URL.Path, status, err)
	}
	return ""
}
