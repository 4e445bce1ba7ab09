package mailer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"image"
	"image/png"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/mailer"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

var ctx = context.Background()

// relay is a real SMTP server on loopback (go-smtp) with STARTTLS and
// PLAIN authentication, keeping what it receives.
type relay struct {
	mu       sync.Mutex
	messages []received
	srv      *smtp.Server
	addr     string
	roots    *x509.CertPool
}

type received struct {
	from, to, user string
	data           []byte
}

type session struct {
	r    *relay
	user string
	msg  received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "kasse" || pass != "geheim" {
			return errors.New("bad credentials")
		}
		s.user = user
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return &smtp.SMTPError{Code: 530, Message: "authenticate first"}
	}
	s.msg = received{from: from, user: s.user}
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "nobody@") {
		return &smtp.SMTPError{Code: 550, Message: "no such mailbox"}
	}
	s.msg.to = to
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = b
	s.r.mu.Lock()
	s.r.messages = append(s.r.messages, s.msg)
	s.r.mu.Unlock()
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

type backend struct{ r *relay }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: b.r}, nil }

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay"}, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// startRelay serves on addr ("" = a free port) until the test ends.
func startRelay(t *testing.T, addr string) *relay {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	cert, pool := selfSigned(t)
	r := &relay{roots: pool}
	r.srv = smtp.NewServer(backend{r})
	r.srv.Domain = "localhost"
	r.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	r.srv.ReadTimeout, r.srv.WriteTimeout = 5*time.Second, 5*time.Second
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	r.addr = ln.Addr().String()
	go r.srv.Serve(ln)
	t.Cleanup(func() { r.srv.Close() })
	return r
}

func (r *relay) got() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.messages...)
}

// freeAddr reserves a loopback port and frees it (a relay that is down).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func sampleReceipt(no string) *receipt.Receipt {
	c := &cart.Cart{ID: "01a00000-0000-7000-8000-0000000000" + no[len(no)-2:], ReceiptNo: no, Store: demo.StoreID, Terminal: "T01", Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Finished: time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC), TaxInclusive: true}
	c.Lines = []cart.Line{{No: 1, ProductID: "10017", ItemID: "10017", Name: "Espresso Beans 1 kg <b>&", Unit: "ea", Qty: catalog.One,
		UnitPrice: 1499, OriginalPrice: 1499, TaxGroup: "RED"}}
	setup := demo.Setup()
	if err := c.Reprice(setup.Pricing()); err != nil {
		panic(err)
	}
	c.Tenders = []cart.Tender{{No: 1, TypeID: "cash", Name: "Cash", Kind: cart.Cash, Amount: c.Totals.Total}}
	if err := c.Reprice(setup.Pricing()); err != nil {
		panic(err)
	}
	return receipt.Build(c, setup.Header, "Alex")
}

func sender(t *testing.T, st *store.Store, addr string, roots *x509.CertPool, pass string) *mailer.Sender {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	cfg := mailer.Config{Host: host, Port: p, Username: "kasse", Password: pass, From: "OpenTill Markt <kasse@example.com>",
		TLS: &tls.Config{RootCAs: roots, ServerName: host, MinVersion: tls.VersionTLS12}}
	require.NoError(t, cfg.Check())
	return mailer.NewSender(cfg, st, mailer.Options{Timeout: 3 * time.Second, Picture: func(d *receipt.Document) image.Image { return virtual.RenderDocument(d, 42, nil) },
		EncodePNG: func(w *bytes.Buffer, img image.Image) error { return virtual.EncodePNG(w, img) }})
}

// TestReceiptsByEmail: receipts queued while the relay is down wait (and
// survive a restart of the till's store), go once it is up — each with its
// text, HTML and PNG, through STARTTLS and authentication, exactly once —
// and one the relay refuses for good is parked without holding up the rest.
func TestReceiptsByEmail(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	require.NoError(t, err)
	require.NoError(t, st.SaveSetup(ctx, demo.Setup()))
	q := mailer.Queue{St: st}
	require.NoError(t, q.QueueReceipt(ctx, "anna@example.com", sampleReceipt("S0001-T01-000001")))
	require.NoError(t, q.QueueReceipt(ctx, "nobody@example.com", sampleReceipt("S0001-T01-000002")))
	require.NoError(t, q.QueueReceipt(ctx, "jo@example.org", sampleReceipt("S0001-T01-000003")))

	addr := freeAddr(t)
	_, roots := selfSigned(t)
	err = sender(t, st, addr, roots, "geheim").SendPending(ctx)
	require.Error(t, err, "the relay is down")
	assert.Equal(t, poserr.Offline, poserr.KindOf(err))
	pending, _, err := st.MailCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), pending, "all three wait")

	// The till restarts; the queue is still there.
	require.NoError(t, st.Close())
	st, err = store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })

	rl := startRelay(t, addr)
	require.Error(t, sender(t, st, addr, rl.roots, "wrong").SendPending(ctx), "a wrong password")
	pending, parked, err := st.MailCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, [2]int64{3, 0}, [2]int64{pending, parked}, "a wrong password parks nothing")

	s := sender(t, st, addr, rl.roots, "geheim")
	require.NoError(t, s.SendPending(ctx))
	require.NoError(t, s.SendPending(ctx), "nothing left")
	msgs := rl.got()
	require.Len(t, msgs, 2, "sent once each; the refused one parked")
	pending, parked, err = st.MailCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, [2]int64{0, 1}, [2]int64{pending, parked})
	assert.Equal(t, "anna@example.com", msgs[0].to)
	assert.Equal(t, "jo@example.org", msgs[1].to)
	assert.Equal(t, "kasse", msgs[0].user)
	assert.Equal(t, "kasse@example.com", msgs[0].from)

	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].data))
	require.NoError(t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Contains(t, subject, "S0001-T01-000001")
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	parts := map[string][]byte{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		typ, pp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if typ == "multipart/alternative" {
			ar := multipart.NewReader(p, pp["boundary"])
			for {
				ap, err := ar.NextPart()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				at, _, _ := mime.ParseMediaType(ap.Header.Get("Content-Type"))
				b, err := io.ReadAll(ap) // quoted-printable is decoded by the reader
				require.NoError(t, err)
				parts[at] = b
			}
			continue
		}
		b, err := io.ReadAll(p)
		require.NoError(t, err)
		parts[typ] = b
	}
	assert.Contains(t, string(parts["text/plain"]), "Espresso Beans 1 kg <b>&")
	assert.Contains(t, string(parts["text/html"]), "Espresso Beans 1 kg &lt;b&gt;&amp;", "escaped in the HTML")
	assert.Contains(t, string(parts["text/html"]), "S0001-T01-000001")
	require.NotEmpty(t, parts["image/png"])
	img, err := png.Decode(base64Reader(parts["image/png"]))
	require.NoError(t, err, "the attachment is the receipt's picture")
	assert.Greater(t, img.Bounds().Dy(), 200)
}
