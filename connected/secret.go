package connected

import (
	"fmt"

	"github.com/dronline/connected-go/internal/contract"
)

// secret holds the API key. Every way fmt can print it shows only the
// mode prefix, so the key cannot leak through a log line, an error or a
// debug dump of the client.
type secret struct {
	value         string
	authorization string // "Bearer " + value, made once instead of per call
}

func newSecret(key string) *secret { return &secret{value: key, authorization: "Bearer " + key} }

// authorizationHeader is the only way the key leaves this type.
func (s *secret) authorizationHeader() string { return s.authorization }

func (s *secret) String() string {
	if s == nil {
		return contract.Redacted
	}
	return contract.RedactKey(s.value)
}

func (s *secret) GoString() string { return s.String() }

// Format covers every verb, %#v and %+v included.
func (s *secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }
