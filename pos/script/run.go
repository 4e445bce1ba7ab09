package script

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
)

// StepError is a step that was refused or whose expectation failed.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("line %d (%s): %v", e.Step.Line, e.Step.Text, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// Options control how a script runs.
type Options struct {
	Width int       // receipt width in columns (42 or 48)
	Out   io.Writer // receipts and step results; nil discards
}

// Run runs the steps against a register, printing each completed
// transaction's receipt. A refused step stops the run with a *StepError,
// unless the next step is "expect error KIND" naming the error's kind.
func Run(ctx context.Context, reg *pos.Register, steps []Step, opt Options) error {
	out := opt.Out
	if out == nil {
		out = io.Discard
	}
	if opt.Width == 0 {
		opt.Width = 42
	}
	digits := reg.Setup().Currency.Digits
	var last *cart.Cart // the cart after the last operation (open or just finished)
	var lastErr error
	var lastStep Step
	var lastReport *shift.Report // the last X or Z report
	var count string             // the count the count steps work on
	var doc string               // the document the receiving and transfer steps work on
	var ord string               // the customer order the order steps work on
	var stock *pos.Result        // the last stock step's result
	for i, st := range steps {
		if st.Expect != nil && (st.Expect.What == "onhand" || st.Expect.What == "counted") {
			if err := checkStock(st.Expect, stock, lastErr); err != nil {
				return &StepError{Step: st, Err: err}
			}
			continue
		}
		if st.Expect != nil && st.Expect.What == "report" {
			if err := checkReport(st.Expect, lastReport, lastErr, digits); err != nil {
				return &StepError{Step: st, Err: err}
			}
			continue
		}
		if st.Expect != nil {
			if err := check(st.Expect, last, lastErr, digits); err != nil {
				return &StepError{Step: st, Err: err}
			}
			if st.Expect.What == "error" {
				lastErr = nil
			}
			continue
		}
		if lastErr != nil {
			return &StepError{Step: lastStep, Err: lastErr}
		}
		res, err := reg.Do(ctx, withOrder(withDoc(withCount(st.Op, count), doc), ord))
		lastStep = st
		if err != nil {
			lastErr = err
			fmt.Fprintf(out, "! %s: %s (%s)\n", st.Text, err.Error(), poserr.KindOf(err))
			if i == len(steps)-1 {
				return &StepError{Step: st, Err: err}
			}
			continue
		}
		lastErr = nil
		if res.Report != nil {
			lastReport = res.Report
		}
		if res.Inventory != nil || res.Count != nil {
			stock = &res
			if res.Count != nil {
				count = res.Count.Count.ID
			}
		}
		if res.Doc != nil {
			doc = res.Doc.Doc.ID
		}
		if res.Order != nil {
			ord = res.Order.ID
		}
		if len(res.Orders) > 0 {
			ord = res.Orders[0].ID // the first listed, as "order use" takes it
		}
		switch {
		case res.Completed != nil:
			last = res.Completed
		case res.Cart != nil:
			last = res.Cart
		}
		report(out, st, res, digits, opt.Width, reg.Setup().Header)
	}
	if lastErr != nil {
		return &StepError{Step: lastStep, Err: lastErr}
	}
	return nil
}

func report(out io.Writer, st Step, res pos.Result, digits, width int, header receipt.Header) {
	if reportStock(out, st, res) || reportDocs(out, st, res) || reportOrders(out, st, res) {
		return
	}
	switch {
	case res.Report != nil:
		fmt.Fprintf(out, "> %s\n%s\n", st.Text, receipt.NewShiftReport(*res.Report, header).Text(width))
	case res.Shifts != nil:
		fmt.Fprintf(out, "> %s: %d shifts\n", st.Text, len(res.Shifts))
		for _, sh := range res.Shifts {
			fmt.Fprintf(out, "    %s  %s  %s  by %s\n", sh.ID, sh.Status, sh.Terminal, sh.OpenedBy)
		}
	case res.Shift != nil:
		fmt.Fprintf(out, "> %s: shift %s %s\n", st.Text, res.Shift.ID, res.Shift.Status)
	case res.Receipt != nil:
		fmt.Fprintf(out, "> %s\n%s\n", st.Text, res.Receipt.Text(width))
	case res.Products != nil:
		fmt.Fprintf(out, "> %s: %d found\n", st.Text, len(res.Products))
		for _, p := range res.Products {
			fmt.Fprintf(out, "    %-8s %-40s %10s\n", p.ID, p.Name, p.Price.Format(digits))
		}
	case res.Product != nil:
		fmt.Fprintf(out, "> %s: %s %s\n", st.Text, res.Product.Name, res.Product.Price.Format(digits))
	case res.Suspended != nil:
		fmt.Fprintf(out, "> %s: %d suspended\n", st.Text, len(res.Suspended))
		for _, s := range res.Suspended {
			fmt.Fprintf(out, "    %s  %d lines  %s  by %s at %s\n", s.ID, s.Lines, money.Amount(s.Total).Format(digits), s.Operator, s.At)
		}
	case res.Cart != nil:
		fmt.Fprintf(out, "> %s: total %s, due %s\n", st.Text, res.Cart.Totals.Total.Format(digits), res.Cart.Totals.Remaining.Format(digits))
	default:
		fmt.Fprintf(out, "> %s: ok\n", st.Text)
	}
}

func check(e *Expect, c *cart.Cart, lastErr error, digits int) error {
	if e.What == "error" {
		got := "none"
		if lastErr != nil {
			got = poserr.KindOf(lastErr).String()
		}
		if got != e.Kind {
			if lastErr != nil {
				return fmt.Errorf("expected error %s, got %s: %v", e.Kind, got, lastErr)
			}
			return fmt.Errorf("expected error %s, but the step succeeded", e.Kind)
		}
		return nil
	}
	if lastErr != nil {
		return lastErr
	}
	if c == nil {
		return errors.New("no transaction to check")
	}
	t := c.Totals
	var got money.Amount
	switch e.What {
	case "lines":
		if n := len(c.Active()); n != e.Count {
			return fmt.Errorf("expected %d lines, have %d", e.Count, n)
		}
		return nil
	case "total":
		got = t.Total
	case "due":
		got = t.Due
	case "paid":
		got = t.Paid
	case "change":
		got = t.Change
	case "tax":
		got = t.Tax
	case "discounts":
		got = t.Discounts
	case "remaining":
		got = t.Remaining
	case "rounding":
		got = t.Rounding
	default:
		return fmt.Errorf("cannot check %q", e.What)
	}
	if got != e.Amount {
		return fmt.Errorf("expected %s %s, have %s", e.What, e.Amount.Format(digits), got.Format(digits))
	}
	return nil
}

// checkStock checks an "expect onhand" or "expect counted" step against the
// last stock step.
func checkStock(e *Expect, res *pos.Result, lastErr error) error {
	if lastErr != nil {
		return lastErr
	}
	var got catalog.Qty
	switch {
	case e.What == "onhand" && res != nil && res.Inventory != nil:
		got = res.Inventory.Here.OnHand
	case e.What == "counted" && res != nil && res.Count != nil && res.Count.Line != nil:
		got = res.Count.Line.Total()
	default:
		return fmt.Errorf("expect %s: no %s step before it", e.What, map[string]string{"onhand": "stock or adjust", "counted": "count scan, set or recount"}[e.What])
	}
	if got != e.Qty {
		return fmt.Errorf("expected %s %s, have %s", e.What, e.Qty.Format(3), got.Format(3))
	}
	return nil
}

// Kinds lists the error kinds an "expect error" step may name.
func Kinds() string {
	var ks []string
	for k := poserr.Other; k <= poserr.Storage; k++ {
		ks = append(ks, k.String())
	}
	return strings.Join(ks, ", ")
}
