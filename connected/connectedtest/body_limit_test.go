package connectedtest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body over the limit is answered 413 with the error envelope, on a
// connection the server then closes: not a reset, not a misleading 400.
func TestBodyOverTheLimitIs413(t *testing.T) {
	s := newTestServer(t)
	api := newClient(t, s, s.APIKey())
	for _, size := range []int{maxBody + 1, 3 << 20, 50 << 20} {
		body := io.MultiReader(strings.NewReader(`{"slot_id":"`), &repeatReader{b: 'a', n: size})
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL()+"/connected/appointment_holds", body)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.APIKey())
		req.Header.Set("Content-Type", "application/json")
		resp, err := api.HC.Do(req)
		require.NoError(t, err, "%d bytes", size)
		raw, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "%d bytes", size)
		assert.Contains(t, string(raw), `"code":"parameter_invalid"`)
		assert.Contains(t, string(raw), "larger than the limit")
	}
	// And the server still serves.
	assert.Equal(t, http.StatusOK, api.Get("/connected/account").Status)
	reqs := s.Requests()
	assert.Equal(t, http.StatusRequestEntityTooLarge, reqs[0].Status)
}

// repeatReader yields n copies of b.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}
