package customer

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Stamp says when a field was last set and where: by which till
// ("store/terminal"). Edits of one customer at two tills offline are merged
// field by field with these stamps.
type Stamp struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
}

// After reports whether s is the later edit: the later time, and between
// equal times the greater till, so that every till and the server pick the
// same winner.
func (s Stamp) After(o Stamp) bool {
	if !s.At.Equal(o.At) {
		return s.At.After(o.At)
	}
	return s.By > o.By
}

// Equal reports whether two stamps are the same edit.
func (s Stamp) Equal(o Stamp) bool { return s.At.Equal(o.At) && s.By == o.By }

func (s Stamp) zero() bool { return s.At.IsZero() && s.By == "" }

// Earlier is a value a field had before, kept in the customer's history:
// overwritten by a later edit, or an edit that lost a merge to a later one.
type Earlier struct {
	Field string    `json:"field"`
	Value string    `json:"value"`
	At    time.Time `json:"at"` // when the value was set
	By    string    `json:"by"` // where it was set
}

// MaxHistory bounds the earlier values a customer keeps (the newest stay).
const MaxHistory = 50

// Merged fields, with their stamp names. Consent flags read "true"/"false".
const (
	FieldStore          = "store"
	FieldEmailMarketing = "consent.email_marketing"
	FieldEmailReceipts  = "consent.email_receipts"
	FieldAssociate      = "associate"
	FieldMergedInto     = "merged_into"
)

type field struct {
	name string
	get  func(*Customer) string
	set  func(*Customer, string)
}

func flag(b bool) string { return strconv.FormatBool(b) }

// fields are the profile's merged fields, in their order on a form.
var fields = []field{
	{FieldFirstName, func(c *Customer) string { return c.FirstName }, func(c *Customer, v string) { c.FirstName = v }},
	{FieldLastName, func(c *Customer) string { return c.LastName }, func(c *Customer, v string) { c.LastName = v }},
	{FieldPhone, func(c *Customer) string { return c.Phone }, func(c *Customer, v string) { c.Phone = v }},
	{FieldEmail, func(c *Customer) string { return c.Email }, func(c *Customer, v string) { c.Email = v }},
	{FieldLoyaltyCard, func(c *Customer) string { return c.LoyaltyCard }, func(c *Customer, v string) { c.LoyaltyCard = v }},
	{FieldBirthday, func(c *Customer) string { return c.Birthday }, func(c *Customer, v string) { c.Birthday = v }},
	{FieldStore, func(c *Customer) string { return c.Store }, func(c *Customer, v string) { c.Store = v }},
	{FieldAssociate, func(c *Customer) string { return c.Associate }, func(c *Customer, v string) { c.Associate = v }},
	{FieldMergedInto, func(c *Customer) string { return c.MergedInto }, func(c *Customer, v string) { c.MergedInto = v }},
	{FieldEmailMarketing, func(c *Customer) string { return flag(c.Consent.EmailMarketing) },
		func(c *Customer, v string) { c.Consent.EmailMarketing = v == "true" }},
	{FieldEmailReceipts, func(c *Customer) string { return flag(c.Consent.EmailReceipts) },
		func(c *Customer, v string) { c.Consent.EmailReceipts = v == "true" }},
}

// Fields lists the names of the fields merged one by one.
func Fields() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// Value is the value of a merged field as its history keeps it.
func (c Customer) Value(name string) string {
	for _, f := range fields {
		if f.name == name {
			return f.get(&c)
		}
	}
	return ""
}

// StampEdit stamps the fields of c that differ from old (all of them when
// old is nil, a new customer) with s, and keeps the overwritten values of
// old in c's history. c keeps old's stamps for the fields it left alone.
func (c *Customer) StampEdit(old *Customer, s Stamp) {
	stamps := make(map[string]Stamp, len(fields))
	var hist []Earlier
	if old != nil {
		for k, v := range old.Stamps {
			stamps[k] = v
		}
		hist = slices.Clone(old.History)
	}
	for _, f := range fields {
		if old != nil {
			if f.get(old) == f.get(c) {
				continue
			}
			prev := old.Stamps[f.name]
			hist = append(hist, Earlier{Field: f.name, Value: f.get(old), At: prev.At, By: prev.By})
		}
		stamps[f.name] = s
	}
	var oldAttrs map[string]string
	if old != nil {
		oldAttrs = old.Attributes
	}
	for _, k := range attrKeys(oldAttrs, c.Attributes) {
		if old != nil && oldAttrs[k] == c.Attributes[k] {
			continue
		}
		name := AttrField(k)
		if old != nil {
			prev := old.Stamps[name]
			hist = append(hist, Earlier{Field: name, Value: oldAttrs[k], At: prev.At, By: prev.By})
		}
		stamps[name] = s
	}
	c.Stamps, c.History = stamps, trimHistory(hist)
}

// AttrField is the stamp and history name of a store attribute.
func AttrField(name string) string { return "attr." + name }

// attrNames are the attributes either copy has or has stamped (a removed
// attribute keeps its stamp, so that the removal wins over older values).
func attrNames(a, b Customer) []string {
	set := map[string]string{}
	for _, c := range []Customer{a, b} {
		for k := range c.Attributes {
			set[k] = ""
		}
		for f := range c.Stamps {
			if name, ok := strings.CutPrefix(f, "attr."); ok {
				set[name] = ""
			}
		}
	}
	return attrKeys(set, nil)
}

// attrKeys are the attribute names of both maps, sorted.
func attrKeys(a, b map[string]string) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Merge combines two copies of one customer edited apart (at two tills, or
// a till and the server): each field takes the value of its later edit
// (Stamp.After), the other value goes into the history, and the histories
// are joined. Merge gives the same result whichever copy is cur and which
// is in, and merging a copy again changes nothing, so every till and the
// server converge on the same profile. The result's Version is cur's;
// changed reports whether it differs from cur.
//
// A merge can leave receipts by e-mail asked for without an address (one
// till removed the address, the other asked for receipts): ReceiptsByEmail
// is then false, and the next edit asks for the address.
func Merge(cur, in Customer) (merged Customer, changed bool) {
	m := cur
	m.Stamps = make(map[string]Stamp, len(fields))
	hist := slices.Concat(cur.History, in.History)
	for _, f := range fields {
		f.set(&m, pick(f.name, f.get(&cur), f.get(&in), cur, in, m.Stamps, &hist, blankField))
	}
	var attrs map[string]string
	for _, k := range attrNames(cur, in) {
		if win := pick(AttrField(k), cur.Attributes[k], in.Attributes[k], cur, in, m.Stamps, &hist, blankAttr); win != "" {
			if attrs == nil {
				attrs = map[string]string{}
			}
			attrs[k] = win
		}
	}
	m.Attributes = attrs
	m.Aliases = union(cur.Aliases, in.Aliases)
	m.Notes = mergeNotes(cur.Notes, in.Notes)
	m.Wishes = mergeWishes(cur.Wishes, in.Wishes)
	// The profile's own facts: the first creation, the latest edit.
	if in.Number != "" && (m.Number == "" || in.Number < m.Number) {
		m.Number = in.Number // the same everywhere once created; the smaller if two tills numbered it
	}
	if !in.Created.IsZero() && (m.Created.IsZero() || in.Created.Before(m.Created) || (in.Created.Equal(m.Created) && in.CreatedBy < m.CreatedBy)) {
		m.Created, m.CreatedBy = in.Created, in.CreatedBy
	}
	if in.Updated.After(m.Updated) || (in.Updated.Equal(m.Updated) && in.UpdatedBy > m.UpdatedBy) {
		m.Updated, m.UpdatedBy = in.Updated, in.UpdatedBy
	}
	m.History = trimHistory(hist)
	return m, !same(cur, m)
}

// pick is the merge rule of one value, the field name's in cur (vc) and in
// (vi): the later stamp wins (on equal stamps the greater value), the
// winner's stamp goes into stamps and the other value into the history —
// unless it is the same edit, or an unstamped blank (a field an older
// copy never had).
func pick(name, vc, vi string, cur, in Customer, stamps map[string]Stamp, hist *[]Earlier, blank func(string) bool) string {
	sc, si := cur.Stamps[name], in.Stamps[name]
	win, ws, lose, ls := vc, sc, vi, si
	if si.After(sc) || (si.Equal(sc) && vi > vc) {
		win, ws, lose, ls = vi, si, vc, sc
	}
	if !ws.zero() {
		stamps[name] = ws
	}
	if !ls.Equal(ws) && !(ls.zero() && blank(lose)) {
		*hist = append(*hist, Earlier{Field: name, Value: lose, At: ls.At, By: ls.By})
	}
	return win
}

func blankField(v string) bool { return v == "" || v == "false" } // a consent flag is "false" when unset
func blankAttr(v string) bool  { return v == "" }

// ReceiptsByEmail reports whether receipts go to the customer's e-mail: the
// customer asked for it and the profile has an address.
func (c Customer) ReceiptsByEmail() bool { return c.Consent.EmailReceipts && c.Email != "" }

// trimHistory sorts the earlier values oldest first, drops repeats and
// keeps the newest MaxHistory.
func trimHistory(h []Earlier) []Earlier {
	if len(h) == 0 {
		return nil
	}
	slices.SortFunc(h, func(a, b Earlier) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		for _, p := range [][2]string{{a.By, b.By}, {a.Field, b.Field}, {a.Value, b.Value}} {
			if p[0] != p[1] {
				if p[0] < p[1] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	h = slices.CompactFunc(h, func(a, b Earlier) bool {
		return a.At.Equal(b.At) && a.By == b.By && a.Field == b.Field && a.Value == b.Value
	})
	if len(h) > MaxHistory {
		h = h[len(h)-MaxHistory:]
	}
	return h
}

// same reports whether two copies hold the same profile, stamps and
// history (the version aside).
func same(a, b Customer) bool {
	for _, f := range fields {
		if f.get(&a) != f.get(&b) || !a.Stamps[f.name].Equal(b.Stamps[f.name]) {
			return false
		}
	}
	for _, k := range attrNames(a, b) {
		if a.Attributes[k] != b.Attributes[k] || !a.Stamps[AttrField(k)].Equal(b.Stamps[AttrField(k)]) {
			return false
		}
	}
	if !sameNotes(a.Notes, b.Notes) || !sameWishes(a.Wishes, b.Wishes) || !slices.Equal(a.Aliases, b.Aliases) {
		return false
	}
	return a.Number == b.Number && a.Created.Equal(b.Created) && a.Updated.Equal(b.Updated) &&
		slices.EqualFunc(a.History, b.History, func(x, y Earlier) bool {
			return x.At.Equal(y.At) && x.By == y.By && x.Field == y.Field && x.Value == y.Value
		})
}

// union joins two sets of strings, sorted (nil when empty).
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// Absorb merges the duplicate d into c (a manager's decision, not a sync):
// c keeps its own values and takes d's where it has none, d's notes, wish
// list and attributes it lacks, and d's number (and d's aliases) as
// aliases; d's values c did not take are kept in c's history. StampEdit
// then stamps what changed.
func (c *Customer) Absorb(d Customer) {
	for _, f := range fields {
		switch f.name {
		case FieldMergedInto, FieldAssociate, FieldStore, FieldEmailMarketing, FieldEmailReceipts:
			continue
		}
		dv := f.get(&d)
		if dv == "" {
			continue
		}
		if f.get(c) == "" {
			f.set(c, dv)
		} else if f.get(c) != dv {
			s := d.Stamps[f.name]
			c.History = append(c.History, Earlier{Field: f.name, Value: dv, At: s.At, By: s.By})
		}
	}
	c.Consent.EmailMarketing = c.Consent.EmailMarketing || d.Consent.EmailMarketing
	c.Consent.EmailReceipts = c.Consent.EmailReceipts || d.Consent.EmailReceipts
	if c.Associate == "" {
		c.Associate = d.Associate
	}
	for k, v := range d.Attributes {
		if _, ok := c.Attributes[k]; !ok {
			if c.Attributes == nil {
				c.Attributes = map[string]string{}
			}
			c.Attributes[k] = v
		}
	}
	c.Notes = mergeNotes(c.Notes, d.Notes)
	c.Wishes = mergeWishes(c.Wishes, d.Wishes)
	c.Aliases = union(c.Aliases, append(slices.Clone(d.Aliases), d.Number))
	c.History = trimHistory(slices.Concat(c.History, d.History))
}

// Numbers are the customer numbers whose transactions are the customer's:
// their own and their merged duplicates'.
func (c Customer) Numbers() []string {
	return union([]string{c.Number}, c.Aliases)
}
