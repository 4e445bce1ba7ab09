package store

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"

	"github.com/opentill/opentill/pos/customer"
)

// The rows of the customers' name index are numbered in the order of the
// names, so that FTS5, which returns matches in row order, returns the
// first customers by name first and can stop after a page, however many
// share a common name. A row number is the folded last name, a separator
// and the folded first name, letters and digits only, packed five bits a
// character for the first nameChars characters (the order), then
// nameSlotBits bits from the customer's ID (unique within an order).
const (
	nameChars    = 8
	nameSlotBits = 23
	nameSlotMask = 1<<nameSlotBits - 1
)

// nameID is a customer's preferred row in the name index.
func nameID(c customer.Customer) int64 {
	var packed int64
	n := 0
	put := func(v int64) {
		if n < nameChars {
			packed = packed<<5 | v
			n++
		}
	}
	for _, part := range []string{c.LastName, c.FirstName} {
		for _, r := range customer.Fold(part) {
			switch {
			case r >= 'a' && r <= 'z':
				put(2 + int64(r-'a'))
			case r >= '0' && r <= '9':
				put(28)
			case r > 0x7f && (r < 0x2000 || r > 0x206f):
				put(29) // letters beyond a–z (ø, ß, other scripts) sort after z
			}
		}
		put(1) // between last and first name
	}
	for n < nameChars {
		put(0)
	}
	h := fnv.New32a()
	h.Write([]byte(c.ID))
	return packed<<nameSlotBits | int64(h.Sum32()&nameSlotMask)
}

// nameOrder is the name part of a row number.
func nameOrder(id int64) int64 { return id >> nameSlotBits }

// freeNameID finds a free row for c in the name index: its preferred row,
// or the next free slot of the same name order.
func freeNameID(ctx context.Context, tx *sql.Tx, c customer.Customer) (int64, error) {
	id := nameID(c)
	for range nameSlotMask {
		var other string
		err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE fts_id = ?`, id).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && other == c.ID) {
			return id, nil
		}
		if err != nil {
			return 0, err
		}
		id = nameOrder(id)<<nameSlotBits | (id+1)&nameSlotMask
	}
	return 0, errors.New("no free row in the customers' name index for this name: too many customers share it")
}
