package main

import (
	"fmt"
	"strings"
)

// verifyResult is a run's outcome, for --json and --report.
type verifyResult struct {
	Result          string      `json:"result"` // conforms, additions, violations, incomplete, key_refused
	Run             string      `json:"run"`    // the partner_reference of the run's booking
	BaseURL         string      `json:"base_url"`
	ContractVersion string      `json:"contract_version"`
	ReadOnly        bool        `json:"read_only"`
	Violations      int         `json:"violations"`
	Additions       int         `json:"additions"`
	Operations      []*opResult `json:"operations"`
	LeftBooked      string      `json:"left_booked,omitempty"` // an appointment the clean-up could not cancel
}

func (v *verifier) result(base string) *verifyResult {
	violations, additions := v.totals()
	r := &verifyResult{
		Run: v.runRef, BaseURL: base, ContractVersion: v.checker.version(), ReadOnly: v.readOnly,
		Violations: violations, Additions: additions, Operations: v.ops, LeftBooked: v.leftBooked,
	}
	switch {
	case v.authErr != nil:
		r.Result = "key_refused"
	case violations > 0:
		r.Result = "violations"
	case v.incomplete:
		r.Result = "incomplete"
	case additions > 0:
		r.Result = "additions"
	default:
		r.Result = "conforms"
	}
	return r
}

func (r *verifyResult) checked() int {
	n := 0
	for _, op := range r.Operations {
		if op.Skipped == "" {
			n++
		}
	}
	return n
}

// summaryLine is the last line of the text output.
func (r *verifyResult) summaryLine() string {
	head := fmt.Sprintf("%d operations checked: %d violations, %d additions.", r.checked(), r.Violations, r.Additions)
	switch r.Result {
	case "conforms":
		return head + " The API conforms to the pinned contract."
	case "additions":
		return head + " The API sends what the pinned contract does not list: the contract is behind, nothing breaks."
	case "violations":
		return head + " The API breaks the pinned contract."
	case "incomplete":
		return head + " The run stopped before the end: what follows the stopped operation was not checked."
	}
	return head + " The API refused the key: nothing after that was checked."
}

var verifyTitles = map[string]string{
	"conforms":    "the API conforms",
	"additions":   "additions only",
	"violations":  "violations",
	"incomplete":  "the run did not complete",
	"key_refused": "the key was refused",
}

// markdown is the report for a GitHub job summary, as the drift check's.
func (r *verifyResult) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Contract verification: %s\n\n", verifyTitles[r.Result])
	mode := ""
	if r.ReadOnly {
		mode = " (read-only: GETs only)"
	}
	fmt.Fprintf(&b, "`dronline verify` ran the documented flow against %s%s with the pinned contract (info.version `%s`); run `%s`.\n\n",
		md(r.BaseURL), mode, md(r.ContractVersion), r.Run)
	fmt.Fprintf(&b, "%s\n\n", r.summaryLine())
	b.WriteString("| | operation | request | findings |\n| --- | --- | --- | --- |\n")
	for _, op := range r.Operations {
		mark, req := op.mark(), "`"+op.Method+" "+op.Path+"`"
		if mark == "-" {
			req = "skipped (" + op.Skipped + ")"
		}
		if op.Status != 0 {
			req += fmt.Sprintf(" → %d", op.Status)
		}
		var notes []string
		for _, f := range op.Findings {
			notes = append(notes, fmt.Sprintf("**%s** `%s`: %s%s", f.Kind, md(f.Where), md(f.What), times(f.Count)))
		}
		if op.Problem != "" {
			notes = append(notes, "stopped: "+md(op.Problem))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mark, op.Name, req, strings.Join(notes, "<br>"))
	}
	if r.LeftBooked != "" {
		fmt.Fprintf(&b, "\n**Appointment `%s` is still booked**: cancel it with `dronline appointments cancel %s`.\n", r.LeftBooked, r.LeftBooked)
	}
	b.WriteString("\nA **violation** breaks the pinned contract: the SDK may fail or mislead. An **addition** is a property, enum value or `X-` header the contract does not list: the pinned contract is behind, nothing breaks.\n")
	return b.String()
}

// md keeps text from the API (a base URL, a code) from opening HTML or
// breaking the table in the job summary.
func md(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|").Replace(s)
}
