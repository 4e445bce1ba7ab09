# OpenTill — two commands: `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
DATA ?= $(HOME)/.local/share/opentill/demo
export LANG ?= C.UTF-8

# Debian/Ubuntu packages the build and the tests need: a C toolchain and
# pkg-config for Fyne's cgo (go-gl asks pkg-config for gl), Fyne's cgo
# libraries, a virtual X server for screenshots, socat for the serial tests'
# pseudo-terminals, poppler-utils (pdfinfo, pdftotext) to read the reports'
# PDFs back, postgresql for the store server's tests on PostgreSQL (a
# throwaway cluster per test run). Tests never skip when one is missing: they fail and say
# to run make test.
APT_PACKAGES := gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev xvfb socat poppler-utils postgresql

# What make dist and make dist-test need besides: MinGW-w64 to cross-compile
# the Fyne till for Windows, Wine to run the Windows binaries, qemu-user to
# run the arm64 ones, dpkg-dev for the .deb (dpkg-shlibdeps), zip, the
# validators of the desktop entry and the systemd unit, and xauth for
# xvfb-run. Installed by the targets themselves (scripts/deps.sh).
DIST_APT_PACKAGES := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine wine64 qemu-user dpkg-dev zip unzip xauth desktop-file-utils systemd
DIST_TOOLS := go gcc pkg-config x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres wine qemu-aarch64 dpkg-deb dpkg-shlibdeps zip unzip xvfb-run Xvfb desktop-file-validate systemd-analyze
DIST_DIR ?= dist

.PHONY: deps run test bench build vet fuzz clean-demo screenshots dist dist-deps dist-test

## deps: install what is missing (apt when root or sudo is available; otherwise print what to install)
deps:
	@./scripts/deps.sh $(APT_PACKAGES)

LDFLAGS = $(shell ./scripts/version.sh ldflags)

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/posctl ./cmd/posctl
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/scaleunit ./cmd/scaleunit

## run: build, seed the demo store on first start, and open the till (Fyne; the text till is `bin/posctl till --data DIR`); PROFILE=peripherals/profile/demo-zvt.toml pays through the ZVT driver and its simulator
run: build
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/pos ./cmd/pos
	@./scripts/run-demo.sh "$(DATA)"

## screenshots: run the real till under Xvfb and save PNGs of its screens in docs/screenshots/
screenshots: deps
	$(GO) build -o bin/pos ./cmd/pos
	@./scripts/screenshots.sh docs/screenshots

## test: vet and run every test (real SQLite files, real processes killed with SIGKILL), and the sync suite again on PostgreSQL
test: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) test -count=1 -timeout 30m ./...
	SCALEUNIT_TEST_DB=postgres $(GO) test -count=1 -timeout 15m ./offline/tillsync/

## dist: build every release artefact into dist/ (Linux tar.gz and .deb, arm64 tools, Windows zip, SHA256SUMS; docs/release.md)
dist: deps dist-deps
	@DIST_DIR="$(DIST_DIR)" ./scripts/dist.sh

dist-deps:
	@DEPS_TOOLS="$(DIST_TOOLS)" ./scripts/deps.sh $(APT_PACKAGES) $(DIST_APT_PACKAGES)

## dist-test: make dist, then test the artefacts: the .deb in a fresh root, the arm64 tools under qemu, the Windows
## binaries under Wine (a sale and a sync against the Linux server, the till's sign-in screen under Xvfb), and an
## upgrade of the previous release's data folder (PREV_REF, default: the last v* tag, else 088c1f0). About 10 minutes.
dist-test: dist
	DIST_DIR="$(abspath $(DIST_DIR))" $(GO) test -tags dist -count=1 -timeout 45m -v ./internal/disttest 2>&1 | tee $(DIST_DIR)/dist-test.log; exit $${PIPESTATUS[0]}

## bench: the whole-system benchmark table (100k and 1M-product stores are generated under /tmp)
bench: build
	@./scripts/bench.sh

## fuzz: run each fuzz target for a short while
fuzz: deps
	@./scripts/fuzz.sh

clean-demo:
	rm -rf "$(DATA)"
