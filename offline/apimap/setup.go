package apimap

import (
	"maps"
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// SetupOf maps a till's setup to the config feed's form. The compiled
// promotions (Setup.Promotions) do not travel with it: the price and
// promotions document does, on its own (api.DocPromotions).
func SetupOf(s pos.Setup) api.Setup {
	return api.Setup{StoreID: s.StoreID, StoreName: s.StoreName, TerminalID: s.TerminalID, Currency: CurrencyOf(s.Currency),
		Tax:       api.TaxConfig{Inclusive: s.Tax.Inclusive, Level: int(s.Tax.Level), Round: int(s.Tax.Round)},
		TaxGroups: eachValue(s.TaxGroups, taxGroupOf), Round: int(s.Round),
		TenderTypes: each(s.TenderTypes, tenderTypeOf), Masks: each(s.Masks, maskOf), Header: headerOf(s.Header),
		MaxQuantity: s.MaxQuantity,
		Shifts: api.ShiftPolicy{Required: s.Shifts.Required, VoidSuspendedAtClose: s.Shifts.VoidSuspendedAtClose,
			Denominations: convert[money.Amount, int64](s.Shifts.Denominations), ManagerMayOverdraw: s.Shifts.ManagerMayOverdraw,
			OverShortLimit: int64(s.Shifts.OverShortLimit)},
		Accounts: each(s.Accounts, func(a shift.Account) api.CashAccount {
			return api.CashAccount{ID: a.ID, Name: a.Name, Kind: string(a.Kind)}
		}),
		CustomerAttributes: slices.Clone(s.CustomerAttributes),
		Loyalty:            ptr(s.Loyalty, loyaltyOf),
		GiftCards:          ptr(s.GiftCards, valuePolicyOf),
		CustomerAccounts:   ptr(s.CustomerAccounts, valuePolicyOf),
		ExchangeRates:      eachValue(s.ExchangeRates, func(r money.Rate) int64 { return int64(r) }),
		RefundToOriginal:   s.RefundToOriginal,
		OfflineCards: ptr(s.OfflineCards, func(p tender.OfflinePolicy) api.OfflineCardPolicy {
			return api.OfflineCardPolicy{MaxPerSale: int64(p.MaxPerSale), MaxPerTill: int64(p.MaxPerTill), MaxPerWindow: int64(p.MaxPerWindow), WindowHours: p.WindowHours}
		}),
		Inventory:       ptr(s.Inventory, inventoryOf),
		ReturnsAnyStore: s.ReturnsAnyStore,
		Orders: ptr(s.Orders, func(o order.Settings) api.OrderSettings {
			return api.OrderSettings{DepositPercent: o.DepositPercent, CancelPercent: o.CancelPercent, QuoteDays: o.QuoteDays}
		}),
	}
}

// SetupFrom maps the config feed's setup to the till's (without
// promotions: the till compiles them from their document).
func SetupFrom(w api.Setup) pos.Setup {
	return pos.Setup{StoreID: w.StoreID, StoreName: w.StoreName, TerminalID: w.TerminalID, Currency: CurrencyFrom(w.Currency),
		Tax:       tax.Config{Inclusive: w.Tax.Inclusive, Level: tax.Level(w.Tax.Level), Round: money.Mode(w.Tax.Round)},
		TaxGroups: eachValue(w.TaxGroups, taxGroupFrom), Round: money.Mode(w.Round),
		TenderTypes: each(w.TenderTypes, tenderTypeFrom), Masks: each(w.Masks, maskFrom), Header: headerFrom(w.Header),
		MaxQuantity: w.MaxQuantity,
		Shifts: shift.Policy{Required: w.Shifts.Required, VoidSuspendedAtClose: w.Shifts.VoidSuspendedAtClose,
			Denominations: convert[int64, money.Amount](w.Shifts.Denominations), ManagerMayOverdraw: w.Shifts.ManagerMayOverdraw,
			OverShortLimit: money.Amount(w.Shifts.OverShortLimit)},
		Accounts: each(w.Accounts, func(a api.CashAccount) shift.Account {
			return shift.Account{ID: a.ID, Name: a.Name, Kind: shift.AccountKind(a.Kind)}
		}),
		CustomerAttributes: slices.Clone(w.CustomerAttributes),
		Loyalty:            ptr(w.Loyalty, loyaltyFrom),
		GiftCards:          ptr(w.GiftCards, valuePolicyFrom),
		CustomerAccounts:   ptr(w.CustomerAccounts, valuePolicyFrom),
		ExchangeRates:      eachValue(w.ExchangeRates, func(r int64) money.Rate { return money.Rate(r) }),
		RefundToOriginal:   w.RefundToOriginal,
		OfflineCards: ptr(w.OfflineCards, func(p api.OfflineCardPolicy) tender.OfflinePolicy {
			return tender.OfflinePolicy{MaxPerSale: money.Amount(p.MaxPerSale), MaxPerTill: money.Amount(p.MaxPerTill), MaxPerWindow: money.Amount(p.MaxPerWindow), WindowHours: p.WindowHours}
		}),
		Inventory:       ptr(w.Inventory, inventoryFrom),
		ReturnsAnyStore: w.ReturnsAnyStore,
		Orders: ptr(w.Orders, func(o api.OrderSettings) order.Settings {
			return order.Settings{DepositPercent: o.DepositPercent, CancelPercent: o.CancelPercent, QuoteDays: o.QuoteDays}
		}),
	}
}

// CurrencyOf maps a currency to the wire's.
func CurrencyOf(c money.Currency) api.Currency { return api.Currency{Code: c.Code, Digits: c.Digits} }

// CurrencyFrom maps a currency of the wire to the domain's.
func CurrencyFrom(w api.Currency) money.Currency {
	return money.Currency{Code: w.Code, Digits: w.Digits}
}

func taxGroupOf(g tax.Group) api.TaxGroup {
	return api.TaxGroup{ID: g.ID, Name: g.Name, Codes: each(g.Codes, func(c tax.Code) api.TaxCode { return api.TaxCode{ID: c.ID, Name: c.Name, Rate: c.Rate} })}
}

func taxGroupFrom(w api.TaxGroup) tax.Group {
	return tax.Group{ID: w.ID, Name: w.Name, Codes: each(w.Codes, func(c api.TaxCode) tax.Code { return tax.Code{ID: c.ID, Name: c.Name, Rate: c.Rate} })}
}

func tenderTypeOf(t tender.Type) api.TenderType {
	return api.TenderType{ID: t.ID, Name: t.Name, Kind: string(t.Kind), GivesChange: t.GivesChange, AllowOvertender: t.AllowOvertender,
		MaxOvertender: int64(t.MaxOvertender), AllowUndertender: t.AllowUndertender, RoundingStep: int64(t.RoundingStep),
		MaxAmount: int64(t.MaxAmount), OpensDrawer: t.OpensDrawer, AllowRefund: t.AllowRefund, Foreign: CurrencyOf(t.Foreign)}
}

func tenderTypeFrom(w api.TenderType) tender.Type {
	return tender.Type{ID: w.ID, Name: w.Name, Kind: cart.TenderKind(w.Kind), GivesChange: w.GivesChange, AllowOvertender: w.AllowOvertender,
		MaxOvertender: money.Amount(w.MaxOvertender), AllowUndertender: w.AllowUndertender, RoundingStep: money.Amount(w.RoundingStep),
		MaxAmount: money.Amount(w.MaxAmount), OpensDrawer: w.OpensDrawer, AllowRefund: w.AllowRefund, Foreign: CurrencyFrom(w.Foreign)}
}

func maskOf(m barcode.Mask) api.BarcodeMask {
	return api.BarcodeMask{Prefix: m.Prefix, Embedded: int(m.Embedded), ItemDigits: m.ItemDigits, ValueDigits: m.ValueDigits,
		Decimals: m.Decimals, PriceCheck: m.PriceCheck, Layout: m.Layout}
}

func maskFrom(w api.BarcodeMask) barcode.Mask {
	return barcode.Mask{Prefix: w.Prefix, Embedded: barcode.Embedded(w.Embedded), ItemDigits: w.ItemDigits, ValueDigits: w.ValueDigits,
		Decimals: w.Decimals, PriceCheck: w.PriceCheck, Layout: w.Layout}
}

func headerOf(h receipt.Header) api.ReceiptHeader {
	return api.ReceiptHeader{StoreName: h.StoreName, Address: h.Address, Phone: h.Phone, TaxID: h.TaxID, Lines: slices.Clone(h.Lines),
		Footer: slices.Clone(h.Footer), TimeZone: h.TimeZone, Language: h.Language, Locale: h.Locale, SignatureLines: h.SignatureLines}
}

func headerFrom(w api.ReceiptHeader) receipt.Header {
	return receipt.Header{StoreName: w.StoreName, Address: w.Address, Phone: w.Phone, TaxID: w.TaxID, Lines: slices.Clone(w.Lines),
		Footer: slices.Clone(w.Footer), TimeZone: w.TimeZone, Language: w.Language, Locale: w.Locale, SignatureLines: w.SignatureLines}
}

func loyaltyOf(p loyalty.Programme) api.LoyaltyProgramme {
	return api.LoyaltyProgramme{Name: p.Name, PointsPerUnit: p.PointsPerUnit, CategoryBP: maps.Clone(p.CategoryBP),
		Tiers: each(p.Tiers, func(t loyalty.Tier) api.LoyaltyTier {
			return api.LoyaltyTier{Name: t.Name, MinPoints: t.MinPoints, EarnBP: t.EarnBP}
		}),
		PointValue: int64(p.PointValue), OfflineCap: p.OfflineCap}
}

func loyaltyFrom(w api.LoyaltyProgramme) loyalty.Programme {
	return loyalty.Programme{Name: w.Name, PointsPerUnit: w.PointsPerUnit, CategoryBP: maps.Clone(w.CategoryBP),
		Tiers: each(w.Tiers, func(t api.LoyaltyTier) loyalty.Tier {
			return loyalty.Tier{Name: t.Name, MinPoints: t.MinPoints, EarnBP: t.EarnBP}
		}),
		PointValue: money.Amount(w.PointValue), OfflineCap: w.OfflineCap}
}

func valuePolicyOf(p storedvalue.Policy) api.ValuePolicy {
	return api.ValuePolicy{OfflineCap: int64(p.OfflineCap), CashOutMax: int64(p.CashOutMax), MaxValue: int64(p.MaxValue), MinIssue: int64(p.MinIssue)}
}

func valuePolicyFrom(w api.ValuePolicy) storedvalue.Policy {
	return storedvalue.Policy{OfflineCap: money.Amount(w.OfflineCap), CashOutMax: money.Amount(w.CashOutMax), MaxValue: money.Amount(w.MaxValue),
		MinIssue: money.Amount(w.MinIssue)}
}

func inventoryOf(s inventory.Settings) api.InventorySettings {
	return api.InventorySettings{Reasons: each(s.Reasons, func(r inventory.Reason) api.StockReason {
		return api.StockReason{Code: r.Code, Name: r.Name, Sign: int(r.Sign)}
	}), RecountQty: int64(s.RecountQty), RecountPercent: s.RecountPercent, MaxAdjustment: int64(s.MaxAdjustment),
		OverReceipt: s.OverReceipt, UnderReceipt: s.UnderReceipt}
}

func inventoryFrom(w api.InventorySettings) inventory.Settings {
	return inventory.Settings{Reasons: each(w.Reasons, func(r api.StockReason) inventory.Reason {
		return inventory.Reason{Code: r.Code, Name: r.Name, Sign: inventory.Sign(r.Sign)}
	}), RecountQty: catalog.Qty(w.RecountQty), RecountPercent: w.RecountPercent, MaxAdjustment: catalog.Qty(w.MaxAdjustment),
		OverReceipt: w.OverReceipt, UnderReceipt: w.UnderReceipt}
}
