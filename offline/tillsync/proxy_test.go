package tillsync_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Faults a faultProxy injects.
const (
	faultDrop      = iota // close the connection without forwarding
	faultStatus           // answer 502/503/500 without forwarding
	faultSlow             // wait longer than the client's timeout, then forward (the server commits, nobody hears)
	faultLostReply        // forward, let the server commit, then close the connection instead of replying
	faultDelay            // wait a little, then forward and reply normally
	numFaults
)

var faultNames = [numFaults]string{"dropped connection", "5xx", "slow beyond timeout", "reply lost after commit", "slow reply"}

// faultProxy is a real HTTP proxy on loopback between a till and a scale
// unit that injects faults into a share of the requests while enabled.
type faultProxy struct {
	URL      string
	target   string
	rate     float64
	slow     time.Duration
	enabled  atomic.Bool
	counts   [numFaults]atomic.Int64
	passed   atomic.Int64
	uploads  atomic.Int64 // upload requests that reached the server
	requests atomic.Int64 // requests seen
	putFault [numFaults]atomic.Int64
	badKeys  atomic.Int64 // uploads whose Idempotency-Key was not their client ID
	puts     atomic.Int64 // upload attempts seen
	mu       sync.Mutex
	rng      *rand.Rand
	client   *http.Client
	shutdown func()
}

func startProxy(t testing.TB, target string, rate float64, slow time.Duration) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &faultProxy{URL: "http://" + ln.Addr().String(), target: target, rate: rate, slow: slow,
		rng:    rand.New(rand.NewPCG(42, 7)),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}}
	p.enabled.Store(true)
	hs := &http.Server{Handler: p}
	go func() { _ = hs.Serve(ln) }()
	p.shutdown = func() { _ = hs.Close() }
	t.Cleanup(p.shutdown)
	return p
}

// Faults returns the faults injected so far in all.
func (p *faultProxy) Faults() int64 {
	var n int64
	for i := range p.counts {
		if i != faultDelay {
			n += p.counts[i].Load()
		}
	}
	return n
}

func (p *faultProxy) pick() int {
	if !p.enabled.Load() {
		return -1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rng.Float64() >= p.rate {
		return -1
	}
	return p.rng.IntN(numFaults)
}

func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := p.pick()
	p.requests.Add(1)
	if r.Method == http.MethodPut {
		p.puts.Add(1)
		if id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]; r.Header.Get("Idempotency-Key") != id {
			p.badKeys.Add(1)
		}
	}
	if f >= 0 {
		p.counts[f].Add(1)
		if r.Method == http.MethodPut {
			p.putFault[f].Add(1)
		}
	}
	switch f {
	case faultDrop:
		hangUp(w)
		return
	case faultStatus:
		codes := []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusInternalServerError}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(codes[int(p.counts[f].Load())%len(codes)])
		_, _ = io.WriteString(w, "<html>proxy error</html>")
		return
	case faultSlow:
		time.Sleep(p.slow)
	case faultDelay:
		time.Sleep(p.slow / 4)
	}
	body, _ := io.ReadAll(r.Body)
	// The forwarded request outlives the client's: a client that gave up
	// does not stop the server from committing.
	out, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		hangUp(w)
		return
	}
	out.Header = r.Header.Clone()
	if f == faultSlow {
		// The client has given up; the server still gets and commits it.
		out.Header.Set("X-Proxy", "late")
	}
	resp, err := p.client.Do(out)
	if err != nil {
		hangUp(w)
		return
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	if r.Method == http.MethodPut && resp.StatusCode == 200 {
		p.uploads.Add(1)
	}
	if f == faultLostReply {
		hangUp(w)
		return
	}
	p.passed.Add(1)
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(rb)
}
