package pos_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/staff"
)

// sampleOps has one operation value for every operation in the table.
var sampleOps = map[pos.OpID]pos.Operation{
	pos.OpProductSale:             pos.ProductSale{Barcode: bcMilk},
	pos.OpPriceCheck:              pos.PriceCheck{Barcode: bcMilk},
	pos.OpInventoryLookup:         pos.InventoryLookup{Barcode: bcMilk},
	pos.OpStockCount:              pos.StockCount{},
	pos.OpStockAdjustment:         pos.StockAdjustment{Barcode: bcMilk, Qty: -1000, Reason: "damaged"},
	pos.OpPostStockCount:          pos.PostStockCount{CountID: "none"},
	pos.OpInboundOrder:            pos.InboundOrder{},
	pos.OpOutboundOrder:           pos.OutboundOrder{},
	pos.OpCreateOrder:             pos.CreateOrder{Name: "Ada"},
	pos.OpCreateQuote:             pos.CreateQuote{Name: "Ada"},
	pos.OpShipSelected:            pos.ShipSelected{},
	pos.OpShipAll:                 pos.ShipAll{},
	pos.OpPickupSelected:          pos.PickupSelected{},
	pos.OpPickupAll:               pos.PickupAll{},
	pos.OpCarryOutSelected:        pos.CarryOutSelected{},
	pos.OpCarryOutAll:             pos.CarryOutAll{},
	pos.OpDepositOverride:         pos.DepositOverride{},
	pos.OpRecallOrder:             pos.RecallOrder{},
	pos.OpCancelOrder:             pos.CancelOrder{ID: "none"},
	pos.OpOrderFulfillment:        pos.OrderFulfillment{},
	pos.OpPickFulfillment:         pos.PickLines{ID: "none"},
	pos.OpPackFulfillment:         pos.PackLines{ID: "none"},
	pos.OpShipFulfillment:         pos.ShipLines{ID: "none"},
	pos.OpEditOrder:               pos.EditOrder{ID: "none"},
	pos.OpVoidLine:                pos.VoidLine{Line: 1},
	pos.OpLineComment:             pos.LineComment{Line: 1, Text: "x"},
	pos.OpPriceOverride:           pos.PriceOverride{Line: 1, Price: 100},
	pos.OpSetQuantity:             pos.SetQuantity{Line: 1, Qty: 2000},
	pos.OpProductSearch:           pos.ProductSearch{Query: "milch"},
	pos.OpStockElsewhere:          pos.StockElsewhere{ProductID: "10001"},
	pos.OpReturnProduct:           pos.ReturnProduct{Barcode: bcMilk},
	pos.OpReturnTransaction:       pos.ReturnTransaction{ReceiptNo: "S1-T1-000001"},
	pos.OpReprintReceipt:          pos.ReprintReceipt{ReceiptNo: "S1-T1-000001"},
	pos.OpPayCash:                 pos.PayCash{Amount: 100},
	pos.OpPayCard:                 pos.PayCard{},
	pos.OpPayCashExact:            pos.PayCashExact{},
	pos.OpPayCurrency:             pos.PayCurrency{},
	pos.OpForwardCards:            pos.ForwardCards{},
	pos.OpVoidPayment:             pos.VoidPayment{No: 1},
	pos.OpLineDiscountAmt:         pos.LineDiscount{Line: 1, Amount: 10},
	pos.OpLineDiscountPct:         pos.LineDiscount{Line: 1, Percent: 100},
	pos.OpTotalDiscountAmt:        pos.TotalDiscount{Amount: 10},
	pos.OpTotalDiscountPct:        pos.TotalDiscount{Percent: 100},
	pos.OpVoidTransaction:         pos.VoidTransaction{},
	pos.OpTxnComment:              pos.TxnComment{Text: "x"},
	pos.OpSuspend:                 pos.Suspend{},
	pos.OpRecall:                  pos.Recall{},
	pos.OpSignIn:                  pos.SignIn{OperatorID: "1001", Secret: "1234"},
	pos.OpSignOut:                 pos.SignOut{},
	pos.OpLock:                    pos.Lock{},
	pos.OpUnlockOperator:          pos.UnlockOperator{OperatorID: "1002"},
	pos.OpAddCustomer:             pos.AddCustomer{ID: "C1001"},
	pos.OpCustomerDetails:         pos.CustomerDetails{ID: "c1"},
	pos.OpLoyaltyCard:             pos.LoyaltyCard{Card: "LC1"},
	pos.OpLoyaltyPoints:           pos.LoyaltyPoints{Card: "LC1"},
	pos.OpPayLoyalty:              pos.PayLoyalty{},
	pos.OpIssueGiftCard:           pos.IssueGiftCard{Number: "GC-1", Amount: 2000},
	pos.OpAddToGiftCard:           pos.AddToGiftCard{Number: "GC-1", Amount: 2000},
	pos.OpGiftCardBalance:         pos.GiftCardBalance{Number: "GC-1"},
	pos.OpPayGiftCard:             pos.PayGiftCard{Number: "GC-1"},
	pos.OpCashOutGiftCard:         pos.CashOutGiftCard{Number: "GC-1"},
	pos.OpPayCreditMemo:           pos.PayCreditMemo{Number: "CM-1"},
	pos.OpIssueCreditMemo:         pos.IssueCreditMemo{},
	pos.OpCreditMemoBalance:       pos.CreditMemoBalance{Number: "CM-1"},
	pos.OpPayCardExact:            pos.PayCardExact{},
	pos.OpPayAccountExact:         pos.PayAccountExact{},
	pos.OpPayGiftCardExact:        pos.PayGiftCardExact{Number: "GC-1"},
	pos.OpPayLoyaltyExact:         pos.PayLoyaltyExact{},
	pos.OpPayCustomerAccount:      pos.PayCustomerAccount{},
	pos.OpAccountDeposit:          pos.AccountDeposit{Amount: 1000},
	pos.OpRecommendations:         pos.Recommendations{},
	pos.OpEmailReceipt:            pos.EmailReceipt{To: "a@example.com"},
	pos.OpViewClientBook:          pos.ViewClientBook{},
	pos.OpMergeCustomers:          pos.MergeCustomers{Keep: "c1", Merge: "c2"},
	pos.OpStoreClientBooks:        pos.StoreClientBooks{},
	pos.OpAddToClientBook:         pos.AddToClientBook{CustomerID: "c1"},
	pos.OpRemoveClientBook:        pos.RemoveFromClientBook{CustomerID: "c1"},
	pos.OpReassignClient:          pos.ReassignClient{CustomerID: "c1", Associate: "3001"},
	pos.OpAddCustomerNote:         pos.AddCustomerNote{CustomerID: "c1", Text: "likes blue"},
	pos.OpCompleteReminder:        pos.CompleteReminder{CustomerID: "c1", NoteID: "n1"},
	pos.OpWishListAdd:             pos.WishListAdd{CustomerID: "c1", Code: "4000000000013"},
	pos.OpWishListRemove:          pos.WishListRemove{CustomerID: "c1", ProductID: "p1"},
	pos.OpCustomerSearch:          pos.CustomerSearch{Query: "smith"},
	pos.OpCreateCustomer:          pos.CreateCustomer{Customer: customer.Customer{FirstName: "Jo", LastName: "Smith"}},
	pos.OpEditCustomer:            pos.EditCustomer{Customer: customer.Customer{ID: "c1", FirstName: "Jo", LastName: "Smith", Version: 1}},
	pos.OpClearCustomer:           pos.ClearCustomer{},
	pos.OpAddCoupon:               pos.AddCoupon{Code: "KAESE"},
	pos.OpRemoveCoupon:            pos.RemoveCoupon{Code: "KAESE"},
	pos.OpCalculateTotal:          pos.CalculateTotal{},
	pos.OpRemoveSystemDiscounts:   pos.RemoveSystemDiscounts{},
	pos.OpReapplySystemDiscounts:  pos.ReapplySystemDiscounts{},
	pos.OpViewAllDiscounts:        pos.ViewAllDiscounts{},
	pos.OpViewApplicableDiscounts: pos.ViewApplicableDiscounts{},
	// Shifts and cash management.
	pos.OpOpenShift:         pos.OpenShift{StartAmount: 10000},
	pos.OpResumeShift:       pos.ResumeShift{},
	pos.OpNonDrawerMode:     pos.NonDrawerMode{},
	pos.OpJoinShift:         pos.JoinShift{},
	pos.OpDeclareStart:      pos.DeclareStart{Amount: 10000},
	pos.OpFloatEntry:        pos.FloatEntry{Amount: 5000, Reason: "coins"},
	pos.OpTenderRemoval:     pos.TenderRemoval{Amount: 2000, Reason: "x"},
	pos.OpSafeDrop:          pos.SafeDrop{Amount: 20000},
	pos.OpBankDrop:          pos.BankDrop{Amount: 50000, Bag: "BAG1"},
	pos.OpIncomeAccount:     pos.IncomeEntry{Account: "LOTTO", Amount: 500},
	pos.OpExpenseAccount:    pos.ExpenseEntry{Account: "POSTAGE", Amount: 300},
	pos.OpOpenDrawer:        pos.OpenDrawer{Reason: "change"},
	pos.OpTenderDeclaration: pos.DeclareTender{Amount: 10000},
	pos.OpSuspendShift:      pos.SuspendShift{},
	pos.OpBlindCloseShift:   pos.BlindCloseShift{},
	pos.OpCloseShift:        pos.CloseShift{},
	pos.OpPrintXReport:      pos.PrintXReport{},
	pos.OpReprintZReport:    pos.ReprintZReport{},
	pos.OpViewReports:       pos.ViewReports{Period: report.Day(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), nil)},
}

// TestEveryPermissionIsEnforced signs in an operator whose role allows
// nothing and runs every operation of the table: each one that needs a
// permission is refused in the domain with NotPermitted, and a role that
// has exactly that permission gets past the check.
func TestEveryPermissionIsEnforced(t *testing.T) {
	ctx := context.Background()
	for _, info := range pos.NewRegistry().Specs() {
		op, ok := sampleOps[info.ID]
		require.True(t, ok, "operation %d %s has no sample in sampleOps: add one", info.ID, info.Name)
		assert.Equal(t, info.ID, op.OpID())
		if info.Permission == 0 {
			continue
		}
		t.Run(info.Name, func(t *testing.T) {
			tl := newTill(t, true)
			require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "cashier", Name: "Nothing"}))
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			_, err := tl.Do(ctx, op)
			require.Error(t, err)
			assert.Equal(t, poserr.NotPermitted, poserr.KindOf(err), "%v", err)
			assert.False(t, tl.Can(info.ID))

			require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "cashier", Name: "Just this", Permissions: []staff.Permission{info.Permission},
				Limits: staff.Limits{MaxLineDiscountBP: 10000, MaxTotalDiscountBP: 10000, MaxReturnAmount: 1 << 40, AllowPriceOverride: true}, Manager: info.ID == pos.OpUnlockOperator}))
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			assert.True(t, tl.Can(info.ID))
			_, err = tl.Do(ctx, op)
			assert.NotEqual(t, poserr.NotPermitted, poserr.KindOf(err), "%v", err)
		})
	}
}
