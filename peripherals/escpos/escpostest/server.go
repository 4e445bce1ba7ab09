// Package escpostest is a network receipt printer for tests, as
// net/http/httptest is a web server: a TCP listener on 127.0.0.1 that keeps
// every byte it receives and answers DLE EOT status requests the way an
// Epson TM printer does, with paper out, cover open and drawer states
// settable.
package escpostest

import (
	"bytes"
	"net"
	"sync"
	"testing"
	"time"
)

// Status bytes a printer answers to DLE EOT 1, 2 and 4.
var (
	Ready    = [3]byte{0x12, 0x12, 0x12}
	PaperOut = [3]byte{0x1a, 0x32, 0x72} // offline, stopped at paper end, roll end
	NearEnd  = [3]byte{0x12, 0x12, 0x1e}
	Cover    = [3]byte{0x1a, 0x16, 0x12} // offline, cover open
	Drawer   = [3]byte{0x16, 0x12, 0x12} // pin 3 high: drawer open
	Failed   = [3]byte{0x1a, 0x52, 0x12} // offline, an error occurred
)

// Error causes a printer answers to DLE EOT 3.
const (
	NoCause     byte = 0x12
	CutterJam   byte = 0x1a // autocutter error
	Fatal       byte = 0x32 // unrecoverable error
	Overheating byte = 0x52 // automatically recoverable error
)

// Server is a fake network printer.
type Server struct {
	Addr string // host:port to dial

	ln      net.Listener
	mu      sync.Mutex
	data    bytes.Buffer
	status  [3]byte
	cause   byte
	silent  bool
	marks   []chan time.Time
	conns   []net.Conn
	changed chan struct{}
	wg      sync.WaitGroup
}

// NewServer starts a printer that is ready; it stops when the test ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listening for the fake printer: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln, status: Ready, cause: NoCause, changed: make(chan struct{}, 1)}
	s.wg.Add(1)
	go s.accept()
	tb.Cleanup(s.Close)
	return s
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	buf := make([]byte, 32*1024)
	var tail []byte // last bytes of the previous read, for a DLE EOT split across reads
	for {
		n, err := c.Read(buf)
		if n > 0 {
			now := time.Now()
			s.mu.Lock()
			s.data.Write(buf[:n])
			for _, m := range s.marks {
				m <- now
			}
			s.marks = nil
			st, cause, silent := s.status, s.cause, s.silent
			s.mu.Unlock()
			select {
			case s.changed <- struct{}{}:
			default:
			}
			scan := append(tail, buf[:n]...)
			var answer []byte
			for i := 0; i+2 < len(scan); i++ {
				if scan[i] == 0x10 && scan[i+1] == 0x04 && i+2 >= len(tail) {
					switch scan[i+2] {
					case 1:
						answer = append(answer, st[0])
					case 2:
						answer = append(answer, st[1])
					case 3:
						answer = append(answer, cause)
					case 4:
						answer = append(answer, st[2])
					}
				}
			}
			if len(answer) > 0 && !silent {
				_, _ = c.Write(answer)
			}
			tail = append([]byte(nil), scan[max(0, len(scan)-2):]...)
		}
		if err != nil {
			return
		}
	}
}

// SetStatus sets the bytes answered to DLE EOT 1, 2 and 4.
func (s *Server) SetStatus(st [3]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = st
}

// SetErrorCause sets the byte answered to DLE EOT 3.
func (s *Server) SetErrorCause(b byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cause = b
}

// SetSilent makes the printer ignore status requests (a one-way printer or a hung one).
func (s *Server) SetSilent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.silent = on
}

// Bytes returns everything received so far.
func (s *Server) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.data.Bytes())
}

// Reset forgets what was received.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.Reset()
}

// Mark returns a channel that receives the time the next byte arrives.
func (s *Server) Mark() <-chan time.Time {
	ch := make(chan time.Time, 1)
	s.mu.Lock()
	s.marks = append(s.marks, ch)
	s.mu.Unlock()
	return ch
}

// WaitFor waits until the received bytes contain want, or fails the test.
func (s *Server) WaitFor(tb testing.TB, want []byte, timeout time.Duration) []byte {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		if b := s.Bytes(); bytes.Contains(b, want) {
			return b
		}
		select {
		case <-s.changed:
		case <-deadline:
			tb.Fatalf("the fake printer did not receive % X within %s; it has % X", want, timeout, s.Bytes())
			return nil
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// DropConnections closes the connections open now (a printer switched off
// and on again); the listener stays.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Close stops the printer.
func (s *Server) Close() {
	s.ln.Close()
	s.DropConnections()
	s.wg.Wait()
}
