package pos_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

func TestSetupValidateNamesTheWrongField(t *testing.T) {
	d := demo.Setup()
	require.NoError(t, d.Validate(), "the demo store's setup is valid")
	ts := testSetup(true)
	require.NoError(t, ts.Validate())
	for name, tc := range map[string]struct {
		change func(s *pos.Setup)
		said   []string
	}{
		"currency":     {func(s *pos.Setup) { s.Currency = money.Currency{Code: "EURO", Digits: 2} }, []string{"Currency.Code", "ISO 4217"}},
		"digits":       {func(s *pos.Setup) { s.Currency = money.Currency{Code: "JPY", Digits: 2} }, []string{"Currency.Digits", "JPY has 0"}},
		"tax level":    {func(s *pos.Setup) { s.Tax.Level = 7 }, []string{"Tax.level"}},
		"rounding":     {func(s *pos.Setup) { s.Round = 9 }, []string{"Round:", "rounding mode"}},
		"no tax group": {func(s *pos.Setup) { s.TaxGroups = nil }, []string{"TaxGroups", "at least one"}},
		"group key":    {func(s *pos.Setup) { s.TaxGroups["X"] = tax.Group{ID: "Y"} }, []string{`TaxGroups["X"].id`}},
		"rate": {func(s *pos.Setup) {
			s.TaxGroups["X"] = tax.Group{ID: "X", Codes: []tax.Code{{ID: "V", Rate: 1_900_000}}}
		}, []string{`TaxGroups["X"].codes[0].rate`, "millionths"}},
		"tender ID twice": {func(s *pos.Setup) { s.TenderTypes = append(s.TenderTypes, s.TenderTypes[0]) }, []string{"is used by another tender type"}},
		"tender kind":     {func(s *pos.Setup) { s.TenderTypes[0].Kind = "cheque" }, []string{"TenderTypes[0].kind", "not a tender kind"}},
		"negative limit":  {func(s *pos.Setup) { s.TenderTypes[0].MaxAmount = -1 }, []string{"TenderTypes[0].max_amount"}},
		"foreign": {func(s *pos.Setup) {
			s.TenderTypes = append(s.TenderTypes, tender.Type{ID: "chf", Name: "CHF", Kind: cart.Currency, Foreign: money.Currency{Code: "CHF", Digits: 2}})
		}, []string{"CHF has no exchange rate"}},
		"mask":          {func(s *pos.Setup) { s.Masks = append(s.Masks, barcode.Mask{Prefix: "x"}) }, []string{"Masks["}},
		"time zone":     {func(s *pos.Setup) { s.Header.TimeZone = "Mars/Olympus" }, []string{"Header.TimeZone", "IANA"}},
		"language":      {func(s *pos.Setup) { s.Header.Locale = "not a tag!" }, []string{"Header.Locale", "BCP 47"}},
		"max quantity":  {func(s *pos.Setup) { s.MaxQuantity = -5 }, []string{"MaxQuantity"}},
		"exchange rate": {func(s *pos.Setup) { s.ExchangeRates = map[string]money.Rate{"USD": 0} }, []string{`ExchangeRates["USD"]`, "above zero"}},
	} {
		t.Run(name, func(t *testing.T) {
			s := demo.Setup()
			tc.change(&s)
			err := s.Validate()
			require.Error(t, err)
			for _, w := range tc.said {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	s := demo.Setup()
	s.Currency.Code, s.TenderTypes[0].Kind = "??", "x"
	assert.Contains(t, s.Validate().Error(), "\n", "every error at once")
}
