package apimap_test

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// The fixtures are realistic values with every field set (but the ones the
// wire never carries), so that a field a mapper forgets fails a test.

var (
	t0 = time.Date(2026, 12, 3, 9, 30, 15, 123456789, time.UTC)
	t1 = t0.Add(26 * time.Hour)
	t2 = t0.Add(72 * time.Hour)
)

func fullProduct() catalog.Product {
	return catalog.Product{ID: "10042-RED-M", ItemID: "10042", VariantID: "RED-M", Color: "Red", Size: "M", Name: "Merino jumper",
		Category: "Knitwear", Department: "Fashion", Unit: "ea", Price: 7995, PriceUnit: 2 * catalog.One, TaxGroup: "STD",
		Barcodes: []string{"4006381333931", "4006381333948"},
		Flags:    catalog.Flags{Weighed: true, MustKeyInPrice: true, NoDiscount: true, NotReturnable: true, NoOverride: true},
		Image:    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
}

func fullRole() staff.Role {
	return staff.Role{ID: "manager", Name: "Store manager", Permissions: []staff.Permission{101, 102, 201, 517},
		Limits:  staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 50000, AllowPriceOverride: true, MaxPriceOverrideBP: 2500},
		Manager: true}
}

func fullOperator() staff.Operator {
	return staff.Operator{ID: "2001", Name: "Morgan Manager", RoleID: "manager", Language: "de",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo",
		FailedLogins: 2, Locked: true, Stores: []string{"S0001", "S0002"}}
}

func fullSetup() pos.Setup {
	return pos.Setup{
		StoreID: "S0001", StoreName: "OpenTill Demo Market", TerminalID: "T01",
		Currency: money.EUR,
		Tax:      tax.Config{Inclusive: true, Level: tax.PerTotal, Round: money.HalfEven},
		TaxGroups: map[string]tax.Group{
			"STD": {ID: "STD", Name: "Standard rate", Codes: []tax.Code{{ID: "VAT19", Name: "VAT 19 %", Rate: 190000}}},
			"NYC": {ID: "NYC", Name: "New York City", Codes: []tax.Code{{ID: "STATE", Name: "State", Rate: 40000}, {ID: "CITY", Name: "City", Rate: 48750}}},
		},
		Round: money.Down,
		TenderTypes: []tender.Type{
			{ID: "cash", Name: "Cash", Kind: cart.Cash, GivesChange: true, AllowOvertender: true, MaxOvertender: 20000, AllowUndertender: true,
				RoundingStep: 5, MaxAmount: 500000, OpensDrawer: true, AllowRefund: true, Foreign: money.Currency{Code: "EUR", Digits: 2}},
			{ID: "usd", Name: "US dollars", Kind: cart.Currency, GivesChange: true, AllowOvertender: true, MaxOvertender: 10000, AllowUndertender: true,
				RoundingStep: 1, MaxAmount: 100000, OpensDrawer: true, AllowRefund: true, Foreign: money.USD},
		},
		Masks: []barcode.Mask{
			{Prefix: "28", Embedded: barcode.Price, ItemDigits: 5, ValueDigits: 4, Decimals: 2, PriceCheck: true, Layout: "PPIIIIICVVVVK"},
			{Prefix: "21", Embedded: barcode.Weight, ItemDigits: 5, ValueDigits: 5, Decimals: 3, PriceCheck: true, Layout: "PPIIIIIVVVVVK"},
		},
		Header: receipt.Header{StoreName: "OpenTill Demo Market", Address: "Marktplatz 1\n10115 Berlin", Phone: "+49 30 1234567",
			TaxID: "DE123456789", Lines: []string{"Open Mon–Sat 8–20"}, Footer: []string{"Thank you!", "Returns within 30 days."},
			TimeZone: "Europe/Berlin", Language: "de", Locale: "de-DE", SignatureLines: true},
		MaxQuantity: 500_000,
		Shifts: shift.Policy{Required: true, VoidSuspendedAtClose: true, Denominations: []money.Amount{5000, 2000, 1000, 500, 200, 100, 50},
			ManagerMayOverdraw: true, OverShortLimit: 500},
		Accounts:           []shift.Account{{ID: "lottery", Name: "Lottery", Kind: shift.IncomeAccount}, {ID: "postage", Name: "Postage", Kind: shift.ExpenseAccount}},
		CustomerAttributes: []string{"Size", "Preferred brand"},
		Loyalty: &loyalty.Programme{Name: "OpenTill Club", PointsPerUnit: 2, CategoryBP: map[string]int64{"Coffee": 20000, "Tea": 15000},
			Tiers: []loyalty.Tier{{Name: "Silver", MinPoints: 100, EarnBP: 10000}, {Name: "Gold", MinPoints: 1000, EarnBP: 15000}}, PointValue: 1, OfflineCap: 2000},
		GiftCards:        &storedvalue.Policy{OfflineCap: 5000, CashOutMax: 1000, MaxValue: 50000, MinIssue: 500},
		CustomerAccounts: &storedvalue.Policy{OfflineCap: 10000, CashOutMax: 1, MaxValue: 200000, MinIssue: 100},
		ExchangeRates:    map[string]money.Rate{"USD": 923400, "CHF": 1061500},
		RefundToOriginal: true,
		OfflineCards:     &tender.OfflinePolicy{MaxPerSale: 10000, MaxPerTill: 30000, MaxPerWindow: 50000, WindowHours: 12},
		Inventory: &inventory.Settings{Reasons: []inventory.Reason{{Code: "damaged", Name: "Beschädigt", Sign: inventory.Down}, {Code: "found", Name: "Gefunden", Sign: inventory.Up}},
			RecountQty: 3 * catalog.One, RecountPercent: 500, MaxAdjustment: 200 * catalog.One, OverReceipt: -1, UnderReceipt: 250},
		ReturnsAnyStore: true,
		Orders:          &order.Settings{DepositPercent: 2000, CancelPercent: 1000, QuoteDays: 14},
	}
}

func fullOrder() order.Order {
	return order.Order{ID: "01a21bcd-fcef-7699-935e-5a8bb2bc0070", Number: "CO-1A2B3C", Quote: true, Store: "S0001", StoreName: "OpenTill Demo Market",
		Customer: "C000001", CustomerName: "Anna Berg", Phone: "+49 170 1234567", Currency: money.EUR,
		Lines: []order.Line{
			{No: 1, ProductID: "10042-RED-M", ItemID: "10042", Name: "Merino jumper", Unit: "ea", UnitDecimals: 0, Qty: 2 * catalog.One, UnitPrice: 7995,
				Discount: 800, Net: 15190, Tax: 2425, TaxGroup: "STD", Amount: 15190, Mode: order.Ship, Store: "S0002", Date: t1,
				Address: "Hauptstr. 5, 80331 München", Picked: 2 * catalog.One, Packed: catalog.One, Done: catalog.One, Cancelled: 500},
			{No: 2, ProductID: "20001", ItemID: "20001", Name: "Cheese", Unit: "kg", UnitDecimals: 3, Qty: 1250, UnitPrice: 2490,
				Discount: 1, Net: 3112, Tax: 204, TaxGroup: "RED", Amount: 3316, Mode: order.Pickup, Store: "S0001", Date: t2,
				Address: "-", Picked: 1250, Packed: 1250, Done: 250, Cancelled: 1},
		},
		Deposit: 3700, Overridden: true, Paid: 3700, CancelCharge: 150, Cancelled: true, Created: t0, Expires: t2, Operator: "1001",
		Applied: []string{"ev-1", "ev-2"}}
}

func fullOrderEvent() order.Event {
	o := fullOrder()
	return order.Event{ID: "ev-3", OrderID: o.ID, Kind: order.Edit, Order: &o,
		Change: &order.Change{Name: "Anna Berg-Meyer", Phone: "+49 170 7654321", Lines: []int{1, 2}, Store: "S0003", Date: t2, Address: "Ring 1, Köln"},
		Lines:  []order.EventLine{{No: 1, Qty: catalog.One}, {No: 2, Qty: 250}}, Amount: 1200, Charge: 150, Store: "S0001", Operator: "1001", At: t1}
}

func fullCustomer() customer.Customer {
	return customer.Customer{ID: "01a21bcd-fcef-7699-935e-5a8bb2bc0080", Number: "C000001", FirstName: "Anna", LastName: "Berg",
		Phone: "+49 170 1234567", Email: "anna@example.org", LoyaltyCard: "LC-0001-0002", Birthday: "1984-05-17", Store: "S0001",
		Associate: "3001", MergedInto: "01a21bcd-fcef-7699-935e-5a8bb2bc0081", Aliases: []string{"C000007", "C000009"},
		Consent: customer.Consent{EmailMarketing: true, EmailReceipts: true}, Created: t0, CreatedBy: "1001", Updated: t1, UpdatedBy: "1002",
		Version:    4,
		Stamps:     map[string]customer.Stamp{"phone": {At: t1, By: "S0001/T01"}, "attr.Size": {At: t0, By: "S0002/T03"}},
		History:    []customer.Earlier{{Field: "phone", Value: "+49 170 0000000", At: t0, By: "S0001/T02"}},
		Attributes: map[string]string{"Size": "M", "Preferred brand": "Acme"},
		Notes: []customer.Note{{ID: "n-1", At: t0, By: "3001", Till: "S0001/T01", Kind: customer.NoteReminder, Text: "Call when the jumper is in",
			Due: t2, Done: true}},
		Wishes: []customer.Wish{{ProductID: "10042-RED-M", Name: "Merino jumper", Added: true, Stamp: customer.Stamp{At: t1, By: "S0001/T01"}}},
	}
}

func fullDoc() inventory.Doc {
	return inventory.Doc{ID: "po-1", Kind: inventory.TransferOrder, Number: "TO-1001", From: "S0002", FromName: "Berlin Mitte", To: "S0001",
		ToName: "OpenTill Demo Market", DeliveryDate: t2, Created: t0, Closed: true,
		Lines:  []inventory.DocLine{{ProductID: "10000", Ordered: 5000, Shipped: 4000, Received: 2000}, {ProductID: "20001", Ordered: 1250, Shipped: 1250, Received: 1250}},
		Posted: []string{"sh-1", "rc-1"}}
}

func fullDocPost() inventory.DocPost {
	return inventory.DocPost{ID: "rc-1", DocID: "po-1", Kind: inventory.Receiving,
		Lines: []inventory.PostLine{{ProductID: "10000", Qty: 2000}, {ProductID: "20001", Qty: 1250}}, Close: true, Operator: "3001", At: t1}
}

func fullAdjustment() inventory.AdjustmentRecord {
	return inventory.AdjustmentRecord{ID: "adj-1", StoreID: "S0001", ProductID: "10000", Qty: -2000, Reason: "damaged", Note: "dropped",
		Operator: "1001", Approver: "2001", At: t0}
}

func fullCount() inventory.Count {
	return inventory.Count{ID: "cnt-1", StoreID: "S0001", Name: "December count", Scheduled: true, Status: inventory.Posted,
		Created: t0, Posted: t1, PostedBy: "2001", Products: []string{"10000", "20001"}}
}

func fullCountLines() []inventory.CountLine {
	return []inventory.CountLine{
		{ProductID: "10000", Counted: 12000, Others: 3000, Scans: 12, CountedAt: t0, Recounted: true, Expected: 14000},
		{ProductID: "20001", Counted: 1250, Others: 250, Scans: 1, CountedAt: t1, Recounted: true, Expected: 1500},
	}
}

// journalKey is the fixtures' signing key.
func journalKey() (*journal.Key, error) {
	return journal.NewKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
}

// journalEntries are an unsigned entry and a signed one after it.
func journalEntries() (unsigned, signed journal.Entry) {
	k, err := journalKey()
	if err != nil {
		panic(err)
	}
	unsigned = journal.Entry{Time: t0, Kind: journal.Sale, Operation: 301, TxnID: "t1", ReceiptNo: "S0001-T01-000001", Operator: "1001",
		Approver: "2001", Payload: json.RawMessage(`{"total":1}`)}
	journal.Seal(&unsigned, 0, "")
	signed = journal.Entry{Time: t1, Kind: journal.Override, Operation: 105, TxnID: "t2", ReceiptNo: "S0001-T01-000002", Operator: "1001",
		Approver: "2001", Payload: json.RawMessage(`{"total":2}`)}
	journal.SealSigned(&signed, unsigned.Head(), k)
	return unsigned, signed
}

// emptySetup has every collection made but empty and every optional part
// present but zero: null, [] and {} must stay apart on the wire.
func emptySetup() pos.Setup {
	return pos.Setup{TaxGroups: map[string]tax.Group{"X": {Codes: []tax.Code{}}}, TenderTypes: []tender.Type{{}}, Masks: []barcode.Mask{},
		Header: receipt.Header{Lines: []string{}, Footer: []string{}}, Shifts: shift.Policy{Denominations: []money.Amount{}},
		Accounts: []shift.Account{}, CustomerAttributes: []string{},
		Loyalty:   &loyalty.Programme{CategoryBP: map[string]int64{}, Tiers: []loyalty.Tier{}},
		GiftCards: &storedvalue.Policy{}, CustomerAccounts: &storedvalue.Policy{}, ExchangeRates: map[string]money.Rate{},
		OfflineCards: &tender.OfflinePolicy{}, Inventory: &inventory.Settings{Reasons: []inventory.Reason{}}, Orders: &order.Settings{}}
}
