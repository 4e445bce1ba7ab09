//go:build dist

package disttest

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const quickSale = "signin 1001 1234\nscan 4000000000013\nscan 4000000000198\npay cash exact\n"

// Every artefact is in SHA256SUMS and matches it.
func TestChecksums(t *testing.T) {
	d := distDir(t)
	f, err := os.Open(filepath.Join(d, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(d, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: checksum mismatch", name)
		}
		listed[name] = true
		t.Logf("%-48s %6.1f MB  %s", name, float64(len(b))/1e6, sum)
	}
	entries, err := os.ReadDir(d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || e.Name() == "SHA256SUMS" || strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		n++
		if !listed[e.Name()] {
			t.Errorf("%s is not in SHA256SUMS", e.Name())
		}
	}
	if n != 6 {
		t.Errorf("%d artefacts, want 6 (2 tar.gz, 1 zip, 3 deb)", n)
	}
}

// elfInfo says an ELF binary's machine and whether it is static.
func elfInfo(t *testing.T, path string) (elf.Machine, bool) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	static := true
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			static = false
		}
	}
	return f.Machine, static
}

// The Linux archives hold what they say; the arm64 tools run under qemu.
func TestLinuxArchives(t *testing.T) {
	v := version(t)
	dir := t.TempDir()
	names := strings.Join(untar(t, artefact(t, "opentill_*_linux_amd64.tar.gz"), dir), "\n")
	root := filepath.Join(dir, "opentill_"+v+"_linux_amd64")
	for _, want := range []string{"bin/opentill", "bin/posctl", "bin/scaleunit", "share/applications/org.opentill.till.desktop",
		"share/icons/hicolor/256x256/apps/opentill.png", "systemd/opentill-scaleunit.service", "LICENSE", "THIRD_PARTY_LICENSES.txt", "CHANGELOG.md"} {
		if !strings.Contains(names, "opentill_"+v+"_linux_amd64/"+want) {
			t.Errorf("the amd64 archive lacks %s", want)
		}
	}
	if m, static := elfInfo(t, filepath.Join(root, "bin/posctl")); m != elf.EM_X86_64 || !static {
		t.Errorf("posctl: %v, static %v", m, static)
	}
	if m, static := elfInfo(t, filepath.Join(root, "bin/opentill")); m != elf.EM_X86_64 || static {
		t.Errorf("the till: %v, static %v (it links libGL)", m, static)
	}
	out := run(t, cmdOpts{}, filepath.Join(root, "bin/posctl"), "version")
	if !strings.Contains(out, "posctl "+v+"\n") || !strings.Contains(out, "linux/amd64") {
		t.Errorf("posctl version: %s", out)
	}

	qemu := tool(t, "qemu-aarch64")
	untar(t, artefact(t, "opentill-tools_*_linux_arm64.tar.gz"), dir)
	arm := filepath.Join(dir, "opentill-tools_"+v+"_linux_arm64", "bin")
	for _, b := range []string{"posctl", "scaleunit"} {
		if m, static := elfInfo(t, filepath.Join(arm, b)); m != elf.EM_AARCH64 || !static {
			t.Errorf("arm64 %s: %v, static %v", b, m, static)
		}
	}
	out = run(t, cmdOpts{}, qemu, filepath.Join(arm, "posctl"), "version")
	if !strings.Contains(out, "posctl "+v+"\n") || !strings.Contains(out, "linux/arm64") {
		t.Errorf("arm64 posctl version: %s", out)
	}
	data := filepath.Join(dir, "arm-till")
	run(t, cmdOpts{timeout: 5 * time.Minute}, qemu, filepath.Join(arm, "posctl"), "seed", "--data", data, "--products", "300", "--quiet")
	out = run(t, cmdOpts{timeout: 5 * time.Minute}, qemu, filepath.Join(arm, "posctl"), "sell", "--data", data,
		"--script", writeScript(t, dir, "s.txt", "signin 1001 1234\nshift open 100.00\n"+strings.TrimPrefix(quickSale, "signin 1001 1234\n")))
	if !receiptPrinted(out) {
		t.Errorf("arm64 sale printed no receipt: %s", out)
	}
	run(t, cmdOpts{}, qemu, filepath.Join(arm, "scaleunit"), "version")
}

// dpkgInstall installs debs into a fresh root: dpkg --root (its own admin
// folder inside), maintainer scripts run chrootless with DPKG_ROOT set
// (they touch no service and create the user in the root's passwd), and
// --force-depends since the fresh root has no libc package (the host's
// libraries serve the binaries).
func dpkgInstall(t *testing.T, root string, debs ...string) string {
	t.Helper()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"var/lib/dpkg/status", "var/lib/dpkg/available"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"--root=" + root, "--force-script-chrootless", "--force-depends", "--log=" + filepath.Join(root, "dpkg.log"), "-i"}, debs...)
	return run(t, cmdOpts{}, tool(t, "dpkg"), args...)
}

// The .debs install in a clean root and work from it: posctl seeds, sells,
// verifies; the scale unit runs as its systemd unit says and the till
// syncs with it; the till's window opens under Xvfb.
func TestDebInstallsInCleanRoot(t *testing.T) {
	v := version(t)
	till, su := artefact(t, "opentill_*_amd64.deb"), artefact(t, "opentill-scaleunit_*_amd64.deb")
	info := run(t, cmdOpts{}, tool(t, "dpkg-deb"), "--info", till)
	for _, want := range []string{"Package: opentill", "Architecture: amd64", "libgl1", "libc6", "libxcursor1", "libxrandr2"} {
		if !strings.Contains(info, want) {
			t.Errorf("the till's control lacks %q", want)
		}
	}
	root := t.TempDir()
	dpkgInstall(t, root, till, su)
	list := run(t, cmdOpts{}, "dpkg", "--root="+root, "-l")
	for _, p := range []string{"opentill ", "opentill-scaleunit "} {
		if !regexp.MustCompile(`(?m)^ii  ` + p).MatchString(list) {
			t.Errorf("%s is not installed (ii) in the fresh root:\n%s", p, list)
		}
	}
	for _, f := range []string{"usr/bin/opentill", "usr/bin/posctl", "usr/bin/scaleunit", "usr/share/applications/org.opentill.till.desktop",
		"usr/share/icons/hicolor/scalable/apps/opentill.svg", "usr/share/icons/hicolor/48x48/apps/opentill.png",
		"lib/systemd/system/opentill-scaleunit.service", "etc/default/opentill-scaleunit", "usr/share/doc/opentill/copyright",
		"usr/share/doc/opentill-scaleunit/THIRD_PARTY_LICENSES.txt.gz", "var/lib/opentill-scaleunit"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("installed root lacks %s", f)
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "etc/passwd")); err != nil || !strings.Contains(string(b), "opentill:") {
		t.Errorf("postinst made no opentill user in the root's passwd (%v): %s", err, b)
	}
	run(t, cmdOpts{}, tool(t, "desktop-file-validate"), filepath.Join(root, "usr/share/applications/org.opentill.till.desktop"))
	unit := filepath.Join(root, "lib/systemd/system/opentill-scaleunit.service")
	// systemd-analyze verify checks the unit in the root (its ExecStart
	// binary, its directives); the targets it names come from this system,
	// as they would on the machine the package goes onto.
	for _, glob := range []string{"/lib/systemd/system/*.target", "/lib/systemd/system/*.slice"} {
		m, _ := filepath.Glob(glob)
		for _, f := range m {
			b, err := os.ReadFile(f)
			if err == nil {
				err = os.WriteFile(filepath.Join(root, "lib/systemd/system", filepath.Base(f)), b, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	run(t, cmdOpts{}, tool(t, "systemd-analyze"), "verify", "--root="+root, "opentill-scaleunit.service")
	out := run(t, cmdOpts{}, "ldd", filepath.Join(root, "usr/bin/opentill"))
	if strings.Contains(out, "not found") {
		t.Errorf("the till links a library the system lacks:\n%s", out)
	}

	bin := func(name string) string { return filepath.Join(root, "usr/bin", name) }
	out = run(t, cmdOpts{}, bin("posctl"), "version")
	if !strings.Contains(out, "posctl "+v+"\n") {
		t.Errorf("posctl version: %s", out)
	}
	data := filepath.Join(t.TempDir(), "till")
	run(t, cmdOpts{}, bin("posctl"), "seed", "--data", data, "--products", "500", "--quiet")
	out = run(t, cmdOpts{}, bin("posctl"), "sell", "--data", data, "--script", filepath.Join(root, "usr/share/opentill/profiles/sale.txt"))
	if !receiptPrinted(out) || !strings.Contains(out, "1 suspended") {
		t.Errorf("the example sale did not run: %s", out)
	}
	if out := run(t, cmdOpts{}, bin("posctl"), "journal", "verify", "--data", data); !strings.Contains(out, "journal ok") {
		t.Errorf("journal verify: %s", out)
	}

	// The scale unit as its unit starts it: ExecStart with the defaults
	// of /etc/default/opentill-scaleunit, the data folder and address
	// replaced by a temporary folder and a free port.
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	exec := regexp.MustCompile(`(?m)^ExecStart=(.*)$`).FindStringSubmatch(string(b))
	if exec == nil {
		t.Fatal("the unit has no ExecStart")
	}
	sdata := filepath.Join(t.TempDir(), "scaleunit")
	args := strings.Fields(strings.NewReplacer("/var/lib/opentill-scaleunit", sdata, "${SCALEUNIT_ADDR}", "127.0.0.1:0", "$SCALEUNIT_ARGS", "").Replace(exec[1]))
	if args[0] != "/usr/bin/scaleunit" || args[1] != "serve" {
		t.Fatalf("ExecStart %q", exec[1])
	}
	run(t, cmdOpts{}, bin("scaleunit"), "seed", "--data", sdata, "--products", "300", "--quiet")
	srv := serve(t, nil, bin("scaleunit"), args[1:]...)
	out = run(t, cmdOpts{}, bin("posctl"), "sync", "--data", data, "--server", srv.URL, "--code", activationCode(t, bin("scaleunit"), sdata, "S0001/T01"), "--quiet")
	if pushed(t, out) == "0" {
		t.Errorf("the till pushed nothing: %s", out)
	}
	out = run(t, cmdOpts{}, bin("scaleunit"), "admin", "tills", "--data", sdata)
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(v) + ` +S0001/T01 +linux/amd64 `).MatchString(out) {
		t.Errorf("admin tills does not list S0001/T01 at %s:\n%s", v, out)
	}

	// The till from the package opens its window (Xvfb) on the synced
	// folder, signs in and sells (pos --bench), then quits.
	out = run(t, cmdOpts{timeout: 2 * time.Minute, hangAfter: "go_sys_kb"}, tool(t, "xvfb-run"), "-a", "-s", "-screen 0 1366x800x24",
		bin("opentill"), "--data", data, "--offline", "--idle", "0", "--bench")
	if !strings.Contains(out, "drawn_unix_ms") || !strings.Contains(out, "idle_rss_after_signin_kb") {
		t.Errorf("the till did not draw its window and sign in: %s", out)
	}
}

// wine is a Wine prefix of the test's own with the stand-in for
// bcryptprimitives.dll (testdata/bcryptprimitives.c).
type wine struct {
	t   *testing.T
	bin string
	env []string
}

func newWine(t *testing.T) *wine {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "wineprefix")
	w := &wine{t: t, bin: tool(t, "wine"), env: []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml="}}
	run(t, cmdOpts{env: w.env, timeout: 5 * time.Minute}, w.bin, "wineboot", "--init")
	dll := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err == nil {
		t.Logf("this Wine has its own bcryptprimitives.dll: the stand-in is not needed")
	} else {
		run(t, cmdOpts{}, tool(t, "x86_64-w64-mingw32-gcc"), "-O2", "-shared", "-o", dll,
			"testdata/bcryptprimitives.c", "testdata/bcryptprimitives.def", "-ladvapi32")
	}
	t.Cleanup(func() {
		c := exec.Command("wineserver", "-k")
		c.Env = append(os.Environ(), w.env...)
		_ = c.Run()
	})
	return w
}

// run runs a Windows program under Wine.
func (w *wine) run(o cmdOpts, exe string, args ...string) string {
	w.t.Helper()
	o.env = append(o.env, w.env...)
	return run(w.t, o, w.bin, append([]string{exe}, args...)...)
}

// winPath is a Linux path as Wine's Z: drive shows it.
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// peInfo checks a Windows binary: amd64, the subsystem, its DLLs.
func peInfo(t *testing.T, path string) (uint16, []string) {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("%s: machine %#x", path, f.Machine)
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("%s is not PE32+", path)
	}
	return oh.Subsystem, libs
}

// The Windows zip: posctl.exe sells and syncs with the Linux server under
// Wine, scaleunit.exe serves the Linux posctl, and the till draws its
// sign-in screen under Xvfb.
func TestWindowsZip(t *testing.T) {
	v := version(t)
	dir := t.TempDir()
	names := strings.Join(unzip(t, artefact(t, "opentill_*_windows_amd64.zip"), dir), "\n")
	win := filepath.Join(dir, "opentill_"+v+"_windows_amd64")
	for _, want := range []string{"pos.exe", "posctl.exe", "scaleunit.exe", "LICENSE.txt", "README.txt", "THIRD_PARTY_LICENSES.txt", "profiles/example-windows.toml", "sale.txt"} {
		if !strings.Contains(names, "opentill_"+v+"_windows_amd64/"+want) {
			t.Errorf("the zip lacks %s", want)
		}
	}
	prof, err := os.ReadFile(filepath.Join(win, "profiles/example-windows.toml"))
	if err != nil || !strings.Contains(string(prof), `port = "COM3"`) || !strings.Contains(string(prof), "\r\n") {
		t.Errorf("the Windows profile names no COM3 or has no CRLF line ends (%v)", err)
	}
	sub, libs := peInfo(t, filepath.Join(win, "pos.exe"))
	if sub != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("pos.exe subsystem %d, want the GUI one (no console window)", sub)
	}
	for _, l := range libs {
		switch strings.ToUpper(l) {
		case "GDI32.DLL", "KERNEL32.DLL", "OPENGL32.DLL", "SHELL32.DLL", "USER32.DLL", "MSVCRT.DLL", "ADVAPI32.DLL", "WINMM.DLL", "WS2_32.DLL", "IMM32.DLL", "OLE32.DLL", "DWMAPI.DLL":
		default:
			t.Errorf("pos.exe needs %s, which Windows does not ship", l)
		}
	}
	if f, err := pe.Open(filepath.Join(win, "pos.exe")); err == nil {
		if f.Section(".rsrc") == nil {
			t.Error("pos.exe has no resources (icon, version)")
		}
		f.Close()
	}
	if sub, _ := peInfo(t, filepath.Join(win, "posctl.exe")); sub != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
		t.Errorf("posctl.exe subsystem %d, want console", sub)
	}

	w := newWine(t)
	posctl, scaleunit := filepath.Join(win, "posctl.exe"), filepath.Join(win, "scaleunit.exe")
	out := w.run(cmdOpts{}, posctl, "version")
	if !strings.Contains(out, "posctl "+v) || !strings.Contains(out, "windows/amd64") {
		t.Errorf("posctl.exe version: %s", out)
	}
	// A scripted sale on a Windows data folder.
	tillDir := filepath.Join(t.TempDir(), "till")
	w.run(cmdOpts{}, posctl, "seed", "--data", winPath(tillDir), "--products", "500", "--quiet")
	out = w.run(cmdOpts{}, posctl, "sell", "--data", winPath(tillDir), "--script", winPath(filepath.Join(win, "sale.txt")))
	if !receiptPrinted(out) || !strings.Contains(out, "1 suspended") {
		t.Errorf("the sale under Wine: %s", out)
	}
	if out := w.run(cmdOpts{}, posctl, "journal", "verify", "--data", winPath(tillDir)); !strings.Contains(out, "journal ok") {
		t.Errorf("journal verify under Wine: %s", out)
	}

	// A sync against the Linux server (from the Linux archive).
	lin := t.TempDir()
	untar(t, artefact(t, "opentill_*_linux_amd64.tar.gz"), lin)
	lsu := filepath.Join(lin, "opentill_"+v+"_linux_amd64", "bin", "scaleunit")
	lposctl := filepath.Join(lin, "opentill_"+v+"_linux_amd64", "bin", "posctl")
	sdata := filepath.Join(t.TempDir(), "su")
	run(t, cmdOpts{}, lsu, "seed", "--data", sdata, "--products", "300", "--quiet")
	srv := serve(t, nil, lsu, "serve", "--data", sdata, "--addr", "127.0.0.1:0")
	out = w.run(cmdOpts{}, posctl, "sync", "--data", winPath(tillDir), "--server", srv.URL, "--code", activationCode(t, lsu, sdata, "S0001/T01"), "--quiet")
	if !strings.Contains(out, "activated as till S0001/T01") || pushed(t, out) == "0" {
		t.Errorf("the sync under Wine: %s", out)
	}
	out = w.run(cmdOpts{}, posctl, "sync", "--data", winPath(tillDir), "--quiet")
	if !strings.Contains(out, "pending 0") {
		t.Errorf("records left after the second pass: %s", out)
	}
	var tills []struct {
		ID      string
		Client  struct{ Version, OS, Arch string }
		Pending int64
	}
	if err := json.Unmarshal([]byte(run(t, cmdOpts{}, lsu, "admin", "tills", "--data", sdata, "--json")), &tills); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ti := range tills {
		if ti.ID == "S0001/T01" {
			found = ti.Client.Version == v && ti.Client.OS == "windows" && ti.Client.Arch == "amd64" && ti.Pending == 0
		}
	}
	if !found {
		t.Errorf("the server does not list S0001/T01 as windows/amd64 at %s with nothing pending: %+v", v, tills)
	}

	// scaleunit.exe serves; the Linux posctl syncs with it.
	wsdata := filepath.Join(t.TempDir(), "wsu")
	w.run(cmdOpts{}, scaleunit, "seed", "--data", winPath(wsdata), "--products", "200", "--quiet")
	code := strings.TrimSpace(w.run(cmdOpts{}, scaleunit, "till", "code", "--data", winPath(wsdata), "--till", "S0001/T02"))
	code = code[strings.LastIndexAny(code, "\n ")+1:]
	wsrv := serve(t, w.env, w.bin, scaleunit, "serve", "--data", winPath(wsdata), "--addr", "127.0.0.1:0")
	out = run(t, cmdOpts{}, lposctl, "sync", "--data", filepath.Join(t.TempDir(), "t2"), "--server", wsrv.URL, "--code", code, "--quiet")
	if !strings.Contains(out, "products 200") {
		t.Errorf("the Linux till's sync with scaleunit.exe: %s", out)
	}

	t.Run("till sign-in screen", func(t *testing.T) { windowsTill(t, w, filepath.Join(win, "pos.exe")) })
}

// windowsTill starts pos.exe under Wine on Xvfb: once with --bench (it
// prints when the sign-in screen's first frame is drawn, signs in, opens
// the shift and quits), once to stay on the sign-in screen for a
// screenshot of the X server's framebuffer.
func windowsTill(t *testing.T, parent *wine, exe string) {
	w := *parent
	w.t = t
	fb := t.TempDir()
	display := ""
	for n := 91; n < 120; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); os.IsNotExist(err) {
			display = fmt.Sprintf(":%d", n)
			break
		}
	}
	x := exec.Command(tool(t, "Xvfb"), display, "-screen", "0", "1366x800x24", "-fbdir", fb, "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	time.Sleep(time.Second)
	data := winPath(filepath.Join(t.TempDir(), "till"))
	o := cmdOpts{env: []string{"DISPLAY=" + display}, timeout: 4 * time.Minute, hangAfter: "go_sys_kb"}
	out := w.run(o, exe, "--data", data, "--demo", "--products", "300", "--offline", "--idle", "0", "--bench")
	if !strings.Contains(out, "drawn_unix_ms") || !strings.Contains(out, "idle_rss_after_signin_kb") {
		t.Fatalf("pos.exe under Wine did not draw its sign-in screen and sign in: %s", out)
	}
	c := exec.Command(w.bin, exe, "--data", data, "--demo", "--offline", "--idle", "0")
	c.Env = append(append(os.Environ(), w.env...), "DISPLAY="+display)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
	deadline := time.Now().Add(90 * time.Second)
	settled := false
	for {
		time.Sleep(2 * time.Second)
		b, err := os.ReadFile(filepath.Join(fb, "Xvfb_screen0"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := xwdToImage(b)
		if err != nil {
			t.Fatal(err)
		}
		colours, blue := screenStats(img)
		if colours > 20 && blue > 0.01 && !settled {
			settled = true // drawn: give the window a moment to reach its size, then take the picture
			time.Sleep(5 * time.Second)
			continue
		}
		if colours > 20 && blue > 0.01 {
			shot := filepath.Join(distDir(t), "screenshots", "windows-signin-wine.png")
			writePNG(t, img, shot)
			t.Logf("pos.exe drew its sign-in screen under Wine: %d colours, %.1f %% accent blue; screenshot %s", colours, 100*blue, shot)
			return
		}
		if time.Now().After(deadline) {
			writePNG(t, img, filepath.Join(distDir(t), "screenshots", "windows-signin-wine-failed.png"))
			t.Fatalf("after 90 s the screen has %d colours and %.2f %% accent blue: pos.exe drew no sign-in screen", colours, 100*blue)
		}
	}
}

// receiptPrinted reports whether a sale's text receipt is in out: its
// receipt number as the barcode's own line at the foot.
func receiptPrinted(out string) bool {
	return regexp.MustCompile(`(?m)^\s+S0001-T01-000001\s*$`).MatchString(out) && strings.Contains(out, "SALES RECEIPT")
}
