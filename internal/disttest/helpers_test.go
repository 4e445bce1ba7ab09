//go:build dist

package disttest

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// distDir is the folder make dist wrote (DIST_DIR, default ../../dist).
func distDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("DIST_DIR")
	if d == "" {
		d = "../../dist"
	}
	d, err := filepath.Abs(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "SHA256SUMS")); err != nil {
		t.Fatalf("no artefacts in %s: run make dist-test (it runs make dist first): %v", d, err)
	}
	return d
}

// artefact finds the one file in dist matching the glob.
func artefact(t *testing.T, glob string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(distDir(t), glob))
	if err != nil || len(m) != 1 {
		t.Fatalf("want exactly one %s in %s, found %v (%v)", glob, distDir(t), m, err)
	}
	return m[0]
}

// version is the version the artefacts were built with (from the name of
// the Linux archive).
func version(t *testing.T) string {
	t.Helper()
	name := filepath.Base(artefact(t, "opentill_*_linux_amd64.tar.gz"))
	return strings.TrimSuffix(strings.TrimPrefix(name, "opentill_"), "_linux_amd64.tar.gz")
}

// tool fails the test when a command the test runs is missing.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not on PATH: run make dist-test, which installs it (scripts/deps.sh, DIST_APT_PACKAGES)", name)
	}
	return p
}

// cmdOpts tune run.
type cmdOpts struct {
	env     []string
	dir     string
	timeout time.Duration
	fail    bool // the command is expected to fail
	// hangAfter: a program that printed this and then did not exit in
	// time is stopped and logged, not failed (the till's --bench quit; see
	// docs/release.md, known problems).
	hangAfter string
}

// run runs a command and returns its combined output; it fails the test
// when the command fails (or, with o.fail, when it succeeds).
func run(t *testing.T, o cmdOpts, name string, args ...string) string {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 3 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	c := exec.CommandContext(ctx, name, args...)
	c.Env = append(os.Environ(), o.env...)
	c.Dir = o.dir
	// Its own process group, all of it stopped at the timeout (xvfb-run's
	// children too), so a hang fails the test instead of blocking it.
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = 5 * time.Second
	out, err := c.CombinedOutput()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The program exited 0; a child it left (wineserver lingers a few
		// seconds) held the output open.
		err = nil
	}
	line := name + " " + strings.Join(args, " ")
	t.Logf("$ %s\n%s", line, clip(string(out), 3000))
	if ctx.Err() != nil {
		if o.hangAfter != "" && strings.Contains(string(out), o.hangAfter) {
			t.Logf("KNOWN PROBLEM: %s printed %q and then did not exit within %s; stopped", line, o.hangAfter, o.timeout)
			return string(out)
		}
		t.Fatalf("%s: timed out after %s", line, o.timeout)
	}
	if o.fail && err == nil {
		t.Fatalf("%s succeeded; it should have failed", line)
	}
	if !o.fail && err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	return string(out)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n/2] + "\n…\n" + s[len(s)-n/2:]
}

// server is a running scale unit.
type server struct {
	URL string
	cmd *exec.Cmd
}

// serve starts a server (bin args…, e.g. scaleunit serve --data D) and
// waits for its "listening" line.
func serve(t *testing.T, env []string, bin string, args ...string) *server {
	t.Helper()
	c := exec.Command(bin, args...)
	c.Env = append(os.Environ(), env...)
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	c.Stderr = &logs
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.Process.Kill()
		_ = c.Wait()
		t.Logf("server %s logs:\n%s", bin, clip(logs.String(), 3000))
	})
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		for {
			l, err := r.ReadString('\n')
			if strings.HasPrefix(strings.TrimSpace(l), "listening ") {
				lines <- strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "listening "))
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case addr := <-lines:
		return &server{URL: "http://" + addr, cmd: c}
	case <-time.After(90 * time.Second):
		t.Fatalf("%s serve did not say where it listens; logs:\n%s", bin, logs.String())
	}
	return nil
}

// untar extracts a .tar.gz into dir.
func untar(t *testing.T, file, dir string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		p := filepath.Join(dir, h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, os.FileMode(h.Mode)&0o777); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// unzip extracts a zip into dir.
func unzip(t *testing.T, file, dir string) []string {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		p := filepath.Join(dir, f.Name)
		if f.FileInfo().IsDir() {
			_ = os.MkdirAll(p, 0o755)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// activationCode issues a one-time code for a demo-store till.
func activationCode(t *testing.T, su, data, till string) string {
	t.Helper()
	return strings.TrimSpace(run(t, cmdOpts{}, su, "till", "code", "--data", data, "--till", till))
}

var pushedRE = regexp.MustCompile(`pushed (\d+),`)

// pushed reads the number of records a `posctl sync` pass pushed.
func pushed(t *testing.T, out string) string {
	t.Helper()
	m := pushedRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("posctl sync printed no 'pushed N': %s", out)
	}
	return m[1]
}

// xwdToImage reads the XWD file Xvfb -fbdir keeps of its screen (ZPixmap,
// 24 or 32 bits per pixel, as Xvfb writes it).
func xwdToImage(b []byte) (image.Image, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("XWD file of %d bytes", len(b))
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(b[i*4:])
	}
	headerSize, format, w, ht, order, bpp, bpl, ncolors := h[0], h[2], int(h[4]), int(h[5]), h[7], h[11], int(h[12]), h[19]
	if format != 2 || (bpp != 32 && bpp != 24) {
		return nil, fmt.Errorf("XWD format %d, %d bits per pixel: not the ZPixmap Xvfb writes", format, bpp)
	}
	off := int(headerSize) + int(ncolors)*12
	if len(b) < off+bpl*ht {
		return nil, fmt.Errorf("XWD file truncated")
	}
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	step := int(bpp / 8)
	for y := 0; y < ht; y++ {
		row := b[off+y*bpl:]
		for x := 0; x < w; x++ {
			p := row[x*step:]
			var r, g, bl uint8
			if order == 0 { // LSBFirst: B G R (X)
				bl, g, r = p[0], p[1], p[2]
			} else {
				if step == 4 {
					p = p[1:]
				}
				r, g, bl = p[0], p[1], p[2]
			}
			img.Set(x, y, color.RGBA{r, g, bl, 255})
		}
	}
	return img, nil
}

// screenStats counts the distinct colours (sampled) and the share of the
// till's accent blue in a screenshot.
func screenStats(img image.Image) (colours int, blue float64) {
	seen := map[color.RGBA]bool{}
	var n, nb int
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y += 3 {
		for x := bnd.Min.X; x < bnd.Max.X; x += 3 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			seen[c] = true
			n++
			if c.B > 200 && c.R < 90 && c.G > 80 && c.G < 160 {
				nb++
			}
		}
	}
	return len(seen), float64(nb) / float64(n)
}

func writePNG(t *testing.T, img image.Image, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeScript writes a posctl sell script.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
