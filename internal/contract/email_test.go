package contract

import (
	"net/mail"
	"testing"

	"github.com/stretchr/testify/assert"
)

// netMailEmail is ValidEmail without its fast path: the reference.
func netMailEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

var emailSeeds = []string{
	"jane.doe@example.com", "a@b", "a+tag@sub-domain.example_co.uk", "A.B-C_D@E.F",
	"", "@", "a@", "@b", ".a@b", "a.@b", "a..b@c", "a@.b", "a@b.", "a@b..c", "a@b@c",
	"Jane <jane@example.com>", "jane@example.com ", " jane@example.com", "jane(x)@example.com",
	"\"jane\"@example.com", "jane@[127.0.0.1]", "j!ne@example.com", "jané@example.com",
	"jane\x00@example.com", "jane@exam\nple.com",
}

func TestPlainEmailAcceptsOnlyWhatNetMailAccepts(t *testing.T) {
	accepted := 0
	for _, s := range emailSeeds {
		if plainEmail(s) {
			accepted++
			assert.True(t, netMailEmail(s), "%q is plain but net/mail refuses it", s)
		}
		assert.Equal(t, netMailEmail(s), ValidEmail(s), "%q", s)
	}
	// The fast path must take the common forms, or it saves nothing.
	assert.True(t, plainEmail("jane.doe@example.com"))
	assert.True(t, plainEmail("a+tag@sub-domain.example_co.uk"))
	assert.GreaterOrEqual(t, accepted, 4)
	// And net/mail still decides the rest: "!" is an atom's character
	// the fast path leaves to it.
	assert.False(t, plainEmail("j!ne@example.com"))
	assert.True(t, ValidEmail("j!ne@example.com"))
}

// FuzzPlainEmail checks that the fast path changes no answer: ValidEmail
// agrees with net/mail alone on every input.
func FuzzPlainEmail(f *testing.F) {
	for _, s := range emailSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plainEmail(s) && !netMailEmail(s) {
			t.Fatalf("%q is plain but net/mail refuses it", s)
		}
		if ValidEmail(s) != netMailEmail(s) {
			t.Fatalf("ValidEmail(%q) = %v, net/mail says %v", s, ValidEmail(s), netMailEmail(s))
		}
	})
}
