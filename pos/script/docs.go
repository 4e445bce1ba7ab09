package script

import (
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
)

// docStep reads the receiving and transfer steps (see docs/scripts.md).
func (p parser) docStep(verb string) (pos.Operation, error) {
	f := p.f
	in := verb == "receive"
	usage := "receive list | receive use ID | receive scan CODE [qty=N] | receive set CODE QTY | receive post [close]"
	if !in {
		usage = "transfer list | transfer new STORE | transfer request STORE | transfer use ID | transfer scan CODE [qty=N] | transfer set CODE QTY | transfer ship | transfer send"
	}
	if err := p.need(1, usage); err != nil {
		return nil, err
	}
	mk := func(act pos.DocAction, code string, q catalog.Qty) pos.Operation {
		if in {
			return pos.InboundOrder{Action: act, Barcode: code, Qty: q}
		}
		return pos.OutboundOrder{Action: act, Barcode: code, Qty: q}
	}
	switch sub := strings.ToLower(f[1]); sub {
	case "list":
		return mk(pos.DocList, "", 0), nil
	case "use":
		if err := p.need(2, verb+" use ID"); err != nil {
			return nil, err
		}
		if in {
			return pos.InboundOrder{Action: pos.DocOpen, DocID: f[2]}, nil
		}
		return pos.OutboundOrder{Action: pos.DocOpen, DocID: f[2]}, nil
	case "scan":
		if err := p.need(2, verb+" scan CODE [qty=N]"); err != nil {
			return nil, err
		}
		opts, rest := options(f[3:])
		if len(rest) > 0 {
			return nil, fmt.Errorf("unexpected %q after the code: use qty=N", rest[0])
		}
		var q catalog.Qty
		for k, v := range opts {
			if k != "qty" {
				return nil, fmt.Errorf("unknown option %q: use qty=", k)
			}
			var err error
			if q, err = qty(v); err != nil {
				return nil, err
			}
		}
		return mk(pos.DocScan, f[2], q), nil
	case "set":
		if err := p.need(3, verb+" set CODE QTY"); err != nil {
			return nil, err
		}
		q, err := zeroQty(f[3])
		if err != nil {
			return nil, err
		}
		return mk(pos.DocSet, f[2], q), nil
	case "post":
		if !in {
			break
		}
		closeShort := len(f) > 2 && strings.EqualFold(f[2], "close")
		if len(f) > 2 && !closeShort {
			return nil, fmt.Errorf("unexpected %q: receive post [close]", f[2])
		}
		return pos.InboundOrder{Action: pos.DocPost, Close: closeShort}, nil
	case "new", "request":
		if in {
			break
		}
		if err := p.need(2, verb+" "+sub+" STORE"); err != nil {
			return nil, err
		}
		act := pos.DocNew
		if sub == "request" {
			act = pos.DocRequest
		}
		return pos.OutboundOrder{Action: act, Store: f[2]}, nil
	case "ship", "send":
		if in {
			break
		}
		act := pos.DocShip
		if sub == "send" {
			act = pos.DocSend
		}
		return pos.OutboundOrder{Action: act}, nil
	}
	return nil, fmt.Errorf("unknown %s step %q: %s", verb, f[1], usage)
}

// withDoc fills in the document a receiving or transfer step works on: the
// one the script opened or made last.
func withDoc(op pos.Operation, current string) pos.Operation {
	switch o := op.(type) {
	case pos.InboundOrder:
		if o.DocID == "" && o.Action != pos.DocList {
			o.DocID = current
		}
		return o
	case pos.OutboundOrder:
		if o.DocID == "" && o.Action != pos.DocList && o.Action != pos.DocNew && o.Action != pos.DocRequest {
			o.DocID = current
		}
		return o
	}
	return op
}

// reportDocs prints the result of a receiving or transfer step; false
// when res has none.
func reportDocs(out io.Writer, st Step, res pos.Result) bool {
	switch {
	case res.Docs != nil:
		fmt.Fprintf(out, "> %s: %d documents\n", st.Text, len(res.Docs))
		for _, d := range res.Docs {
			fmt.Fprintf(out, "    %-14s %-10s %-9s %-8s %s → %s\n", d.ID, d.Number, d.Kind, d.Status(), d.From, d.To)
		}
	case res.Doc != nil && res.Doc.Line != nil:
		l := res.Doc.Line
		name, dec := l.ProductID, 0
		if res.Product != nil {
			name, dec = res.Product.Name, res.Product.UnitDecimals()
		}
		fmt.Fprintf(out, "> %s: %s %s now on %s\n", st.Text, name, l.Qty.Format(dec), res.Doc.Doc.Number)
	case res.Doc != nil:
		d := res.Doc.Doc
		status := string(d.Status())
		if d.Draft {
			status = "draft"
		}
		fmt.Fprintf(out, "> %s: %s %s (%s) %s\n", st.Text, d.Number, d.ID, d.Kind, status)
		for _, l := range d.Lines {
			fmt.Fprintf(out, "    %-8s %-30s ordered %8s shipped %8s received %8s\n", l.ProductID, res.Doc.Names[l.ProductID],
				l.Ordered.Format(0), l.Shipped.Format(0), l.Received.Format(0))
		}
	default:
		return false
	}
	return true
}
