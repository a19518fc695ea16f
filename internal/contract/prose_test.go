package contract

import "testing"

func TestKeyPrefixAndRedactKey(t *testing.T) {
	for _, c := range []struct{ key, prefix, redacted string }{
		{"sk_live_abc123", "sk_live_", "sk_live_REDACTED"},
		{"sk_sandbox_abc123", "sk_sandbox_", "sk_sandbox_REDACTED"},
		{"sk_sandbox_", "sk_sandbox_", "sk_sandbox_REDACTED"},
		{"pk_live_abc", "", "REDACTED"},
		{" sk_live_abc", "", "REDACTED"}, // callers trim; a space is not a prefix
		{"SK_LIVE_abc", "", "REDACTED"},
		{"", "", "REDACTED"},
	} {
		if got := KeyPrefix(c.key); got != c.prefix {
			t.Errorf("KeyPrefix(%q) = %q, want %q", c.key, got, c.prefix)
		}
		if got := RedactKey(c.key); got != c.redacted {
			t.Errorf("RedactKey(%q) = %q, want %q", c.key, got, c.redacted)
		}
	}
}
