// Package l10n translates the till's screens with go-i18n: the message files
// are embedded in assets/i18n (one JSON file per language), every error of
// the domain is translated by its message key, and amounts, numbers and
// dates are formatted for the locale.
package l10n

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Languages lists the languages the till ships, English first.
var Languages = []string{"en", "de", "fr", "es"}

// Bundle is the till's one go-i18n bundle of every embedded message file
// (locale.Messages): the screens, the receipts and the customer display
// share it.
func Bundle() (*i18n.Bundle, error) { return locale.Messages() }

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

// Localizer translates messages into one language and formats values for
// the store's locale (pos/locale, from CLDR data).
type Localizer struct {
	Lang   string // language of the messages
	Format string // BCP 47 locale of amounts, numbers and dates (the store's), e.g. "de-DE"; default Lang's
	Zone   string // IANA time zone dates and times are shown in (the store's); "" = UTC
	f      *locale.Locale
	loc    *i18n.Localizer
}

// New returns a localizer for lang (one of Languages; others fall back to English).
func New(b *i18n.Bundle, lang string) *Localizer {
	lang = Match(lang)
	tag := locale.Canonical(lang)
	return &Localizer{Lang: lang, Format: tag, f: locale.For(tag, ""), loc: i18n.NewLocalizer(b, lang)}
}

// WithFormat returns a copy that formats amounts, numbers and dates for the
// store's locale (a BCP 47 tag such as "de-DE", or a language, "de") while
// messages stay in l's language. An empty locale keeps the message
// language's.
func (l *Localizer) WithFormat(tag string) *Localizer {
	if tag == "" {
		return l
	}
	c := *l
	c.Format = locale.Canonical(tag)
	c.f = locale.For(c.Format, c.Zone)
	return &c
}

// WithZone returns a copy that shows dates and times in the store's time
// zone (IANA name), as its receipts do.
func (l *Localizer) WithZone(zone string) *Localizer {
	c := *l
	c.Zone = zone
	c.f = locale.For(c.Format, zone)
	return &c
}

// Locale is the store locale the localizer formats for.
func (l *Localizer) Locale() *locale.Locale { return l.f }

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

// Int formats a whole number ("12.345" in de-DE).
func (l *Localizer) Int(v int64) string { return l.f.Int(v) }

// Qty formats a quantity with the unit's decimals ("0,734" in de-DE).
func (l *Localizer) Qty(q catalog.Qty, decimals int) string { return l.f.Qty(q, decimals) }

// Money formats an amount in a currency for the locale, e.g. "€1,234.50"
// (en-IE), "1.234,50 €" (de-DE).
func (l *Localizer) Money(a money.Amount, c money.Currency) string { return l.f.Money(a, c) }

// Number formats an amount as a plain decimal (no symbol), e.g. for the numpad.
func (l *Localizer) Number(a money.Amount, digits int) string { return l.f.Number(int64(a), digits) }

// DecimalSeparator is the locale's decimal separator, for the number pad.
func (l *Localizer) DecimalSeparator() string { return l.f.DecimalSeparator() }

// DateTime formats a time for the locale, in the store's time zone.
func (l *Localizer) DateTime(t time.Time) string { return l.f.DateTime(t) }

// WallDate formats a date for the locale as the time's own zone has it
// (a report's times are in the store's zone already).
func (l *Localizer) WallDate(t time.Time) string { return l.f.WallDate(t) }

// WallDateTime formats a date and time for the locale as the time's own
// zone has it.
func (l *Localizer) WallDateTime(t time.Time) string { return l.f.WallDateTime(t) }

// Date formats a date for the locale, in the store's time zone.
func (l *Localizer) Date(t time.Time) string { return l.f.Date(t) }

// Time formats a time of day for the locale, in the store's time zone.
func (l *Localizer) Time(t time.Time) string { return l.f.Time(t) }

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
