package pos_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// outbox is an in-memory pos.ReceiptMailer.
type outbox struct {
	mu   sync.Mutex
	sent map[string][]string // address → receipt numbers
}

func (o *outbox) QueueReceipt(_ context.Context, to string, r *receipt.Receipt) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sent == nil {
		o.sent = map[string][]string{}
	}
	o.sent[to] = append(o.sent[to], r.ReceiptNo)
	return nil
}

func TestEmailReceipt(t *testing.T) {
	tl := newTill(t, true)
	mails := &outbox{}
	tl.Register = pos.NewRegister(testSetup(true), tl.store, pos.Options{Terminal: tl.term, Mailer: mails,
		Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})

	// A customer who wants receipts by e-mail gets them with every sale.
	cu := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Lena", LastName: "Post", Email: "lena@example.com",
		Consent: customer.Consent{EmailReceipts: true}}, AddToSale: true}).Customer
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	res := tl.do(t, pos.PayCashExact{})
	assert.Equal(t, "lena@example.com", res.MailedTo)
	assert.NoError(t, res.MailErr)
	first := res.Completed.ReceiptNo

	// Another sale, no customer: nothing goes; then the cashier sends it.
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	res = tl.do(t, pos.PayCashExact{})
	assert.Empty(t, res.MailedTo)
	tl.do(t, pos.EmailReceipt{To: "jo@example.org"})
	err := tl.fail(t, pos.EmailReceipt{To: "not an address"})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err))
	// An earlier receipt to the customer's own address.
	tl.do(t, pos.EmailReceipt{ReceiptNo: first, To: cu.Email})
	assert.Equal(t, map[string][]string{"lena@example.com": {first, first}, "jo@example.org": {res.Completed.ReceiptNo}}, mails.sent)

	// A till without mail says so.
	bare := newTill(t, true)
	bare.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	err = bare.fail(t, pos.EmailReceipt{To: "jo@example.org"})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
}
