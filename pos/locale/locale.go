// Package locale formats amounts, numbers, percentages, dates and times for
// the store's locale from CLDR data: amounts and decimals through
// github.com/bojanz/currency (symbols, separators, grouping and patterns of
// CLDR), percentages through golang.org/x/text/number, dates and times by the
// locale's CLDR date and time patterns in the store's time zone. Amounts stay
// int64 minor units (money.Amount); nothing here does arithmetic on them.
//
// The locales the till ships are de-DE, fr-FR, es-ES, en-IE and en-US; any
// other BCP 47 tag is formatted by CLDR's data for it where bojanz/currency
// has it, with the date patterns of the closest shipped locale.
package locale

import (
	"strings"
	"sync"
	"time"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Supported lists the store locales the till ships, with a language of its
// own in assets/i18n for each.
var Supported = []string{"de-DE", "fr-FR", "es-ES", "en-IE", "en-US"}

// Default is the locale of a store that names none: the demo store's.
const Default = "en-IE"

// Locale formats values for one store locale in one time zone. It is safe
// for concurrent use.
type Locale struct {
	tag   string // canonical BCP 47 tag, e.g. "de-DE"
	lang  string // primary language subtag, e.g. "de"
	zone  *time.Location
	money *currency.Formatter
	pct   *message.Printer
	dates patterns

	mu      sync.Mutex
	numbers map[int]*currency.Formatter // decimal formatters by fraction digits
}

// For returns the locale of a BCP 47 tag ("de-DE", "de_DE", "fr") in the
// named IANA time zone ("Europe/Berlin"; "" or an unknown zone means UTC). A
// tag of only a language takes its shipped region (fr → fr-FR, en → en-IE);
// an empty or malformed tag is Default. Locales are cached: For is cheap to
// call per receipt.
func For(tag, zone string) *Locale {
	tag = Canonical(tag)
	key := tag + "|" + zone
	if l, ok := cache.Load(key); ok {
		return l.(*Locale)
	}
	l := build(tag, zone)
	actual, _ := cache.LoadOrStore(key, l)
	return actual.(*Locale)
}

var cache sync.Map // tag|zone → *Locale

// Canonical turns a tag as configured ("de_DE", "de-de.UTF-8", "fr") into
// the BCP 47 form the package uses ("de-DE", "fr-FR"); "" and malformed
// tags become Default.
func Canonical(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, ".@"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ReplaceAll(tag, "_", "-")
	t, err := language.Parse(tag)
	if err != nil || tag == "" || strings.EqualFold(tag, "C") {
		return Default
	}
	base, _ := t.Base()
	region, conf := t.Region()
	if conf == language.Exact {
		return base.String() + "-" + region.String()
	}
	for _, s := range Supported {
		if strings.HasPrefix(s, base.String()+"-") {
			return s
		}
	}
	if conf == language.No {
		return base.String()
	}
	return base.String() + "-" + region.String()
}

func build(tag, zone string) *Locale {
	lang, _, _ := strings.Cut(tag, "-")
	loc := time.UTC
	if zone != "" {
		if z, err := time.LoadLocation(zone); err == nil {
			loc = z
		}
	}
	cl := currency.NewLocale(tag)
	f := currency.NewFormatter(cl)
	return &Locale{
		tag: tag, lang: lang, zone: loc, money: f,
		pct:     message.NewPrinter(language.Make(tag)),
		dates:   datePatterns(tag),
		numbers: map[int]*currency.Formatter{},
	}
}

// Tag is the locale's BCP 47 tag, e.g. "de-DE".
func (l *Locale) Tag() string { return l.tag }

// Language is the locale's language subtag ("de"): the language receipts
// and the customer display are printed in.
func (l *Locale) Language() string { return l.lang }

// Zone is the store's time zone.
func (l *Locale) Zone() *time.Location { return l.zone }

// Money formats an amount in minor units of a currency: "28,71 €" in de-DE,
// fr-FR and es-ES, "€28.71" in en-IE, "$28.71" in en-US (the spaces are
// CLDR's no-break spaces).
func (l *Locale) Money(a money.Amount, c money.Currency) string {
	amt, ok := amountOf(int64(a), c)
	if !ok {
		// A currency CLDR does not know (a store-defined code): the number
		// in the locale and the code after it.
		return l.Number(int64(a), c.Digits) + "\u00a0" + c.Code
	}
	return l.money.Format(amt)
}

// MoneyCode formats an amount with the currency's ISO code instead of its
// symbol ("28,71 EUR"), for lines that name the currency.
func (l *Locale) MoneyCode(a money.Amount, c money.Currency) string {
	amt, ok := amountOf(int64(a), c)
	if !ok {
		return l.Number(int64(a), c.Digits) + "\u00a0" + c.Code
	}
	f := *l.money
	f.CurrencyDisplay = currency.DisplayCode
	return f.Format(amt)
}

// amountOf converts minor units into a bojanz amount with c's digits.
func amountOf(v int64, c money.Currency) (currency.Amount, bool) {
	if d, ok := currency.GetDigits(c.Code); ok && int(d) == c.Digits {
		a, err := currency.NewAmountFromInt64(v, c.Code)
		return a, err == nil
	}
	a, err := currency.NewAmount(money.Amount(v).Format(c.Digits), c.Code)
	return a, err == nil
}

// Number formats v minor units with digits decimals as a plain number in
// the locale ("1.234,50" in de-DE, "1 234,50" in fr-FR, "1234,50" in es-ES).
func (l *Locale) Number(v int64, digits int) string {
	digits = min(max(digits, 0), 6)
	a, err := currency.NewAmount(money.Amount(v).Format(digits), "EUR") // any valid code: the formatter shows none
	if err != nil {
		return money.Amount(v).Format(digits)
	}
	return l.decimal(digits).Format(a)
}

// Fraction formats v in units of 10^-digits with at most digits decimals
// and no trailing zeros: Fraction(1250, 2) is "12,5" in de-DE, "12.5" in
// en-US; Fraction(1000, 2) is "10".
func (l *Locale) Fraction(v int64, digits int) string {
	digits = min(max(digits, 0), 6)
	a, err := currency.NewAmount(money.Amount(v).Format(digits), "EUR") // any valid code: the formatter shows none
	if err != nil {
		return money.Amount(v).Format(digits)
	}
	f := *l.decimal(digits)
	f.MinDigits = 0
	return f.Format(a)
}

// decimal is the locale's number formatter with exactly digits decimals
// and no currency.
func (l *Locale) decimal(digits int) *currency.Formatter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.numbers[digits]; ok {
		return f
	}
	f := currency.NewFormatter(currency.NewLocale(l.tag))
	f.CurrencyDisplay = currency.DisplayNone
	f.MinDigits, f.MaxDigits = uint8(digits), uint8(digits)
	l.numbers[digits] = f
	return f
}

// Int formats a whole number ("12.345" in de-DE).
func (l *Locale) Int(v int64) string { return l.Number(v, 0) }

// Qty formats a quantity in thousandths with the unit's decimals (0 to 3):
// "2", "0,734" in de-DE, "0.734" in en-US.
func (l *Locale) Qty(q catalog.Qty, decimals int) string {
	decimals = min(max(decimals, 0), 3)
	v := int64(q)
	for i := 3; i > decimals; i-- {
		v /= 10
	}
	return l.Number(v, decimals)
}

// Rate formats a tax rate in millionths (tax.RateScale) as a percentage by
// the locale's CLDR percent pattern: 190000 → "19 %" in de-DE, "19%" in
// en-US; 88750 → "8,875 %".
func (l *Locale) Rate(millionths int64) string {
	return l.pct.Sprint(number.Percent(float64(millionths)/1e6, number.MaxFractionDigits(3)))
}

// Percent formats a percentage in basis points (1000 = 10 %) as Rate does.
func (l *Locale) Percent(bp int64) string {
	return l.pct.Sprint(number.Percent(float64(bp)/1e4, number.MaxFractionDigits(2)))
}

// DecimalSeparator is the locale's decimal separator ("," or ".").
func (l *Locale) DecimalSeparator() string {
	s := l.Number(1, 1) // "0,1" or "0.1"
	return s[1 : len(s)-1]
}

// In returns t in the store's time zone.
func (l *Locale) In(t time.Time) time.Time { return t.In(l.zone) }

// Date formats t's date in the store's time zone by the locale's CLDR
// short date pattern with a four-digit year ("14.03.2026" in de-DE,
// "14/03/2026" in fr-FR, "14/3/2026" in es-ES, "3/14/2026" in en-US).
func (l *Locale) Date(t time.Time) string { return cldrFormat(t.In(l.zone), l.dates.date) }

// Time formats t's time of day in the store's time zone by the locale's
// CLDR short time pattern ("10:15" in de-DE, "10:15 AM" in en-US).
func (l *Locale) Time(t time.Time) string { return cldrFormat(t.In(l.zone), l.dates.time) }

// TimeSeconds formats t's time of day with seconds ("10:15:42").
func (l *Locale) TimeSeconds(t time.Time) string { return cldrFormat(t.In(l.zone), l.dates.timeSec) }

// DateTime formats date and time, as the locale's CLDR short date-time
// glue joins them ("14.03.2026, 10:15" in de-DE).
func (l *Locale) DateTime(t time.Time) string {
	return l.dates.join(l.Date(t), l.Time(t))
}

// WallDate formats t's date as t's own wall clock has it (no change of
// zone: for a time already in the zone it is shown in, a report's).
func (l *Locale) WallDate(t time.Time) string { return cldrFormat(t, l.dates.date) }

// WallDateTime is WallDate with the time of day.
func (l *Locale) WallDateTime(t time.Time) string {
	return l.dates.join(cldrFormat(t, l.dates.date), cldrFormat(t, l.dates.time))
}

// DateTimeSeconds is DateTime with seconds.
func (l *Locale) DateTimeSeconds(t time.Time) string {
	return l.dates.join(l.Date(t), l.TimeSeconds(t))
}
