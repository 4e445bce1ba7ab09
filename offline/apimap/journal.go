package apimap

import (
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/journal"
)

// JournalHeadFrom is the journal head the server holds, as the till's
// journal compares it.
func JournalHeadFrom(h api.JournalHead) journal.Head {
	return journal.Head{Seq: h.Seq, Hash: h.Hash, Counter: h.Counter, KeyID: signedKey(h)}
}

// signedKey is the key of the head entry: "" while the chain is unsigned.
func signedKey(h api.JournalHead) string {
	if h.Counter == 0 {
		return ""
	}
	return h.KeyID
}

// JournalEntryOf maps a journal entry to its upload form: a signed entry
// travels with its payload's SHA-256, an unsigned one with its payload.
func JournalEntryOf(e journal.Entry) api.JournalEntry {
	je := api.JournalEntry{Seq: e.Seq, Time: e.Time.UTC(), Kind: string(e.Kind), Op: e.Operation, TxnID: e.TxnID, ReceiptNo: e.ReceiptNo,
		Operator: e.Operator, Approver: e.Approver, KeyID: e.KeyID, Counter: e.Counter, PrevHash: e.PrevHash, Hash: e.Hash, Sig: e.Sig}
	if e.KeyID == "" {
		je.Payload = e.Payload
	} else {
		je.PayloadSHA256 = e.PayloadDigest()
	}
	return je
}

// JournalEntryFrom maps an uploaded entry back to a journal entry (without
// its payload, if it was signed) for checking.
func JournalEntryFrom(je api.JournalEntry) journal.Entry {
	return journal.Entry{Seq: je.Seq, Time: je.Time, Kind: journal.Kind(je.Kind), Operation: je.Op, TxnID: je.TxnID, ReceiptNo: je.ReceiptNo,
		Operator: je.Operator, Approver: je.Approver, Payload: je.Payload, PayloadSHA256: je.PayloadSHA256,
		KeyID: je.KeyID, Counter: je.Counter, PrevHash: je.PrevHash, Hash: je.Hash, Sig: je.Sig}
}
