// Package demo builds the deterministic demo store: its setup (store,
// currency, VAT, tenders, receipt header), staff with demo PINs, and any
// number of realistic products, and seeds a data folder with them.
package demo

import (
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
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
	// TenderPoints pays with loyalty points.
	TenderPoints = "points"
	// TenderGiftCard pays with a gift card; TenderMemo with a credit memo
	// (and refunds onto a new one).
	TenderGiftCard = "giftcard"
	TenderMemo     = "memo"
	// TenderAccount charges the customer's account.
	TenderAccount = "account"
	// TenderUSD is US dollars in cash, at the store's rate (USDRate).
	TenderUSD = "usd"
)

// Loyalty is the demo store's loyalty programme: a point a euro, double on
// coffee, Gold from 1,000 points a year earning half again, 100 points pay
// 1.00, and at most 2,000 points redeemed at a till before the store server
// has counted them.
func Loyalty() *loyalty.Programme {
	return &loyalty.Programme{Name: "OpenTill Club", PointsPerUnit: 1, CategoryBP: map[string]int64{"Coffee": 20000},
		Tiers:      []loyalty.Tier{{Name: "Silver", MinPoints: 0, EarnBP: 10000}, {Name: "Gold", MinPoints: 1000, EarnBP: 15000}},
		PointValue: 1, OfflineCap: 2000}
}

// USDRate is the demo store's rate for US dollars: 0.9234 euros a dollar.
const USDRate money.Rate = 923400

// AccountCustomers are how many of the demo customers (the first ones)
// have an account with the store, each with a credit limit of
// CreditLimit (minor units).
const (
	AccountCustomers = 3
	CreditLimit      = 50000
)

// GiftCards is the demo store's gift card rules: 5.00 to 500.00 on a card,
// at most 50.00 spent of a card at a till before the store server has
// counted it, and a remainder of up to 10.00 paid out in cash.
func GiftCards() *storedvalue.Policy {
	return &storedvalue.Policy{OfflineCap: 5000, CashOutMax: 1000, MaxValue: 50000, MinIssue: 500}
}

// Setup returns the demo store's configuration: EUR, prices including VAT
// (19 %, 7 %, 0 %) rounded half-up per rate on the total, cash, card,
// loyalty points, gift cards and credit memos, the default in-store barcode masks (21/22 weight, 23/24
// price, 25 quantity), the loyalty programme (Loyalty).
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
			{ID: TenderPoints, Name: "Points", Kind: cart.Points, AllowUndertender: true},
			{ID: TenderGiftCard, Name: "Gift card", Kind: cart.GiftCard, AllowUndertender: true},
			{ID: TenderMemo, Name: "Credit memo", Kind: cart.CreditMemo, AllowUndertender: true, AllowRefund: true},
			{ID: TenderAccount, Name: "On account", Kind: cart.Account, AllowUndertender: true, AllowRefund: true},
			{ID: TenderUSD, Name: "US dollars", Kind: cart.Currency, Foreign: money.USD, GivesChange: true, AllowOvertender: true,
				AllowUndertender: true, OpensDrawer: true},
		},
		ExchangeRates: map[string]money.Rate{"USD": USDRate},
		// card payments while the processor is unreachable: up to 100.00
		// each, 300.00 waiting at a till, 500.00 in 24 hours; a manager
		// approves more
		OfflineCards: &tender.OfflinePolicy{MaxPerSale: 10000, MaxPerTill: 30000, MaxPerWindow: 50000, WindowHours: 24},
		Loyalty:      Loyalty(),
		GiftCards:    GiftCards(),
		// up to 100.00 charged to an account at a till before the store
		// server has counted it
		CustomerAccounts: &storedvalue.Policy{OfflineCap: 10000},
		Orders:           &order.Settings{DepositPercent: 2000, CancelPercent: 1000, QuoteDays: 30},
		Masks:            barcode.DefaultMasks(),
		Shifts:           ShiftPolicy(),
		Accounts:         Accounts(),
		// The store's own customer attributes, asked on the customer form.
		CustomerAttributes: []string{"Size", "Preferred brand"},
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

func perms(ids ...pos.OpID) []staff.Permission {
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

// OpStampCard is the Stamp card operation of the extension
// opentill.stampcard (extensions/stampcard), which the demo's tills carry:
// cashiers and managers may run it. A role grants an extension's operation
// as any other, by its ID.
const OpStampCard = pos.FirstCustomOp + 1

// Roles returns the demo roles: cashier, manager and sales associate.
func Roles() []staff.Role {
	return withShiftPerms([]staff.Role{
		{
			ID: RoleCashier, Name: "Cashier",
			Permissions: perms(pos.OpProductSale, pos.OpPriceCheck, pos.OpVoidLine, pos.OpLineComment, pos.OpSetQuantity, pos.OpProductSearch, pos.OpStockElsewhere, pos.OpInventoryLookup, pos.OpStockCount, pos.OpInboundOrder,
				pos.OpReturnTransaction, pos.OpPayCash, pos.OpPayCard, pos.OpPayCashExact, pos.OpVoidPayment,
				pos.OpLineDiscountAmt, pos.OpLineDiscountPct, pos.OpTotalDiscountAmt, pos.OpTotalDiscountPct,
				pos.OpAddCoupon, pos.OpRemoveCoupon, pos.OpAddCustomer, pos.OpClearCustomer, pos.OpCustomerSearch, pos.OpCreateCustomer, pos.OpEditCustomer, pos.OpCustomerDetails, pos.OpAddCustomerNote, pos.OpWishListAdd, pos.OpWishListRemove, pos.OpLoyaltyCard, pos.OpLoyaltyPoints, pos.OpPayLoyalty, pos.OpIssueGiftCard, pos.OpAddToGiftCard, pos.OpGiftCardBalance, pos.OpPayGiftCard, pos.OpPayCreditMemo, pos.OpIssueCreditMemo, pos.OpCreditMemoBalance, pos.OpPayCustomerAccount, pos.OpAccountDeposit, pos.OpPayCurrency, pos.OpPayCardExact, pos.OpPayAccountExact, pos.OpPayGiftCardExact, pos.OpPayLoyaltyExact, pos.OpRecommendations, pos.OpEmailReceipt,
				pos.OpVoidTransaction, pos.OpTxnComment, pos.OpSuspend, pos.OpRecall, pos.OpSignIn, pos.OpSignOut, pos.OpLock, OpStampCard,
				pos.OpCreateOrder, pos.OpRecallOrder, pos.OpOrderFulfillment,
				pos.OpViewAllDiscounts, pos.OpViewApplicableDiscounts, pos.OpCalculateTotal, pos.OpReapplySystemDiscounts),
			Limits: staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000},
		},
		{
			ID: RoleManager, Name: "Store manager", Manager: true,
			Permissions: perms(pos.OpProductSale, pos.OpPriceCheck, pos.OpVoidLine, pos.OpLineComment, pos.OpPriceOverride, pos.OpSetQuantity,
				pos.OpProductSearch, pos.OpStockElsewhere, pos.OpInventoryLookup, pos.OpStockCount, pos.OpStockAdjustment, pos.OpPostStockCount, pos.OpInboundOrder, pos.OpOutboundOrder, pos.OpReturnProduct, pos.OpReturnTransaction, pos.OpReprintReceipt,
				pos.OpPayCash, pos.OpPayCard, pos.OpPayCashExact, pos.OpVoidPayment,
				pos.OpLineDiscountAmt, pos.OpLineDiscountPct, pos.OpTotalDiscountAmt, pos.OpTotalDiscountPct,
				pos.OpAddCoupon, pos.OpRemoveCoupon, pos.OpAddCustomer, pos.OpClearCustomer, pos.OpCustomerSearch, pos.OpCreateCustomer, pos.OpEditCustomer, pos.OpCustomerDetails, pos.OpAddCustomerNote, pos.OpWishListAdd, pos.OpWishListRemove, pos.OpLoyaltyCard, pos.OpLoyaltyPoints, pos.OpPayLoyalty, pos.OpIssueGiftCard, pos.OpAddToGiftCard, pos.OpGiftCardBalance, pos.OpPayGiftCard, pos.OpCashOutGiftCard, pos.OpPayCreditMemo, pos.OpIssueCreditMemo, pos.OpCreditMemoBalance, pos.OpPayCustomerAccount, pos.OpAccountDeposit, pos.OpPayCurrency, pos.OpPayCardExact, pos.OpPayAccountExact, pos.OpPayGiftCardExact, pos.OpPayLoyaltyExact, pos.OpForwardCards, pos.OpRecommendations, pos.OpEmailReceipt,
				pos.OpVoidTransaction, pos.OpTxnComment, pos.OpSuspend, pos.OpRecall, pos.OpSignIn, pos.OpSignOut, pos.OpLock, pos.OpUnlockOperator,
				pos.OpViewReports, OpStampCard, pos.OpViewClientBook, pos.OpStoreClientBooks, pos.OpAddToClientBook, pos.OpRemoveClientBook, pos.OpReassignClient, pos.OpMergeCustomers,
				pos.OpCreateOrder, pos.OpDepositOverride, pos.OpRecallOrder, pos.OpCancelOrder, pos.OpOrderFulfillment,
				pos.OpViewAllDiscounts, pos.OpViewApplicableDiscounts, pos.OpCalculateTotal, pos.OpRemoveSystemDiscounts, pos.OpReapplySystemDiscounts),
			Limits: staff.Limits{MaxLineDiscountBP: 10000, MaxTotalDiscountBP: 5000, MaxReturnAmount: 1_000_000,
				AllowPriceOverride: true},
		},
		{
			ID: RoleAssociate, Name: "Sales associate",
			Permissions: perms(pos.OpPriceCheck, pos.OpProductSearch, pos.OpStockElsewhere, pos.OpInventoryLookup, pos.OpStockCount, pos.OpInboundOrder, pos.OpOutboundOrder, pos.OpSignIn, pos.OpSignOut,
				pos.OpCustomerSearch, pos.OpCreateCustomer, pos.OpEditCustomer, pos.OpCustomerDetails, pos.OpAddCustomerNote, pos.OpWishListAdd, pos.OpWishListRemove, pos.OpLoyaltyCard, pos.OpLoyaltyPoints, pos.OpRecommendations, pos.OpViewClientBook, pos.OpAddToClientBook, pos.OpRemoveClientBook,
				pos.OpRecallOrder, pos.OpOrderFulfillment),
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
