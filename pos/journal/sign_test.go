package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKey is a deterministic key (seed byte b).
func testKey(t *testing.T, b byte) *Key {
	t.Helper()
	k, err := NewKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
	require.NoError(t, err)
	return k
}

// signedChain is unsigned entries 1..prefix, then signed ones up to n.
func signedChain(t *testing.T, k *Key, prefix, n int) []Entry {
	t.Helper()
	var out []Entry
	var h Head
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		e := Entry{Time: t0.Add(time.Duration(i) * time.Second), Kind: Sale, TxnID: fmt.Sprint("t", i), Operator: "1001",
			Payload: json.RawMessage(fmt.Sprintf(`{"total": %d}`, i*100))}
		if i < prefix {
			Seal(&e, h.Seq, h.Hash)
		} else {
			SealSigned(&e, h, k)
		}
		h = e.Head()
		out = append(out, e)
	}
	return out
}

func verifyWith(pub *Key, es []Entry) (*Verifier, error) {
	v := &Verifier{}
	if pub != nil {
		v.Key = pub.Public()
	}
	for _, e := range es {
		if err := v.Add(e); err != nil {
			return v, err
		}
	}
	return v, nil
}

func TestSignedChainVerifies(t *testing.T) {
	k := testKey(t, 1)
	es := signedChain(t, k, 2, 6)
	v, err := verifyWith(k, es)
	require.NoError(t, err)
	assert.EqualValues(t, 6, v.Count())
	assert.EqualValues(t, 2, v.Unsigned())
	assert.EqualValues(t, 3, v.SignedFrom())
	assert.EqualValues(t, 0, v.Unchecked())
	assert.Equal(t, es[5].Head(), v.Head())
	assert.EqualValues(t, 4, v.Head().Counter, "the counter counts signed entries only")
	assert.Equal(t, k.ID(), es[2].KeyID)
	assert.Len(t, k.ID(), 32)

	v, err = verifyWith(nil, es)
	require.NoError(t, err, "without a key the chain and counters are still checked")
	assert.EqualValues(t, 4, v.Unchecked())
}

func TestSignedChainTampering(t *testing.T) {
	k, other := testKey(t, 1), testKey(t, 2)
	tests := []struct {
		name    string
		tamper  func([]Entry) []Entry
		wantSeq int64
		want    string
	}{
		{"edit payload", func(es []Entry) []Entry { es[3].Payload = json.RawMessage(`{"total": 1}`); return es }, 4, "altered"},
		{"edit counter", func(es []Entry) []Entry { es[3].Counter = 9; return es }, 4, "altered"},
		{"edit key ID", func(es []Entry) []Entry { es[3].KeyID = other.ID(); return es }, 4, "altered"},
		{"strip signature", func(es []Entry) []Entry { es[3].Sig = ""; return es }, 4, "incomplete"},
		{"strip all signing fields", func(es []Entry) []Entry {
			es[3].KeyID, es[3].Counter, es[3].Sig = "", 0, ""
			es[3].Hash = es[3].Sum()
			es[4].PrevHash = es[3].Hash
			return es
		}, 4, "not signed"},
		{"forged signature", func(es []Entry) []Entry { es[3].Sig = es[4].Sig; return es }, 4, "does not verify"},
		{"rehash one", func(es []Entry) []Entry { es[3].Payload = json.RawMessage(`{}`); es[3].Hash = es[3].Sum(); return es }, 4, "does not verify"},
		{"delete a signed entry", func(es []Entry) []Entry { return append(es[:3], es[4:]...) }, 5, "missing"},
		{"reorder", func(es []Entry) []Entry { es[3], es[4] = es[4], es[3]; return es }, 5, "out of order"},
		{"re-signed with another key", func(es []Entry) []Entry { return signedChain(t, other, 2, 6) }, 3, "another key"},
		{"key replaced in the middle", func(es []Entry) []Entry {
			h := es[3].Head()
			rest := es[:4]
			for i := 4; i < 6; i++ {
				e := es[i]
				SealSigned(&e, h, other)
				h = e.Head()
				rest = append(rest, e)
			}
			return rest
		}, 5, "key was replaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifyWith(k, tt.tamper(signedChain(t, k, 2, 6)))
			var be *BreakError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, tt.wantSeq, be.Seq, be.Error())
			assert.Contains(t, be.Error(), tt.want)
		})
	}
	// Without the till's key a consistent re-signing is not visible in the
	// chain itself: that is what the server's head and an exported head are for.
	_, err := verifyWith(nil, signedChain(t, other, 2, 6))
	require.NoError(t, err)
}

func TestPayloadDigestStandsInForThePayload(t *testing.T) {
	k := testKey(t, 1)
	es := signedChain(t, k, 0, 3)
	for i := range es {
		es[i].PayloadSHA256 = es[i].PayloadDigest()
		es[i].Payload = nil
	}
	_, err := verifyWith(k, es)
	require.NoError(t, err, "the server checks headers and digests only")
	es[1].PayloadSHA256 = es[0].PayloadSHA256
	_, err = verifyWith(k, es)
	require.Error(t, err)
}

// TestUnsignedHashesAreUnchanged pins the hash of an unsigned entry, so
// chains written before signing keep verifying (the value the code before
// signing computed).
func TestUnsignedHashesAreUnchanged(t *testing.T) {
	e := Entry{Time: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Kind: Sale, TxnID: "t0", Operator: "1001", Payload: json.RawMessage(`{"total": 0}`)}
	Seal(&e, 0, "")
	assert.Equal(t, "b07a7d27837120fa7b963bf6211a2f9fd3e0dc413051fc9f1d248514f853c14f", e.Hash)
}

func TestHeadText(t *testing.T) {
	k := testKey(t, 1)
	es := signedChain(t, k, 1, 3)
	h := es[2].Head()
	got, err := ParseHead(h.String())
	require.NoError(t, err)
	assert.Equal(t, h, got)
	assert.True(t, IsHeadText("  "+h.String()+"\n"))
	legacy := signedChain(t, k, 3, 3)[2].Head()
	got, err = ParseHead(legacy.String())
	require.NoError(t, err)
	assert.Equal(t, legacy, got)
	for _, bad := range []string{"", "seq=1 hash=00", headPrefix + " seq=x hash=" + Genesis, headPrefix + " seq=1", headPrefix + " seq=1 hash=abc",
		headPrefix + " seq=1 seq=2 hash=" + Genesis, headPrefix + " seq=1 color=red hash=" + Genesis} {
		_, err := ParseHead(bad)
		assert.Error(t, err, bad)
	}
}

func TestHeadMatch(t *testing.T) {
	k, other := testKey(t, 1), testKey(t, 2)
	es := signedChain(t, k, 1, 5)
	tests := []struct {
		name    string
		chain   []Entry
		want    Head
		wantSeq int64
		wantErr string
	}{
		{"same chain", es, es[3].Head(), 0, ""},
		{"empty head", es, Head{}, 0, ""},
		{"tail dropped", es[:2], es[3].Head(), 3, "tail was dropped"},
		{"rewritten", signedChain(t, k, 2, 5), es[3].Head(), 4, "rewritten"},
		{"another key", signedChain(t, other, 1, 5), es[3].Head(), 4, "another key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := HeadMatch{Want: tt.want}
			for _, e := range tt.chain {
				m.Add(e)
			}
			err := m.Err()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			var be *BreakError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, tt.wantSeq, be.Seq)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
