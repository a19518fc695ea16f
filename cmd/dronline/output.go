package main

import (
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dronline/connected-go/internal/canonjson"
	"github.com/dronline/connected-go/internal/contract"
)

// printf writes progress or diagnostics. A failed write to the terminal
// is not worth failing a command over: its real output (JSON, tables)
// checks its errors.
func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

// writeJSON prints v as the API object it is, indented, with every
// object's keys in the API's own order ("id", "object", then A–Z), which
// encoding/json (struct field order) does not give.
func writeJSON(w io.Writer, v any) error {
	b, err := canonjson.MarshalIndent(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b) // MarshalIndent ends the document with a newline
	return err
}

// table writes aligned columns; call flush when done.
type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	// tabwriter buffers until Flush, which reports any write error.
	_, _ = fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// collect gathers at most limit items (all when limit is 0) from one of the
// SDK's list iterators, which fetch pages as they are needed.
func collect[T any](seq iter.Seq2[T, error], limit int) ([]T, error) {
	out := []T{} // an empty list prints as [] in JSON, not null
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out, nil
}

// maxPageSize is the API's largest page.
const maxPageSize = contract.LimitMaximum

// pageSize asks for pages no larger than the --limit, so a small limit
// costs one small request.
func pageSize(limit int) *int {
	n := maxPageSize
	if limit > 0 && limit < n {
		n = limit
	}
	return &n
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// formatTimeIn shows an instant in loc with its offset from UTC, "-" for
// none. RFC 3339, but with a numeric offset even where it is zero: "Z"
// would read as UTC where the time is London's in winter.
func formatTimeIn(t time.Time, loc *time.Location) string {
	if loc == time.UTC {
		return formatTime(t)
	}
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02T15:04:05-07:00")
}

// nullTime shows a nullable time, "-" for null.
func nullTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return formatTime(*t)
}

// nullString shows a nullable string, "-" for null.
func nullString[T ~string](s *T) string {
	if s == nil {
		return "-"
	}
	return string(*s)
}

func formatMetadata(m map[string]string) string {
	if len(m) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ",")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// formatDuration keeps a step's time short and readable: 1.2ms, 340µs, 2.1s.
func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}
