package tillsync_test

import (
	"bufio"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
)

const (
	serverHelperEnv = "OPENTILL_SCALEUNIT_HELPER" // data folder,address
	tillHelperEnv   = "OPENTILL_TILL_HELPER"      // data folder
)

// helperProc is a re-executed test binary running one of the helpers below.
type helperProc struct {
	cmd   *exec.Cmd
	ready chan struct{}
	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

func startHelper(t *testing.T, test, env string) *helperProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	h := &helperProc{cmd: cmd, ready: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		sc := bufio.NewScanner(out)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			if line == "ready" {
				once.Do(func() { close(h.ready) })
				continue
			}
			h.mu.Lock()
			h.lines = append(h.lines, line)
			h.mu.Unlock()
		}
		once.Do(func() { close(h.ready) })
	}()
	select {
	case <-h.ready:
	case <-time.After(20 * time.Second):
		t.Fatal("helper did not start")
	}
	return h
}

// kill sends SIGKILL and reaps the process.
func (h *helperProc) kill() {
	_ = h.cmd.Process.Kill()
	<-h.done
	_ = h.cmd.Wait()
}

// TestSIGKILLTillAndServerMidSync kills (SIGKILL) the till in the middle of
// pushing and the server in the middle of requests, over and over, while the
// till keeps selling. In the end the server holds exactly the transactions
// the till stored — none lost, none twice — and the outbox is empty.
func TestSIGKILLTillAndServerMidSync(t *testing.T) {
	if os.Getenv(serverHelperEnv) != "" || os.Getenv(tillHelperEnv) != "" {
		t.Skip("helper process")
	}
	rounds := 8
	if testing.Short() {
		rounds = 4
	}
	srvDir := sutest.Where(t, sutest.Backend())
	st, err := scaleunit.Open(ctx, srvDir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 100, nil))
	till, err := st.PutTill(ctx, "S0001", "T01")
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
	require.NoError(t, err)
	require.NoError(t, st.Close())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	url := "http://" + addr
	startSrv := func() *helperProc {
		return startHelper(t, "TestScaleUnitHelper", serverHelperEnv+"="+srvDir+","+addr)
	}
	srv := startSrv()

	tillDir := t.TempDir()
	ts, err := store.Open(tillDir)
	require.NoError(t, err)
	_, err = tillsync.Activate(ctx, ts, url, code, "kill test")
	require.NoError(t, err)
	eng, err := tillsync.Open(tillDir, ts, fastOptions())
	require.NoError(t, err)
	require.NoError(t, eng.Pass(ctx))
	require.NoError(t, eng.Close())
	require.NoError(t, ts.Close())

	rng := rand.New(rand.NewPCG(1, 2))
	var reported []string
	tillKills, srvKills := 0, 0
	for r := 0; r < rounds; r++ {
		tl := startHelper(t, "TestTillHelper", tillHelperEnv+"="+tillDir)
		time.Sleep(time.Duration(150+rng.IntN(250)) * time.Millisecond)
		if r%2 == 1 {
			srv.kill()
			srvKills++
			time.Sleep(time.Duration(50+rng.IntN(100)) * time.Millisecond)
			srv = startSrv()
			time.Sleep(time.Duration(50+rng.IntN(150)) * time.Millisecond)
		}
		tl.kill()
		tillKills++
		tl.mu.Lock()
		for _, l := range tl.lines {
			if id, ok := strings.CutPrefix(l, "sold "); ok {
				reported = append(reported, id)
			}
		}
		tl.mu.Unlock()
	}
	// Drain: one clean till against the running server.
	ts, err = store.Open(tillDir)
	require.NoError(t, err)
	defer ts.Close()
	eng, err = tillsync.Open(tillDir, ts, fastOptions())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return eng.Pass(ctx) == nil }, 30*time.Second, 50*time.Millisecond)
	require.NoError(t, eng.Close())
	srv.kill()

	tillIDs := queryIDs(t, filepath.Join(tillDir, store.FileName), `SELECT id FROM transactions ORDER BY id`)
	srvSt, err := scaleunit.Open(ctx, srvDir)
	require.NoError(t, err)
	srvIDs := uploadedIDs(t, srvSt)
	require.NoError(t, srvSt.Close())
	slices.Sort(srvIDs)
	pending, total, err := ts.OutboxCount(ctx)
	require.NoError(t, err)
	t.Logf("rounds %d: till SIGKILLed %d times, server SIGKILLed %d times; sales reported by the till %d, stored on the till %d, on the server %d; outbox pending %d of %d",
		rounds, tillKills, srvKills, len(reported), len(tillIDs), len(srvIDs), pending, total)
	assert.Equal(t, tillIDs, srvIDs, "the server has exactly the till's transactions")
	assert.Subset(t, tillIDs, reported, "every sale the till reported is stored")
	assert.Zero(t, pending)
	assert.Positive(t, len(reported))
}

func queryIDs(t *testing.T, path, q string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&mode=ro")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(q)
	require.NoError(t, err)
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		out = append(out, id)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestScaleUnitHelper serves a scale unit until it is killed.
func TestScaleUnitHelper(t *testing.T) {
	env := os.Getenv(serverHelperEnv)
	if env == "" {
		t.Skip("run by TestSIGKILLTillAndServerMidSync")
	}
	dir, addr, _ := strings.Cut(env, ",")
	st, err := scaleunit.Open(ctx, dir)
	require.NoError(t, err)
	var ln net.Listener
	for i := 0; i < 100; i++ { // the killed server's port may linger briefly
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err)
	fmt.Println("ready")
	_ = scaleunit.New(st, nil).Serve(ctx, ln, "", "")
}

// TestTillHelper sells and syncs until it is killed, printing each sale
// after it was committed.
func TestTillHelper(t *testing.T) {
	dir := os.Getenv(tillHelperEnv)
	if dir == "" {
		t.Skip("run by TestSIGKILLTillAndServerMidSync")
	}
	st, err := store.Open(dir)
	require.NoError(t, err)
	var eng *tillsync.Engine
	for i := 0; i < 200; i++ { // the killed till's lock is released by the kernel
		if eng, err = tillsync.Open(dir, st, fastOptions()); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, err)
	eng.Start()
	fmt.Println("ready")
	for {
		ids := sell(t, st, 1)
		fmt.Println("sold", ids[0])
		eng.PendingChanged()
		time.Sleep(2 * time.Millisecond)
	}
}

// TestSIGKILLOneOfTwoServers runs two scale-unit OS processes on one
// database (PostgreSQL in the make test rerun) and a till that lists both.
// One server is SIGKILLed in the middle of the till's uploads, then the
// other, each restarted later, while the till sells and syncs. In the end
// the database holds exactly the till's transactions, once each.
func TestSIGKILLOneOfTwoServers(t *testing.T) {
	if os.Getenv(serverHelperEnv) != "" || os.Getenv(tillHelperEnv) != "" {
		t.Skip("helper process")
	}
	srvDir := sutest.Where(t, sutest.Backend())
	st, err := scaleunit.Open(ctx, srvDir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 100, nil))
	till, err := st.PutTill(ctx, "S0001", "T01")
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
	require.NoError(t, err)
	require.NoError(t, st.Close())

	addrs := make([]string, 2)
	for i := range addrs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addrs[i] = ln.Addr().String()
		ln.Close()
	}
	start := func(i int) *helperProc {
		return startHelper(t, "TestScaleUnitHelper", serverHelperEnv+"="+srvDir+","+addrs[i])
	}
	srv := []*helperProc{start(0), start(1)}

	tillDir := t.TempDir()
	ts, err := store.Open(tillDir)
	require.NoError(t, err)
	cfg, err := tillsync.Activate(ctx, ts, "http://"+addrs[0], code, "two servers")
	require.NoError(t, err)
	cfg.URL = "http://" + addrs[0] + " http://" + addrs[1]
	require.NoError(t, ts.PutSetting(ctx, tillsync.SettingKey, cfg))
	eng, err := tillsync.Open(tillDir, ts, fastOptions())
	require.NoError(t, err)
	require.NoError(t, eng.Pass(ctx)) // the setup and catalog come down
	require.NoError(t, eng.Close())
	require.NoError(t, ts.Close())

	rng := rand.New(rand.NewPCG(3, 4))
	var reported []string
	kills := 0
	tl := startHelper(t, "TestTillHelper", tillHelperEnv+"="+tillDir)
	for r := 0; r < 6; r++ {
		i := r % 2
		time.Sleep(time.Duration(150+rng.IntN(200)) * time.Millisecond)
		srv[i].kill() // mid-upload: the till keeps syncing with the other
		kills++
		time.Sleep(time.Duration(150+rng.IntN(200)) * time.Millisecond)
		srv[i] = start(i)
	}
	time.Sleep(200 * time.Millisecond)
	tl.kill()
	tl.mu.Lock()
	for _, l := range tl.lines {
		if id, ok := strings.CutPrefix(l, "sold "); ok {
			reported = append(reported, id)
		}
	}
	tl.mu.Unlock()

	ts, err = store.Open(tillDir)
	require.NoError(t, err)
	defer ts.Close()
	eng, err = tillsync.Open(tillDir, ts, fastOptions())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return eng.Pass(ctx) == nil }, 30*time.Second, 50*time.Millisecond)
	require.NoError(t, eng.Close())
	for _, s := range srv {
		s.kill()
	}
	tillIDs := queryIDs(t, filepath.Join(tillDir, store.FileName), `SELECT id FROM transactions ORDER BY id`)
	srvSt, err := scaleunit.Open(ctx, srvDir)
	require.NoError(t, err)
	srvIDs := uploadedIDs(t, srvSt)
	require.NoError(t, srvSt.Close())
	slices.Sort(srvIDs)
	pending, _, err := ts.OutboxCount(ctx)
	require.NoError(t, err)
	t.Logf("%s: servers SIGKILLed %d times; sales reported %d, on the till %d, on the server %d; outbox pending %d",
		sutest.Backend(), kills, len(reported), len(tillIDs), len(srvIDs), pending)
	assert.Equal(t, tillIDs, srvIDs, "the database has exactly the till's transactions, once each")
	assert.Subset(t, tillIDs, reported)
	assert.Zero(t, pending)
	assert.Greater(t, len(reported), 20)
}
