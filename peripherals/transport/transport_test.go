package transport_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/poserr"
)

func TestParseSpec(t *testing.T) {
	def := transport.Line{Baud: 9600, DataBits: 7, Parity: "E", StopBits: 1}
	tests := []struct {
		in   string
		want transport.Spec
		err  string
	}{
		{"192.0.2.10:9100", transport.Spec{Kind: transport.TCP, Address: "192.0.2.10:9100"}, ""},
		{"tcp://printer.local:9100", transport.Spec{Kind: transport.TCP, Address: "printer.local:9100"}, ""},
		{"/dev/usb/lp0", transport.Spec{Kind: transport.File, Address: "/dev/usb/lp0"}, ""},
		{"file:///tmp/out.bin", transport.Spec{Kind: transport.File, Address: "/tmp/out.bin"}, ""},
		{"/dev/ttyUSB0", transport.Spec{Kind: transport.Serial, Address: "/dev/ttyUSB0", Line: def}, ""},
		{"COM3", transport.Spec{Kind: transport.Serial, Address: "COM3", Line: def}, ""},
		{"serial:///dev/ttyACM0", transport.Spec{Kind: transport.Serial, Address: "/dev/ttyACM0", Line: def}, ""},
		{"", transport.Spec{}, "no port given"},
		{"printer:abc:9100", transport.Spec{}, "not host:port"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := transport.ParseSpec(tc.in, def)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseLine(t *testing.T) {
	l, err := transport.ParseLine("4800 7O1", transport.Line{})
	require.NoError(t, err)
	assert.Equal(t, transport.Line{Baud: 4800, DataBits: 7, Parity: "O", StopBits: 1}, l)
	assert.Equal(t, "4800 7O1", l.String())
	l, err = transport.ParseLine("19200", transport.Line{DataBits: 8, Parity: "N", StopBits: 1})
	require.NoError(t, err)
	assert.Equal(t, "19200 8N1", l.String())
	assert.Equal(t, "9600 8N1", transport.Line{}.String())
	_, err = transport.ParseLine("9600 9Q3", transport.Line{})
	assert.ErrorContains(t, err, "baud and frame")
}

// TestSerialDeadline checks the wrapper around go.bug.st/serial's read
// timeout (which returns 0, nil): a read past the deadline is a timeout
// error, and data that arrives in time is read.
func TestSerialDeadline(t *testing.T) {
	pair := ptytest.New(t)
	peer := pair.OpenPeer(transport.Line{})
	c, err := transport.OpenSerial(pair.Dev, transport.Line{})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(150*time.Millisecond)))
	start := time.Now()
	n, err := c.Read(make([]byte, 8))
	assert.Zero(t, n)
	assert.True(t, transport.IsTimeout(err), "%v", err)
	assert.True(t, errors.Is(err, os.ErrDeadlineExceeded))
	assert.GreaterOrEqual(t, time.Since(start), 140*time.Millisecond)
	assert.Less(t, time.Since(start), time.Second)

	go func() { time.Sleep(50 * time.Millisecond); _, _ = peer.Write([]byte("hi")) }()
	got, err := transport.ReadUntil(context.Background(), c, "i", 8, time.Second)
	require.NoError(t, err)
	assert.Equal(t, "hi", string(got))
}

func TestDeviceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	require.NoError(t, os.WriteFile(path, nil, 0o644))
	spec, err := transport.ParseSpec("file://"+path, transport.Line{})
	require.NoError(t, err)
	c, err := transport.Open(context.Background(), spec)
	require.NoError(t, err)
	_, err = c.Write([]byte{0x1b, 0x40, 'o', 'k'})
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(time.Second)))
	start := time.Now()
	_, err = c.Read(make([]byte, 1))
	assert.True(t, transport.IsTimeout(err), "a file that cannot poll fails a read at once: %v", err)
	assert.Less(t, time.Since(start), 500*time.Millisecond)
	require.NoError(t, c.Close())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x1b, 0x40, 'o', 'k'}, b)
}

func TestLinkReconnectsTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	got := make(chan string, 4)
	serve := func(ln net.Listener) {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				b := make([]byte, 16)
				n, _ := c.Read(b)
				got <- string(b[:n])
				c.Close()
			}()
		}
	}
	go serve(ln)
	spec, _ := transport.ParseSpec(addr, transport.Line{})
	link := transport.NewLink("receipt printer", spec)
	defer link.Close()
	write := func(s string) error {
		return link.Do(context.Background(), func(c transport.Conn) error { _, err := c.Write([]byte(s)); return err })
	}
	require.NoError(t, write("one"))
	assert.Equal(t, "one", <-got)

	ln.Close() // the printer is switched off
	var gone error
	for i := 0; i < 10 && gone == nil; i++ {
		gone = write("lost")
		time.Sleep(20 * time.Millisecond)
	}
	require.Error(t, gone)
	var pe *poserr.Error
	require.ErrorAs(t, gone, &pe)
	assert.Equal(t, "error.device.port_gone", pe.Key)

	ln, err = net.Listen("tcp", addr) // and on again
	require.NoError(t, err)
	defer ln.Close()
	go serve(ln)
	require.NoError(t, write("two"))
	for s := range got {
		if s == "two" {
			break
		}
	}
}
