package apimap_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/apimap"
)

// leaves are types the walk does not enter.
var leaves = map[reflect.Type]bool{reflect.TypeFor[time.Time](): true, reflect.TypeFor[json.RawMessage](): true}

// fieldPaths lists the paths of t's exported fields, into nested structs,
// pointers, slices and maps; fields the JSON leaves out (json:"-") are
// left out.
func fieldPaths(t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || leaves[t] {
		return
	}
	for f := range t.Fields() {
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		p := prefix + "." + f.Name
		out[p] = true
		if strings.Count(p, ".") < 8 {
			fieldPaths(f.Type, p, out)
		}
	}
}

// setPaths marks the paths of the fields v sets (in any element of a
// slice or map).
func setPaths(v reflect.Value, prefix string, out map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			setPaths(v.Elem(), prefix, out)
		}
	case reflect.Slice:
		if leaves[v.Type()] {
			return
		}
		for i := range v.Len() {
			setPaths(v.Index(i), prefix, out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			setPaths(it.Value(), prefix, out)
		}
	case reflect.Struct:
		if leaves[v.Type()] {
			return
		}
		for f, fv := range v.Fields() {
			if !f.IsExported() {
				continue
			}
			p := prefix + "." + f.Name
			if k := fv.Kind(); k == reflect.Slice || k == reflect.Map {
				out[p] = out[p] || fv.Len() > 0
			} else {
				out[p] = out[p] || !fv.IsZero()
			}
			setPaths(fv, p, out)
		}
	}
}

// unset lists the fields of v's type that v leaves zero, but for skip.
func unset(v any, skip ...string) []string {
	all, set := map[string]bool{}, map[string]bool{}
	t := reflect.TypeOf(v)
	fieldPaths(t, t.Name(), all)
	setPaths(reflect.ValueOf(v), t.Name(), set)
	var out []string
	for p := range all {
		if !set[p] && !slices.Contains(skip, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// TestTheFixturesSetEveryField: a field added to a domain type or a wire
// type and not set in the fixtures fails here, so that the round trips
// cover it. Set it in fixtures_test.go, map it in offline/apimap (and the
// wire type), and capture its golden again (-update) to see the new key.
func TestTheFixturesSetEveryField(t *testing.T) {
	unsigned, signed := journalEntries()
	tests := []struct {
		name string
		v    any
		skip []string // not on the wire
	}{
		{"product", fullProduct(), nil},
		{"product wire", apimap.ProductOf(fullProduct()), nil},
		{"role", fullRole(), nil},
		{"role wire", apimap.RoleOf(fullRole()), nil},
		{"operator", fullOperator(), nil},
		{"operator wire", apimap.OperatorOf(fullOperator()), nil},
		{"setup", fullSetup(), nil},
		{"setup wire", apimap.SetupOf(fullSetup()), nil},
		{"order", fullOrder(), nil},
		{"order wire", apimap.OrderOf(fullOrder()), nil},
		{"order event", fullOrderEvent(), nil},
		{"order event wire", apimap.OrderEventOf(fullOrderEvent()), nil},
		{"customer", fullCustomer(), nil},
		{"customer wire", apimap.CustomerOf(fullCustomer()), nil},
		{"stock doc", fullDoc(), []string{"Doc.Draft"}},
		{"stock doc wire", apimap.StockDocOf(fullDoc()), nil},
		{"stock doc post", fullDocPost(), nil},
		{"stock doc post wire", apimap.StockDocPostOf(fullDocPost()), nil},
		{"stock adjustment", fullAdjustment(), nil},
		{"stock adjustment wire", apimap.StockAdjustmentOf(fullAdjustment()), nil},
		{"stock count", fullCount(), nil},
		{"stock count wire", apimap.StockCountOf(fullCount()), nil},
		{"stock count lines", fullCountLines()[0], nil},
		{"stock count lines wire", apimap.CountLinesOf(fullCountLines())[0], nil},
		{"journal entry", signed, []string{"Entry.PayloadSHA256"}},
		{"journal entry wire, signed", apimap.JournalEntryOf(signed), []string{"JournalEntry.Payload"}},
		{"journal entry wire, unsigned", apimap.JournalEntryOf(unsigned), []string{"JournalEntry.PayloadSHA256", "JournalEntry.KeyID", "JournalEntry.Counter", "JournalEntry.Sig"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if missing := unset(tc.v, tc.skip...); len(missing) > 0 {
				t.Errorf("the fixture leaves %s zero: set every field, so that a mapper that drops one fails the round trip", strings.Join(missing, ", "))
			}
		})
	}
}

// TestUnsetFindsZeroFields: the check above can fail.
func TestUnsetFindsZeroFields(t *testing.T) {
	s := fullSetup()
	s.Loyalty.Tiers[1].EarnBP = 0 // set in the first tier still
	s.Orders.QuoteDays = 0
	s.Header.Footer = []string{}
	missing := unset(s)
	if !slices.Equal(missing, []string{"Setup.Header.Footer", "Setup.Orders.QuoteDays"}) {
		t.Errorf("unset found %v", missing)
	}
	p := apimap.ProductOf(fullProduct())
	p.Flags.NoOverride = false
	if missing := unset(p); !slices.Equal(missing, []string{"Product.Flags.NoOverride"}) {
		t.Errorf("unset found %v", missing)
	}
}
