# Clientbook. `make serve` and `make test` install what they need first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := --target wasm32-unknown-unknown

.PHONY: serve build test lint test-native test-wasm test-e2e bench bench-smoke bootstrap bootstrap-test clean i18n

## serve: build and serve the app on http://127.0.0.1:8080 (rebuilds on change)
serve: bootstrap
	trunk serve

## build: release build into dist/, with relative paths (copy it to any static host)
build: bootstrap
	trunk build --release --public-url ./

## i18n: (re)write assets/i18n/*.txt, the files of the languages other than
## English, from src/i18n/{de,nl,fr,ro}.rs (`cargo test` fails while they differ)
i18n:
	CLIENTBOOK_WRITE_I18N=1 cargo test --lib i18n::tests::language_files_are_made_from_the_modules

## test: every check and test suite; fails on the first failure
test: bootstrap-test lint test-native test-wasm test-e2e bench-smoke

## lint: formatting and clippy (native and wasm32), warnings are errors
lint:
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy $(WASM) --all-targets -- -D warnings

## test-native: the pure layers and the in-memory store; the file readers'
## fuzz target at 10,000 cases and the bundle round trip at 1,000 (plain
## `cargo test` runs 256 of each)
test-native:
	CLIENTBOOK_FUZZ_CASES=10000 CLIENTBOOK_ROUNDTRIP_CASES=1000 cargo test

## test-wasm: the IndexedDB store in headless Chromium
test-wasm:
	cargo test $(WASM) --test idb_store

## test-e2e: the release build in headless Chromium (Playwright)
test-e2e: build
	cd tests/e2e && npx playwright test

## bench: the benchmark at 1,000, 10,000 and 100,000 contacts (docs/benchmarks.md);
## prints the table and writes bench/results.json. Options: make bench BENCH_ARGS="--sizes 1000 --reps 1"
bench: build
	node --max-old-space-size=8192 bench/run.mjs $(BENCH_ARGS)

## bench-smoke: the same harness at N = 200, once, on the existing release build
## (part of `make test`: proves the harness works; asserts nothing about time)
bench-smoke:
	test -f dist/index.html || $(MAKE) build
	node bench/run.mjs --smoke

bootstrap:
	scripts/bootstrap.sh

bootstrap-test:
	scripts/bootstrap.sh --test

clean:
	cargo clean
	rm -rf dist tests/e2e/test-results bench/data bench/profiles
