package sandbox

import (
	"bytes"
	"encoding/json"

	"github.com/dronline/connected-go/internal/contract"
)

// redactBody returns body with the value of every "hold_token" member of
// its JSON replaced by "REDACTED": a hold's token is a secret, like the
// API key, and a body may be shown to anyone who can see the journal. A
// body without the member, or not JSON, is returned as it is.
func redactBody(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"hold_token"`)) {
		return body
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers come back as they were written
	if err := dec.Decode(&v); err != nil {
		// Not JSON, yet it names the member: hide the whole body rather
		// than guess where the token is.
		return []byte(contract.Redacted)
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return []byte(contract.Redacted)
	}
	return out
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "hold_token" {
				if _, ok := e.(string); ok {
					x[k] = contract.Redacted
				}
				continue
			}
			x[k] = redactValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = redactValue(e)
		}
	}
	return v
}
