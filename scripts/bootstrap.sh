#!/usr/bin/env bash
# Installs what building and testing Clientbook needs, and only what is
# missing or at the wrong version. Safe to run again and again.
#
#   scripts/bootstrap.sh          build tools (make serve, make build)
#   scripts/bootstrap.sh --test   build tools + browsers and test tools (make test)
#
# Pins (see README.md for why each one):
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
PLAYWRIGHT_VERSION=1.65.1

set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf 'bootstrap: %s\n' "$*"; }
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

command -v cargo >/dev/null || { say "cargo not found: install Rust with rustup first"; exit 1; }
command -v npm >/dev/null || { say "npm not found: install Node.js and npm first"; exit 1; }

# Rust: the wasm target and the linters.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding rustup component $component"
    rustup component add "$component"
  fi
done

# trunk 0.21.14 (0.22 needs a newer rustc than these machines have).
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes about 5 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# wasm-bindgen CLI, exactly the crate's version; without --locked, because a
# dependency locked by that release is missing from the registry.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from npm's binaryen (Debian's 108 breaks the module at start-up).
if ! tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into tools/"
  (cd tools && npm ci --no-audit --no-fund)
fi

$with_tests || { say "build tools ready"; exit 0; }

# Chromium and its driver from Debian, for the browser tests.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    say "chromium and chromedriver are missing: run 'sudo apt-get install -y chromium chromium-driver'"
    exit 1
  fi
  say "installing chromium and chromium-driver from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Playwright's test runner (no browser download: it drives Debian's Chromium).
installed=$(node -p "require('./tests/e2e/node_modules/@playwright/test/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
  say "installing @playwright/test $PLAYWRIGHT_VERSION into tests/e2e/"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

say "build and test tools ready"
