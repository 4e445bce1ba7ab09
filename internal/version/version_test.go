package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func withBuild(t *testing.T, v, c, d string, bi *debug.BuildInfo) {
	t.Helper()
	ov, oc, od, orb := version, commit, date, readBuildInfo
	version, commit, date = v, c, d
	readBuildInfo = func() (*debug.BuildInfo, bool) { return bi, bi != nil }
	t.Cleanup(func() { version, commit, date, readBuildInfo = ov, oc, od, orb })
}

func TestLdflagsWin(t *testing.T) {
	withBuild(t, "v0.2.0", "c917fb6e1a2b3c4d", "2026-12-02T16:49:00Z", &debug.BuildInfo{
		Main:     debug.Module{Version: "v9.9.9"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "ffff"}, {Key: "vcs.time", Value: "2000-01-01T00:00:00Z"}, {Key: "vcs.modified", Value: "true"}},
	})
	in := Get()
	if in.Version != "v0.2.0" || in.Commit != "c917fb6e1a2b3c4d" || in.Date != "2026-12-02T16:49:00Z" || in.Dirty {
		t.Fatalf("ldflags values must win over the build info: %+v", in)
	}
	if in.ShortCommit() != "c917fb6e1a2b" {
		t.Errorf("ShortCommit = %q", in.ShortCommit())
	}
	want := "v0.2.0 (commit c917fb6e1a2b, built 2026-12-02T16:49:00Z, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if in.String() != want {
		t.Errorf("String = %q, want %q", in.String(), want)
	}
	if l := in.Long("posctl"); !strings.HasPrefix(l, "posctl v0.2.0\n") || !strings.Contains(l, "c917fb6e1a2b3c4d") {
		t.Errorf("Long = %q", l)
	}
}

func TestBuildInfoFallback(t *testing.T) {
	withBuild(t, "", "", "", &debug.BuildInfo{
		Main:     debug.Module{Version: "v0.3.1"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abcdef0123456789"}, {Key: "vcs.time", Value: "2026-11-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}},
	})
	in := Get()
	if in.Version != "v0.3.1" || in.Commit != "abcdef0123456789" || in.Date != "2026-11-01T10:00:00Z" || !in.Dirty {
		t.Fatalf("the build info fills what ldflags left empty: %+v", in)
	}
}

func TestSaneDefaults(t *testing.T) {
	// go build with -buildvcs=false: "(devel)" and no vcs settings.
	withBuild(t, "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}})
	in := Get()
	if in.Version != DevVersion || in.Commit != Unknown || in.Date != Unknown {
		t.Fatalf("defaults: %+v", in)
	}
	if in.OS != runtime.GOOS || in.Arch != runtime.GOARCH || in.Go != runtime.Version() {
		t.Errorf("platform: %+v", in)
	}
	withBuild(t, "", "", "", nil) // no build info at all
	if in := Get(); in.Version != DevVersion || in.Commit != Unknown {
		t.Fatalf("without build info: %+v", in)
	}
	withBuild(t, "v0.2.0-3-gabc-dirty", "", "", nil)
	if in := Get(); !in.Dirty {
		t.Errorf("a -dirty describe is dirty: %+v", in)
	}
}

// The real binary's values (this test binary: no ldflags) are never empty.
func TestGetNeverEmpty(t *testing.T) {
	in := Get()
	for name, v := range map[string]string{"version": in.Version, "commit": in.Commit, "date": in.Date, "go": in.Go, "os": in.OS, "arch": in.Arch} {
		if v == "" {
			t.Errorf("%s is empty", name)
		}
	}
}
