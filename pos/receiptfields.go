package pos

// Receipt fields: extensions' lines on the receipt of a completed
// transaction. Kept to one interface and one function (decorateReceipt) so
// that it can be wired into another receipt model without touching the
// extensions: an extension returns plain lines for the header, under a
// line, and for the footer.

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/cart"
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

// AddReceiptFields registers an extension's receipt fields.
func (r *Register) AddReceiptFields(extension string, f ReceiptFields) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ext.fields = append(r.ext.fields, receiptField{hook: &Hook{Extension: extension, w: &hookWorker{}}, f: f})
}

// decorateReceipt adds the extensions' lines to rc, the receipt of done.
// Called with the lock held, after the transaction is stored.
func (r *Register) decorateReceipt(ctx context.Context, rc *receipt.Receipt, done *cart.Cart) {
	if len(r.ext.fields) == 0 || rc == nil {
		return
	}
	header := append([]string(nil), rc.Header.Lines...)
	var footer []string
	for _, rf := range r.ext.fields {
		if _, off := r.ext.disabled[rf.hook.Extension]; off {
			continue
		}
		v := r.view(rf.hook.Extension)
		v.cart = nil // the transaction is done: the receipt's cart is the one to read
		if done.Customer != "" {
			v.Customer = &CustomerView{ID: done.Customer, Name: done.CustomerName}
		}
		var got ReceiptLines
		err := r.callHook(ctx, rf.hook, func(ctx context.Context) error {
			var err error
			got, err = rf.f(ctx, snapshot(done), v)
			return err
		})
		v.cart.expire()
		if err != nil {
			if ev, _ := r.disable(ctx, rf.hook, OpID(0), err); ev != nil { // journaled when the store can; the receipt prints anyway
				r.event(*ev)
			}
			continue
		}
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
