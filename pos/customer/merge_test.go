package customer

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func created() Customer {
	c := Customer{ID: "c1", Number: "S1-T01-C000001", FirstName: "Anna", LastName: "Müller", Phone: "+4930123456",
		Store: "S1", Created: t0, CreatedBy: "1001", Updated: t0, UpdatedBy: "1001", Version: 1}
	c.StampEdit(nil, Stamp{At: t0, By: "S1/T01"})
	return c
}

// edit changes a copy as a till would: the form's new values, stamped.
func edit(old Customer, at time.Time, by string, change func(*Customer)) Customer {
	c := old
	change(&c)
	c.Updated, c.Version = at, old.Version+1
	c.StampEdit(&old, Stamp{At: at, By: by})
	return c
}

func TestMergeFieldByField(t *testing.T) {
	base := created()
	// Till 1 changes the phone at 10:00 and the last name at 10:05; till 2
	// the e-mail at 10:01 and the last name at 10:02, all offline.
	a := edit(base, t0.Add(time.Hour), "S1/T01", func(c *Customer) { c.Phone = "+4930999999" })
	a = edit(a, t0.Add(65*time.Minute), "S1/T01", func(c *Customer) { c.LastName = "Müller-Lüdenscheidt" })
	b := edit(base, t0.Add(61*time.Minute), "S1/T02", func(c *Customer) { c.Email = "anna@example.com"; c.Consent.EmailReceipts = true })
	b = edit(b, t0.Add(62*time.Minute), "S1/T02", func(c *Customer) { c.LastName = "Mueller" })

	for name, m := range map[string]Customer{"a then b": must(Merge(a, b)), "b then a": must(Merge(b, a))} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, "+4930999999", m.Phone, "only till 1 changed the phone")
			assert.Equal(t, "anna@example.com", m.Email, "only till 2 changed the e-mail")
			assert.True(t, m.Consent.EmailReceipts)
			assert.Equal(t, "Müller-Lüdenscheidt", m.LastName, "the later edit of the last name wins")
			assert.Contains(t, m.History, Earlier{Field: FieldLastName, Value: "Mueller", At: t0.Add(62 * time.Minute), By: "S1/T02"},
				"the losing last name is kept in the history")
			assert.Contains(t, m.History, Earlier{Field: FieldLastName, Value: "Müller", At: t0, By: "S1/T01"})
			assert.Contains(t, m.History, Earlier{Field: FieldPhone, Value: "+4930123456", At: t0, By: "S1/T01"})
			assert.Equal(t, t0.Add(65*time.Minute), m.Updated)
			require.NoError(t, m.Validate())
		})
	}
}

func TestMergeReceiptsNeedAnAddress(t *testing.T) {
	base := created()
	base = edit(base, t0.Add(time.Minute), "S1/T01", func(c *Customer) { c.Email = "anna@example.com" })
	// Till 2 asks for receipts by e-mail; till 1, later, removes the address.
	b := edit(base, t0.Add(2*time.Minute), "S1/T02", func(c *Customer) { c.Consent.EmailReceipts = true })
	a := edit(base, t0.Add(3*time.Minute), "S1/T01", func(c *Customer) { c.Email = "" })
	m, changed := Merge(a, b)
	assert.True(t, changed)
	assert.Empty(t, m.Email)
	assert.False(t, m.ReceiptsByEmail(), "no receipts by e-mail without an address")
	assert.Error(t, m.Validate(), "the next edit asks for the address")
}

func TestMergeAgainChangesNothing(t *testing.T) {
	base := created()
	a := edit(base, t0.Add(time.Hour), "S1/T01", func(c *Customer) { c.FirstName = "Anne" })
	m, changed := Merge(base, a)
	assert.True(t, changed)
	again, changed := Merge(m, a)
	assert.False(t, changed, "merging the same copy twice")
	assert.Equal(t, m.FirstName, again.FirstName)
	_, changed = Merge(m, base)
	assert.False(t, changed, "an older copy changes nothing")
}

// TestMergeConverges: whatever edits two or three tills make apart and
// whatever order their copies meet in, every copy ends the same.
func TestMergeConverges(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	values := map[string][]string{
		FieldFirstName: {"Anna", "Anne", "Ana"}, FieldLastName: {"Müller", "Mueller", "Muller"},
		FieldPhone: {"", "+491701234567", "+4930123456"}, FieldEmail: {"", "a@example.com", "anna@example.org"},
		FieldLoyaltyCard: {"", "LC1", "LC2"}, FieldBirthday: {"", "1990-01-02"}, FieldStore: {"S1", "S2"},
		FieldEmailMarketing: {"true", "false"}, FieldEmailReceipts: {"true", "false"}, FieldAssociate: {"", "3001", "3002"}, FieldMergedInto: {"", "c9"},
	}
	for round := range 2000 {
		base := created()
		tills := []string{"S1/T01", "S1/T02", "S2/T01"}
		copies := make([]Customer, len(tills))
		for i, by := range tills {
			c := base
			at := t0
			for k := range rng.IntN(5) {
				at = at.Add(time.Duration(1+rng.IntN(3)) * time.Minute) // equal times at two tills happen
				switch rng.IntN(4) {
				case 0: // a store attribute
					v := []string{"", "M", "L"}[rng.IntN(3)]
					c = edit(c, at, by, func(c *Customer) {
						c.Attributes = maps.Clone(c.Attributes)
						if v == "" {
							delete(c.Attributes, "size")
						} else {
							if c.Attributes == nil {
								c.Attributes = map[string]string{}
							}
							c.Attributes["size"] = v
						}
					})
				case 1: // the wish list
					p := []string{"P1", "P2"}[rng.IntN(2)]
					added := rng.IntN(2) == 0
					c.Wishes = slices.Clone(c.Wishes)
					c.SetWish(p, p, added, Stamp{At: at, By: by})
				case 2: // a note
					c.Notes = append(slices.Clone(c.Notes), Note{ID: fmt.Sprintf("%s-%d", by, k), At: at, By: "1001", Till: by, Kind: NoteText, Text: "x"})
				default:
					f := fields[rng.IntN(len(fields))]
					v := values[f.name][rng.IntN(len(values[f.name]))]
					c = edit(c, at, by, func(c *Customer) { f.set(c, v) })
				}
			}
			copies[i] = c
		}
		ab, _ := Merge(copies[0], copies[1])
		abc, _ := Merge(ab, copies[2])
		bc, _ := Merge(copies[1], copies[2])
		abc2, _ := Merge(copies[0], bc)
		cb, _ := Merge(copies[2], copies[1])
		cba, _ := Merge(cb, copies[0])
		assert.Equal(t, len(copies[0].Notes)+len(copies[1].Notes)+len(copies[2].Notes), len(abc.Notes), "round %d: every note kept", round)
		for _, other := range []Customer{abc2, cba} {
			require.True(t, same(abc, other), "round %d: merges in another order differ:\n%s\n%s", round, show(abc), show(other))
		}
		again, changed := Merge(abc, copies[1])
		require.False(t, changed, "round %d: %s", round, show(again))
	}
}

func show(c Customer) string {
	return fmt.Sprintf("%s %s %s %s %s %v %d earlier", c.FirstName, c.LastName, c.Phone, c.Email, c.LoyaltyCard, c.Consent, len(c.History))
}

func must(c Customer, _ bool) Customer { return c }
