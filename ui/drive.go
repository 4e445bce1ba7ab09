package ui

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos"
)

// The methods below drive the screens the way a cashier would (typing into
// the fields and pressing the same buttons); the screenshot tour, the
// start-up benchmark and tests use them. Call them on the UI goroutine.

// SignIn types an operator ID and secret on the sign-in screen and submits.
// It returns the message shown when sign-in failed.
func (u *UI) SignIn(id, secret string) string {
	if u.screen != "signin" {
		u.showSignIn()
	}
	u.signin.id.SetText(id)
	u.signin.secret.SetText(secret)
	u.submitSignIn()
	if u.screen == "signin" {
		return u.signin.status.Text
	}
	return ""
}

// Scan enters a code in the scan field and presses Enter, as a keyboard-wedge scanner does.
func (u *UI) Scan(code string) {
	if u.screen != "sell" {
		u.showSell()
	}
	u.sell.scan.SetText(code)
	u.sell.scan.OnSubmitted(code)
}

// Search types a query into the product search.
func (u *UI) Search(q string) []string {
	if u.screen != "sell" {
		u.showSell()
	}
	u.sell.search.SetText(q)
	var names []string
	for _, p := range u.sell.products {
		names = append(names, p.Name)
	}
	return names
}

// OpenShift opens a shift with the start amount given, as a cashier does
// on the shift screen that sign-in leads to when the store requires a shift
// and none is open. It returns the message shown when that failed.
func (u *UI) OpenShift(amount string) string {
	if u.screen != "shift" {
		u.showShift()
	}
	a, ok := u.parseAmount(amount)
	if !ok {
		return u.L.T("shift.bad_amount")
	}
	var failed string
	_, err := u.reg.Do(context.Background(), pos.OpenShift{StartAmount: a})
	u.events.Flush()
	if err != nil {
		failed = u.L.Error(err)
	}
	u.refreshShift()
	return failed
}

// OpenHome shows the home screen.
func (u *UI) OpenHome() { u.showHome() }

// OpenSell shows the sell screen.
func (u *UI) OpenSell() { u.showSell() }

// OpenPayment shows the payment screen with an amount typed on its pad.
func (u *UI) OpenPayment(amount string) {
	u.showPay()
	u.pay.SetAmount(strings.TrimSpace(amount))
}

// PayCash tenders the amount on the payment pad in cash.
func (u *UI) PayCash() {
	if u.pay != nil {
		u.pay.payCash()
	}
}

// OpenPromotions opens the sale's promotions, as the Promotions button does.
func (u *UI) OpenPromotions() { u.promotionsDialog() }

// CloseDialog closes the dialog on show.
func (u *UI) CloseDialog() { u.closeDialog() }

// firstCustomer is the first customer a search finds ("" for none).
func (u *UI) firstCustomer(q string) string {
	r, err := u.reg.Do(context.Background(), pos.CustomerSearch{Query: q, Limit: 1})
	if err != nil || len(r.Customers) == 0 {
		return ""
	}
	return r.Customers[0].ID
}

// AddCustomer puts the first customer a search finds on the sale.
func (u *UI) AddCustomer(q string) {
	if id := u.firstCustomer(q); id != "" {
		u.do(pos.AddCustomer{ID: id}, func(pos.Result) { u.refreshCart() })
	}
}

// OpenCustomers opens the customer search with a query typed.
func (u *UI) OpenCustomers(q string) {
	u.customersDialog()
	u.customersV.search.SetText(q)
}

// OpenCustomerPage opens the page of the first customer a search finds.
func (u *UI) OpenCustomerPage(q string) {
	if id := u.firstCustomer(q); id != "" {
		u.customerPageDialog(id)
	}
}

// LookUpStock opens the stock screen and looks a product's stock up.
func (u *UI) LookUpStock(code string) {
	u.showStock()
	if v := u.stockV; v != nil && v.code != nil {
		v.code.SetText(code)
		u.lookUp()
	}
}

// CountStock starts a stock count named name and counts each code once, as
// a clerk scanning the shelf does.
func (u *UI) CountStock(name string, codes ...string) {
	u.do(pos.StockCount{Action: pos.CountStart, Name: name}, func(res pos.Result) {
		if res.Count == nil {
			return
		}
		u.openCountThen(res.Count.Count.ID, func() {
			for _, c := range codes {
				if v := u.Count(); v != nil {
					v.scan.SetText(c)
					u.countScan(pos.CountScan)
				}
			}
		})
	})
}

// ReceiveStock opens the first document to receive and scans each code
// once, as a clerk unpacking a delivery does.
func (u *UI) ReceiveStock(codes ...string) {
	u.do(pos.InboundOrder{}, func(res pos.Result) {
		for _, d := range res.Docs {
			if !d.Receivable() {
				continue
			}
			u.do(pos.InboundOrder{Action: pos.DocOpen, DocID: d.ID}, func(res pos.Result) {
				u.sell, u.pay = nil, nil
				u.show("doc", u.docScreen(res.Doc, true))
				for _, c := range codes {
					u.docV.scan.SetText(c)
					u.docScan(pos.DocScan)
				}
			})
			return
		}
	})
}

// MakeOrder rings codes up on the sell screen and fills the customer-order
// form for the customer name, to pick up at store (this store when empty);
// the form stays open (SubmitOrder sends it).
func (u *UI) MakeOrder(name, store string, codes ...string) {
	u.showSell()
	for _, c := range codes {
		u.Scan(c)
	}
	if u.sell == nil {
		return
	}
	u.sell.customerOrder(func(f *orderForm) {
		f.name.SetText(name)
		if store != "" {
			f.mode.SetSelectedIndex(modeThere)
			f.store.SetText(store)
		}
	})
}

// SubmitOrder sends the open customer-order form and, once the order is
// made, pays its deposit in cash, exactly.
func (u *UI) SubmitOrder() {
	f := u.orderF
	if f == nil || f.dialog == nil {
		return
	}
	f.done = func() { u.do(pos.PayCashExact{}, u.paid) }
	f.dialog.Submit()
}

// OpenOrders shows the orders screen with the newest order's dialog open.
func (u *UI) OpenOrders() {
	u.do(pos.RecallOrder{}, func(r pos.Result) {
		u.showOrders()
		if len(r.Orders) > 0 {
			u.orderDialog(r.Orders[0])
		}
	})
}
