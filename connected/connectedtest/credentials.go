package connectedtest

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// CredentialOption configures a credential made by Server.AddCredential.
type CredentialOption struct{ apply func(*credential) }

// WithCredentialCatalogue gives the credential its own catalogue instead of
// DefaultCatalogue.
func WithCredentialCatalogue(cat Catalogue) CredentialOption {
	return CredentialOption{func(c *credential) { c.raw = cat }}
}

// WithLiveKey issues an sk_live_… key (connected.ModeLive, and Livemode
// true on the connected.Account) instead of an sk_sandbox_… one.
func WithLiveKey() CredentialOption {
	return CredentialOption{func(c *credential) { c.live = true }}
}

// credential is one API key's world: its catalogue and everything booked,
// held or registered with it. Nothing is shared between credentials, which
// is how another credential's ids come to answer 404.
type credential struct {
	key       string
	seq       int // order of creation, for listing credentials
	accountID string
	live      bool
	raw       Catalogue
	cat       *catalogue
	secret    [32]byte // signs hold ids and tokens (holdid.go)

	holds          map[string]*hold        // pending holds, by blocker appointment id
	holdExpiry     fifo[*hold]             // every hold made, in order of expiry, until it expires
	confirmedHolds map[string]struct{}     // blocker ids that were confirmed
	busy           *busyIndex              // pending holds and live appointments, for availability
	appointments   *appointmentIndex       // confirmed and cancelled, kept for good
	patients       map[string]*gen.Patient // by patient id
	patientByEmail map[string]string       // lowercased email → patient id
	questionnaires map[string]string       // questionnaire id → appointment id
	idem           map[string]*idemEntry   // by Idempotency-Key
	idemExpiry     fifo[*idemEntry]        // the entries in order of creation
}

// newID returns prefix plus 16 random base62 characters: unguessable, so
// ids and hold tokens cannot be enumerated.
func newID(prefix string) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

func (s *Server) newCredential(opts ...CredentialOption) (*credential, error) {
	c := &credential{raw: DefaultCatalogue()}
	for _, o := range opts {
		if o.apply != nil { // the zero CredentialOption changes nothing
			o.apply(c)
		}
	}
	cat, err := compileCatalogue(c.raw)
	if err != nil {
		return nil, err
	}
	c.cat = cat
	prefix := contract.SandboxKeyPrefix
	if c.live {
		prefix = contract.LiveKeyPrefix
	}
	c.key = newID(prefix)
	c.accountID = newID("acct_")
	c.forget() // a new credential starts from the state a reset leaves
	return c, nil
}

// AddCredential creates a credential with its own catalogue, appointments,
// patients and idempotency keys, and returns its API key. It panics on an
// invalid catalogue (an unknown timezone, a practitioner offering an
// unknown type), like httptest panics on setup errors.
func (s *Server) AddCredential(opts ...CredentialOption) (apiKey string) {
	c, err := s.newCredential(opts...)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addCredentialLocked(c)
	return c.key
}

// addCredentialLocked registers c. Call with s.mu held.
func (s *Server) addCredentialLocked(c *credential) {
	s.credSeq++
	c.seq = s.credSeq
	s.creds[c.key] = c
	s.changes.Add(1)
}

type ctxKey int

const (
	ctxCredential ctxKey = iota
	ctxRequestID
	ctxBody
)

func credentialFrom(ctx context.Context) *credential {
	c, _ := ctx.Value(ctxCredential).(*credential)
	return c
}

// authenticate resolves the bearer key to a credential, or answers 401.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if strings.TrimSpace(h) == "" {
			(&apiError{status: http.StatusUnauthorized, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAuthenticationRequired,
				message: "You did not provide an API key. Send it as 'Authorization: Bearer sk_…'."}).write(w)
			return
		}
		c := s.lookupKey(h)
		if c == nil {
			(&apiError{status: http.StatusUnauthorized, typ: gen.ErrorTypeAuthenticationError, code: gen.ErrorCodeAPIKeyInvalid,
				message: "Invalid API key provided."}).write(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxCredential, c)))
	})
}

func (s *Server) lookupKey(header string) *credential {
	key := bearerKey(header)
	if contract.KeyPrefix(key) == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, c := range s.creds {
		// Constant-time so the fake never teaches clients timing habits.
		if subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return c
		}
	}
	return nil
}

// bearerKey is the key of an "Authorization: Bearer <key>" header, or "".
func bearerKey(header string) string {
	scheme, key, ok := strings.Cut(header, " ")
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
	prefix := contract.KeyPrefix(key)
	rest := key[len(prefix):]
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + rest[len(rest)-4:]
}

// redactAuthorization keeps the scheme and the key's prefix and hides the
// secret: "Bearer sk_sandbox_REDACTED".
func redactAuthorization(v string) string {
	scheme, key, ok := strings.Cut(v, " ")
	if !ok {
		return contract.Redacted
	}
	return scheme + " " + contract.RedactKey(strings.TrimSpace(key))
}

// now is the credential-independent clock, exposed here for handlers.
func (s *Server) now() time.Time { return s.clock.now() }
