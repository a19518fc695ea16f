package connectedtest

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/dronline/connected-go/gen"
)

// controlPrefix is where the sandbox control API lives: outside /v1, so
// no path of the API can ever collide with it.
const controlPrefix = "/_sandbox/"

type controlConfig struct {
	token string
}

// WithControlAPI serves the sandbox control API under /_sandbox/ next to
// the API: the clock, faults, the request journal, credentials, state and
// reset over HTTP, described by the OpenAPI document at
// /_sandbox/openapi.json, with an inspector page at /_sandbox/. It is
// what lets a test suite in any language do what a Go test does with
// Advance, InjectFault and Requests.
//
// With token "", only clients on a loopback address may call it. With a
// token, every call must send it as "Authorization: Bearer <token>". An
// API key never opens the control API, and the token never opens the API:
// a token that looks like an API key (sk_…) is refused with a panic, like
// any invalid option.
func WithControlAPI(token string) Option {
	if strings.HasPrefix(token, sandboxPrefix) || strings.HasPrefix(token, livePrefix) || strings.HasPrefix(token, "sk_") {
		panic("connectedtest: the control token must not look like an API key (sk_…)")
	}
	return Option{func(c *config) { c.control = &controlConfig{token: token} }}
}

// withControl routes /_sandbox and everything under it to the control
// API, and the rest to the fake.
func (s *Server) withControl(api http.Handler, cc controlConfig) http.Handler {
	control := s.controlHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p != "/_sandbox" && !strings.HasPrefix(p, controlPrefix) {
			api.ServeHTTP(w, r)
			return
		}
		// The page and its scripts hold no data; with a token they load
		// without it, and the page sends the token it is given (in the URL
		// fragment, which never reaches a server log) with every call.
		asset := p == controlPrefix || strings.HasPrefix(p, controlPrefix+"inspector/")
		if asset && cc.token != "" {
			control.ServeHTTP(w, r)
			return
		}
		if e := cc.refuse(r); e != nil {
			e.write(w)
			return
		}
		// The control API's answers are about the sandbox's state at this
		// instant; a cache would show stale state.
		w.Header().Set("Cache-Control", "no-store")
		control.ServeHTTP(w, r)
	})
}

// refuse says why r may not use the control API, or nil.
func (cc controlConfig) refuse(r *http.Request) *apiError {
	if cc.token == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return &apiError{status: http.StatusForbidden, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
				message: "The sandbox control API answers only on a loopback address unless the mock is started with a control token."}
		}
		return nil
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") ||
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(cc.token)) != 1 {
		return &apiError{status: http.StatusUnauthorized, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
			message: "The sandbox control API needs the control token as 'Authorization: Bearer <token>'; an API key does not open it."}
	}
	return nil
}

// controlRoute is one path of the control API: a handler per method.
type controlRoute map[string]http.HandlerFunc

func (rt controlRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := rt[r.Method]
	if h == nil && r.Method == http.MethodHead {
		h = rt[http.MethodGet]
	}
	if h == nil {
		allow := make([]string, 0, len(rt))
		for m := range rt {
			allow = append(allow, m)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		invalidRequest(http.StatusMethodNotAllowed, gen.ErrorCodeParameterInvalid, "",
			"Method "+r.Method+" is not allowed on "+r.URL.Path+".").write(w)
		return
	}
	h(w, r)
}

func (s *Server) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		errNotFound("", "sandbox route", r.Method+" "+r.URL.Path).write(w)
	})
	mux.Handle("/_sandbox/{$}", inspectorHandler())
	mux.Handle("/_sandbox/inspector/", inspectorHandler())
	mux.Handle("/_sandbox/openapi.json", controlRoute{http.MethodGet: serveControlSpec})
	mux.Handle("/_sandbox/clock", controlRoute{http.MethodGet: s.getClock})
	mux.Handle("/_sandbox/clock/advance", controlRoute{http.MethodPost: s.advanceClock})
	mux.Handle("/_sandbox/faults", controlRoute{http.MethodGet: s.listFaults, http.MethodPost: s.createFault, http.MethodDelete: s.deleteFaults})
	mux.Handle("/_sandbox/faults/{fault_id}", controlRoute{http.MethodDelete: s.deleteFault})
	mux.Handle("/_sandbox/requests", controlRoute{http.MethodGet: s.listJournal, http.MethodDelete: s.clearJournal})
	mux.Handle("/_sandbox/credentials", controlRoute{http.MethodGet: s.listCredentials, http.MethodPost: s.createCredential})
	mux.Handle("/_sandbox/state", controlRoute{http.MethodGet: s.getState})
	mux.Handle("/_sandbox/reset", controlRoute{http.MethodPost: s.resetState})
	return mux
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		errInternal().write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decodeControlBody reads r's JSON object into v, refusing unknown
// members and naming the field that is wrong. An empty body is an empty
// object.
func decodeControlBody(r *http.Request, v any) *apiError {
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errParamInvalid(te.Field, "must be "+jsonKind(te.Type.Kind().String()))
		}
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return errBodyTooLarge()
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return errParamInvalid(strings.Trim(f, `"`), "unknown field")
		}
		return errParamInvalid("", "the body is not a JSON object")
	}
	return nil
}

// listObject is the API's list envelope.
type listObject[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

func newList[T any](url string, data []T) listObject[T] {
	if data == nil {
		data = []T{}
	}
	return listObject[T]{Object: "list", Data: data, URL: url}
}
