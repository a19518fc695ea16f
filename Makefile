# Dr.Online Connected API Go SDK. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO            ?= go
# Tools with a newer Go requirement than the module's run as module@version,
# so they never enter go.mod.
GOLANGCI_LINT := $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
ACTIONLINT    := $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
# The spec linters are npm packages, run at a pinned version through npx
# (Node.js 20 or newer); telemetry and update notices off.
NPX           := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npm_config_update_notifier=false npx --yes
REDOCLY       := $(NPX) @redocly/cli@2.77.0
SPECTRAL      := $(NPX) @stoplight/spectral-cli@6.16.3
SPEC          := api/openapi-partner-v1.json
# The sandbox control API's own document, served by dronline mock.
SANDBOX_SPEC  := internal/sandbox/control/openapi.json
# TypeScript generated from the document a running mock serves
# (openapi-typescript, at its defaults), and the README's control calls
# and examples/sandbox-node type-checked against it with tsc --strict
# and no cast; the versions are pinned in its package-lock.json.
SANDBOX_TSCHECK := ./scripts/tscheck/check.sh
# The modules of this repository (go.work): the SDK, the OpenTelemetry
# module, and the tests and benchmarks whose heavy dependencies must not
# reach the SDK's users. A pattern like ./... stops at a nested module, so
# every target that covers the code names them all.
MODULES       := . connected/otelconnected tests
PKGS          := ./... ./connected/otelconnected/... ./tests/...

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

.PHONY: generate
generate: ## Rewrite the spec in canonical form and regenerate gen/ and every *.gen.go from it.
	$(GO) run ./scripts/specfmt $(SPEC)
	./scripts/generate.sh

.PHONY: check-generate
check-generate: ## Fail if gen/ or a *.gen.go differs from what the pinned generators write.
	./scripts/check-generate.sh

.PHONY: vet
vet: ## go vet every package of every module.
	$(GO) vet $(PKGS)

# make test: the checks of the tree first (a few seconds), then four runs
# side by side, each printed whole when it ends (--output-sync): the
# browser tests, the other tests with -race, the tool tests without it,
# and the short fuzz run. Side by side because each run has a tail of one
# long package (scripts/drift, cmd/dronline) or one fuzz target at a time,
# which would leave a core idle. The browser tests (BROWSER_PKGS, -race
# too) run on their own from the start: they spend most of their time
# waiting on Chromium, and as the last package of the -race run they were
# its tail (make test 86.7 to 90.2 s against 90.4 to 93.4 s, in turn;
# BENCHMARKS.md).
#
# NORACE_PKGS are tested without -race: the command-line tools of scripts/
# (specfmt, genspec, codegenconfig, sdkgen, drift, release, the rehearsal's
# fixtures) are single-threaded programs (no goroutine, channel or lock of
# their own), and their tests run them in-process or as processes that are
# not race-built anyway (go, oapi-codegen, oasdiff, apidiff); tests/readme
# type-checks README.md's Go blocks with go/packages. -race only made
# their in-process code generation and type-checking three to ten times
# slower. The concurrent code they call (internal/goapi's concurrent
# apidiff runs, internal/modcopy) is tested with -race in its own package,
# and every package with concurrency (connected, connectedtest,
# internal/sandbox, cmd/dronline and its mock, the tests/ suites) keeps it.
NORACE_PKGS := ./scripts/... ./tests/readme/...
BROWSER_PKGS := ./tests/browser/...
RACE_PKGS    = $(filter-out $(shell $(GO) list $(NORACE_PKGS) $(BROWSER_PKGS)),$(shell $(GO) list $(PKGS)))

# Every go command of make test, the tests' own go commands included,
# builds with -trimpath: the build cache then keys a package by its import
# path, not its directory, so the tests that rebuild a copy of this module
# in a temporary directory (the drift tool's update, the release checks)
# reuse what the last run compiled instead of compiling it afresh. All of
# make test uses it, so nothing is compiled twice, with and without it;
# a failure's stack shows module paths (github.com/dronline/…) instead of
# paths on disk. Measured (BENCHMARKS.md): 3 to 11 % less CPU warm, the same
# with empty caches.
.PHONY: test
test: export GOFLAGS := -trimpath $(GOFLAGS)
test: check-generate check-tidy vet ## Everything CI checks: generated code, tidy modules, vet, a short fuzz run, all tests of every module (-race but for the tool tests, see NORACE_PKGS).
	@$(MAKE) --no-print-directory -j4 --output-sync=target test-browser test-race test-norace fuzz-short

.PHONY: test-race
test-race: ## The tests of every package but NORACE_PKGS and BROWSER_PKGS, with -race (part of make test).
	$(GO) test -race -count=1 $(RACE_PKGS)

.PHONY: test-browser
test-browser: ## The sandbox inspector's tests in Chromium (BROWSER_PKGS), with -race (part of make test).
	$(GO) test -race -count=1 $(BROWSER_PKGS)

.PHONY: test-norace
test-norace: ## The tests of NORACE_PKGS (the tools of scripts/, tests/readme), without -race (part of make test).
	$(GO) test -count=1 $(NORACE_PKGS)

.PHONY: check-tidy
check-tidy: ## Fail if a module's go.mod or go.sum is not what go mod tidy writes.
	@for m in $(MODULES); do (cd $$m && $(GO) mod tidy -diff) || { echo "check-tidy: run 'go mod tidy' in $$m" >&2; exit 1; }; done

# Stress (issue 12): the suite while every core is busy, to catch tests
# that pass only on an idle machine. STRESS_HOGS busy loops (default one
# per core) run for the whole target and are stopped by their PIDs when it
# ends, however it ends; the suite runs once for each GOMAXPROCS value in
# STRESS_PROCS (1: one thread, every goroutine interleaved; 4: more threads
# than cores, so the scheduler preempts them). scripts/ is left out: its
# drift tests exec tools and have their own target.
STRESS_PKGS  ?= ./api/... ./cmd/... ./connected/... ./internal/... ./connected/otelconnected/... ./tests/...
STRESS_COUNT ?= 5
STRESS_PROCS ?= 1 4
STRESS_HOGS  ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: stress
stress: ## The suite with -race -count=5 under a busy loop per core, with GOMAXPROCS 1 and 4 (several minutes).
	@hogs=(); \
	trap 'rc=$$?; kill "$${hogs[@]}" 2>/dev/null || true; wait "$${hogs[@]}" 2>/dev/null || true; exit $$rc' EXIT; \
	for _ in $$(seq $(STRESS_HOGS)); do (while :; do :; done) & hogs+=($$!); done; \
	for p in $(STRESS_PROCS); do \
		echo "stress: GOMAXPROCS=$$p, $(STRESS_HOGS) busy loops, -race -count=$(STRESS_COUNT) $(STRESS_PKGS)"; \
		GOMAXPROCS=$$p $(GO) test -race -count=$(STRESS_COUNT) -timeout 30m $(STRESS_PKGS) || exit 1; \
	done; \
	echo "stress: clean"

.PHONY: lint
lint: lint-spec ## golangci-lint (committed config) on every module, actionlint on the workflows, and lint-spec.
	@for m in $(MODULES); do echo "golangci-lint: $$m"; (cd $$m && $(GOLANGCI_LINT) run ./...) || exit 1; done
	$(ACTIONLINT)

.PHONY: lint-spec
lint-spec: ## Lint the pinned spec and the sandbox control API's (Redocly CLI, Spectral), and type-check the README's and the Node example's control calls against TypeScript generated from the served document.
	$(REDOCLY) lint --config redocly.yaml $(SPEC) $(SANDBOX_SPEC)
	$(SPECTRAL) lint --ruleset .spectral.yaml --fail-severity=warn $(SPEC) $(SANDBOX_SPEC)
	GO="$(GO)" $(SANDBOX_TSCHECK)

.PHONY: demo
demo: ## The whole booking flow against the embedded fake server (no key, no network).
	$(GO) run ./cmd/dronline demo

# Contract drift (issue 5): the pinned spec against the official one.
# DRIFT_REPORT=FILE also writes a Markdown report (CI: the job summary);
# DRIFT_RESULT=FILE appends result=same|drift|error to FILE.
#
# scripts/check-spec-drift.sh exits 0 (same), 1 (drift) or 2 (could not
# check). make itself cannot pass a 1 on: GNU make exits 2 whenever a
# recipe fails, whatever the recipe's status. So `make drift` exits 0 for
# the same contract and 2 otherwise, and says which on stderr; run the
# script, or read DRIFT_RESULT, to tell drift from a failed check by status.
.PHONY: drift
drift: ## Compare the pinned spec with the official one: exit 0 same, else 2 (the script: 1 drift, 2 could not check).
	@status=0; ./scripts/check-spec-drift.sh || status=$$?; \
	case $$status in \
	  0) ;; \
	  1) echo "make drift: DRIFT (scripts/check-spec-drift.sh exited 1); make exits 2 for any failure." >&2 ;; \
	  *) echo "make drift: COULD NOT CHECK (scripts/check-spec-drift.sh exited $$status); make exits 2 for any failure." >&2 ;; \
	esac; \
	exit $$status

.PHONY: update-spec
update-spec: ## Fetch the official spec into api/, regenerate gen/, print the changelog and what changed in the Go API.
	./scripts/check-spec-drift.sh -update -spec $(SPEC)

# Releases: see "Releasing" in README.md.
VERSION ?= v$(shell sed -n 's/^const Version = "\(.*\)"$$/\1/p' connected/version.go)
DIST    ?= dist

.PHONY: api-compat
api-compat: ## Compare the Go API of every published module (gen, connected, otelconnected) with the last release tag: fail on an incompatible change without a new major (v0: minor) version.
	$(GO) run ./scripts/release apicheck

.PHONY: release-build
release-build: ## Build dronline for linux, darwin and windows on amd64 and arm64 into DIST (default dist/), with SHA256SUMS.
	./scripts/build-release.sh $(VERSION) $(DIST)

# Contract rehearsal (issue 13): each change of scripts/rehearsal/testdata
# served on loopback and taken through make update-spec, check-generate,
# build, vet and the tests, on a copy of the module (builds cached).
.PHONY: rehearse
rehearse: rehearse-release ## Rehearse contract updates on a copy (additive changes green with no handwritten edit, breaking ones caught), and a release (rehearse-release).
	DRONLINE_REHEARSE=1 $(GO) test -count=1 -v -timeout 30m -run '^TestRehearsal$$' ./scripts/rehearsal

# A release as a user meets it: every published module zipped into a
# file-based module proxy at a rehearsal version, then fresh consumers with
# an empty module cache, no workspace and no replace get, test, install and
# trace through it; the module counts of their graphs are printed and held
# to a bound. Modules the SDK does not publish come from the local module
# cache, then the usual proxy.
.PHONY: rehearse-release
rehearse-release: ## Publish every module to a local file proxy and prove go get, go install and the otel module from it as a new user (about a minute).
	$(GO) run ./scripts/release rehearse

# Benchmarks (issue 8): the SDK against raw net/http and the generated
# client, paging, connection reuse and the fake's throughput. Raw output
# goes to tests/bench/results.txt (gitignored); BENCHMARKS.md records a run.
BENCHSTAT   := $(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_COUNT ?= 6
BENCH_OUT   ?= tests/bench/results.txt

.PHONY: bench
bench: ## Run the benchmarks (6 interleaved rounds, each client in its own process; several minutes on 2 cores) and print a benchstat summary.
	./scripts/bench.sh $(BENCH_OUT) $(BENCH_COUNT) $(BENCHSTAT)

.PHONY: bench-instructions
bench-instructions: ## Count the instructions of a GET and a confirm per client under valgrind (6 rounds, about 10 minutes) and print a benchstat summary.
	./scripts/bench-instructions.sh tests/bench/instructions.txt 6 $(BENCHSTAT)

# Proof under faults (issue 7). go test fuzzes one target of one package
# per run, so each package's fuzz-instrumented test binary is built once
# (go test -c -fuzz; the instrumentation does not depend on the target)
# and run for each of its targets, as go test -fuzz runs it: in the
# package's directory (a crash is saved under its testdata/fuzz) with the
# go command's fuzz cache. Budgets are counts of executions (-fuzztime Nx),
# not durations: with a duration, Go 1.26's fuzz coordinator can report a
# spurious "context deadline exceeded" failure as the time runs out
# (golang/go#75804, fixed in Go 1.27). Each entry is
# package:target:executions for the short run (make test), about a second
# of fuzzing each on 2 cores. The count includes the baseline run of the
# corpus, so each budget leaves thousands of new inputs.
#
# FUZZ_CACHE is where the inputs a run finds are kept for the next runs:
# by default the go command's fuzz cache, as go test -fuzz keeps them. The
# short run uses a fresh one: its corpus is the seeds and testdata/fuzz
# alone (9 to 50 inputs), so its cost stays what it is, where the go
# command's cache gains inputs at each run (250 for FuzzDecodeError after
# a few weeks, which tripled its baseline run); a crash is saved under
# testdata/fuzz either way.
FUZZ_TARGETS := ./connected:FuzzDecodeError:5000 ./internal/contract:FuzzPlainEmail:3000 ./connected:FuzzResponses:1500 ./connected/connectedtest:FuzzHandler:3000 ./internal/sandbox:FuzzReadState:1000
FUZZ_SCALE   ?= 60
FUZZ_CACHE   ?=

.PHONY: fuzz-short
fuzz-short: ## Fuzz every target briefly, about a second each, from its seeds (part of make test).
	@cache=$$(mktemp -d); trap 'rm -rf "$$cache"' EXIT; \
	$(MAKE) --no-print-directory fuzz FUZZ_SCALE=1 FUZZ_CACHE="$$cache"

.PHONY: fuzz
fuzz: ## Fuzz every target for FUZZ_SCALE times its short budget (default 60); a crash is saved under testdata/fuzz.
	@bins=$$(mktemp -d); trap 'rm -rf "$$bins"' EXIT; \
	cache="$(FUZZ_CACHE)"; [ -n "$$cache" ] || cache=$$($(GO) env GOCACHE)/fuzz; \
	for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; target=$${rest%%:*}; n=$$(( $${rest#*:} * $(FUZZ_SCALE) )); \
		bin=$$bins/$$(echo "$$pkg" | tr -c 'a-zA-Z0-9\n' _).test; \
		if [ ! -e "$$bin" ]; then $(GO) test -c -fuzz . -o "$$bin" "$$pkg" || exit 1; fi; \
		importpath=$$(cd "$$pkg" && $(GO) list .); \
		echo "fuzz $$target ($$pkg, $${n} executions)"; \
		(cd "$$pkg" && "$$bin" -test.run '^$$' -test.fuzz "^$$target$$" -test.fuzztime "$${n}x" -test.fuzzcachedir "$$cache/$$importpath") || exit 1; \
	done

# SOAK_WORKERS concurrent workers, SOAK_OPS bookings in all, within
# SOAK_DURATION, and SOAK_CHECKOUTS checkouts; SOAK_SEED makes a run
# repeatable.
SOAK_WORKERS  ?= 16
SOAK_OPS      ?= 20000
SOAK_DURATION ?= 5m
SOAK_SEED     ?= 1
SOAK_CHECKOUTS ?= 1000

.PHONY: inspector-screenshot
inspector-screenshot: ## The sandbox inspector over a scripted scenario (bookings, a lost response, a delay fault, errors) in headless Chromium, written to docs/inspector.png for the README.
	cd tests && INSPECTOR_SCREENSHOT=$(CURDIR)/docs/inspector.png $(GO) test -count=1 -run '^TestInspectorScreenshot$$' ./browser

.PHONY: bench-mock
bench-mock: ## Requests per second and p99 of dronline mock under wrk, 64 connections: before the control API, with it idle, and with it off; then the journal's Go benchmarks (about 4 minutes).
	scripts/bench-mock.sh

.PHONY: soak
soak: ## Book, reschedule and cancel, and run SOAK_CHECKOUTS checkouts, concurrently through random faults and crashes, then reconcile with the server (not in make test).
	DRONLINE_SOAK=1 SOAK_WORKERS=$(SOAK_WORKERS) SOAK_OPS=$(SOAK_OPS) SOAK_DURATION=$(SOAK_DURATION) SOAK_SEED=$(SOAK_SEED) SOAK_CHECKOUTS=$(SOAK_CHECKOUTS) \
		$(GO) test -race -count=1 -run '^TestSoak(Checkouts)?$$' -v -timeout 0 ./connected

# The mock under load: dronline mock built and run as its own process,
# 64 SDK clients at full speed through random faults for
# MOCK_SOAK_DURATION, its resident memory sampled every second. No -race:
# the clients run at full speed, and the mock is built without it anyway.
# make test runs the short version, a fixed number of calls.
MOCK_SOAK_DURATION ?= 10m

.PHONY: soak-mock
soak-mock: ## dronline mock for MOCK_SOAK_DURATION (10m) under 64 clients and random faults: memory levels off, the journal keeps its size (not in make test).
	DRONLINE_MOCK_SOAK=$(MOCK_SOAK_DURATION) $(GO) test -count=1 -run '^TestMockSoak$$' -v -timeout 0 ./cmd/dronline
