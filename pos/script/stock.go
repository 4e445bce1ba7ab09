package script

import (
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
)

// stockStep reads the stock steps (see docs/scripts.md): stock lookups,
// adjustments and counts. ok is false for a verb that is not one of them.
func (p parser) stockStep(verb string) (op pos.Operation, ok bool, err error) {
	f := p.f
	switch verb {
	case "receive", "transfer":
		op, err := p.docStep(verb)
		return op, true, err
	case "stock":
		if err := p.need(1, "stock CODE"); err != nil {
			return nil, true, err
		}
		return pos.InventoryLookup{Barcode: f[1]}, true, nil
	case "adjust":
		if err := p.need(3, "adjust CODE QTY REASON [NOTE]"); err != nil {
			return nil, true, err
		}
		q, err := signedQty(f[2])
		if err != nil {
			return nil, true, err
		}
		return pos.StockAdjustment{Barcode: f[1], Qty: q, Reason: f[3], Note: strings.Join(f[4:], " ")}, true, nil
	case "count":
		usage := "count list | count start [NAME] | count use ID | count scan CODE [qty=N] | count set CODE QTY | count recount CODE QTY | count review | count post"
		if err := p.need(1, usage); err != nil {
			return nil, true, err
		}
		switch strings.ToLower(f[1]) {
		case "list":
			return pos.StockCount{Action: pos.CountList}, true, nil
		case "start":
			return pos.StockCount{Action: pos.CountStart, Name: strings.Join(f[2:], " ")}, true, nil
		case "use":
			if err := p.need(2, "count use ID"); err != nil {
				return nil, true, err
			}
			return pos.StockCount{Action: pos.CountOpen, CountID: f[2]}, true, nil
		case "review":
			return pos.StockCount{Action: pos.CountReview}, true, nil
		case "post":
			return pos.PostStockCount{}, true, nil
		case "scan":
			if err := p.need(2, "count scan CODE [qty=N]"); err != nil {
				return nil, true, err
			}
			opts, rest := options(f[3:])
			if len(rest) > 0 {
				return nil, true, fmt.Errorf("unexpected %q after the code: use qty=N", rest[0])
			}
			var q catalog.Qty
			for k, v := range opts {
				if k != "qty" {
					return nil, true, fmt.Errorf("unknown option %q: use qty=", k)
				}
				if q, err = qty(v); err != nil {
					return nil, true, err
				}
			}
			return pos.StockCount{Action: pos.CountScan, Barcode: f[2], Qty: q}, true, nil
		case "set", "recount":
			if err := p.need(3, "count "+f[1]+" CODE QTY"); err != nil {
				return nil, true, err
			}
			q, err := zeroQty(f[3])
			if err != nil {
				return nil, true, err
			}
			act := pos.CountSet
			if strings.ToLower(f[1]) == "recount" {
				act = pos.CountRecount
			}
			return pos.StockCount{Action: act, Barcode: f[2], Qty: q}, true, nil
		}
		return nil, true, fmt.Errorf("unknown count step %q: %s", f[1], usage)
	}
	return nil, false, nil
}

// signedQty reads an adjustment's quantity: "-2", "+1.5".
func signedQty(s string) (catalog.Qty, error) {
	neg := strings.HasPrefix(s, "-")
	q, err := zeroQty(strings.TrimLeft(s, "+-"))
	if err != nil {
		return 0, err
	}
	if neg {
		q = -q
	}
	return q, nil
}

// zeroQty reads a counted quantity, which may be 0.
func zeroQty(s string) (catalog.Qty, error) {
	if strings.Trim(s, "0.,") == "" {
		return 0, nil
	}
	return qty(s)
}

// withCount fills in the count a count step works on: the one the script
// started or used last.
func withCount(op pos.Operation, current string) pos.Operation {
	switch o := op.(type) {
	case pos.StockCount:
		if o.CountID == "" && o.Action != pos.CountList && o.Action != pos.CountStart {
			o.CountID = current
		}
		return o
	case pos.PostStockCount:
		if o.CountID == "" {
			o.CountID = current
		}
		return o
	}
	return op
}

// reportStock prints the result of a stock step; false when res has none.
func reportStock(out io.Writer, st Step, res pos.Result) bool {
	switch {
	case res.Inventory != nil:
		inv := res.Inventory
		d := inv.Product.UnitDecimals()
		asOf := "no figure from the store server yet"
		if inv.Here.Known() {
			asOf = "as of " + inv.Here.AsOf.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(out, "> %s: %s on hand %s (available %s, this till's own %s; %s)\n", st.Text, inv.Product.Name,
			inv.Here.OnHand.Format(d), inv.Here.Available().Format(d), inv.Here.Local.Format(d), asOf)
		for _, l := range inv.Others {
			fmt.Fprintf(out, "    %-20s %10s  as of %s\n", l.StoreName, l.OnHand.Format(d), l.AsOf.Format("2006-01-02 15:04"))
		}
	case res.Counts != nil:
		fmt.Fprintf(out, "> %s: %d counts\n", st.Text, len(res.Counts))
		for _, c := range res.Counts {
			fmt.Fprintf(out, "    %s  %-30s %s\n", c.ID, c.Name, c.Status)
		}
	case res.Count != nil && res.Count.Review != nil:
		rv := res.Count.Review
		fmt.Fprintf(out, "> %s: %s, %d lines counted, %d to recount\n", st.Text, rv.Count.Name, rv.Counted, rv.Recount)
		for _, l := range rv.Lines {
			mark := ""
			if l.Recount {
				mark = "  recount"
			}
			fmt.Fprintf(out, "    %-8s %-30s counted %8s expected %8s%s\n", l.ProductID, l.Name, l.Total().Format(0), l.Expected.Format(0), mark)
		}
	case res.Count != nil && res.Count.Line != nil:
		l := res.Count.Line
		name := l.ProductID
		d := 0
		if res.Product != nil {
			name, d = res.Product.Name, res.Product.UnitDecimals()
		}
		fmt.Fprintf(out, "> %s: %s counted %s here (every device %s)\n", st.Text, name, l.Counted.Format(d), l.Total().Format(d))
	case res.Count != nil:
		fmt.Fprintf(out, "> %s: count %s %q %s, %d lines\n", st.Text, res.Count.Count.ID, res.Count.Count.Name, res.Count.Count.Status, len(res.Count.Lines))
	default:
		return false
	}
	return true
}
