package receipt

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

var languages = []string{"en", "de", "fr", "es"}

// TestLabelsComplete fails when a language leaves a label empty: a new
// field must be translated in every language.
func TestLabelsComplete(t *testing.T) {
	for _, lang := range languages {
		v := reflect.ValueOf(LabelsFor(lang))
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
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

// TestEnglishLabelsMatchConstants keeps the exported English wording and the
// English labels the same.
func TestEnglishLabelsMatchConstants(t *testing.T) {
	en := LabelsFor("")
	assert.Equal(t, CopyBanner, en.Copy)
	assert.Equal(t, NoteInclusive, en.NoteInclusive)
	assert.Equal(t, NoteExclusive, en.NoteExclusive)
	for _, k := range []Kind{Sale, Return, Void} {
		assert.Equal(t, k.Title(), en.Title(k))
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
		{"en", []string{"SALES RECEIPT", "Subtotal", "TOTAL EUR", "Change", "Prices include VAT", "Line discount 10%", "Total discount 5%", "Price overridden from 12.99"}, nil},
		{"de", []string{"KASSENBON", "Bon-Nr.", "Zwischensumme", "SUMME EUR", "Rückgeld", "MwSt.", "Preise inkl. MwSt.", "Rabatt 10%", "Gesamtrabatt 5%", "Tel. +49", "USt-IdNr. DE123456789", "Ihre Ersparnis"},
			[]string{"Subtotal", "Change", "SALES RECEIPT", "TOTAL EUR", "Tax ID", "Line discount"}},
		{"fr", []string{"TICKET DE CAISSE", "Sous-total", "TOTAL EUR", "Rendu", "TVA", "Remise 10%", "Remise globale 5%", "Tél. +49", "Prix modifié, initial 12.99"},
			[]string{"Subtotal", "Change", "SALES RECEIPT", "Tax ID"}},
		{"es", []string{"TICKET", "Subtotal", "TOTAL EUR", "Cambio", "IVA", "Descuento 10%", "Descuento total 5%", "NIF DE123456789", "Precio modificado, antes 12.99"},
			[]string{"Change", "SALES RECEIPT", "Tax ID", "Prices include VAT"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			h := berlin
			h.Language = tc.lang
			r := Build(saleCart(t), h, "Zoë")
			r.Copy = true
			text := r.Text(42)
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				assert.LessOrEqual(t, utf8.RuneCountInString(line), 42, "%q", line)
			}
			lb := LabelsFor(tc.lang)
			for _, s := range append(tc.want, lb.Copy, lb.RateColumn, lb.AmountColumn, lb.TaxTotal) {
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
