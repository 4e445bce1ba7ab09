package receipt

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

var languages = Languages

const nb = "\u00a0" // CLDR's no-break space, between an amount and € or %

// TestLabelsComplete fails when a language leaves a label empty: a new
// field must be translated in every language.
func TestLabelsComplete(t *testing.T) {
	for _, lang := range languages {
		v := reflect.ValueOf(LabelsFor(lang))
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			require.Equal(t, reflect.String, f.Type.Kind(), "Labels.%s is a string", f.Name)
			assert.NotEmpty(t, strings.TrimSpace(v.Field(i).String()), "%s: Labels.%s is empty", lang, f.Name)
		}
	}
}

func TestLabelsFor(t *testing.T) {
	tests := []struct{ lang, subtotal string }{
		{"", "Subtotal"},
		{"en", "Subtotal"},
		{"en-GB", "Subtotal"},
		{"de", "Zwischensumme"},
		{"de-AT", "Zwischensumme"},
		{"DE_ch", "Zwischensumme"},
		{"fr-CA", "Sous-total"},
		{"es", "Subtotal"},
		{"it", "Subtotal"},
		{"xx-YY", "Subtotal"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.subtotal, LabelsFor(tc.lang).Subtotal, tc.lang)
	}
	assert.Equal(t, LabelsFor("en"), LabelsFor("klingon"), "unknown languages fall back to English")
	assert.Equal(t, "Cambio", LabelsFor("es").Change)
	assert.Equal(t, "RÜCKGABE", LabelsFor("de").Title(Return))
}

// TestLabelsAreMessages loads every label of every language from the
// message files with no message missing, and finds no receipt.label.*
// message that no label reads.
func TestLabelsAreMessages(t *testing.T) {
	fields := map[string]bool{PaymentsKey: true}
	ty := reflect.TypeOf(Labels{})
	for i := 0; i < ty.NumField(); i++ {
		if ty.Field(i).IsExported() {
			fields[LabelKey(ty.Field(i).Name)] = true
		}
	}
	for _, lang := range languages {
		lb, missing := loadLabels(lang)
		assert.Empty(t, missing, "%s: receipt labels without a message", lang)
		assert.Equal(t, lang, lb.Language())
		b, err := assets.I18N.ReadFile("i18n/" + lang + ".json")
		require.NoError(t, err)
		var msgs map[string]any
		require.NoError(t, json.Unmarshal(b, &msgs))
		for id := range msgs {
			if strings.HasPrefix(id, "receipt.label.") {
				assert.True(t, fields[id], "%s: message %s is read by no label", lang, id)
			}
		}
		for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 101, 1000000} {
			assert.NotEqual(t, "x", lb.Payments(n, "x"), "%s: payments at %d", lang, n)
		}
	}
	assert.Equal(t, "receipt.label.over_short_total", LabelKey("OverShortTotal"))
	assert.Equal(t, "receipt.label.tax_id", LabelKey("TaxID"))
	assert.Equal(t, "3 Zahlungen", LabelsFor("de").Payments(3, "3"))
	assert.Equal(t, "1 payment", LabelsFor("en").Payments(1, "1"))
	for _, k := range []Kind{Sale, Return, Void, Gift} {
		assert.Equal(t, k.Title(), LabelsFor("en").Title(k))
	}
}

// TestTextInEachLanguage renders the same small receipt in each language at
// 42 columns: the labels are the language's and every line fits the paper.
func TestTextInEachLanguage(t *testing.T) {
	tests := []struct {
		lang string
		want []string
		not  []string
	}{
		{"en", []string{"SALES RECEIPT", "Subtotal", "TOTAL ", "€33.57", "Change", "Prices include VAT", "Line discount 10%", "Total discount 5%", "Price overridden from €12.99", "14/03/2026, 11:15"}, nil},
		{"de", []string{"KASSENBON", "Bon-Nr.", "Zwischensumme", "SUMME ", "33,57" + nb + "€", "Rückgeld", "MwSt.", "Preise inkl. MwSt.", "Rabatt 10" + nb + "%", "Gesamtrabatt 5" + nb + "%", "Tel. +49", "USt-IdNr. DE123456789", "Ihre Ersparnis", "14.03.2026, 11:15", "Brutto"},
			[]string{"Subtotal", "Change", "SALES RECEIPT", "TOTAL", "Tax ID", "Line discount", "33.57", "2026-03-14"}},
		{"fr", []string{"TICKET DE CAISSE", "Sous-total", "TOTAL ", "33,57" + nb + "€", "Rendu", "TVA", "Remise 10" + nb + "%", "Remise globale 5" + nb + "%", "Tél. +49", "Prix modifié, initial 12,99" + nb + "€", "14/03/2026 11:15", "TTC"},
			[]string{"Subtotal", "Change", "SALES RECEIPT", "Tax ID", "33.57"}},
		{"es", []string{"TICKET", "Subtotal", "TOTAL ", "33,57" + nb + "€", "Cambio", "IVA", "Descuento 10" + nb + "%", "Descuento total 5" + nb + "%", "NIF DE123456789", "Precio modificado, antes 12,99" + nb + "€", "14/3/2026, 11:15"},
			[]string{"Change", "SALES RECEIPT", "Tax ID", "Prices include VAT", "33.57"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			h := berlin
			h.Language = tc.lang
			h.TimeZone = "Europe/Berlin"
			r := Build(saleCart(t), h, "Zoë")
			r.Copy = true
			text := r.Text(42)
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				assert.LessOrEqual(t, utf8.RuneCountInString(line), 42, "%q", line)
			}
			lb := LabelsFor(tc.lang)
			for _, s := range append(tc.want, lb.Copy, lb.RateColumn, lb.TaxAmountColumn, lb.GrossColumn, lb.TaxTotal) {
				assert.Contains(t, text, s)
			}
			for _, s := range tc.not {
				assert.NotContains(t, text, s)
			}
			assert.Equal(t, lb.Title(Sale), r.Title())
		})
	}
}

func TestBuildInLanguage(t *testing.T) {
	h := berlin
	h.Language = "de"
	r := Build(returnCart(t), h, "")
	assert.Equal(t, Return, r.Kind)
	assert.Equal(t, "Preise inkl. MwSt.", r.TaxNote)
	assert.Equal(t, "Ursprünglicher Rabatt", r.Lines[0].Discounts[0].Label)
	text := r.Text(42)
	assert.Contains(t, text, "RÜCKGABE")
	assert.Contains(t, text, "Rückgabe zu Bon S001-T01-000042")

	h.Language = "fr"
	v := Build(voidCart(t), h, "")
	assert.Contains(t, v.Text(42), "*** ANNULÉ ***")
}

func TestShiftReportInEachLanguage(t *testing.T) {
	rep := shift.Report{Kind: shift.Z, Shift: "0190c0de-0000-7000-8000-000000000001", Store: "S0001", Terminal: "T01", Currency: money.EUR,
		Sales: 2644, Tenders: []shift.TenderTotals{{Tender: "cash", Name: "Cash", Cash: true, Count: 3, Tendered: 2881, HasCount: true}},
		Accounts: []shift.AccountTotal{{Account: "LOTTERY", Kind: shift.IncomeAccount, Amount: 500, Count: 1}},
		ByHour:   []shift.HourTotal{{Hour: 8, Amount: 2525, Count: 4}}}
	want := map[string][]string{
		"en": {"Z REPORT", "Sales transactions", "3 payments", "OVER/SHORT"},
		"de": {"Z-BERICHT", "Verkaufsvorgänge", "3 Zahlungen", "Schubladenöffnungen", "UMSATZ NACH STUNDE", "DIFFERENZ"},
		"fr": {"RAPPORT Z", "Nombre de ventes", "3 paiements", "Fond de caisse", "ÉCART"},
		"es": {"INFORME Z", "Número de ventas", "3 pagos", "Fondo inicial", "DESCUADRE"},
	}
	for _, lang := range languages {
		d := NewShiftReport(rep, Header{StoreName: "OpenTill", Language: lang})
		d.Copy = true
		text := d.Text(42)
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			assert.LessOrEqual(t, utf8.RuneCountInString(line), 42, "%s: %q", lang, line)
		}
		for _, s := range append(want[lang], LabelsFor(lang).Copy) {
			assert.Contains(t, text, s, lang)
		}
		if lang != "en" {
			assert.NotContains(t, text, "REPORT", lang)
		}
	}
	x := rep
	x.Kind = shift.X
	assert.Equal(t, "X-BERICHT", NewShiftReport(x, Header{Language: "de-DE"}).Title())
}
