package main

import (
	"fmt"
	"strings"
)

const nextStep = "run `make update-spec`, review the diff of api/ and gen/ (and the SDK code that uses what changed), commit."

// Text is the report for a terminal or a CI log: breaking changes first,
// each marked.
func Text(r Result) string {
	var b strings.Builder
	switch r.Status {
	case StatusFailed:
		if r.Updated {
			fmt.Fprintf(&b, "drift: the update failed: %v", r.Err)
			return b.String()
		}
		fmt.Fprintf(&b, "drift: could not check the contract: %v\n", r.Err)
		b.WriteString("drift: this is NOT a result: the pinned spec was not compared with the official one.")
		return b.String()
	case StatusSame:
		fmt.Fprintf(&b, "drift: no drift: %s (info.version %s) is the same contract as %s.", r.Pinned, r.PinnedVersion, r.URL)
		if r.GoAPI != nil {
			b.WriteString("\n\n" + r.GoAPI.Text())
		}
		return b.String()
	}
	fmt.Fprintf(&b, "drift: the official spec %s (info.version %s) differs from %s (info.version %s).\n",
		r.URL, r.OfficialVersion, r.Pinned, r.PinnedVersion)
	breaking, other := split(r.Changes)
	fmt.Fprintf(&b, "\nBREAKING changes (%d):\n", len(breaking))
	if len(breaking) == 0 {
		b.WriteString("  none\n")
	}
	for _, c := range breaking {
		fmt.Fprintf(&b, "  [%s] %s: %s (%s)\n", label(c), c.Where(), c.Text, c.ID)
	}
	fmt.Fprintf(&b, "\nNon-breaking changes (%d):\n", len(other))
	if len(other) == 0 {
		b.WriteString("  none\n")
	}
	for _, c := range other {
		fmt.Fprintf(&b, "  [non-breaking] %s: %s (%s)\n", c.Where(), c.Text, c.ID)
	}
	if len(r.Changes) == 0 {
		b.WriteString("\noasdiff reports no API change; the documents differ at (descriptions, examples, …):\n")
		for _, p := range r.OtherDiffs {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	if r.GoAPI != nil {
		b.WriteString("\n" + r.GoAPI.Text() + "\n")
	}
	if !r.Updated {
		b.WriteString("\nNext: " + nextStep)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Markdown is the report for a GitHub job summary.
func Markdown(r Result) string {
	var b strings.Builder
	switch r.Status {
	case StatusFailed:
		if r.Updated {
			b.WriteString("## Contract update failed\n\n")
			fmt.Fprintf(&b, "```\n%v\n```\n", r.Err)
			return b.String()
		}
		b.WriteString("## Contract drift: the check could not run\n\n")
		fmt.Fprintf(&b, "%s\n\n", md(fmt.Sprint(r.Err)))
		b.WriteString("This is **not** a result: the pinned spec was not compared with the official one. " +
			"Check that the spec URL is right and the API host is up, then re-run the job.\n")
		return b.String()
	case StatusSame:
		b.WriteString("## Contract drift: none\n\n")
		fmt.Fprintf(&b, "`%s` (info.version `%s`) is the same contract as %s.\n", r.Pinned, md(r.PinnedVersion), md(r.URL))
		if r.GoAPI != nil {
			b.WriteString("\n" + r.GoAPI.Markdown())
		}
		return b.String()
	}
	breaking, other := split(r.Changes)
	fmt.Fprintf(&b, "## Contract drift: %d breaking, %d non-breaking changes\n\n", len(breaking), len(other))
	fmt.Fprintf(&b, "The official spec %s (info.version `%s`) differs from `%s` (info.version `%s`).\n\n",
		md(r.URL), md(r.OfficialVersion), r.Pinned, md(r.PinnedVersion))
	if len(breaking) > 0 {
		fmt.Fprintf(&b, "### ⚠️ Breaking changes (%d)\n\n", len(breaking))
		for _, c := range breaking {
			fmt.Fprintf(&b, "- **%s** `%s`: %s (`%s`)\n", strings.ToUpper(label(c)), md(c.Where()), md(c.Text), c.ID)
		}
		b.WriteString("\n")
	}
	if len(other) > 0 {
		fmt.Fprintf(&b, "### Non-breaking changes (%d)\n\n", len(other))
		for _, c := range other {
			fmt.Fprintf(&b, "- `%s`: %s (`%s`)\n", md(c.Where()), md(c.Text), c.ID)
		}
		b.WriteString("\n")
	}
	if len(r.Changes) == 0 {
		b.WriteString("oasdiff reports no API change; the documents differ at (descriptions, examples, …):\n\n")
		for _, p := range r.OtherDiffs {
			fmt.Fprintf(&b, "- `%s`\n", md(p))
		}
		b.WriteString("\n")
	}
	if r.GoAPI != nil {
		b.WriteString(r.GoAPI.Markdown())
	}
	if !r.Updated {
		b.WriteString("### What to do\n\n" + strings.ToUpper(nextStep[:1]) + nextStep[1:] + "\n")
	}
	return b.String()
}

func split(changes []Change) (breaking, other []Change) {
	for _, c := range changes {
		if c.Breaking() {
			breaking = append(breaking, c)
		} else {
			other = append(other, c)
		}
	}
	return breaking, other
}

func label(c Change) string {
	if c.Level >= 3 {
		return "breaking"
	}
	return "possibly breaking"
}

// md keeps text from the untrusted official document from opening HTML in
// the job summary.
func md(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}
