package connected

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The values share one backing array; appending to one (as a transport
// might) must not change the next header's.
func TestHeaderValuesDoNotShareWhatAnAppendWrites(t *testing.T) {
	h := http.Header{}
	hv := newHeaderValues(h, 3)
	hv.set("Authorization", "Bearer k")
	hv.set("User-Agent", "ua")
	hv.set("Accept", "application/json")
	h["Authorization"] = append(h["Authorization"], "extra")
	h["User-Agent"] = append(h["User-Agent"], "extra")
	assert.Equal(t, []string{"Bearer k", "extra"}, h["Authorization"])
	assert.Equal(t, []string{"ua", "extra"}, h["User-Agent"])
	assert.Equal(t, []string{"application/json"}, h["Accept"])
}
