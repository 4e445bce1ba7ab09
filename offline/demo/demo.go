// Package demo builds the deterministic demo store: its setup (store,
// currency, VAT, tenders, receipt header), staff with demo PINs, and any
// number of realistic products, and seeds a data folder with them.
package demo

import (
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// Demo store identity.
const (
	StoreID    = "S0001"
	TerminalID = "T01"
	StoreName  = "OpenTill Demo Market"
)

// Tax group IDs of the demo store.
const (
	TaxStandard = "STD"  // 19 %
	TaxReduced  = "RED"  // 7 %
	TaxZero     = "ZERO" // 0 %
)

// Tender type IDs of the demo store.
const (
	TenderCash = "cash"
	TenderCard = "card"
)

// Setup returns the demo store's configuration: EUR, prices including VAT
// (19 %, 7 %, 0 %) rounded half-up per rate on the total, cash and card, the
// default in-store barcode masks (21/22 weight, 23/24 price, 25 quantity).
func Setup() pos.Setup {
	return pos.Setup{
		StoreID:    StoreID,
		StoreName:  StoreName,
		TerminalID: TerminalID,
		Currency:   money.EUR,
		Tax:        tax.Config{Inclusive: true, Level: tax.PerTotal, Round: money.HalfUp},
		TaxGroups: map[string]tax.Group{
			TaxStandard: {ID: TaxStandard, Name: "Standard rate", Codes: []tax.Code{{ID: "VAT19", Name: "VAT 19 %", Rate: 190000}}},
			TaxReduced:  {ID: TaxReduced, Name: "Reduced rate", Codes: []tax.Code{{ID: "VAT7", Name: "VAT 7 %", Rate: 70000}}},
			TaxZero:     {ID: TaxZero, Name: "Zero rate", Codes: []tax.Code{{ID: "VAT0", Name: "VAT 0 %", Rate: 0}}},
		},
		Round: money.HalfUp,
		TenderTypes: []tender.Type{
			{ID: TenderCash, Name: "Cash", Kind: cart.Cash, GivesChange: true, AllowOvertender: true, AllowUndertender: true,
				RoundingStep: 1, OpensDrawer: true, AllowRefund: true},
			{ID: TenderCard, Name: "Card", Kind: cart.Card, AllowUndertender: true, AllowRefund: true},
		},
		Masks:    barcode.DefaultMasks(),
		Shifts:   ShiftPolicy(),
		Accounts: Accounts(),
		Header: receipt.Header{
			TimeZone:  "Europe/Berlin",
			StoreName: StoreName,
			Address:   "Marktplatz 1\n10115 Berlin",
			Phone:     "+49 30 1234567",
			TaxID:     "DE123456789",
			Footer:    []string{"Thank you for shopping with us!", "Returns within 30 days with your receipt."},
		},
	}
}

// Operation IDs used by the demo roles (the anchor's numbering).
const (
	opProductSale        = 100
	opPriceCheck         = 101
	opVoidLine           = 102
	opLineComment        = 103
	opPriceOverride      = 104
	opSetQuantity        = 105
	opProductSearch      = 108
	opReturnProduct      = 109
	opReturnTransaction  = 114
	opReprintReceipt     = 115
	opPayCash            = 200
	opPayCard            = 201
	opPayExactCash       = 206
	opVoidPayment        = 211
	opLineDiscountAmount = 300
	opLineDiscountPct    = 301
	opTotalDiscountAmt   = 302
	opTotalDiscountPct   = 303
	opVoidTransaction    = 500
	opTxnComment         = 501
	opSuspend            = 503
	opRecall             = 504
	opSignIn             = 700
	opSignOut            = 701
	opLock               = 703
	opAddCoupon          = 643
	opRemoveCoupon       = 644
	opAddCustomer        = 600
	opClearCustomer      = 603
	opUnlockOperator     = 4001
)

func perms(ids ...int) []staff.Permission {
	out := make([]staff.Permission, len(ids))
	for i, id := range ids {
		out[i] = staff.Permission(id)
	}
	return out
}

// DemoOperator is a demo operator with the PIN that signs them in.
type DemoOperator struct {
	staff.Operator
	PIN string
}

// Roles of the demo store.
const (
	RoleCashier   = "cashier"
	RoleManager   = "manager"
	RoleAssociate = "associate"
)

// Roles returns the demo roles: cashier, manager and sales associate.
func Roles() []staff.Role {
	return withShiftPerms([]staff.Role{
		{
			ID: RoleCashier, Name: "Cashier",
			Permissions: perms(opProductSale, opPriceCheck, opVoidLine, opLineComment, opSetQuantity, opProductSearch,
				opReturnTransaction, opPayCash, opPayCard, opPayExactCash, opVoidPayment,
				opLineDiscountAmount, opLineDiscountPct, opTotalDiscountAmt, opTotalDiscountPct,
				opAddCoupon, opRemoveCoupon, opAddCustomer, opClearCustomer,
				opVoidTransaction, opTxnComment, opSuspend, opRecall, opSignIn, opSignOut, opLock),
			Limits: staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000},
		},
		{
			ID: RoleManager, Name: "Store manager", Manager: true,
			Permissions: perms(opProductSale, opPriceCheck, opVoidLine, opLineComment, opPriceOverride, opSetQuantity,
				opProductSearch, opReturnProduct, opReturnTransaction, opReprintReceipt,
				opPayCash, opPayCard, opPayExactCash, opVoidPayment,
				opLineDiscountAmount, opLineDiscountPct, opTotalDiscountAmt, opTotalDiscountPct,
				opAddCoupon, opRemoveCoupon, opAddCustomer, opClearCustomer,
				opVoidTransaction, opTxnComment, opSuspend, opRecall, opSignIn, opSignOut, opLock, opUnlockOperator),
			Limits: staff.Limits{MaxLineDiscountBP: 10000, MaxTotalDiscountBP: 5000, MaxReturnAmount: 1_000_000,
				AllowPriceOverride: true},
		},
		{
			ID: RoleAssociate, Name: "Sales associate",
			Permissions: perms(opPriceCheck, opProductSearch, opSignIn, opSignOut),
		},
	})
}

// Staff returns the demo roles and operators. The operators' PINs are hashed
// with cheap argon2id parameters (staff.FastParams); each call hashes anew
// with fresh salts.
//
//	1001 Alex Cashier      PIN 1234  cashier    en
//	1002 Jana Kassiererin  PIN 1234  cashier    de
//	2001 Morgan Manager    PIN 2468  manager    en
//	3001 Sam Associate     PIN 1357  associate  en
func Staff() ([]staff.Role, []DemoOperator) {
	ops := []DemoOperator{
		{Operator: staff.Operator{ID: "1001", Name: "Alex Cashier", RoleID: RoleCashier, Language: "en"}, PIN: "1234"},
		{Operator: staff.Operator{ID: "1002", Name: "Jana Kassiererin", RoleID: RoleCashier, Language: "de"}, PIN: "1234"},
		{Operator: staff.Operator{ID: "2001", Name: "Morgan Manager", RoleID: RoleManager, Language: "en"}, PIN: "2468"},
		{Operator: staff.Operator{ID: "3001", Name: "Sam Associate", RoleID: RoleAssociate, Language: "en"}, PIN: "1357"},
	}
	for i := range ops {
		// crypto/rand cannot fail on supported platforms (Go ≥ 1.24 crashes
		// rather than return an error), so the error is always nil here.
		h, err := staff.HashPassword(ops[i].PIN, staff.FastParams)
		if err != nil {
			panic("demo: hashing a PIN: " + err.Error())
		}
		ops[i].PasswordHash = h
	}
	return Roles(), ops
}
