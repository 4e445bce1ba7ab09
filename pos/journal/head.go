package journal

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Head is the end of a chain: its last entry's sequence, hash and signature
// counter, and the key that signed it. The store server keeps one per till,
// a Z report carries the one at its shift's close, and an auditor can export
// one (posctl journal head) to check a copy of the till against later.
type Head struct {
	Seq     int64  `json:"seq"`
	Hash    string `json:"hash"`
	Counter int64  `json:"sig_counter,omitempty"`
	KeyID   string `json:"key_id,omitempty"`
}

// headPrefix starts the text form of a head.
const headPrefix = "opentill-journal-head/1"

// String returns the head's one-line text form:
//
//	opentill-journal-head/1 seq=42 counter=40 key=3f1c… hash=9b2e…
func (h Head) String() string {
	s := fmt.Sprintf("%s seq=%d counter=%d", headPrefix, h.Seq, h.Counter)
	if h.KeyID != "" {
		s += " key=" + h.KeyID
	}
	return s + " hash=" + h.Hash
}

// IsHeadText reports whether s looks like a head's text form (and not, say,
// the name of a file holding one).
func IsHeadText(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), headPrefix) }

// ParseHead reads a head's text form (String).
func ParseHead(s string) (Head, error) {
	fields := strings.Fields(s)
	bad := func(format string, args ...any) (Head, error) {
		return Head{}, fmt.Errorf("not a journal head (%s): %s; expected a line like %q, from posctl journal head",
			fmt.Sprintf(format, args...), clip(s), headPrefix+" seq=42 counter=40 key=… hash=…")
	}
	if len(fields) == 0 || fields[0] != headPrefix {
		return bad("it does not start with %s", headPrefix)
	}
	var h Head
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || seen[k] {
			return bad("field %q", f)
		}
		seen[k] = true
		var err error
		switch k {
		case "seq":
			h.Seq, err = strconv.ParseInt(v, 10, 64)
		case "counter":
			h.Counter, err = strconv.ParseInt(v, 10, 64)
		case "key":
			h.KeyID = v
			if b, herr := hex.DecodeString(v); herr != nil || len(b) != 16 {
				err = fmt.Errorf("key ID")
			}
		case "hash":
			h.Hash = v
			if b, herr := hex.DecodeString(v); herr != nil || len(b) != 32 {
				err = fmt.Errorf("hash")
			}
		default:
			return bad("unknown field %q", k)
		}
		if err != nil {
			return bad("field %q", f)
		}
	}
	if !seen["seq"] || !seen["hash"] || h.Seq < 0 || h.Counter < 0 {
		return bad("it needs seq and hash")
	}
	return h, nil
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "…"
	}
	return strconv.Quote(s)
}

// HeadMatch checks a chain against a head kept elsewhere (the store
// server's, an exported one): give it every entry of the chain in order,
// then ask Err. A chain that ends before the head lost its tail; one whose
// entry at the head's sequence has another hash or key was rewritten.
type HeadMatch struct {
	Want  Head
	found bool
	last  int64
	err   error
}

// Add looks at the next entry of the chain.
func (m *HeadMatch) Add(e Entry) {
	m.last = e.Seq
	if m.err != nil || e.Seq != m.Want.Seq {
		return
	}
	m.found = true
	switch {
	case m.Want.KeyID != "" && e.KeyID != m.Want.KeyID:
		m.err = &BreakError{Seq: e.Seq, Reason: fmt.Sprintf("signed with key %q, but the head kept elsewhere says key %s: the chain was re-signed with another key", e.KeyID, m.Want.KeyID)}
	case e.Hash != m.Want.Hash:
		m.err = &BreakError{Seq: e.Seq, Reason: "its hash differs from the head kept elsewhere: the chain was rewritten"}
	case e.Counter != m.Want.Counter:
		m.err = &BreakError{Seq: e.Seq, Reason: fmt.Sprintf("signature counter %d, but the head kept elsewhere says %d", e.Counter, m.Want.Counter)}
	}
}

// Err returns nil if the chain holds the head, else a *BreakError.
func (m *HeadMatch) Err() error {
	if m.err != nil {
		return m.err
	}
	if !m.found && m.Want.Seq > 0 {
		return &BreakError{Seq: m.last + 1, Reason: fmt.Sprintf("the journal ends at entry %d, but the head kept elsewhere is entry %d: its tail was dropped", m.last, m.Want.Seq)}
	}
	return nil
}
