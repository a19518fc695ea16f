package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"
)

// enumsFile renders connected/enums.gen.go: for every enum of the contract
// but the error envelope's (error_codes.gen.go), an alias of gen's type
// and a constant of it for each value, named the type and the value
// camel-cased (SexFemale, AppointmentStatusConfirmed).
//
// The alias is written here rather than by hand, so that an enum the
// contract adds gets its type and constants in connected from `make
// generate` alone, with nothing to edit.
//
// An enum of one value is left out: it is a constant of the contract, not
// a choice (every object's "object" field, Account's path_version), and
// nobody branches on it.
func enumsFile(all []enum, n names) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("import \"github.com/dronline/connected-go/gen\"\n")
	count := 0
	for i := range all {
		e := &all[i]
		if e.schema == "ErrorType" || e.schema == "ErrorCode" || len(e.values) < 2 {
			continue
		}
		count++
		b.WriteString("\n")
		what := fmt.Sprintf("%s is the type of the contract's %s.", e.typeName, strings.Join(e.fields, " and "))
		if e.doc != "" {
			what = strings.TrimSuffix(what, ".") + ": " + e.doc
		}
		b.WriteString(comment("", what, 76))
		fmt.Fprintf(&b, "type %s = gen.%s\n\n", e.typeName, e.typeName)
		b.WriteString(comment("", fmt.Sprintf("The values of %s. A value this SDK does not know yet is kept as sent.", e.typeName), 76))
		writeConstants(&b, e.typeName, e, func(v string) string { return e.typeName + n.value(v) })
	}
	if count == 0 {
		return nil, fmt.Errorf("the contract has no enum of more than one value besides the error envelope's: is it the Connected API's?")
	}
	return format.Source(b.Bytes())
}
