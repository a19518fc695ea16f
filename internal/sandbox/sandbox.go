package sandbox

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/gen"
)

// prefix is where the control API lives: outside /v1, so no path of the
// API can ever collide with it.
const prefix = "/_sandbox/"

// WithControlAPI returns the options that make a connectedtest.Server
// serve the control API under /_sandbox/ next to the API, with its OpenAPI
// document at /_sandbox/openapi.json and the inspector page at /_sandbox/,
// and keep the journal of requests that GET /_sandbox/requests reads,
// within limits (the zero JournalLimits takes the defaults). Give them to
// one server only: they hold its journal. A journal entry names the
// credential by its key shortened and keeps the response's headers.
//
// With token "", only clients on a loopback address may call it. With a
// token, every call must send it as "Authorization: Bearer <token>". An
// API key never opens the control API, and the token never opens the API:
// a token that looks like an API key (sk_…) is refused with a panic, like
// any invalid option.
func WithControlAPI(token string, limits JournalLimits) []connectedtest.Option {
	if strings.HasPrefix(token, "sk_") {
		panic("sandbox: the control token must not look like an API key (sk_…)")
	}
	j := newJournal(limits)
	return []connectedtest.Option{
		connectedtest.WithExchangeHook(j.add),
		connectedtest.WithHandler(func(srv *connectedtest.Server) http.Handler {
			return handler(srv, token, j)
		}),
	}
}

// WithControlAPIOff makes a connectedtest.Server answer every path under
// /_sandbox/ with 403 in the API's error envelope, saying that the control
// API is off and how to turn it on, where it would otherwise answer as the
// API does to a path it does not know (401 without a key, 404 with one).
func WithControlAPIOff() connectedtest.Option {
	return connectedtest.WithHandler(func(srv *connectedtest.Server) http.Handler {
		api := srv.Handler()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p := r.URL.Path; p != "/_sandbox" && !strings.HasPrefix(p, prefix) {
				api.ServeHTTP(w, r)
				return
			}
			(&apiError{status: http.StatusForbidden, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
				message: "The sandbox control API is off: the mock listens beyond loopback without a control token. " +
					"Start it with --control-token TOKEN (and send 'Authorization: Bearer TOKEN'), or listen on a loopback address."}).write(w)
		})
	})
}

// handler routes /_sandbox and everything under it to srv's control API,
// and the rest to srv.Handler(). token is as for WithControlAPI; j is the
// journal srv's exchanges go to.
func handler(srv *connectedtest.Server, token string, j *journal) http.Handler {
	api := srv.Handler()
	c := &controller{srv: srv, journal: j}
	control := c.handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p != "/_sandbox" && !strings.HasPrefix(p, prefix) {
			api.ServeHTTP(w, r)
			return
		}
		// The page and its scripts hold no data; with a token they load
		// without it, and the page sends the token it is given (in the URL
		// fragment, which never reaches a server log) with every call.
		asset := p == prefix || strings.HasPrefix(p, prefix+"inspector/")
		if asset && token != "" {
			control.ServeHTTP(w, r)
			return
		}
		if e := refuse(r, token); e != nil {
			e.write(w)
			return
		}
		// The control API's answers are about the sandbox's state at this
		// instant; a cache would show stale state.
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w = &countEdit{ResponseWriter: w, edits: &c.edits}
		}
		control.ServeHTTP(w, r)
	})
}

// countEdit counts a control call that may have changed something when
// it answers: after the change, so that a read from then on sees a new
// revision, and before the caller has the answer, so that a read the
// caller makes next does.
type countEdit struct {
	http.ResponseWriter
	edits   *atomic.Uint64
	counted bool
}

func (w *countEdit) count() {
	if !w.counted {
		w.counted = true
		w.edits.Add(1)
	}
}

func (w *countEdit) WriteHeader(status int) {
	w.count()
	w.ResponseWriter.WriteHeader(status)
}

func (w *countEdit) Write(b []byte) (int, error) {
	w.count()
	return w.ResponseWriter.Write(b)
}

// refuse says why r may not use the control API, or nil.
func refuse(r *http.Request, token string) *apiError {
	if token == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return &apiError{status: http.StatusForbidden, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
				message: "The sandbox control API answers only on a loopback address unless the mock is started with a control token."}
		}
		return nil
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") ||
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(token)) != 1 {
		return &apiError{status: http.StatusUnauthorized, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
			message: "The sandbox control API needs the control token as 'Authorization: Bearer <token>'; an API key does not open it."}
	}
	return nil
}

// controller answers the control API's routes for one server.
type controller struct {
	srv     *connectedtest.Server
	journal *journal
	clock   clockGuard
	// edits counts the control API's calls that may have changed
	// something: faults, the clock, credentials, a reset.
	edits atomic.Uint64
}

// revision changes whenever anything the control API shows may have:
// an API request (journaled, and counted by Changes when it is not a
// read), and a change through the control API. Each counter only grows,
// so their sum does too. A fault added with Server.InjectFault, or time
// passing on a real clock, does not count.
func (c *controller) revision() uint64 {
	return c.srv.Changes() + c.journal.changes() + c.edits.Load()
}

func (c *controller) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		errNotFound("", "sandbox route", r.Method+" "+r.URL.Path).write(w)
	})
	mux.Handle("/_sandbox/{$}", inspectorHandler())
	mux.Handle("/_sandbox/inspector/", inspectorHandler())
	mux.Handle("/_sandbox/openapi.json", route{http.MethodGet: serveSpec})
	mux.Handle("/_sandbox/clock", route{http.MethodGet: c.getClock})
	mux.Handle("/_sandbox/clock/advance", route{http.MethodPost: c.advanceClock})
	mux.Handle("/_sandbox/faults", route{http.MethodGet: c.listFaults, http.MethodPost: c.createFault, http.MethodDelete: c.deleteFaults})
	mux.Handle("/_sandbox/faults/{fault_id}", route{http.MethodDelete: c.deleteFault})
	mux.Handle("/_sandbox/requests", route{http.MethodGet: c.listJournal, http.MethodDelete: c.clearJournal})
	mux.Handle("/_sandbox/credentials", route{http.MethodGet: c.listCredentials, http.MethodPost: c.createCredential})
	mux.Handle("/_sandbox/state", route{http.MethodGet: c.getState})
	mux.Handle("/_sandbox/reset", route{http.MethodPost: c.reset})
	return mux
}

// route is one path of the control API: a handler per method.
type route map[string]http.HandlerFunc

func (rt route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
		errMethod(r).write(w)
		return
	}
	h(w, r)
}
