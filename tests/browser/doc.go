// Package browser holds tests that drive a real headless Chromium:
// the sandbox inspector page. It has no code of its own; keeping the
// browser driver in a package of its own keeps it out of every other
// package's build.
package browser
