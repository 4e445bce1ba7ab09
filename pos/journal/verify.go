package journal

import (
	"crypto/ed25519"
	"fmt"
)

// Verifier checks a chain entry by entry, in stored order: the sequence, the
// link to the entry before, the hash, and on signed entries the signature
// counter, the key and (when Key is set) the signature. Unsigned entries
// are accepted only before the first signed one (the prefix written before
// the till had a key); after it an unsigned entry is an insertion or a
// stripped signature.
type Verifier struct {
	// Key is the till's public key. When set, every signed entry must be
	// signed with it; when nil, the signatures are not checked (Unchecked
	// counts them) but everything else is.
	Key ed25519.PublicKey

	prevSeq    int64
	prevHash   string
	counter    int64
	keyID      string
	signing    bool
	signedFrom int64
	n          int64
	unsigned   int64
	unchecked  int64
}

// Resume makes v continue a chain whose verified head is h (the store
// server checks uploads after the head it holds).
func (v *Verifier) Resume(h Head) {
	v.prevSeq, v.prevHash, v.counter, v.keyID = h.Seq, h.Hash, h.Counter, h.KeyID
	v.signing = h.KeyID != ""
}

// Add checks the next entry.
func (v *Verifier) Add(e Entry) error {
	if v.prevHash == "" {
		v.prevHash = Genesis
	}
	brk := func(format string, args ...any) error {
		return &BreakError{Seq: e.Seq, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case e.Seq != v.prevSeq+1:
		return brk("sequence %d follows %d: an entry is missing or out of order", e.Seq, v.prevSeq)
	case e.PrevHash != v.prevHash:
		return brk("previous-hash does not match the entry before it: an entry was removed, reordered or altered")
	case e.Sum() != e.Hash:
		return brk("content does not match its hash: the entry was altered")
	}
	if !e.Signed() {
		if v.signing {
			return brk("entry is not signed, but the journal is signed from entry %d on: it was inserted or its signature removed", v.signedFromOr(e.Seq))
		}
		v.unsigned++
	} else {
		switch {
		case e.KeyID == "" || e.Sig == "":
			return brk("signature fields are incomplete (key %q, signature %d characters): the entry was altered", e.KeyID, len(e.Sig))
		case e.Counter != v.counter+1:
			return brk("signature counter %d follows %d: a signed entry is missing or was inserted", e.Counter, v.counter)
		case v.keyID != "" && e.KeyID != v.keyID:
			return brk("signed with key %s, but the entries before it with key %s: the key was replaced", e.KeyID, v.keyID)
		case v.Key != nil && e.KeyID != KeyID(v.Key):
			return brk("signed with key %s, not with the till's key %s: the chain was re-signed with another key", e.KeyID, KeyID(v.Key))
		}
		if v.Key != nil {
			if !CheckSig(v.Key, e.Hash, e.Sig) {
				return brk("the signature does not verify with the till's key %s: it was forged or the entry altered", e.KeyID)
			}
		} else {
			v.unchecked++
		}
		if !v.signing {
			v.signing, v.signedFrom = true, e.Seq
		}
		v.counter, v.keyID = e.Counter, e.KeyID
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	v.n++
	return nil
}

func (v *Verifier) signedFromOr(seq int64) int64 {
	if v.signedFrom > 0 {
		return v.signedFrom
	}
	return seq
}

// Count returns how many entries verified.
func (v *Verifier) Count() int64 { return v.n }

// Unsigned returns how many verified entries were unsigned (the prefix
// written before the till had a key).
func (v *Verifier) Unsigned() int64 { return v.unsigned }

// SignedFrom returns the sequence of the first signed entry verified (0 if
// none was).
func (v *Verifier) SignedFrom() int64 { return v.signedFrom }

// Unchecked returns how many signatures were not checked for want of a Key.
func (v *Verifier) Unchecked() int64 { return v.unchecked }

// Head returns the head of what verified so far.
func (v *Verifier) Head() Head {
	return Head{Seq: v.prevSeq, Hash: v.prevHash, Counter: v.counter, KeyID: v.keyID}
}

// Verify checks a whole chain held in memory, without checking signatures
// (use a Verifier with Key for that).
func Verify(entries []Entry) error {
	var v Verifier
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
}
