package sandbox

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"time"
)

// files are the control API's OpenAPI document and the inspector
// page, compiled into the binary: the page needs no CDN and no build step.
//
//go:embed control/openapi.json control/inspector
var files embed.FS

func serveSpec(w http.ResponseWriter, r *http.Request) {
	b, err := servedSpec()
	if err != nil {
		errInternal().write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	http.ServeContent(w, r, "openapi.json", time.Time{}, bytes.NewReader(b))
}

// inspectorHandler serves the page at /_sandbox/ and its files under
// /_sandbox/inspector/.
func inspectorHandler() http.Handler {
	sub, err := fs.Sub(files, "control/inspector")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	static := http.StripPrefix("/_sandbox/inspector/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			errMethod(r).write(w)
			return
		}
		if r.URL.Path == "/_sandbox/" {
			http.ServeFileFS(w, r, sub, "index.html")
			return
		}
		static.ServeHTTP(w, r)
	})
}
