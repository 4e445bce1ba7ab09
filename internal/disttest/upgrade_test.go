//go:build dist

package disttest

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// prevRef is the previous release: PREV_REF, else the last v* tag before
// HEAD, else 088c1f0 (the first release's equivalent, never tagged).
func prevRef(t *testing.T) string {
	if r := os.Getenv("PREV_REF"); r != "" {
		return r
	}
	if out, err := exec.Command("git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	return "088c1f0"
}

// buildPrevious builds posctl and scaleunit of ref from a copy of its tree
// (git archive: no worktree is registered).
func buildPrevious(t *testing.T, ref string) (posctl, scaleunit string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "prev")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	top := strings.TrimSpace(run(t, cmdOpts{}, "git", "rev-parse", "--show-toplevel"))
	run(t, cmdOpts{}, "bash", "-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "_", top, ref, src)
	bin := t.TempDir()
	env := []string{"GOFLAGS=-mod=mod -buildvcs=false", "CGO_ENABLED=0"}
	run(t, cmdOpts{dir: src, env: env, timeout: 15 * time.Minute}, "nice", "go", "build", "-o", filepath.Join(bin, "posctl"), "./cmd/posctl")
	run(t, cmdOpts{dir: src, env: env, timeout: 15 * time.Minute}, "nice", "go", "build", "-o", filepath.Join(bin, "scaleunit"), "./cmd/scaleunit")
	return filepath.Join(bin, "posctl"), filepath.Join(bin, "scaleunit")
}

// snapshot is what must survive an upgrade.
type snapshot struct {
	schema  int
	journal []string          // seq|hash of every entry
	pending map[string]string // outbox ID -> kind|payload of every record not acknowledged
	txns    int
}

func snap(t *testing.T, dir string) snapshot {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "till.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s snapshot
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&s.schema); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT seq, hash FROM journal ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq, hash string
		if err := rows.Scan(&seq, &hash); err != nil {
			t.Fatal(err)
		}
		s.journal = append(s.journal, seq+"|"+hash)
	}
	rows.Close()
	s.pending = map[string]string{}
	rows, err = db.Query(`SELECT id, kind, payload FROM outbox WHERE acked_at IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, kind, payload string
		if err := rows.Scan(&id, &kind, &payload); err != nil {
			t.Fatal(err)
		}
		s.pending[id] = kind + "|" + payload
	}
	rows.Close()
	if err := db.QueryRow(`SELECT count(*) FROM transactions`).Scan(&s.txns); err != nil {
		t.Fatal(err)
	}
	return s
}

func schemaOf(t *testing.T, posctl string, prefix ...string) string {
	t.Helper()
	out := run(t, cmdOpts{}, prefix[0], append(prefix[1:], posctl, "version")...)
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "schema" {
			return f[1]
		}
	}
	return ""
}

func setUserVersion(t *testing.T, db string, v int) {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(`PRAGMA user_version = ` + strconv.Itoa(v)); err != nil {
		t.Fatal(err)
	}
}

// The previous release sells into a data folder; this release's binaries
// (from the Linux archive) start on it, migrate it, keep every pending
// outbox record and journal entry, verify, sell and push them all; a
// folder (and a server database) newer than a binary knows is refused.
func TestUpgradeKeepsData(t *testing.T) {
	v := version(t)
	ref := prevRef(t)
	t.Logf("previous release: %s", ref)
	oldPosctl, oldSU := buildPrevious(t, ref)
	lin := t.TempDir()
	untar(t, artefact(t, "opentill_*_linux_amd64.tar.gz"), lin)
	newBin := func(name string) string { return filepath.Join(lin, "opentill_"+v+"_linux_amd64", "bin", name) }
	tmp := t.TempDir()

	// The previous release: a till that sold offline, and a chain server.
	data := filepath.Join(tmp, "till")
	run(t, cmdOpts{}, oldPosctl, "seed", "--data", data, "--products", "500", "--quiet")
	sale, err := os.ReadFile("../../docs/examples/sale.txt")
	if err != nil {
		t.Fatal(err)
	}
	run(t, cmdOpts{}, oldPosctl, "sell", "--data", data, "--script", writeScript(t, tmp, "sale.txt", string(sale)))
	run(t, cmdOpts{}, oldPosctl, "sell", "--data", data, "--script", writeScript(t, tmp, "more.txt", quickSale))
	before := snap(t, data)
	if len(before.pending) < 4 || len(before.journal) < 8 {
		t.Fatalf("the previous release left too little to check: %d pending, %d journal entries", len(before.pending), len(before.journal))
	}
	sdata := filepath.Join(tmp, "server")
	run(t, cmdOpts{}, oldSU, "seed", "--data", sdata, "--products", "300", "--quiet")

	// This release on the same folder: pricing a cart opens the store for
	// writing, which migrates it (journal verify opens it read-only).
	cartFile := writeScript(t, tmp, "cart.json", `{"lines":[{"barcode":"4000000000013"}]}`)
	priceWith := func(bin string, fail bool) string {
		return run(t, cmdOpts{fail: fail}, bin, "price", "--data", data, "--cart", cartFile)
	}
	newSchema := schemaOf(t, newBin("posctl"), "env")
	priceWith(newBin("posctl"), false)
	if out := run(t, cmdOpts{}, newBin("posctl"), "journal", "verify", "--data", data); !strings.Contains(out, "journal ok") {
		t.Fatalf("journal verify after the upgrade: %s", out)
	}
	after := snap(t, data)
	if strconv.Itoa(after.schema) != newSchema || after.schema < before.schema {
		t.Errorf("schema %d -> %d, this release migrates to %s", before.schema, after.schema, newSchema)
	}
	t.Logf("data folder schema %d (previous release) -> %d (this release, %s)", before.schema, after.schema, v)
	if strings.Join(after.journal, ",") != strings.Join(before.journal, ",") {
		t.Errorf("the journal changed in the upgrade")
	}
	for id, rec := range before.pending {
		if after.pending[id] != rec {
			t.Errorf("pending outbox record %s was lost or changed in the upgrade", id)
		}
	}
	if after.txns != before.txns {
		t.Errorf("transactions %d -> %d", before.txns, after.txns)
	}
	out := run(t, cmdOpts{}, newBin("posctl"), "sell", "--data", data, "--script", writeScript(t, tmp, "new.txt", quickSale))
	if !strings.Contains(out, "Thank you") {
		t.Errorf("no receipt from this release's sale: %s", out)
	}
	grown := snap(t, data)
	if len(grown.pending) <= len(before.pending) || len(grown.journal) <= len(before.journal) {
		t.Errorf("this release's sale added nothing: %d pending, %d journal entries", len(grown.pending), len(grown.journal))
	}
	run(t, cmdOpts{}, newBin("posctl"), "journal", "verify", "--data", data)

	// The Fyne till of this release starts on the upgraded folder (Xvfb):
	// it draws the sign-in screen, signs in and quits.
	out = run(t, cmdOpts{timeout: 2 * time.Minute, hangAfter: "go_sys_kb"}, tool(t, "xvfb-run"), "-a", "-s", "-screen 0 1366x800x24",
		newBin("opentill"), "--data", data, "--offline", "--idle", "0", "--bench")
	if !strings.Contains(out, "drawn_unix_ms") {
		t.Errorf("the till did not start on the upgraded folder: %s", out)
	}

	// The server: this release opens the previous one's database (schema
	// 1 -> 2), and the upgraded till pushes every record it kept.
	held := snap(t, data) // the till's sign-in may have journaled more
	for id := range before.pending {
		if _, ok := held.pending[id]; !ok {
			t.Errorf("pending outbox record %s of the previous release is gone", id)
		}
	}
	srv := serve(t, nil, newBin("scaleunit"), "serve", "--data", sdata, "--addr", "127.0.0.1:0")
	out = run(t, cmdOpts{}, newBin("posctl"), "sync", "--data", data, "--server", srv.URL, "--code", activationCode(t, newBin("scaleunit"), sdata, "S0001/T01"), "--quiet")
	if got, want := pushed(t, out), len(held.pending); got != strconv.Itoa(want) {
		t.Errorf("pushed %s records, the till held %d", got, want)
	}
	if !strings.Contains(out, "pending 0") {
		t.Errorf("records left: %s", out)
	}
	out = run(t, cmdOpts{}, newBin("scaleunit"), "admin", "tills", "--data", sdata)
	if !strings.Contains(out, v+": 1 till(s)") {
		t.Errorf("admin tills after the upgrade:\n%s", out)
	}

	// Downgrade: a folder whose schema is newer than a binary knows is
	// refused, untouched. While both releases share a schema (as 088c1f0
	// and this one do: 3) the previous release still opens the folder; a
	// folder of a later schema stands in for the next release's.
	last := snap(t, data)
	if last.schema == before.schema {
		if out := run(t, cmdOpts{}, oldPosctl, "journal", "verify", "--data", data); !strings.Contains(out, "journal ok") {
			t.Errorf("the previous release on a folder of the same schema: %s", out)
		}
	} else if out := priceWith(oldPosctl, true); !strings.Contains(out, "has schema version "+strconv.Itoa(last.schema)) {
		t.Errorf("the previous release on the upgraded folder (schema %d): %s", last.schema, out)
	}
	if s := snap(t, data); s.schema != last.schema || strings.Join(s.journal, ",") != strings.Join(last.journal, ",") {
		t.Errorf("the previous release changed the upgraded folder")
	}
	future := last.schema + 1
	setUserVersion(t, filepath.Join(data, "till.db"), future)
	out = priceWith(newBin("posctl"), true)
	for _, want := range []string{"has schema version " + strconv.Itoa(future), "a downgrade is not possible", "the data was not changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("this release's refusal lacks %q: %s", want, out)
		}
	}
	out = run(t, cmdOpts{fail: true}, oldPosctl, "journal", "verify", "--data", data)
	if !strings.Contains(out, "has schema version "+strconv.Itoa(future)) {
		t.Errorf("the previous release's refusal: %s", out)
	}
	if s := snap(t, data); s.schema != future || strings.Join(s.journal, ",") != strings.Join(last.journal, ",") {
		t.Errorf("the refused folder changed: schema %d, %d journal entries", s.schema, len(s.journal))
	}
	srv.cmd.Process.Kill()
	_ = srv.cmd.Wait()
	// A database of a scale unit newer than this one (its schema, as
	// `scaleunit version` prints it, plus one) is refused.
	m := regexp.MustCompile(`schema\s+(\d+) \(database\)`).FindStringSubmatch(run(t, cmdOpts{}, newBin("scaleunit"), "version"))
	if m == nil {
		t.Fatal("scaleunit version names no database schema")
	}
	n, _ := strconv.Atoi(m[1])
	setUserVersion(t, filepath.Join(sdata, "scaleunit.db"), n+1)
	out = run(t, cmdOpts{fail: true}, newBin("scaleunit"), "admin", "tills", "--data", sdata)
	if !strings.Contains(out, fmt.Sprintf("has schema version %d but this scale unit", n+1)) {
		t.Errorf("the server's refusal: %s", out)
	}
}
