package scaleunit

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Activation attempts that fail are throttled per address: a guesser gets
// ActivationBurst tries, then one every ActivationEvery; an address that
// activates tills with good codes is never held up.
const (
	ActivationBurst = 10
	ActivationEvery = 6 * time.Second
)

// throttle keeps a limiter per client address.
type throttle struct {
	mu    sync.Mutex
	every time.Duration
	burst int
	by    map[string]*limiter
}

type limiter struct {
	*rate.Limiter
	seen time.Time
}

func newThrottle(every time.Duration, burst int) *throttle {
	return &throttle{every: every, burst: burst, by: map[string]*limiter{}}
}

// addr is the client's address without its port.
func addr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (t *throttle) get(a string, now time.Time) *limiter {
	l := t.by[a]
	if l == nil {
		if len(t.by) >= 10_000 { // forget addresses quiet for a while
			for k, v := range t.by {
				if now.Sub(v.seen) > 10*time.Minute {
					delete(t.by, k)
				}
			}
		}
		l = &limiter{Limiter: rate.NewLimiter(rate.Every(t.every), t.burst)}
		t.by[a] = l
	}
	l.seen = now
	return l
}

// wait reports how long the address must wait before its next attempt
// (0: it may try now).
func (t *throttle) wait(a string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	l := t.get(a, now)
	if l.TokensAt(now) >= 1 {
		return 0
	}
	r := l.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return d
}

// failed counts a failed attempt of the address.
func (t *throttle) failed(a string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.get(a, time.Now()).Allow()
}
