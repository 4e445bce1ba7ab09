package pos

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
)

// Validate checks a store's setup before any till sees it (the store
// server runs it on what an administrator sends): the currency, tax
// groups, tender types, barcode masks, receipt header, rates and limits.
// Every error names its field by the setup's JSON (TenderTypes[2].Kind)
// and says what a right value looks like; all are reported at once.
func (s *Setup) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	iso := func(field, code string) (currency.Unit, bool) {
		u, err := currency.ParseISO(code)
		if err != nil || u.String() != code {
			bad(field, "%q is not an ISO 4217 currency code (three capital letters, e.g. EUR)", code)
			return u, false
		}
		return u, true
	}
	checkCurrency := func(field string, c money.Currency) {
		u, ok := iso(field+".Code", c.Code)
		if !ok {
			return
		}
		if scale, _ := currency.Standard.Rounding(u); c.Digits != scale {
			bad(field+".Digits", "%s has %d minor-unit digits, not %d", c.Code, scale, c.Digits)
		}
	}
	checkCurrency("Currency", s.Currency)
	if s.Tax.Level != tax.PerLine && s.Tax.Level != tax.PerTotal {
		bad("Tax.level", "%d is not a tax level: 0 rounds each line's tax, 1 the total per code", s.Tax.Level)
	}
	for _, m := range []struct {
		field string
		mode  money.Mode
	}{{"Tax.round", s.Tax.Round}, {"Round", s.Round}} {
		if m.mode < money.HalfUp || m.mode > money.Up {
			bad(m.field, "%d is not a rounding mode: 0 half up, 1 half even, 2 down, 3 up", m.mode)
		}
	}
	if len(s.TaxGroups) == 0 {
		bad("TaxGroups", "a store needs at least one tax group (products name theirs)")
	}
	for _, key := range slices.Sorted(maps.Keys(s.TaxGroups)) {
		g := s.TaxGroups[key]
		field := fmt.Sprintf("TaxGroups[%q]", key)
		if g.ID != key {
			bad(field+".id", "%q: a group's ID is its key", g.ID)
		}
		seen := map[string]bool{}
		for i, c := range g.Codes {
			cf := fmt.Sprintf("%s.codes[%d]", field, i)
			switch {
			case c.ID == "":
				bad(cf+".id", "a tax code needs an ID")
			case seen[c.ID]:
				bad(cf+".id", "%q is in the group twice", c.ID)
			}
			seen[c.ID] = true
			if c.Rate < 0 || c.Rate > 1_000_000 {
				bad(cf+".rate", "%d: a rate is in millionths, from 0 to 1000000 (19 %% = 190000)", c.Rate)
			}
		}
	}
	ids := map[string]bool{}
	for i, t := range s.TenderTypes {
		field := fmt.Sprintf("TenderTypes[%d]", i)
		switch {
		case t.ID == "":
			bad(field+".id", "a tender type needs an ID")
		case ids[t.ID]:
			bad(field+".id", "%q is used by another tender type", t.ID)
		}
		ids[t.ID] = true
		if t.Name == "" {
			bad(field+".name", "a tender type needs the name the cashier sees")
		}
		switch t.Kind {
		case cart.Cash, cart.Card, cart.Points, cart.GiftCard, cart.CreditMemo, cart.Account:
			if t.Foreign.Code != "" {
				bad(field+".foreign", "only a tender of kind currency has a foreign currency")
			}
		case cart.Currency:
			checkCurrency(field+".foreign", t.Foreign)
			if t.Foreign.Code == s.Currency.Code {
				bad(field+".foreign", "%s is the store's own currency", t.Foreign.Code)
			} else if _, ok := s.ExchangeRates[t.Foreign.Code]; !ok && t.Foreign.Code != "" {
				bad(field+".foreign", "%s has no exchange rate (ExchangeRates; scaleunit admin exchange-rate)", t.Foreign.Code)
			}
		default:
			bad(field+".kind", "%q is not a tender kind: cash, card, loyalty, giftcard, memo, account or currency", t.Kind)
		}
		for _, a := range []struct {
			name string
			amt  money.Amount
		}{{"max_overtender", t.MaxOvertender}, {"rounding_step", t.RoundingStep}, {"max_amount", t.MaxAmount}} {
			if a.amt < 0 {
				bad(field+"."+a.name, "%d is below zero (0 = no limit, amounts in minor units)", a.amt)
			}
		}
	}
	for i, m := range s.Masks {
		if err := m.Validate(); err != nil {
			bad(fmt.Sprintf("Masks[%d]", i), "%v", err)
		}
	}
	if s.Header.TimeZone != "" {
		if _, err := time.LoadLocation(s.Header.TimeZone); err != nil {
			bad("Header.TimeZone", "%q is not an IANA time zone (e.g. Europe/Berlin)", s.Header.TimeZone)
		}
	}
	for _, t := range []struct{ field, tag string }{{"Header.Language", s.Header.Language}, {"Header.Locale", s.Header.Locale}} {
		if t.tag == "" {
			continue
		}
		if _, err := language.Parse(t.tag); err != nil {
			bad(t.field, "%q is not a BCP 47 language tag (e.g. de or de-DE)", t.tag)
		}
	}
	if s.MaxQuantity < 0 {
		bad("MaxQuantity", "%d is below zero (thousandths of the unit; 0 = 9,999 units)", s.MaxQuantity)
	}
	for _, code := range slices.Sorted(maps.Keys(s.ExchangeRates)) {
		field := fmt.Sprintf("ExchangeRates[%q]", code)
		iso(field, code)
		if s.ExchangeRates[code] <= 0 {
			bad(field, "a rate is above zero")
		}
	}
	return errors.Join(errs...)
}
