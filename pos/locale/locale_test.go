package locale

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/money"
)

const nb, nnb = "\u00a0", "\u202f" // CLDR's no-break and narrow no-break spaces

func TestMoney(t *testing.T) {
	tests := map[string]struct {
		tag               string
		eur, big, neg, us string
	}{
		"German":  {"de-DE", "28,71" + nb + "€", "1.234,50" + nb + "€", "-0,05" + nb + "€", "28,71" + nb + "$"},
		"French":  {"fr-FR", "28,71" + nb + "€", "1" + nnb + "234,50" + nb + "€", "-0,05" + nb + "€", "28,71" + nb + "$US"},
		"Spanish": {"es-ES", "28,71" + nb + "€", "1234,50" + nb + "€", "-0,05" + nb + "€", "28,71" + nb + "US$"},
		"Irish":   {"en-IE", "€28.71", "€1,234.50", "-€0.05", "US$28.71"},
		"US":      {"en-US", "€28.71", "€1,234.50", "-€0.05", "$28.71"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := For(tc.tag, "")
			assert.Equal(t, tc.eur, l.Money(2871, money.EUR))
			assert.Equal(t, tc.big, l.Money(123450, money.EUR))
			assert.Equal(t, tc.neg, l.Money(-5, money.EUR))
			assert.Equal(t, tc.us, l.Money(2871, money.USD))
		})
	}
	assert.Equal(t, "12.345,00"+nb+"€", For("es-ES", "").Money(1234500, money.EUR), "Spanish groups from five digits")
	assert.Equal(t, "¥1,234", For("en-US", "").Money(1234, money.JPY))
	assert.Equal(t, "12,50"+nb+"XTS", For("de-DE", "").Money(1250, money.Currency{Code: "XTS", Digits: 2}))
	assert.Equal(t, "28,71"+nb+"EUR", For("de-DE", "").MoneyCode(2871, money.EUR))
	assert.Equal(t, "12,5", For("de-DE", "").Fraction(1250, 2))
	assert.Equal(t, "12.5", For("en-US", "").Fraction(1250, 2))
	assert.Equal(t, "10", For("fr-FR", "").Fraction(1000, 2))
}

func TestNumbers(t *testing.T) {
	tests := map[string]struct {
		tag, qty, whole, rate, odd, pct, sep string
	}{
		"German":  {"de-DE", "0,734", "12.345", "19" + nb + "%", "8,875" + nb + "%", "10" + nb + "%", ","},
		"French":  {"fr-FR", "0,734", "12" + nnb + "345", "19" + nb + "%", "8,875" + nb + "%", "10" + nb + "%", ","},
		"Spanish": {"es-ES", "0,734", "12.345", "19" + nb + "%", "8,875" + nb + "%", "10" + nb + "%", ","},
		"Irish":   {"en-IE", "0.734", "12,345", "19%", "8.875%", "10%", "."},
		"US":      {"en-US", "0.734", "12,345", "19%", "8.875%", "10%", "."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := For(tc.tag, "")
			assert.Equal(t, tc.qty, l.Qty(734, 3))
			assert.Equal(t, "2", l.Qty(2000, 0))
			assert.Equal(t, tc.whole, l.Int(12345))
			assert.Equal(t, tc.rate, l.Rate(190000))
			assert.Equal(t, tc.odd, l.Rate(88750))
			assert.Equal(t, tc.pct, l.Percent(1000))
			assert.Equal(t, tc.sep, l.DecimalSeparator())
		})
	}
}

func TestDatesInStoreZone(t *testing.T) {
	at := time.Date(2026, 3, 14, 9, 5, 7, 0, time.UTC) // 10:05 in Berlin, 05:05 in New York
	tests := map[string]struct{ tag, zone, date, tm, dt string }{
		"German":  {"de-DE", "Europe/Berlin", "14.03.2026", "10:05", "14.03.2026, 10:05"},
		"French":  {"fr-FR", "Europe/Paris", "14/03/2026", "10:05", "14/03/2026 10:05"},
		"Spanish": {"es-ES", "Europe/Madrid", "14/3/2026", "10:05", "14/3/2026, 10:05"},
		"Irish":   {"en-IE", "Europe/Dublin", "14/03/2026", "09:05", "14/03/2026, 09:05"},
		"US":      {"en-US", "America/New_York", "3/14/2026", "5:05" + nnb + "AM", "3/14/2026, 5:05" + nnb + "AM"},
		"no zone": {"de-DE", "", "14.03.2026", "09:05", "14.03.2026, 09:05"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := For(tc.tag, tc.zone)
			assert.Equal(t, tc.date, l.Date(at))
			assert.Equal(t, tc.tm, l.Time(at))
			assert.Equal(t, tc.dt, l.DateTime(at))
		})
	}
	assert.Equal(t, "5:05:07"+nnb+"AM", For("en-US", "America/New_York").TimeSeconds(at))
	assert.Equal(t, "12:00"+nnb+"PM", For("en-US", "").Time(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)))
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"": Default, "C": Default, "C.UTF-8": Default, "de_DE.UTF-8": "de-DE", "de": "de-DE", "fr": "fr-FR",
		"es": "es-ES", "en": "en-IE", "en-US": "en-US", "de-AT": "de-AT", "!!": Default,
	} {
		assert.Equal(t, want, Canonical(in), in)
	}
	assert.Equal(t, "de", For("de-AT", "").Language())
	assert.Same(t, For("de-DE", "Europe/Berlin"), For("de_DE", "Europe/Berlin"), "locales are cached")
}

func BenchmarkMoney(b *testing.B) {
	l := For("de-DE", "Europe/Berlin")
	for b.Loop() {
		_ = l.Money(2871, money.EUR)
	}
}
