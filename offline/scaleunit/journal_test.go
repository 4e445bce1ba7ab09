package scaleunit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/journal"
)

// testKey is a deterministic journal key (seed byte b).
func testKey(t *testing.T, b byte) *journal.Key {
	t.Helper()
	k, err := journal.NewKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
	require.NoError(t, err)
	return k
}

// signedEntries is a chain of n entries signed with k.
func signedEntries(k *journal.Key, n int) []journal.Entry {
	var out []journal.Entry
	var h journal.Head
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		e := journal.Entry{Time: t0.Add(time.Duration(i) * time.Minute), Kind: journal.Sale, TxnID: fmt.Sprint("t", i),
			Operator: "1001", Payload: json.RawMessage(fmt.Sprintf(`{"total":%d}`, i))}
		journal.SealSigned(&e, h, k)
		h = e.Head()
		out = append(out, e)
	}
	return out
}

// wire strips the payloads, as the till uploads signed entries.
func wire(es []journal.Entry) []journal.Entry {
	out := make([]journal.Entry, len(es))
	for i, e := range es {
		out[i] = apimap.JournalEntryFrom(apimap.JournalEntryOf(e))
	}
	return out
}

func TestStorageChecksTheJournal(t *testing.T) { sutest.Each(t, testStorageChecksTheJournal) }

func testStorageChecksTheJournal(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	k, other := testKey(t, 1), testKey(t, 2)
	till := demo.StoreID + "/T01"
	code, err := scaleunit.IssueActivationCode(ctx, st, till, time.Hour)
	require.NoError(t, err)
	info, err := st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret("tok"), "dev", k.Public(), "")
	require.NoError(t, err)
	assert.Equal(t, k.ID(), info.KeyID)
	chain := signedEntries(k, 6)

	head, n, err := st.AppendJournal(ctx, till, wire(chain[:4]))
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, chain[3].Head(), apimap.JournalHeadFrom(head))
	_, n, err = st.AppendJournal(ctx, till, wire(chain[2:5]))
	require.NoError(t, err, "entries the server has are acknowledged again")
	assert.Equal(t, 1, n)

	rewritten := signedEntries(k, 6)
	rewritten[3].Operator = "9999"
	journal.SealSigned(&rewritten[3], rewritten[2].Head(), k)
	forged := chain[5]
	forged.Sig = chain[4].Sig
	resigned := signedEntries(other, 6)
	tests := []struct {
		name    string
		entries []journal.Entry
		seq     int64
		reason  string
	}{
		{"an entry it holds, rewritten", rewritten[3:4], 4, "the till's journal was rewritten"},
		{"the tail dropped, then new entries", func() []journal.Entry {
			e := journal.Entry{Time: chain[4].Time, Kind: journal.SignOut}
			journal.SealSigned(&e, chain[3].Head(), k) // entry 5 again, after the tail was cut to 4
			e2 := journal.Entry{Time: chain[4].Time, Kind: journal.SignIn}
			journal.SealSigned(&e2, e.Head(), k)
			return []journal.Entry{e2}
		}(), 6, "does not link to entry 5"},
		{"a forged signature", []journal.Entry{forged}, 6, "signature does not verify"},
		{"an entry signed with another key", func() []journal.Entry {
			e := journal.Entry{Time: chain[5].Time, Kind: journal.SignOut}
			journal.SealSigned(&e, chain[4].Head(), other)
			return []journal.Entry{e}
		}(), 6, "the key was replaced"},
		{"a gap", signedEntries(k, 8)[7:8], 8, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := st.AppendJournal(ctx, till, wire(tt.entries))
			var je *scaleunit.JournalError
			require.ErrorAs(t, err, &je)
			assert.ErrorIs(t, err, scaleunit.ErrJournal)
			assert.Equal(t, tt.seq, je.Seq, err.Error())
			assert.Contains(t, je.Reason, tt.reason)
			alert, err := st.JournalAlert(ctx, till)
			require.NoError(t, err)
			assert.Contains(t, alert, tt.reason, "the store manager sees it")
		})
	}
	h, err := st.JournalHead(ctx, till)
	require.NoError(t, err)
	assert.EqualValues(t, 5, h.Seq, "nothing of a refused upload was stored")

	_, err = st.RegisterKey(ctx, till, other.Public())
	assert.ErrorIs(t, err, scaleunit.ErrKeyConflict, "a replaced key is refused")

	// A new activation with a new key starts a new chain for it.
	code, err = scaleunit.IssueActivationCode(ctx, st, till, time.Hour)
	require.NoError(t, err)
	_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret("tok2"), "dev", other.Public(), "")
	require.NoError(t, err)
	h, err = st.JournalHead(ctx, till)
	require.NoError(t, err)
	assert.Equal(t, other.ID(), h.KeyID)
	assert.Zero(t, h.Seq)
	_, n, err = st.AppendJournal(ctx, till, wire(resigned[:2]))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}
