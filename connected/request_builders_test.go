package connected

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/gen"
)

// builderCase is one operation's two request builders, ours and gen's,
// bound by bind to the arguments that fill chooses. The cases are written
// by sdkgen (request_builders.gen_test.go), one per operation.
type builderCase struct {
	name string
	bind func(fill func(any)) (ours, theirs func(server string) (*http.Request, error))
}

// testServers are base URLs as options.go stores them (ending in "/"),
// including a port, an IPv6 host, no path prefix and an escaped one.
var testServers = []string{
	"http://127.0.0.1:8080/v1/",
	"https://api.dronline.uk/v1/",
	"http://[::1]:9/",
	"https://example.test/a%20b/v1/",
}

// chooser turns bytes — a fuzzer's input, or a seeded generator's — into
// argument values. Exhausted, it chooses zero values.
type chooser struct{ data []byte }

func (c *chooser) next() byte {
	if len(c.data) == 0 {
		return 0
	}
	b := c.data[0]
	c.data = c.data[1:]
	return b
}

// pieces are what strings are made of: characters every escaping rule
// treats differently (unreserved, reserved, percent, space, plus,
// non-ASCII, control) and whole ids.
var pieces = []string{
	"a", "Z", "0", "_", "-", ".", "~", " ", "+", "/", "?", "#", "%", "&", "=", ";", ",", ":", "@",
	"!", "$", "'", "(", ")", "*", "[", "]", "é", "日本", "\x00", "\n", "..", "%2F", "%zz", "apt_5RtY7uIo",
}

func (c *chooser) string() string {
	var b strings.Builder
	for range c.next() % 6 {
		b.WriteString(pieces[int(c.next())%len(pieces)])
	}
	return b.String()
}

func (c *chooser) time() time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -8*3600)}
	secs := int64(c.next())<<24 | int64(c.next())<<16 | int64(c.next())<<8 | int64(c.next())
	nanos := int64(0)
	if c.next()%2 == 1 {
		nanos = int64(c.next()) * 1_000_003
	}
	return time.Unix(1_700_000_000+secs, nanos).In(zones[int(c.next())%len(zones)])
}

// fill sets v, which must be settable, to a value chosen from the bytes:
// a pointer is nil one time in four.
func (c *chooser) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if c.next()%4 == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		c.fill(v.Elem())
	case reflect.String:
		v.SetString(c.string())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(int16(uint16(c.next())<<8 | uint16(c.next()))))
	case reflect.Bool:
		v.SetBool(c.next()%2 == 1)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(c.time()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				c.fill(v.Field(i))
			}
		}
	case reflect.Map:
		if c.next()%2 == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range c.next() % 3 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			c.fill(k)
			c.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Slice:
		n := int(c.next() % 3)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			c.fill(s.Index(i))
		}
		v.Set(s)
	default:
		panic(fmt.Sprintf("chooser cannot fill a %s", v.Type()))
	}
}

// compareBuilders builds one request with both builders of tc, the
// arguments chosen from data, and returns what differs ("" for nothing)
// and whether both built one to compare.
func compareBuilders(tc builderCase, server string, data []byte) (diff string, compared bool) {
	c := &chooser{data: data}
	ours, theirs := tc.bind(func(p any) { c.fill(reflect.ValueOf(p).Elem()) })
	got, gotErr := ours(server)
	want, wantErr := theirs(server)
	switch {
	case errors.As(gotErr, new(*pathSegmentError)):
		// Refused on purpose: gen's builder resolves such a segment
		// into another resource's path.
		return "", false
	case gotErr != nil || wantErr != nil:
		if (gotErr == nil) != (wantErr == nil) {
			return fmt.Sprintf("ours: error %v; gen's: error %v", gotErr, wantErr), false
		}
		return "", false
	}
	return requestDiff(got, want), true
}

// requestDiff lists how two requests differ in what reaches the server.
func requestDiff(got, want *http.Request) string {
	var diffs []string
	check := func(what string, g, w any) {
		if !reflect.DeepEqual(g, w) {
			diffs = append(diffs, fmt.Sprintf("%s: ours %q, gen's %q", what, g, w))
		}
	}
	check("method", got.Method, want.Method)
	check("URL", got.URL.String(), want.URL.String())
	check("request URI", got.URL.RequestURI(), want.URL.RequestURI())
	check("host", got.Host, want.Host)
	check("header", got.Header, want.Header)
	check("content length", got.ContentLength, want.ContentLength)
	check("replayable body", got.GetBody != nil, want.GetBody != nil)
	check("body", readAll(got.Body), readAll(want.Body))
	if got.GetBody != nil && want.GetBody != nil {
		g, _ := got.GetBody()
		w, _ := want.GetBody()
		check("replayed body", readAll(g), readAll(w))
	}
	return strings.Join(diffs, "\n")
}

func readAll(r io.ReadCloser) string {
	if r == nil || r == http.NoBody {
		return ""
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "read error: " + err.Error()
	}
	return string(b)
}

// TestRequestBuildersMatchGenerated builds every operation's request with
// both builders, for thousands of argument choices per operation (a fixed
// seed, so a failure repeats), and for arguments all at their zero value.
func TestRequestBuildersMatchGenerated(t *testing.T) {
	cases := builderCases()
	require.Len(t, cases, reflect.TypeFor[gen.StrictServerInterface]().NumMethod(), "one case per operation of the contract")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.name))))
			const choices = 1500
			for _, server := range testServers {
				d, _ := compareBuilders(tc, server, nil)
				require.Empty(t, d, "zero arguments")
				compared := 0
				for i := range choices {
					data := make([]byte, 96)
					for j := range data {
						data[j] = byte(rng.Uint32())
					}
					d, ok := compareBuilders(tc, server, data)
					if d != "" {
						t.Fatalf("server %s, choice %d (%x):\n%s", server, i, data, d)
					}
					if ok {
						compared++
					}
				}
				// A refusal compares nothing: most choices must build.
				require.Greater(t, compared, choices/2, "server %s: requests compared", server)
			}
		})
	}
}

// FuzzRequestBuilders is the same comparison with the fuzzer choosing the
// operation, the server and the arguments.
func FuzzRequestBuilders(f *testing.F) {
	f.Add([]byte{0, 0})
	f.Add([]byte("\x06\x01confirm\x05\x22\x10apt_5RtY7uIo"))
	f.Add(bytes.Repeat([]byte{0x13, 0x07, 0xff}, 20))
	cases := builderCases()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		tc, server := cases[int(data[0])%len(cases)], testServers[int(data[1])%len(testServers)]
		if d, _ := compareBuilders(tc, server, data[2:]); d != "" {
			t.Fatalf("%s on %s:\n%s", tc.name, server, d)
		}
	})
}

// TestPathSegmentsThatNameAnotherResourceAreRefused: gen's builder turns
// an appointment id of ".." into GET /v1/connected/, another resource; ours
// refuses it and names the parameter.
func TestPathSegmentsThatNameAnotherResourceAreRefused(t *testing.T) {
	const server = "http://127.0.0.1:8080/v1/"
	for _, id := range []string{"", ".", ".."} {
		_, err := newGetAppointmentRequest(server, id)
		require.Error(t, err, "%q", id)
		assert.Contains(t, err.Error(), "path parameter appointment_id")
	}
	req, err := newGetAppointmentRequest(server, "a/..")
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/appointments/a%2F..", req.URL.RequestURI(), "a slash inside an id is escaped, not a segment")
}

// The builders' header values share one backing array; appending to one
// value (as a request editor or a transport might) must not change the
// next header's.
func TestHeaderValuesDoNotShareWhatAnAppendWrites(t *testing.T) {
	req, err := newConfirmAppointmentRequest("http://127.0.0.1/v1/", "apt_1",
		&gen.ConfirmAppointmentParams{IdempotencyKey: Ptr("key-1"), XAppointmentHoldToken: "aht_1"}, gen.ConfirmAppointmentJSONRequestBody{})
	require.NoError(t, err)
	req.Header["Content-Type"] = append(req.Header["Content-Type"], "text/plain")
	req.Header["Idempotency-Key"] = append(req.Header["Idempotency-Key"], "key-2")
	assert.Equal(t, []string{"application/json", "text/plain"}, req.Header["Content-Type"])
	assert.Equal(t, []string{"key-1", "key-2"}, req.Header["Idempotency-Key"])
	assert.Equal(t, []string{"aht_1"}, req.Header["X-Appointment-Hold-Token"])
}
