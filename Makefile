# OpenTill — two commands: `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
DATA ?= $(HOME)/.local/share/opentill/demo
export LANG ?= C.UTF-8

# Debian/Ubuntu packages the build and the tests need: a C toolchain and
# pkg-config for Fyne's cgo (go-gl asks pkg-config for gl), Fyne's cgo
# libraries, a virtual X server for screenshots, socat for the serial tests'
# pseudo-terminals, poppler-utils (pdfinfo, pdftotext) to read the reports'
# PDFs back. Tests never skip when one is missing: they fail and say
# to run make test.
APT_PACKAGES := gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev xvfb socat poppler-utils

.PHONY: deps run test bench build vet fuzz clean-demo screenshots

## deps: install what is missing (apt when root or sudo is available; otherwise print what to install)
deps:
	@./scripts/deps.sh $(APT_PACKAGES)

build: deps
	$(GO) build -o bin/posctl ./cmd/posctl
	$(GO) build -o bin/scaleunit ./cmd/scaleunit

## run: build, seed the demo store on first start, and open the till (Fyne; the text till is `bin/posctl till --data DIR`); PROFILE=peripherals/profile/demo-zvt.toml pays through the ZVT driver and its simulator
run: build
	$(GO) build -o bin/pos ./cmd/pos
	@./scripts/run-demo.sh "$(DATA)"

## screenshots: run the real till under Xvfb and save PNGs of its screens in docs/screenshots/
screenshots: deps
	$(GO) build -o bin/pos ./cmd/pos
	@./scripts/screenshots.sh docs/screenshots

## test: vet and run every test (real SQLite files, real processes killed with SIGKILL)
test: deps
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) test -count=1 -timeout 30m ./...

## bench: the whole-system benchmark table (100k and 1M-product stores are generated under /tmp)
bench: build
	@./scripts/bench.sh

## fuzz: run each fuzz target for a short while
fuzz: deps
	@./scripts/fuzz.sh

clean-demo:
	rm -rf "$(DATA)"
