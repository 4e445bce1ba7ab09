// Package l10n translates the till's screens with go-i18n: the message files
// are embedded in assets/i18n (one JSON file per language), every error of
// the domain is translated by its message key, and amounts, numbers and
// dates are formatted for the locale.
package l10n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Languages lists the languages the till ships, English first.
var Languages = []string{"en", "de", "fr", "es"}

// Bundle loads every embedded message file.
func Bundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(assets.I18N, "i18n/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(assets.I18N, f); err != nil {
			return nil, fmt.Errorf("loading %s: %w", path.Base(f), err)
		}
	}
	return b, nil
}

// Match picks the supported language closest to a tag such as "de-AT",
// "fr_CH.UTF-8" or "C"; anything unknown is English.
func Match(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, ".@"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ReplaceAll(tag, "_", "-")
	t, err := language.Parse(tag)
	if err != nil {
		return "en"
	}
	base, _ := t.Base()
	for _, l := range Languages {
		if base.String() == l {
			return l
		}
	}
	return "en"
}

// Localizer translates messages into one language and formats values for it.
type Localizer struct {
	Lang   string // language of the messages
	Format string // locale of amounts, numbers and dates (the store's); default Lang
	loc    *i18n.Localizer
}

// New returns a localizer for lang (one of Languages; others fall back to English).
func New(b *i18n.Bundle, lang string) *Localizer {
	lang = Match(lang)
	return &Localizer{Lang: lang, Format: lang, loc: i18n.NewLocalizer(b, lang)}
}

// WithFormat returns a copy that formats amounts, numbers and dates for the
// store's locale (one of Languages) while messages stay in l's language.
// An empty locale keeps the message language.
func (l *Localizer) WithFormat(locale string) *Localizer {
	if locale == "" {
		return l
	}
	c := *l
	c.Format = Match(locale)
	return &c
}

// Must returns a localizer on the embedded bundle and panics if the embedded
// files do not load (a build defect caught by the tests).
func Must(lang string) *Localizer {
	b, err := Bundle()
	if err != nil {
		panic(err)
	}
	return New(b, lang)
}

// Data is template data for a message.
type Data = map[string]any

// T translates a message; data fills its template. A missing message shows
// its ID (the tests make sure none is missing).
func (l *Localizer) T(id string, data ...Data) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.loc.Localize(cfg)
	if err != nil && s == "" {
		return id
	}
	return s
}

// N translates a plural message for count.
func (l *Localizer) N(id string, count int, data ...Data) string {
	d := Data{}
	if len(data) > 0 {
		for k, v := range data[0] {
			d[k] = v
		}
	}
	d["PluralCount"] = l.Int(int64(count))
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
	if err != nil && s == "" {
		return id
	}
	return s
}

// Has reports whether a message exists in this language.
func (l *Localizer) Has(id string) bool {
	_, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: 2})
	if err == nil {
		return true
	}
	var nf *i18n.MessageNotFoundErr
	return !errors.As(err, &nf)
}

// Error turns any error into a message for the screen: the translation of a
// domain error's key, else of its kind. Raw Go error text never reaches it.
func (l *Localizer) Error(err error) string {
	var own interface{ Localized(lang string) string } // an extension's message, in the languages it ships
	if errors.As(err, &own) {
		if s := own.Localized(l.Lang); s != "" {
			return s
		}
	}
	var pe *poserr.Error
	if errors.As(err, &pe) {
		if pe.Key == "error.signin.wrong" {
			if left, ok := pe.Args["left"].(int); ok {
				return l.N("signin.attempts_left", left)
			}
		}
		if pe.Key != "" && l.Has(pe.Key) {
			return l.T(pe.Key, pe.Args)
		}
		return l.T("error.kind." + pe.Kind.String())
	}
	return l.T("error.kind.other")
}

// OpName is the translated name of an operation.
func (l *Localizer) OpName(id int) string { return l.T(fmt.Sprintf("op.%d", id)) }

// format describes how a locale writes numbers and amounts.
type format struct {
	dec, group  string
	minGroup    int  // digits the integer part needs before grouping starts
	symbolFirst bool // "€1.00" rather than "1,00 €"
	symbolSep   string
}

var formats = map[string]format{
	"en": {dec: ".", group: ",", minGroup: 4, symbolFirst: true},
	"de": {dec: ",", group: ".", minGroup: 4, symbolSep: "\u00a0"},
	"fr": {dec: ",", group: "\u202f", minGroup: 4, symbolSep: "\u00a0"},
	"es": {dec: ",", group: ".", minGroup: 5, symbolSep: "\u00a0"},
}

var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

func (l *Localizer) fmt() format {
	if f, ok := formats[l.Format]; ok {
		return f
	}
	return formats["en"]
}

// number formats an integer in minor units with digits decimals.
func (l *Localizer) number(v int64, digits int) string {
	f := l.fmt()
	neg := v < 0
	s := money.Amount(v).Format(digits)
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) >= f.minGroup {
		var b strings.Builder
		for i, c := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(f.group)
			}
			b.WriteRune(c)
		}
		whole = b.String()
	}
	out := whole
	if frac != "" {
		out += f.dec + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Int formats a whole number.
func (l *Localizer) Int(v int64) string { return l.number(v, 0) }

// Qty formats a quantity with the unit's decimals.
func (l *Localizer) Qty(q catalog.Qty, decimals int) string {
	if decimals <= 0 {
		return l.number(int64(q)/1000, 0)
	}
	if decimals > 3 {
		decimals = 3
	}
	v := int64(q)
	for i := 3; i > decimals; i-- {
		v /= 10
	}
	return l.number(v, decimals)
}

// Money formats an amount in a currency for the locale, e.g. "€1,234.50",
// "1.234,50 €".
func (l *Localizer) Money(a money.Amount, c money.Currency) string {
	f := l.fmt()
	sym, ok := symbols[c.Code]
	if !ok {
		sym = c.Code
		f.symbolSep = "\u00a0"
	}
	n := l.number(int64(a), c.Digits)
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	var s string
	if f.symbolFirst {
		s = sym + f.symbolSep + n
	} else {
		s = n + f.symbolSep + sym
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Number formats an amount as a plain decimal (no symbol), e.g. for the numpad.
func (l *Localizer) Number(a money.Amount, digits int) string { return l.number(int64(a), digits) }

// DateTime formats a time for the locale.
func (l *Localizer) DateTime(t time.Time) string { return t.Local().Format(l.T("format.datetime")) }

// ParseAmount reads an amount typed with either decimal separator.
func ParseAmount(s string, digits int) (money.Amount, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u202f", ""))
	return money.Parse(s, digits)
}

// ParseQty reads a quantity ("2", "0.5", "0,250") in thousandths.
func ParseQty(s string) (catalog.Qty, error) {
	a, err := money.Parse(strings.TrimSpace(s), 3)
	if err != nil {
		return 0, err
	}
	return catalog.Qty(a), nil
}
