package main

import (
	"os"
	"time"

	"github.com/dronline/connected-go/internal/canonjson"
)

// writeOfficial writes the official document to path in the canonical
// formatting of api/, with x-dronline-source recording that it is the
// official spec, where it came from and when it was synced — so the
// provenance is never edited by hand.
func writeOfficial(path string, official map[string]any, sourceURL string, now time.Time) error {
	doc := withoutProvenance(official)
	doc[provenanceKey] = map[string]any{
		"kind":         "official",
		"official_url": sourceURL,
		"synced_at":    now.UTC().Format(time.DateOnly),
	}
	out, err := canonjson.MarshalIndent(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644) // #nosec G306 -- a committed source file
}
