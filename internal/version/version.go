// Package version says which OpenTill this binary is: the release version,
// the commit it was built from and when. A release build sets them with
// -ldflags (make dist, scripts/version.sh):
//
//	-X github.com/opentill/opentill/internal/version.version=v0.2.0
//	-X github.com/opentill/opentill/internal/version.commit=c917fb6…
//	-X github.com/opentill/opentill/internal/version.date=2026-12-02T16:49:00Z
//
// A plain `go build` or `go run` leaves them empty; Get then falls back to
// what the Go toolchain recorded in the binary (debug.ReadBuildInfo: the
// module version and, when built with VCS stamping, the revision and its
// time) and otherwise to "dev" and "unknown". The package imports nothing
// of the project, so every command and the UI can use it.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by -ldflags -X at release builds.
var (
	version string
	commit  string
	date    string
)

// Defaults when neither -ldflags nor the build info says.
const (
	DevVersion = "dev"
	Unknown    = "unknown"
)

// Info is the identity of a build.
type Info struct {
	Version string `json:"version"`    // v0.2.0, v0.1.0-26-g088c1f0, or "dev"
	Commit  string `json:"commit"`     // full or short commit hash, "unknown"
	Date    string `json:"build_date"` // RFC 3339 (UTC), "unknown"
	Dirty   bool   `json:"dirty,omitempty"`
	Go      string `json:"go"`   // the Go toolchain: go1.26.8
	OS      string `json:"os"`   // GOOS: linux, windows
	Arch    string `json:"arch"` // GOARCH: amd64, arm64
}

// readBuildInfo is debug.ReadBuildInfo (a test seam).
var readBuildInfo = debug.ReadBuildInfo

// Get returns this binary's build identity.
func Get() Info {
	in := Info{Version: version, Commit: commit, Date: date, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi, ok := readBuildInfo(); ok {
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version // go install module@v0.2.0
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				if s.Value == "true" && version == "" {
					in.Dirty = true
				}
			}
		}
		if in.Go == "" {
			in.Go = bi.GoVersion
		}
	}
	if strings.HasSuffix(in.Version, "-dirty") {
		in.Dirty = true
	}
	if in.Version == "" {
		in.Version = DevVersion
	}
	if in.Commit == "" {
		in.Commit = Unknown
	}
	if in.Date == "" {
		in.Date = Unknown
	}
	return in
}

// ShortCommit is the commit's first 12 characters.
func (i Info) ShortCommit() string {
	if len(i.Commit) > 12 {
		return i.Commit[:12]
	}
	return i.Commit
}

// Platform is os/arch, e.g. windows/amd64.
func (i Info) Platform() string { return i.OS + "/" + i.Arch }

// String is the one-line form the version commands print:
//
//	v0.2.0 (commit c917fb6e1a2b, built 2026-12-02T16:49:00Z, go1.26.8 linux/amd64)
func (i Info) String() string {
	return fmt.Sprintf("%s (commit %s, built %s, %s %s)", i.Version, i.ShortCommit(), i.Date, i.Go, i.Platform())
}

// Long is the multi-line form of `posctl version` and `scaleunit version`,
// with the program's name first.
func (i Info) Long(program string) string {
	return fmt.Sprintf("%s %s\n  commit    %s\n  built     %s\n  go        %s\n  platform  %s\n",
		program, i.Version, i.Commit, i.Date, i.Go, i.Platform())
}
