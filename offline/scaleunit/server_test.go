package scaleunit_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/catalog"
)

func TestStartEmbeddedServesTheDemoChain(t *testing.T) {
	dir := t.TempDir()
	url, stop, err := scaleunit.StartEmbedded(dir)
	require.NoError(t, err)
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	cfg, err := tillsync.Activate(ctx, st, url, scaleunit.DemoCode("T01"), "embedded test")
	require.NoError(t, err)
	assert.Equal(t, demo.StoreID+"/T01", cfg.TillID)
	tillDir := t.TempDir()
	eng, err := tillsync.Open(tillDir, st, tillsync.Options{})
	require.NoError(t, err)
	require.NoError(t, eng.Pass(ctx))
	require.NoError(t, eng.Close())
	n, err := st.ProductCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, scaleunit.EmbeddedProducts, n)
	stop()

	// A restart keeps the data and re-issues the codes of tills not yet active.
	url, stop, err = scaleunit.StartEmbedded(dir)
	require.NoError(t, err)
	defer stop()
	_, err = tillsync.Activate(ctx, openTillStore(t), url, scaleunit.DemoCode("T02"), "second")
	require.NoError(t, err)
	_, err = tillsync.Activate(ctx, openTillStore(t), url, scaleunit.DemoCode("T01"), "again")
	require.Error(t, err, "an active till's demo code is not re-issued")
}

func openTillStore(t *testing.T) *store.Store {
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func TestServesTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = scaleunit.New(st, nil).Serve(c, ln, certFile, keyFile) }()
	defer func() { cancel(); <-done }()
	cl := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = cl.Get("https://" + ln.Addr().String() + api.PathHealth)
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	_, err = http.Get("http://" + ln.Addr().String() + api.PathHealth)
	if err == nil {
		t.Log("plain HTTP got an answer (Go answers 400 to HTTP on a TLS port)")
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestStorage(t *testing.T) { sutest.Each(t, testStorage) }

func testStorage(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	till, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)

	t.Run("tokens and codes are stored hashed", func(t *testing.T) {
		code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
		require.NoError(t, err)
		_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret("tok"), "dev", nil, "")
		require.NoError(t, err)
		got, err := st.TillByToken(ctx, scaleunit.HashSecret("tok"))
		require.NoError(t, err)
		assert.Equal(t, till.ID, got.ID)
		_, err = st.TillByToken(ctx, "tok")
		assert.ErrorIs(t, err, scaleunit.ErrNotFound, "the plain token is not what is stored")
	})
	t.Run("expired code", func(t *testing.T) {
		code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, -time.Second)
		require.NoError(t, err)
		_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret("t2"), "dev", nil, "")
		assert.ErrorIs(t, err, scaleunit.ErrBadCode)
	})
	t.Run("feeds are compacted and ordered", func(t *testing.T) {
		p := demo.Featured[0]
		for i := 1; i <= 3; i++ {
			require.NoError(t, st.SetPrices(ctx, []api.PriceChange{{ProductID: p.ID, Price: int64(i)}}))
		}
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetPrices, 0, 100, true)
		require.NoError(t, err)
		require.Len(t, page.Changes, 1, "only the latest change of a key is kept")
		assert.EqualValues(t, 3, page.Changes[0].Price.Price)
		require.NoError(t, page.Validate(api.DatasetPrices, 0))
		// A later product upsert carries the price and replaces the price change.
		p.Price = 7
		require.NoError(t, st.PutProducts(ctx, []catalog.Product{p}))
		page, err = st.Feed(ctx, demo.StoreID, api.DatasetPrices, 0, 100, true)
		require.NoError(t, err)
		assert.Empty(t, page.Changes)
	})
	t.Run("unknown product price change", func(t *testing.T) {
		err := st.SetPrices(ctx, []api.PriceChange{{ProductID: "nope", Price: 1}})
		assert.ErrorIs(t, err, scaleunit.ErrNotFound)
	})
}

// TestSisterStoreTillGetsItsOwnStore: a till of the second store is served
// that store's configuration with its own terminal ID.
func TestSisterStoreTillGetsItsOwnStore(t *testing.T) {
	sutest.Each(t, testSisterStoreTillGetsItsOwnStore)
}

func testSisterStoreTillGetsItsOwnStore(t *testing.T, backend string) {
	url, st := startServerOn(t, backend)
	code, err := scaleunit.IssueActivationCode(ctx, st, scaleunit.SisterStoreID+"/T01", time.Hour)
	require.NoError(t, err)
	ts := openTillStore(t)
	cfg, err := tillsync.Activate(ctx, ts, url, code, "nord")
	require.NoError(t, err)
	assert.Equal(t, scaleunit.SisterStoreID, cfg.StoreID)
	eng, err := tillsync.Open(t.TempDir(), ts, tillsync.Options{})
	require.NoError(t, err)
	defer eng.Close()
	require.NoError(t, eng.Pass(ctx))
	setup, err := ts.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Equal(t, scaleunit.SisterStoreID, setup.StoreID)
	assert.Equal(t, scaleunit.SisterStoreName, setup.StoreName)
	assert.Equal(t, "T01", setup.TerminalID)
}
