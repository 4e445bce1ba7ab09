package journal

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func chain(n int) []Entry {
	var out []Entry
	var seq int64
	prev := ""
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		e := Entry{Time: t0.Add(time.Duration(i) * time.Second), Kind: Sale, TxnID: fmt.Sprint("t", i), Operator: "1001",
			Payload: json.RawMessage(fmt.Sprintf(`{"total": %d}`, i*100))}
		Seal(&e, seq, prev)
		seq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func TestVerifyFindsTampering(t *testing.T) {
	require.NoError(t, Verify(chain(5)))
	tests := []struct {
		name    string
		tamper  func([]Entry) []Entry
		wantSeq int64
	}{
		{"edit payload", func(es []Entry) []Entry { es[2].Payload = json.RawMessage(`{"total": 1}`); return es }, 3},
		{"edit operator", func(es []Entry) []Entry { es[0].Operator = "x"; return es }, 1},
		{"delete", func(es []Entry) []Entry { return append(es[:1], es[2:]...) }, 3},
		{"reorder", func(es []Entry) []Entry { es[1], es[2] = es[2], es[1]; return es }, 3},
		{"delete first", func(es []Entry) []Entry { return es[1:] }, 2},
		{"rehash one", func(es []Entry) []Entry { es[3].Payload = json.RawMessage(`{}`); es[3].Hash = es[3].Sum(); return es }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.tamper(chain(5)))
			var be *BreakError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, tt.wantSeq, be.Seq)
		})
	}
}

func TestCanonicalIgnoresPayloadWhitespace(t *testing.T) {
	a := Entry{Kind: Sale, Payload: json.RawMessage(`{"a": 1}`)}
	b := Entry{Kind: Sale, Payload: json.RawMessage(`{"a":1}`)}
	assert.Equal(t, a.Sum(), b.Sum())
}
