#!/usr/bin/env bash
# Installs what building and testing Kube Playground needs, skipping whatever is already there.
# Sourced by scripts/serve.sh and scripts/test.sh. Nothing here downloads a prebuilt binary:
# Rust tools are built by cargo, wasm-opt comes from the npm package binaryen, Chromium from Debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

command -v rustup >/dev/null || die "rustup is required (https://rustup.rs)"
command -v npm >/dev/null || die "Node.js and npm are required"

cd "$ROOT"

# The toolchain, components and wasm target named in rust-toolchain.toml.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the toolchain of rust-toolchain.toml with the wasm32 target"
  rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
  rustup target add wasm32-unknown-unknown
fi

# trunk, built from crates.io.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (cargo build, several minutes)"
  cargo install trunk@"$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
[ -n "$WBG_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"
grep -q "wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml || die "Trunk.toml must pin wasm_bindgen = \"$WBG_VERSION\" (Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# wasm-opt from npm's binaryen, in the git-ignored .tools folder.
BINARYEN_MAJOR="${BINARYEN_VERSION%%.*}"
grep -q "wasm_opt = \"version_$BINARYEN_MAJOR\"" Trunk.toml || die "Trunk.toml must pin wasm_opt = \"version_$BINARYEN_MAJOR\""
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version_$BINARYEN_MAJOR"; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# Chromium for the browser tests, from Debian.
if [ "${SKIP_BROWSER_SETUP:-}" != 1 ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  say "installing chromium and chromium-driver from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi

# npm packages of the browser tests (playwright-core only: it uses Debian's Chromium).
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  say "installing browser-test npm packages"
  (cd tests/e2e && npm ci --no-audit --no-fund --silent)
fi
