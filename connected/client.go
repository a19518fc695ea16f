package connected

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/dronline/connected-go/internal/contract"
)

// Mode is the kind of credential a key is: live bookings or sandbox.
type Mode string

// The two modes of a key, decided by its prefix.
const (
	ModeLive    Mode = "live"
	ModeSandbox Mode = "sandbox"
)

// Client talks to the Connected API with one secret key. It is safe for
// concurrent use; make one and share it, so connections are reused.
//
// Each resource is a service with methods of one shape: ctx first, then
// the resource's id if it has one, then its parameters, then CallOptions.
type Client struct {
	cfg requestConfig
	// key is behind a pointer so that even a reflective dump of a Client
	// value (fmt on an unexported field never calls its methods) prints an
	// address, not the key.
	key       *secret
	mode      Mode
	userAgent string

	Account          *AccountService
	AppointmentTypes *AppointmentTypeService
	Practitioners    *PractitionerService
	Slots            *SlotService
	Holds            *HoldService
	Appointments     *AppointmentService
	Patients         *PatientService
	Questionnaires   *QuestionnaireService
	Checkouts        *CheckoutService
}

// NewClient makes a client for apiKey, an sk_live_… or sk_sandbox_… secret
// key. Options set the client's defaults; a method given the same Option
// overrides it for that call.
func NewClient(apiKey string, opts ...ClientOption) (*Client, error) {
	mode, err := keyMode(apiKey)
	if err != nil {
		return nil, err
	}
	cfg, err := clientConfig(opts)
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:       cfg,
		key:       newSecret(apiKey),
		mode:      mode,
		userAgent: fmt.Sprintf("dronline-connected-go/%s %s (%s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH),
	}
	c.Account = &AccountService{c}
	c.AppointmentTypes = &AppointmentTypeService{c}
	c.Practitioners = &PractitionerService{c}
	c.Slots = &SlotService{c}
	c.Holds = &HoldService{c}
	c.Appointments = &AppointmentService{c}
	c.Patients = &PatientService{c}
	c.Questionnaires = &QuestionnaireService{c}
	c.Checkouts = &CheckoutService{c}
	return c, nil
}

// Environment variables read by NewClientFromEnv.
const (
	EnvAPIKey  = "DRONLINE_API_KEY"
	EnvBaseURL = "DRONLINE_BASE_URL"
)

// NewClientFromEnv makes a client from DRONLINE_API_KEY and, if set,
// DRONLINE_BASE_URL. opts are applied after them, so they take precedence.
func NewClientFromEnv(opts ...ClientOption) (*Client, error) {
	key, ok := os.LookupEnv(EnvAPIKey)
	if !ok || key == "" {
		return nil, configError(EnvAPIKey, "is not set")
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]ClientOption{WithBaseURL(base)}, opts...)
	}
	return NewClient(key, opts...)
}

func keyMode(key string) (Mode, error) {
	var mode Mode
	var rest string
	switch {
	case key == "":
		return "", configError("API key", "is empty: pass an "+contract.LiveKeyPrefix+"… or "+contract.SandboxKeyPrefix+"… secret key")
	case strings.HasPrefix(key, contract.LiveKeyPrefix):
		mode, rest = ModeLive, key[len(contract.LiveKeyPrefix):]
	case strings.HasPrefix(key, contract.SandboxKeyPrefix):
		mode, rest = ModeSandbox, key[len(contract.SandboxKeyPrefix):]
	default:
		// The key itself is never echoed, not even in part.
		return "", configError("API key", "must start with "+contract.LiveKeyPrefix+" or "+contract.SandboxKeyPrefix+" (is it a publishable key or a hold token?)")
	}
	if rest == "" {
		return "", configError("API key", "has a prefix but no secret")
	}
	for _, r := range rest {
		if r <= ' ' || r == 0x7f {
			return "", configError("API key", "contains spaces or control characters")
		}
	}
	return mode, nil
}

// CloseIdleConnections closes the connections the client keeps open for
// reuse but is not using now, as http.Client.CloseIdleConnections does. A
// Client made without WithHTTPClient has connections of its own; with
// WithHTTPClient, those of that client's transport are closed. Call it
// when you are done with a Client, or let idle connections time out.
func (c *Client) CloseIdleConnections() { c.cfg.httpClient.CloseIdleConnections() }

// Mode reports whether the client's key is a live or a sandbox key.
func (c *Client) Mode() Mode { return c.mode }

// String describes the client without its key.
func (c Client) String() string {
	// A value receiver, so a Client printed by value is covered as well
	// as a *Client.
	return fmt.Sprintf("connected.Client{mode: %s, key: %s, base_url: %s}", c.mode, c.key, strings.TrimSuffix(c.cfg.baseURL, "/"))
}

// GoString is String, so %#v cannot reveal the key either.
func (c Client) GoString() string { return c.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, …) print String.
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }
