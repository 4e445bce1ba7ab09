package demo

import (
	"fmt"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/tax"
)

// regime is a demo store in one locale: its language, currency, time zone,
// tax regime and receipt header.
type regime struct {
	lang, zone string
	currency   money.Currency
	inclusive  bool     // VAT included in prices; false: sales tax added
	rates      [3]int64 // millionths of STD, RED and ZERO
	taxWord    string   // "MwSt.", "TVA", "IVA", "Sales tax"
	groupNames [3]string
	cash, card string
	points     string // the loyalty points tender
	giftCard   string // the gift card tender
	memo       string // the credit memo tender
	account    string // the customer account tender
	usd        string // the US dollar cash tender
	attributes []string
	club       string
	header     receipt.Header
}

var regimes = map[string]regime{
	"de-DE": {lang: "de", zone: "Europe/Berlin", currency: money.EUR, inclusive: true, rates: [3]int64{190000, 70000, 0}, taxWord: "MwSt.",
		groupNames: [3]string{"Regelsatz", "Ermäßigter Satz", "Steuerfrei"}, cash: "Bar", card: "Karte", points: "Punkte", giftCard: "Geschenkkarte", memo: "Gutschrift", account: "Auf Rechnung", usd: "US-Dollar", attributes: []string{"Größe", "Lieblingsmarke"}, club: "OpenTill Club",
		header: receipt.Header{StoreName: "OpenTill Markt", Address: "Marktplatz 1\n10115 Berlin", Phone: "+49 30 1234567", TaxID: "DE123456789",
			Footer: []string{"Vielen Dank für Ihren Einkauf!", "Umtausch innerhalb von 30 Tagen mit Kassenbon."}}},
	"fr-FR": {lang: "fr", zone: "Europe/Paris", currency: money.EUR, inclusive: true, rates: [3]int64{200000, 55000, 0}, taxWord: "TVA",
		groupNames: [3]string{"Taux normal", "Taux réduit", "Exonéré"}, cash: "Espèces", card: "Carte", points: "Points fidélité", giftCard: "Carte cadeau", memo: "Avoir", account: "Compte client", usd: "Dollars US", attributes: []string{"Taille", "Marque préférée"}, club: "Club OpenTill",
		header: receipt.Header{StoreName: "OpenTill Marché", Address: "1 place du Marché\n75004 Paris", Phone: "+33 1 23 45 67 89", TaxID: "FR12345678901",
			Footer: []string{"Merci de votre visite !", "Échange sous 30 jours avec ce ticket."}}},
	"es-ES": {lang: "es", zone: "Europe/Madrid", currency: money.EUR, inclusive: true, rates: [3]int64{210000, 100000, 0}, taxWord: "IVA",
		groupNames: [3]string{"Tipo general", "Tipo reducido", "Exento"}, cash: "Efectivo", card: "Tarjeta", points: "Puntos", giftCard: "Tarjeta regalo", memo: "Vale de abono", account: "Cuenta de cliente", usd: "Dólares EE. UU.", attributes: []string{"Talla", "Marca preferida"}, club: "Club OpenTill",
		header: receipt.Header{StoreName: "OpenTill Mercado", Address: "Plaza Mayor 1\n28012 Madrid", Phone: "+34 91 123 45 67", TaxID: "ESB12345678",
			Footer: []string{"¡Gracias por su compra!", "Cambios en 30 días con este ticket."}}},
	"en-US": {lang: "en", zone: "America/New_York", currency: money.USD, inclusive: false, rates: [3]int64{88750, 0, 0}, taxWord: "Sales tax",
		groupNames: [3]string{"Taxable", "Food (exempt)", "Exempt"}, cash: "Cash", card: "Card", points: "Points", giftCard: "Gift card", memo: "Credit memo", account: "On account", usd: "Euros", attributes: []string{"Size", "Preferred brand"}, club: "OpenTill Club",
		header: receipt.Header{StoreName: "OpenTill Market", Address: "350 5th Ave\nNew York, NY 10118", Phone: "(212) 555-0100", TaxID: "EIN 12-3456789",
			Footer: []string{"Thank you for shopping with us!", "Returns within 30 days with your receipt."}}},
}

// Locales lists the locales SetupFor knows besides the default store.
func Locales() []string { return []string{"de-DE", "fr-FR", "es-ES", "en-US"} }

// SetupFor returns the demo store of a locale: "" (or the default store's
// en-IE) is Setup, unchanged; de-DE, fr-FR and es-ES are a store in
// Berlin, Paris or Madrid selling in euros with that country's VAT
// (19/7/0 %, 20/5.5/0 %, 21/10/0 %) included in prices; en-US is a New
// York store in dollars with sales tax (8.875 %, groceries exempt) added to
// prices. Each prints its receipts in its language and locale, in its time
// zone, with its tax and tender names in its language.
func SetupFor(tag string) (pos.Setup, error) {
	s := Setup()
	if tag == "" {
		return s, nil
	}
	tag = locale.Canonical(tag)
	if tag == locale.Default {
		return s, nil
	}
	g, ok := regimes[tag]
	if !ok {
		return pos.Setup{}, fmt.Errorf("no demo store in locale %q: use one of %s (or none for the default store)", tag, strings.Join(Locales(), ", "))
	}
	s.Currency = g.currency
	s.Tax = tax.Config{Inclusive: g.inclusive, Level: tax.PerTotal, Round: money.HalfUp}
	f := locale.For(tag, g.zone)
	code := func(id string, rate int64) tax.Code {
		return tax.Code{ID: id, Name: g.taxWord + " " + f.Rate(rate), Rate: rate}
	}
	s.TaxGroups = map[string]tax.Group{
		TaxStandard: {ID: TaxStandard, Name: g.groupNames[0], Codes: []tax.Code{code("TAX1", g.rates[0])}},
		TaxReduced:  {ID: TaxReduced, Name: g.groupNames[1], Codes: []tax.Code{code("TAX2", g.rates[1])}},
		TaxZero:     {ID: TaxZero, Name: g.groupNames[2], Codes: []tax.Code{code("TAX3", g.rates[2])}},
	}
	for i := range s.TenderTypes {
		switch s.TenderTypes[i].ID {
		case TenderCash:
			s.TenderTypes[i].Name = g.cash
		case TenderCard:
			s.TenderTypes[i].Name = g.card
		case TenderPoints:
			s.TenderTypes[i].Name = g.points
		case TenderGiftCard:
			s.TenderTypes[i].Name = g.giftCard
		case TenderMemo:
			s.TenderTypes[i].Name = g.memo
		case TenderAccount:
			s.TenderTypes[i].Name = g.account
		case TenderUSD:
			s.TenderTypes[i].Name = g.usd
			if g.currency == money.USD {
				// a dollar store takes euros: 1.0830 dollars a euro
				s.TenderTypes[i].Foreign = money.EUR
				s.ExchangeRates = map[string]money.Rate{"EUR": 1083000}
			}
		}
	}
	s.CustomerAttributes = g.attributes
	s.Loyalty.Name = g.club
	h := g.header
	h.Language, h.Locale, h.TimeZone = g.lang, tag, g.zone
	s.Header = h
	s.StoreName = h.StoreName
	return s, nil
}

// StaffFor returns the demo staff (Staff) speaking the store's language:
// every operator's language is the locale's ("" keeps Staff's).
func StaffFor(tag string) ([]DemoOperator, error) {
	_, ops := Staff()
	if tag == "" || locale.Canonical(tag) == locale.Default {
		return ops, nil
	}
	g, ok := regimes[locale.Canonical(tag)]
	if !ok {
		return nil, fmt.Errorf("no demo store in locale %q: use one of %s", tag, strings.Join(Locales(), ", "))
	}
	for i := range ops {
		ops[i].Language = g.lang
	}
	return ops, nil
}
