package pos

// Receipt fields: extensions' lines on the receipt of a completed
// transaction. Kept to one interface and one function (decorateReceipt) so
// that it can be wired into another receipt model without touching the
// extensions: an extension returns plain lines for the header, under a
// line, and for the footer.

import (
	"context"
	"fmt"
	"strings"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// ReceiptLines are an extension's lines for one receipt.
type ReceiptLines struct {
	Header []string         `json:"header,omitempty"` // under the store's header lines
	Lines  map[int][]string `json:"lines,omitempty"`  // by the cart's line number, under the line
	Footer []string         `json:"footer,omitempty"` // above the store's footer lines
}

// ReceiptFields gives an extension's lines for the receipt of a completed
// (or voided) transaction. It is called with the register's deadline; a
// panic, an overrun or an error leaves its lines out, switches the extension
// off and is reported like a failed trigger. The receipt prints regardless.
type ReceiptFields func(ctx context.Context, c *cart.Cart, v View) (ReceiptLines, error)

type receiptField struct {
	hook *Hook // for the deadline and the bookkeeping of failures
	f    ReceiptFields
}

// AddReceiptFields registers an extension's receipt fields, called as h
// says: its Extension, Timeout and Isolated (its Ops and triggers are not
// read).
func (r *Register) AddReceiptFields(h Hook, f ReceiptFields) error {
	if h.Extension == "" {
		return fmt.Errorf("receipt fields need their extension's ID")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ext.fields = append(r.ext.fields, receiptField{hook: &Hook{Extension: h.Extension, Timeout: h.Timeout, Isolated: h.Isolated, w: &hookWorker{}}, f: f})
	return nil
}

// ReceiptExtras keeps the extensions' lines of a transaction's receipt, so
// that a reprint shows the receipt as it was printed. The offline store
// implements it; a store without it reprints without extension lines.
type ReceiptExtras interface {
	PutReceiptExtras(ctx context.Context, txnID string, lines []ReceiptLines) error
	ReceiptExtras(ctx context.Context, txnID string) ([]ReceiptLines, error)
}

// decorateReceipt adds the extensions' lines to rc, the receipt of done,
// and keeps them for reprints. Called with the lock held, after the
// transaction is stored.
func (r *Register) decorateReceipt(ctx context.Context, rc *receipt.Receipt, done *cart.Cart) {
	if len(r.ext.fields) == 0 || rc == nil {
		return
	}
	var all []ReceiptLines
	for _, rf := range r.ext.fields {
		if _, off := r.ext.disabled[rf.hook.Extension]; off {
			continue
		}
		v := r.view(rf.hook.Extension, nil) // the transaction is done: the receipt's cart is the one to read
		if done.Customer != "" {
			v.Customer = &CustomerView{ID: done.Customer, Name: done.CustomerName}
		}
		got, err := callHook[ReceiptLines](r, ctx, rf.hook, nil, fieldCall{rf.f, done, v})
		v.cart.expire()
		if err != nil {
			if ev, _ := r.disable(ctx, rf.hook, OpID(0), err); ev != nil { // journaled when the store can; the receipt prints anyway
				r.event(*ev)
			}
			continue
		}
		if len(got.Header)+len(got.Lines)+len(got.Footer) > 0 {
			all = append(all, got)
		}
	}
	applyReceiptLines(rc, all)
	if keep, ok := r.store.(ReceiptExtras); ok && len(all) > 0 {
		// The sale is stored and its receipt prints whatever happens here:
		// a copy that cannot be kept only leaves the reprint without these
		// lines, which the event says.
		if err := keep.PutReceiptExtras(ctx, done.ID, all); err != nil {
			r.event(Event{Type: ReceiptExtrasLost, Cart: done, Err: poserr.Wrap(err, poserr.Storage, "error.receipt.extras",
				"the extensions' receipt lines of %s could not be kept: a reprint will show the receipt without them", done.ReceiptNo)})
		}
	}
}

// reprintExtras adds to a reprint the extensions' lines its receipt had.
func (r *Register) reprintExtras(ctx context.Context, rc *receipt.Receipt, txnID string) error {
	keep, ok := r.store.(ReceiptExtras)
	if !ok {
		return nil
	}
	all, err := keep.ReceiptExtras(ctx, txnID)
	if err != nil {
		return err
	}
	applyReceiptLines(rc, all)
	return nil
}

// applyReceiptLines puts extensions' lines on a receipt: headers under the
// store's header, lines under their sales lines, footers above the store's
// footer, in the extensions' order.
func applyReceiptLines(rc *receipt.Receipt, all []ReceiptLines) {
	if len(all) == 0 {
		return
	}
	header := append([]string(nil), rc.Header.Lines...)
	var footer []string
	for _, got := range all {
		header = append(header, got.Header...)
		footer = append(footer, got.Footer...)
		for i := range rc.Lines {
			if more := got.Lines[rc.Lines[i].No]; len(more) > 0 {
				rc.Lines[i].Comment = strings.Join(append(nonEmpty(rc.Lines[i].Comment), more...), "; ")
			}
		}
	}
	rc.Header.Lines = header
	rc.Header.Footer = append(footer, rc.Header.Footer...)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
