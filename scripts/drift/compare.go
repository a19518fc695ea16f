package main

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// provenanceKey is the pinned spec's own record of where it came from; it is
// not part of the contract, so it never counts as drift.
const provenanceKey = "x-dronline-source"

// maxOtherDiffs caps the JSON locations listed in a report.
const maxOtherDiffs = 20

// contractDiffs compares two parsed documents as values — key order and
// whitespace never matter, nor how a number is spelled — and returns the
// JSON pointers of up to limit locations that differ, sorted. None means the
// same contract.
func contractDiffs(pinned, official map[string]any, limit int) []string {
	var out []string
	diff("", withoutProvenance(pinned), withoutProvenance(official), &out)
	sort.Strings(out)
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("… and %d more", len(out)-limit))
	}
	return out
}

func withoutProvenance(doc map[string]any) map[string]any {
	c := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != provenanceKey {
			c[k] = v
		}
	}
	return c
}

func diff(ptr string, a, b any, out *[]string) {
	switch at := a.(type) {
	case map[string]any:
		bt, ok := b.(map[string]any)
		if !ok {
			*out = append(*out, ptrOrRoot(ptr))
			return
		}
		for k, av := range at {
			bv, ok := bt[k]
			if !ok {
				*out = append(*out, ptr+"/"+escape(k)+" (removed)")
				continue
			}
			diff(ptr+"/"+escape(k), av, bv, out)
		}
		for k := range bt {
			if _, ok := at[k]; !ok {
				*out = append(*out, ptr+"/"+escape(k)+" (added)")
			}
		}
	case []any:
		bt, ok := b.([]any)
		if !ok || len(at) != len(bt) {
			*out = append(*out, ptrOrRoot(ptr))
			return
		}
		for i := range at {
			diff(fmt.Sprintf("%s/%d", ptr, i), at[i], bt[i], out)
		}
	case json.Number:
		bt, ok := b.(json.Number)
		if !ok || !sameNumber(at, bt) {
			*out = append(*out, ptrOrRoot(ptr))
		}
	default:
		if a != b {
			*out = append(*out, ptrOrRoot(ptr))
		}
	}
}

// sameNumber compares by value, so that 1, 1.0 and 1e0 are the same number.
// big.Float (not big.Rat) because the document is untrusted and a Rat of
// 1e999999999 would take the whole memory.
func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	fa, _, errA := big.ParseFloat(string(a), 10, 256, big.ToNearestEven)
	fb, _, errB := big.ParseFloat(string(b), 10, 256, big.ToNearestEven)
	return errA == nil && errB == nil && fa.Cmp(fb) == 0
}

// escape writes a key as a JSON pointer token (RFC 6901).
func escape(k string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}

func ptrOrRoot(ptr string) string {
	if ptr == "" {
		return "/"
	}
	return ptr
}
