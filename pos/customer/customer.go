// Package customer holds the store's customers as the till keeps them: a
// profile with contact details, consent flags and a loyalty card number,
// created and edited at any till, offline included, and searched on the
// till's own copy by name (diacritics folded, by prefix), phone, e-mail,
// loyalty card or customer number.
package customer

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/opentill/opentill/pos/poserr"
)

// Customer is one customer of the store (of the chain, once synced).
type Customer struct {
	ID          string `json:"id"`     // client-generated UUIDv7: unique across tills without asking the server
	Number      string `json:"number"` // the customer number people read and type (store, till and a counter)
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Phone       string `json:"phone,omitempty"`
	Email       string `json:"email,omitempty"`
	LoyaltyCard string `json:"loyalty_card,omitempty"`
	Birthday    string `json:"birthday,omitempty"`  // YYYY-MM-DD
	Store       string `json:"store"`               // the preferred (creating) store
	Associate   string `json:"associate,omitempty"` // the associate whose client book holds the customer (operator ID)
	// MergedInto is the customer this duplicate was merged into (its ID):
	// searches leave it out, lookups of it lead there.
	MergedInto string `json:"merged_into,omitempty"`
	// Aliases are the customer numbers of the duplicates merged into this
	// one: their transactions are this customer's history.
	Aliases   []string  `json:"aliases,omitempty"`
	Consent   Consent   `json:"consent"`
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"` // operator ID
	Updated   time.Time `json:"updated"`
	UpdatedBy string    `json:"updated_by"`
	Version   int       `json:"version"` // this copy's saves (edits here and merges from the server), 1 when created

	Stamps  map[string]Stamp `json:"stamps,omitempty"`  // when and where each field was last set (Fields, and "attr." + each attribute)
	History []Earlier        `json:"history,omitempty"` // earlier values, oldest first

	// Attributes are the store's own customer attributes (size, preferred
	// brand …: Setup.CustomerAttributes), merged one by one like fields.
	Attributes map[string]string `json:"attributes,omitempty"`
	Notes      []Note            `json:"notes,omitempty"`  // oldest first
	Wishes     []Wish            `json:"wishes,omitempty"` // the wish list and what was taken off it (WishList)
}

// Consent is what the customer agreed to.
type Consent struct {
	EmailMarketing bool `json:"email_marketing"`
	EmailReceipts  bool `json:"email_receipts"`
}

// Name is the customer's name as the screens show it.
func (c Customer) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// Field names, as a form marks the wrong one.
const (
	FieldFirstName   = "first_name"
	FieldLastName    = "last_name"
	FieldPhone       = "phone"
	FieldEmail       = "email"
	FieldLoyaltyCard = "loyalty_card"
	FieldBirthday    = "birthday"
)

// Limits of the fields.
const (
	MaxName  = 80
	MaxPhone = 32
	MaxEmail = 254
	MaxCard  = 32
)

// Normalize trims every field and writes the phone number as its digits
// (with a leading + kept).
func (c *Customer) Normalize() {
	c.FirstName, c.LastName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName)
	c.Email = strings.TrimSpace(c.Email)
	c.LoyaltyCard = strings.TrimSpace(c.LoyaltyCard)
	c.Birthday = strings.TrimSpace(c.Birthday)
	c.Phone = NormalizePhone(c.Phone)
}

// NormalizePhone keeps a phone number's digits and a leading +.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Validate checks a normalized profile and names the first wrong field in
// the error's arguments ("field"), so a form can mark it and keep the rest.
func (c Customer) Validate() error {
	bad := func(field, key, msg string, args ...any) error {
		e := poserr.E(poserr.Invalid, key, msg, args...)
		e.Args = map[string]any{"field": field}
		return e
	}
	switch {
	case c.FirstName == "" && c.LastName == "":
		return bad(FieldLastName, "error.customer.name", "give the customer's name")
	case len([]rune(c.FirstName)) > MaxName || hasControl(c.FirstName):
		return bad(FieldFirstName, "error.customer.first_name", "the first name has at most %d characters and no control characters", MaxName)
	case len([]rune(c.LastName)) > MaxName || hasControl(c.LastName):
		return bad(FieldLastName, "error.customer.last_name", "the last name has at most %d characters and no control characters", MaxName)
	case len(c.Phone) > MaxPhone || (c.Phone != "" && len(strings.TrimPrefix(c.Phone, "+")) < 4):
		return bad(FieldPhone, "error.customer.phone", "the phone number needs 4 to %d digits", MaxPhone)
	case c.Email != "" && !ValidEmail(c.Email):
		return bad(FieldEmail, "error.customer.email", "the e-mail address is not valid: write it as name@example.com")
	case len(c.LoyaltyCard) > MaxCard || hasControl(c.LoyaltyCard):
		return bad(FieldLoyaltyCard, "error.customer.card", "the loyalty card number has at most %d characters", MaxCard)
	case c.Consent.EmailReceipts && c.Email == "":
		return bad(FieldEmail, "error.customer.email_needed", "receipts by e-mail need the customer's e-mail address")
	}
	for k, v := range c.Attributes {
		if len([]rune(k)) > MaxName || len([]rune(v)) > MaxName || hasControl(k) || hasControl(v) || strings.TrimSpace(k) == "" {
			return bad(AttrField(k), "error.customer.attribute", "an attribute has a name and a value of at most %d characters", MaxName)
		}
	}
	if c.Birthday != "" {
		d, err := time.Parse(time.DateOnly, c.Birthday)
		if err != nil || d.Year() < 1900 || d.After(time.Now()) {
			return bad(FieldBirthday, "error.customer.birthday", "write the birthday as YYYY-MM-DD")
		}
	}
	return nil
}

// ValidEmail reports whether s is an e-mail address a receipt can go to:
// a bare name@domain.tld, nothing around it.
func ValidEmail(s string) bool {
	if len(s) > MaxEmail || strings.ContainsAny(s, " <>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func hasControl(s string) bool { return strings.ContainsFunc(s, unicode.IsControl) }

// Fold is the search form of a text: lower case, diacritics removed
// ("Müller" and "Muller" find each other; "Ørsted" stays "ørsted").
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Words are the folded words of a text, for prefix search.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Query is a customer search as typed into the one search field: words of
// the name (each a prefix), or a phone number, an e-mail address, a
// loyalty card or customer number.
type Query struct {
	Text  string
	Limit int // 0 = 20
}

// Max is the query's limit.
func (q Query) Max() int {
	if q.Limit <= 0 {
		return 20
	}
	return q.Limit
}

// Matches reports whether c is found by q (the in-memory store searches
// with it; the SQLite store's index finds the same).
func (q Query) Matches(c Customer) bool {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return false
	}
	if strings.EqualFold(text, c.Email) || text == c.LoyaltyCard || text == c.Number {
		return true
	}
	if core := PhoneCore(text); core != "" {
		return c.Phone != "" && strings.HasSuffix(c.Phone, core)
	}
	words := Words(text)
	if len(words) == 0 {
		return false
	}
	have := Words(c.FirstName + " " + c.LastName)
	for _, w := range words {
		found := false
		for _, h := range have {
			if strings.HasPrefix(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// PhoneCore is what a phone search matches the end of a stored number
// with: the digits typed, without the leading + and zeros ("030 1234567"
// finds "+49301234567"); "" when the search is not a phone number.
func PhoneCore(s string) string {
	if !looksLikePhone(s) {
		return ""
	}
	core := strings.TrimLeft(strings.TrimPrefix(NormalizePhone(s), "+"), "0")
	if len(core) < 4 {
		return ""
	}
	return core
}

// Reverse returns s backwards (an index on reversed phone numbers finds
// them by their end).
func Reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// looksLikePhone reports whether a search is a phone number: digits with
// spaces, dashes, slashes, dots, brackets or a leading +.
func looksLikePhone(s string) bool {
	digits := 0
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '/', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 4
}

// Card is the loyalty card number ("" for none).
func (c Customer) Card() string { return c.LoyaltyCard }

// FormatNumber is a customer number as the till gives it: store, terminal
// and a counter of the terminal (unique across tills offline).
func FormatNumber(store, terminal string, n int64) string {
	return fmt.Sprintf("%s-%s-C%06d", store, terminal, n)
}

// Less orders customers by last name, first name, then number (folded).
func Less(a, b Customer) bool {
	if x, y := Fold(a.LastName), Fold(b.LastName); x != y {
		return x < y
	}
	if x, y := Fold(a.FirstName), Fold(b.FirstName); x != y {
		return x < y
	}
	return a.Number < b.Number
}
