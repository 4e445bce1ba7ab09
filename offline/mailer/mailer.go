// Package mailer sends receipts by e-mail through the store's SMTP relay:
// a receipt is queued in the till's store (durably, offline too) and a
// sender works the queue, with STARTTLS and authentication, retrying while
// the relay cannot be reached and parking a receipt the relay refuses for
// good. Each message holds the receipt as text and HTML and its picture
// as a PNG attachment.
package mailer

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// ConfigFile is the mail settings' file in the till's data folder.
const ConfigFile = "mail.toml"

// Config is how the till reaches the store's mail relay.
type Config struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`     // 587 (submission, STARTTLS) by default
	Username string `toml:"username"` // empty: no authentication
	Password string `toml:"password"`
	From     string `toml:"from"` // the sender address, e.g. "OpenTill Markt <kasse@example.com>"
	// Insecure allows a relay without STARTTLS (a relay on the same
	// machine); never with a password over the network.
	Insecure bool `toml:"insecure"`
	// TLS is the TLS configuration (tests give their own roots); nil =
	// the system's roots and Host as the server name.
	TLS *tls.Config `toml:"-"`
}

// LoadConfig reads dir's mail.toml; ok is false when the till has none
// (receipts by e-mail are not set up).
func LoadConfig(dir string) (cfg Config, ok bool, err error) {
	path := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, false, nil
	}
	if err != nil {
		return Config{}, false, fmt.Errorf("reading %s: %w", path, err)
	}
	if _, err := toml.Decode(string(b), &cfg); err != nil {
		return Config{}, false, fmt.Errorf("%s is not valid TOML: %w; fix the file or remove it to send no receipts by e-mail", path, err)
	}
	if err := cfg.Check(); err != nil {
		return Config{}, false, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, true, nil
}

// Check says what is wrong with the settings.
func (c Config) Check() error {
	switch {
	case c.Host == "":
		return errors.New("host is missing: the mail relay's name, e.g. smtp.example.com")
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("port %d is not a TCP port (587 for submission)", c.Port)
	case c.From == "":
		return errors.New("from is missing: the address receipts are sent from")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("from %q is not an e-mail address: %w", c.From, err)
	}
	return nil
}

func (c Config) addr() string {
	port := c.Port
	if port == 0 {
		port = 587
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// Queue is the register's pos.ReceiptMailer: it stores the receipt in the
// till's mail queue and wakes the sender.
type Queue struct {
	St     *store.Store
	Sender *Sender // may be nil: the receipt waits for the next start
}

// QueueReceipt implements pos.ReceiptMailer.
func (q Queue) QueueReceipt(ctx context.Context, to string, r *receipt.Receipt) error {
	if err := q.St.QueueMail(ctx, to, r); err != nil {
		return err
	}
	if q.Sender != nil {
		q.Sender.Kick()
	}
	return nil
}

// Options configure a sender.
type Options struct {
	Layouts *receipt.Layouts // the store's receipt layouts; nil = the shipped ones
	// Picture draws the receipt for the PNG attachment (the till passes
	// the virtual printer's renderer); nil sends no picture.
	Picture    func(d *receipt.Document) image.Image
	EncodePNG  func(w *bytes.Buffer, img image.Image) error
	Timeout    time.Duration // per relay conversation; 0 = 30 s
	MaxBackoff time.Duration // 0 = 5 min
	Log        *slog.Logger
}

// Sender sends the queued receipts.
type Sender struct {
	cfg  Config
	st   *store.Store
	opt  Options
	kick chan struct{}

	mu     sync.Mutex
	status Status
}

// Status is what the sender last did, for the screen.
type Status struct {
	Pending   int64
	Parked    int64
	LastError string
	LastSent  time.Time
}

// NewSender returns a sender of st's mail queue through cfg's relay.
func NewSender(cfg Config, st *store.Store, opt Options) *Sender {
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = 5 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg, st: st, opt: opt, kick: make(chan struct{}, 1)}
}

// Kick asks the sender to try now.
func (s *Sender) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Status returns what the sender last did.
func (s *Sender) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Run works the queue until ctx ends: now, whenever kicked, and after a
// failure with a backoff doubling from a second up to MaxBackoff.
func (s *Sender) Run(ctx context.Context) {
	wait := time.Second
	for {
		err := s.SendPending(ctx)
		next := time.Hour
		if err != nil && ctx.Err() == nil {
			s.opt.Log.Warn("sending receipts by e-mail failed; retrying", "error", err, "in", wait)
			next, wait = wait, min(wait*2, s.opt.MaxBackoff)
		} else {
			wait = time.Second
		}
		t := time.NewTimer(next)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// SendPending sends every queued receipt, oldest first. It stops at the
// first failure to reach the relay (the receipt stays queued); a receipt
// the relay refuses for good is parked and the rest go on.
func (s *Sender) SendPending(ctx context.Context) error {
	defer s.count(ctx)
	for {
		batch, err := s.st.PendingMail(ctx, 20)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, m := range batch {
			msg, err := s.compose(m)
			if err == nil {
				err = s.send(ctx, m.To, msg)
			}
			if err == nil {
				if err := s.st.MailSent(ctx, m.ID); err != nil {
					return err // sent but not marked: sent again after a restart (the one double a relay cannot prevent)
				}
				s.mu.Lock()
				s.status.LastSent, s.status.LastError = time.Now(), ""
				s.mu.Unlock()
				continue
			}
			park := permanent(err)
			if ferr := s.st.MailFailed(ctx, m.ID, err.Error(), park); ferr != nil {
				return ferr
			}
			s.mu.Lock()
			s.status.LastError = err.Error()
			s.mu.Unlock()
			if !park {
				return err
			}
			s.opt.Log.Warn("the mail relay refused a receipt; it is parked", "to", m.To, "receipt", m.Receipt.ReceiptNo, "error", err)
		}
	}
}

func (s *Sender) count(ctx context.Context) {
	p, k, err := s.st.MailCounts(context.WithoutCancel(ctx))
	if err != nil {
		return
	}
	s.mu.Lock()
	s.status.Pending, s.status.Parked = p, k
	s.mu.Unlock()
}

// permanent reports whether the relay refused for good (a 5xx reply) or
// the message cannot be made: retrying would not help.
func permanent(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500
	}
	var ce composeError
	return errors.As(err, &ce)
}

type composeError struct{ error }

// compose builds the message: text and HTML of the receipt in its layout,
// and its picture as a PNG attachment.
func (s *Sender) compose(m store.Mail) ([]byte, error) {
	r := m.Receipt
	doc := r.Document(s.opt.Layouts)
	lb := receipt.LabelsFor(r.Header.Language)
	subject := lb.Receipt + " " + r.ReceiptNo
	if r.Header.StoreName != "" {
		subject = r.Header.StoreName + " · " + subject
	}
	var buf bytes.Buffer
	from, err := mail.ParseAddress(s.cfg.From)
	if err != nil {
		return nil, composeError{fmt.Errorf("the sender address %q: %w", s.cfg.From, err)}
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, composeError{fmt.Errorf("the address %q: %w", m.To, err)}
	}
	mw := multipart.NewWriter(&buf)
	head := textproto.MIMEHeader{}
	head.Set("From", from.String())
	head.Set("To", to.String())
	head.Set("Subject", mime.QEncoding.Encode("utf-8", subject))
	head.Set("Date", time.Now().Format(time.RFC1123Z))
	head.Set("Message-ID", fmt.Sprintf("<receipt.%s.%d@opentill>", r.TxnID, m.ID))
	head.Set("MIME-Version", "1.0")
	head.Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"} {
		fmt.Fprintf(&buf, "%s: %s\r\n", k, head.Get(k))
	}
	buf.WriteString("\r\n")

	alt := &bytes.Buffer{}
	aw := multipart.NewWriter(alt)
	for _, part := range []struct{ typ, body string }{
		{"text/plain; charset=utf-8", doc.Text(42)},
		{"text/html; charset=utf-8", doc.HTML(42, subject)},
	} {
		w, err := aw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(part.body)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + aw.Boundary()}})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(alt.Bytes()); err != nil {
		return nil, err
	}
	if s.opt.Picture != nil && s.opt.EncodePNG != nil {
		var png bytes.Buffer
		if err := s.opt.EncodePNG(&png, s.opt.Picture(doc)); err != nil {
			return nil, composeError{fmt.Errorf("drawing the receipt: %w", err)}
		}
		name := "receipt-" + r.ReceiptNo + ".png"
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {"image/png"},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		})
		if err != nil {
			return nil, err
		}
		if err := writeBase64(w, png.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// send hands a message to the relay: STARTTLS (required unless Insecure),
// authentication when a username is set, one recipient.
func (s *Sender) send(ctx context.Context, to string, msg []byte) error {
	d := net.Dialer{Timeout: s.opt.Timeout}
	conn, err := d.DialContext(ctx, "tcp", s.cfg.addr())
	if err != nil {
		return poserr.Wrap(err, poserr.Offline, "error.mail.unreachable", "the mail relay %s cannot be reached: the receipt waits and is sent when it can", s.cfg.addr())
	}
	if err := conn.SetDeadline(time.Now().Add(s.opt.Timeout)); err != nil {
		conn.Close()
		return err
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		tc := s.cfg.TLS
		if tc == nil {
			tc = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(tc); err != nil {
			return fmt.Errorf("STARTTLS with %s: %v", s.cfg.addr(), err)
		}
	} else if !s.cfg.Insecure {
		return fmt.Errorf("the mail relay %s offers no STARTTLS: receipts are not sent in the clear (set insecure = true only for a relay on this machine)", s.cfg.addr())
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			// Not the receipt's fault: %v, so that it is not parked.
			return fmt.Errorf("signing in to the mail relay as %s: %v; check username and password in %s", s.cfg.Username, err, ConfigFile)
		}
	}
	from, err := mail.ParseAddress(s.cfg.From) // checked by Config.Check
	if err != nil {
		return err
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("the mail relay refuses the sender %s: %v; check from in %s", from.Address, err, ConfigFile)
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
