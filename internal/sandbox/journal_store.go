package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// JournalLimits bounds the sandbox's journal of requests. The zero value
// takes every default.
type JournalLimits struct {
	// Entries is how many requests the journal keeps at most (default
	// DefaultJournalEntries).
	Entries int
	// Bytes is how many bytes its entries may take at most, counted as
	// they are served plus a small fixed cost per entry (default
	// DefaultJournalBytes). When a new entry would pass either bound, the
	// oldest go first; the newest entry is always kept.
	Bytes int64
	// BodyBytes is how much of each request's and response's body an
	// entry keeps (default DefaultJournalBodyBytes); a body cut short is
	// served as a string and named in the entry's "truncated" list.
	BodyBytes int
}

// The journal's default bounds.
const (
	DefaultJournalEntries   = 1000
	DefaultJournalBytes     = 64 << 20
	DefaultJournalBodyBytes = 64 << 10
)

// entryOverhead approximates what an entry costs besides its bodies,
// headers, path and idempotency key (counted twice: the record's filter
// keys and the entry's JSON): the record, its slot in the ring and the
// rest of the entry's JSON (member names, ids, times).
const entryOverhead = 640

func (l JournalLimits) withDefaults() JournalLimits {
	if l.Entries < 0 || l.Bytes < 0 || l.BodyBytes < 0 {
		panic("sandbox: JournalLimits must not be negative")
	}
	if l.Entries == 0 {
		l.Entries = DefaultJournalEntries
	}
	if l.Bytes == 0 {
		l.Bytes = DefaultJournalBytes
	}
	if l.BodyBytes == 0 {
		l.BodyBytes = DefaultJournalBodyBytes
	}
	return l
}

// journalRecord is one entry: the keys reads filter on, and the entry,
// its bodies redacted when the request was answered and its JSON written
// once, by the first read that returns it. Reads share a record: nothing
// else in it changes once written.
type journalRecord struct {
	id, method, path, rel, template, idemKey string
	status                                   int
	at                                       time.Time
	size                                     int64

	render sync.Once
	entry  *journalEntryJSON // until rendered
	raw    []byte            // the entry's JSON, once rendered
}

// json is the entry's JSON, written by the first read that returns it.
func (rec *journalRecord) json() []byte {
	rec.render.Do(func() {
		raw, err := encodeJournalEntry(*rec.entry)
		if err != nil { // nothing in an entry can fail to encode
			raw = []byte(`{"object":"sandbox_request","request_id":` + strconv.Quote(rec.id) + `}`)
		}
		rec.raw, rec.entry = raw, nil
	})
	return rec.raw
}

// headerBytes is about what h takes in an entry's JSON.
func headerBytes(h http.Header) int {
	n := 0
	for k, vs := range h {
		n += len(k) + 6
		for _, v := range vs {
			n += len(v) + 2
		}
	}
	return n
}

// journal is the sandbox's bounded record of requests: a ring bounded by
// count and by bytes, oldest first.
type journal struct {
	lim JournalLimits

	mu    sync.RWMutex
	buf   []*journalRecord // a ring: n records from head on
	head  int
	n     int
	bytes int64
	// version counts the records added and the clears: it changes
	// whenever a read could answer differently.
	version uint64
}

func newJournal(l JournalLimits) *journal { return &journal{lim: l.withDefaults()} }

// add journals one exchange; it is the server's exchange hook, so it runs
// on every API request and does as little as it can: the bodies are
// redacted, cut and copied (the exchange's are valid only during the
// call), and the entry's JSON is written when a read first returns it
// (journalRecord.json).
func (j *journal) add(x connectedtest.Exchange) {
	r := x.Request
	rel := strings.TrimPrefix(r.Path, basePath)
	rec := &journalRecord{id: r.RequestID, method: r.Method, path: r.Path, rel: rel, template: templateOf(rel),
		idemKey: r.IdempotencyKey, status: r.Status, at: r.Time}
	e := renderJournalEntry(x, rec.template)
	var cut bool
	if e.RequestBody, cut = keepBody(x.RequestBody, j.lim.BodyBytes, false); cut {
		e.Truncated = append(e.Truncated, "request_body")
	}
	// A response the server wrote itself as JSON is JSON: encoding/json
	// wrote it. One a fault wrote may be anything, and is checked.
	trusted := r.Fault == nil && isJSON(x.ResponseHeader.Get("Content-Type"))
	if e.ResponseBody, cut = keepBody(x.ResponseBody, j.lim.BodyBytes, trusted); cut {
		e.Truncated = append(e.Truncated, "response_body")
	}
	rec.entry = &e
	rec.size = int64(len(e.RequestBody)+len(e.ResponseBody)+headerBytes(e.requestHeader)+headerBytes(e.responseHeader)+
		2*(len(rec.path)+len(rec.idemKey))) + entryOverhead

	j.mu.Lock()
	defer j.mu.Unlock()
	for j.n > 0 && (j.n >= j.lim.Entries || j.bytes+rec.size > j.lim.Bytes) {
		j.evictOldest()
	}
	if j.n == len(j.buf) {
		j.grow()
	}
	j.buf[(j.head+j.n)%len(j.buf)] = rec
	j.n++
	j.bytes += rec.size
	j.version++
}

func (j *journal) evictOldest() {
	j.bytes -= j.buf[j.head].size
	j.buf[j.head] = nil
	j.head = (j.head + 1) % len(j.buf)
	j.n--
}

// grow doubles the ring, up to the entry bound, oldest first again.
func (j *journal) grow() {
	size := min(max(2*len(j.buf), 16), j.lim.Entries)
	buf := make([]*journalRecord, size)
	for i := range j.n {
		buf[i] = j.buf[(j.head+i)%len(j.buf)]
	}
	j.buf, j.head = buf, 0
}

// find returns the newest records f matches, newest first, at most
// f.limit of them, and whether older ones match too. With f.after, it
// stops at that request's record, and found reports whether the journal
// still holds it. It copies only the records' pointers, of the records
// it returns.
func (j *journal) find(f journalFilter) (out []*journalRecord, hasMore, found bool) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	for i := j.n - 1; i >= 0; i-- {
		rec := j.buf[(j.head+i)%len(j.buf)]
		if f.after != "" && rec.id == f.after {
			return out, hasMore, true
		}
		if !f.matches(rec) {
			continue
		}
		if len(out) == f.limit {
			hasMore = true
			if f.after == "" {
				return out, true, true
			}
			continue // looking for after's record still
		}
		if out == nil {
			out = make([]*journalRecord, 0, min(f.limit, j.n))
		}
		out = append(out, rec)
	}
	return out, hasMore, f.after == ""
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf, j.head, j.n, j.bytes = nil, 0, 0, 0
	j.version++
}

// changes is the journal's version: it differs from an earlier read
// when an entry was added or the journal cleared since.
func (j *journal) changes() uint64 {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.version
}

// usage says how many entries the journal holds and the bytes it counts
// for them.
func (j *journal) usage() (entries int, bytes int64) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.n, j.bytes
}

// keepBody is what an entry keeps of a body: nil when empty; redacted;
// and when longer than limit, its first limit bytes as a string, cut
// reporting it.
func keepBody(b []byte, limit int, isJSON bool) (kept json.RawMessage, cut bool) {
	if len(b) == 0 {
		return nil, false
	}
	b = redactBody(b)
	if len(b) <= limit {
		if isJSON {
			return bytes.Clone(b), false
		}
		return bytes.Clone(bodyJSON(b)), false
	}
	s, _ := json.Marshal(string(b[:limit])) // a cut rune becomes U+FFFD
	return s, true
}

// isJSON reports whether a Content-Type is application/json.
func isJSON(contentType string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "application/json")
}
