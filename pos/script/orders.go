package script

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/order"
)

const orderUsage = "order new NAME [phone=P] | order quote NAME [phone=P] | order pickup [store=ID] [lines=1,2] | order ship ADDRESS [lines=1,2] | " +
	"order deposit AMOUNT | order list [QUERY] | order use ID | order collect [lines=1,2] | order pick | order pack | order dispatch | " +
	"order edit [store=ID] [phone=P] [address=A] | order cancel | order fulfil"

// currentOrder stands for the order the script worked on last.
const currentOrder = "\x00current"

// orderStep reads the customer-order steps (see docs/scripts.md).
func (p parser) orderStep() (pos.Operation, error) {
	f := p.f
	if err := p.need(1, orderUsage); err != nil {
		return nil, err
	}
	opts, rest := options(f[2:])
	text := strings.Join(rest, " ")
	var lines []int
	if v, ok := opts["lines"]; ok {
		for _, w := range strings.Split(v, ",") {
			n, err := lineNo(strings.TrimSpace(w))
			if err != nil {
				return nil, err
			}
			lines = append(lines, n)
		}
	}
	for k := range opts {
		switch k {
		case "lines", "store", "phone", "address":
		default:
			return nil, fmt.Errorf("unknown option %q: %s", k, orderUsage)
		}
	}
	switch sub := strings.ToLower(f[1]); sub {
	case "new", "quote":
		if text == "" {
			return nil, fmt.Errorf("order %s needs the customer's name", sub)
		}
		if sub == "quote" {
			return pos.CreateQuote{Name: text, Phone: opts["phone"]}, nil
		}
		return pos.CreateOrder{Name: text, Phone: opts["phone"]}, nil
	case "pickup":
		d := pos.Delivery{Lines: lines, Store: opts["store"]}
		if len(lines) > 0 {
			return pos.PickupSelected{Delivery: d}, nil
		}
		return pos.PickupAll{Delivery: d}, nil
	case "ship":
		if text == "" {
			return nil, fmt.Errorf("order ship needs the address")
		}
		d := pos.Delivery{Lines: lines, Address: text}
		if len(lines) > 0 {
			return pos.ShipSelected{Delivery: d}, nil
		}
		return pos.ShipAll{Delivery: d}, nil
	case "deposit":
		if text == "" {
			return nil, fmt.Errorf("order deposit needs the amount")
		}
		a, err := p.amount(text)
		if err != nil {
			return nil, err
		}
		return pos.DepositOverride{Amount: a}, nil
	case "list":
		return pos.RecallOrder{Query: text}, nil
	case "use":
		if text == "" {
			text = currentOrder // the one made, opened or listed last
		}
		return pos.RecallOrder{ID: text}, nil
	case "collect":
		return pos.RecallOrder{ID: text, Collect: true, Lines: lines}, nil
	case "pick":
		return pos.PickLines{ID: text, Lines: lines}, nil
	case "pack":
		return pos.PackLines{ID: text, Lines: lines}, nil
	case "dispatch":
		return pos.ShipLines{ID: text, Lines: lines}, nil
	case "edit":
		return pos.EditOrder{ID: text, Lines: lines, Store: opts["store"], Phone: opts["phone"], Address: opts["address"]}, nil
	case "cancel":
		return pos.CancelOrder{ID: text}, nil
	case "fulfil", "fulfill":
		return pos.OrderFulfillment{}, nil
	}
	return nil, fmt.Errorf("unknown order step %q: %s", f[1], orderUsage)
}

// withOrder fills in the order a step works on: the one the script made,
// opened or listed last.
func withOrder(op pos.Operation, current string) pos.Operation {
	fill := func(id *string) {
		if *id == "" {
			*id = current
		}
	}
	switch o := op.(type) {
	case pos.RecallOrder:
		if (o.ID == "" && o.Collect) || o.ID == currentOrder {
			o.ID = current
		}
		return o
	case pos.PickLines:
		fill(&o.ID)
		return o
	case pos.PackLines:
		fill(&o.ID)
		return o
	case pos.ShipLines:
		fill(&o.ID)
		return o
	case pos.EditOrder:
		fill(&o.ID)
		return o
	case pos.CancelOrder:
		fill(&o.ID)
		return o
	}
	return op
}

// reportOrders prints the result of an order step; false when res has
// none.
func reportOrders(out io.Writer, st Step, res pos.Result) bool {
	switch {
	case res.Orders != nil:
		fmt.Fprintf(out, "> %s: %d orders\n", st.Text, len(res.Orders))
		if len(res.Orders) == 0 {
			return true
		}
		for _, o := range res.Orders {
			fmt.Fprintf(out, "    %-36s %-10s %-10s %-20s paid %s\n", o.ID, o.Number, o.Status(), o.CustomerName, strconv.FormatInt(int64(o.Paid), 10))
		}
	case res.Order != nil && res.Completed == nil:
		o := res.Order
		fmt.Fprintf(out, "> %s: %s %s %s, deposit %d, paid %d\n", st.Text, o.Number, o.ID, o.Status(), o.Deposit, o.Paid)
		for _, l := range o.Lines {
			where := "pick up at " + l.Store
			if l.Mode == order.Ship {
				where = "ship from " + l.Store + " to " + l.Address
			}
			fmt.Fprintf(out, "    %d %-30s qty %8s amount %8d %s (picked %s, done %s)\n", l.No, l.Name, l.Qty.Format(l.UnitDecimals),
				l.Amount, where, l.Picked.Format(l.UnitDecimals), l.Done.Format(l.UnitDecimals))
		}
	default:
		return false
	}
	return true
}
