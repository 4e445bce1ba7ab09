package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/opentill/opentill/pos/receipt"
)

// Mail is a receipt waiting to be sent by e-mail.
type Mail struct {
	ID        int64
	To        string
	Receipt   *receipt.Receipt
	Created   time.Time
	Attempts  int
	LastError string
}

// QueueMail stores a receipt to send to an address (durably: it waits
// through restarts until the relay takes it).
func (s *Store) QueueMail(ctx context.Context, to string, r *receipt.Receipt) error {
	b, err := json.Marshal(r)
	if err != nil {
		return storageErr(err, "queueing the receipt for %s", to)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO mail_queue(recipient, receipt, created) VALUES(?, ?, ?)`, to, string(b), nowText())
	return storageErr(err, "queueing the receipt for %s", to)
}

// PendingMail lists up to n receipts waiting to be sent, oldest first.
func (s *Store) PendingMail(ctx context.Context, n int) ([]Mail, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, recipient, receipt, created, attempts, last_error FROM mail_queue
		WHERE sent_at IS NULL AND parked = 0 ORDER BY id LIMIT ?`, n)
	if err != nil {
		return nil, readErr(err, "reading the mail queue")
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var m Mail
		var raw, created string
		if err := rows.Scan(&m.ID, &m.To, &raw, &created, &m.Attempts, &m.LastError); err != nil {
			return nil, readErr(err, "reading the mail queue")
		}
		m.Receipt = &receipt.Receipt{}
		if err := json.Unmarshal([]byte(raw), m.Receipt); err != nil {
			return nil, readErr(err, "reading queued mail %d", m.ID)
		}
		m.Created, _ = time.Parse(timeFormat, created) // shown only
		out = append(out, m)
	}
	return out, readErr(rows.Err(), "reading the mail queue")
}

// MailSent marks a queued receipt sent.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE mail_queue SET sent_at = ? WHERE id = ?`, nowText(), id)
	return storageErr(err, "marking mail %d sent", id)
}

// MailFailed records a failed attempt; park takes the receipt out of the
// queue (the relay refused it for good), keeping it with the answer.
func (s *Store) MailFailed(ctx context.Context, id int64, cause string, park bool) error {
	_, err := s.w.ExecContext(ctx, `UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, parked = ? WHERE id = ?`, cause, park, id)
	return storageErr(err, "recording a failed send of mail %d", id)
}

// MailCounts says how many receipts wait and how many were parked.
func (s *Store) MailCounts(ctx context.Context) (pending, parked int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT coalesce(sum(sent_at IS NULL AND parked = 0), 0), coalesce(sum(parked), 0) FROM mail_queue`).Scan(&pending, &parked)
	return pending, parked, readErr(err, "counting the mail queue")
}
