package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// ReceiptMailer queues a receipt to be sent by e-mail: durably, so that it
// goes when the mail relay can be reached (offline too, it is kept).
type ReceiptMailer interface {
	QueueReceipt(ctx context.Context, to string, r *receipt.Receipt) error
}

// OpEmailReceipt sends a receipt by e-mail (ours).
const OpEmailReceipt OpID = 4050

// EmailReceipt sends the receipt of ReceiptNo ("" = the last one) to To
// ("" = the e-mail address of the transaction's customer).
type EmailReceipt struct {
	ReceiptNo string
	To        string
}

// OpID of EmailReceipt.
func (EmailReceipt) OpID() OpID { return OpEmailReceipt }

func (r *Register) emailReceipt(ctx context.Context, o EmailReceipt) (Result, error) {
	if r.opt.Mailer == nil {
		return Result{}, poserr.E(poserr.Conflict, "error.mail.none", "receipts by e-mail are not set up on this till (mail.toml in the data folder)")
	}
	no := strings.TrimSpace(o.ReceiptNo)
	if no == "" {
		no = r.last
	}
	if no == "" {
		return Result{}, poserr.E(poserr.NotFound, "error.reprint.none", "no receipt has been printed on this till since sign-in; give a receipt number")
	}
	c, _, err := r.store.Transaction(ctx, no)
	if err != nil {
		return Result{}, err
	}
	to := strings.TrimSpace(o.To)
	if to == "" && c.Customer != "" {
		if cu, err := r.customer(ctx, c.Customer); err == nil {
			to = cu.Email
		}
	}
	if err := checkAddress(to); err != nil {
		return Result{}, err
	}
	rc := receipt.Build(c, r.setup.Header, r.operator.Name)
	rc.Copy = o.ReceiptNo != "" && no != r.last
	if err := r.opt.Mailer.QueueReceipt(ctx, to, rc); err != nil {
		return Result{}, err
	}
	e := r.entry(journal.Reprint, OpEmailReceipt)
	e.TxnID, e.ReceiptNo = c.ID, c.ReceiptNo
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	return Result{Receipt: rc, MailedTo: to}, nil
}

// checkAddress says what is wrong with an e-mail address to send to.
func checkAddress(to string) error {
	if !customer.ValidEmail(to) {
		e := poserr.E(poserr.Invalid, "error.mail.address", "give the e-mail address to send the receipt to, as name@example.com")
		e.Args = map[string]any{"field": "email"}
		return e
	}
	return nil
}

// mailIfAsked queues the receipt of a completed sale for a customer who
// wants receipts by e-mail. The sale is saved whatever happens here; a
// failure comes back for the screen to say.
func (r *Register) mailIfAsked(ctx context.Context, c *cart.Cart, rc *receipt.Receipt) (string, error) {
	if r.opt.Mailer == nil || c.Customer == "" || c.Status != cart.Completed {
		return "", nil
	}
	cu, err := r.customer(ctx, c.Customer)
	if err != nil || !cu.ReceiptsByEmail() {
		return "", nil
	}
	if err := r.opt.Mailer.QueueReceipt(ctx, cu.Email, rc); err != nil {
		return "", err
	}
	return cu.Email, nil
}

func mailOps(g *Registry) {
	builtin(g, OpSpec{ID: OpEmailReceipt, Name: "E-mail receipt", Permission: perm(OpEmailReceipt), Offline: true, Group: GroupTransaction,
		Doc: "Send a receipt by e-mail (to the customer's address, or one typed); queued on the till and sent when the mail relay can be reached."},
		func(r *Register, ctx context.Context, o EmailReceipt, _ *authority) (Result, error) {
			return r.emailReceipt(ctx, o)
		})
}
