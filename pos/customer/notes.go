package customer

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/poserr"
)

// NoteKind is what a note records.
type NoteKind string

// Kinds of note.
const (
	NoteText     NoteKind = "note"     // something to remember about the customer
	NoteCall     NoteKind = "call"     // a call made or received
	NoteVisit    NoteKind = "visit"    // an appointment or a visit
	NoteReminder NoteKind = "reminder" // something to do by Due
)

// Note is a dated note or activity an associate wrote about the customer.
// Notes are never changed: a till adds them, every copy keeps them all.
type Note struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`   // operator ID
	Till string    `json:"till"` // store/terminal
	Kind NoteKind  `json:"kind"`
	Text string    `json:"text"`
	Due  time.Time `json:"due,omitzero"` // reminders
	Done bool      `json:"done,omitempty"`
}

// MaxNote bounds a note's text.
const MaxNote = 1000

// Check says what is wrong with a new note.
func (n Note) Check() error {
	bad := func(key, msg string, args ...any) error {
		e := poserr.E(poserr.Invalid, key, msg, args...)
		e.Args = map[string]any{"field": "note"}
		return e
	}
	switch {
	case strings.TrimSpace(n.Text) == "":
		return bad("error.customer.note_empty", "write the note first")
	case utf8.RuneCountInString(n.Text) > MaxNote:
		return bad("error.customer.note_long", "a note has at most %d characters", MaxNote)
	case !slices.Contains([]NoteKind{NoteText, NoteCall, NoteVisit, NoteReminder}, n.Kind):
		return bad("error.customer.note_kind", "a note is a note, call, visit or reminder")
	case n.Kind == NoteReminder && n.Due.IsZero():
		return bad("error.customer.note_due", "a reminder needs the day it is due")
	}
	return nil
}

// Wish is a product on the customer's wish list, or one taken off it
// (Added false): the later change of each product wins a merge.
type Wish struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Added     bool   `json:"added"`
	Stamp     Stamp  `json:"stamp"`
}

// WishList is the products on the customer's wish list, most recently
// added first.
func (c Customer) WishList() []Wish {
	var out []Wish
	for _, w := range c.Wishes {
		if w.Added {
			out = append(out, w)
		}
	}
	slices.SortFunc(out, func(a, b Wish) int {
		if a.Stamp.After(b.Stamp) {
			return -1
		}
		if b.Stamp.After(a.Stamp) {
			return 1
		}
		return strings.Compare(a.ProductID, b.ProductID)
	})
	return out
}

// SetWish adds a product to the wish list or takes it off.
func (c *Customer) SetWish(productID, name string, added bool, s Stamp) {
	for i, w := range c.Wishes {
		if w.ProductID == productID {
			c.Wishes[i] = Wish{ProductID: productID, Name: name, Added: added, Stamp: s}
			return
		}
	}
	c.Wishes = append(c.Wishes, Wish{ProductID: productID, Name: name, Added: added, Stamp: s})
}

// Reminders are the reminders not done, the earliest due first.
func (c Customer) Reminders() []Note {
	var out []Note
	for _, n := range c.Notes {
		if n.Kind == NoteReminder && !n.Done {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b Note) int { return a.Due.Compare(b.Due) })
	return out
}

// mergeNotes joins two copies' notes by ID; a note marked done in either is
// done.
func mergeNotes(a, b []Note) []Note {
	by := map[string]Note{}
	for _, n := range slices.Concat(a, b) {
		if o, ok := by[n.ID]; ok {
			n.Done = n.Done || o.Done
		}
		by[n.ID] = n
	}
	out := make([]Note, 0, len(by))
	for _, n := range by {
		out = append(out, n)
	}
	slices.SortFunc(out, func(x, y Note) int {
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// mergeWishes keeps each product's later change.
func mergeWishes(a, b []Wish) []Wish {
	by := map[string]Wish{}
	for _, w := range slices.Concat(a, b) {
		o, ok := by[w.ProductID]
		if !ok || w.Stamp.After(o.Stamp) || (w.Stamp.Equal(o.Stamp) && w.Added && !o.Added) {
			by[w.ProductID] = w
		}
	}
	out := make([]Wish, 0, len(by))
	for _, w := range by {
		out = append(out, w)
	}
	slices.SortFunc(out, func(x, y Wish) int { return strings.Compare(x.ProductID, y.ProductID) })
	if len(out) == 0 {
		return nil
	}
	return out
}

func sameNotes(a, b []Note) bool {
	return slices.EqualFunc(a, b, func(x, y Note) bool {
		return x.ID == y.ID && x.Done == y.Done && x.Text == y.Text && x.At.Equal(y.At)
	})
}

func sameWishes(a, b []Wish) bool {
	return slices.EqualFunc(a, b, func(x, y Wish) bool {
		return x.ProductID == y.ProductID && x.Added == y.Added && x.Stamp.Equal(y.Stamp)
	})
}
