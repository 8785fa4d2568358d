#!/usr/bin/env bash
# Runs every test layer; exits non-zero on the first failure.
#   1. formatting and lints  2. the engine stays free of web crates  3. native tests (engine unit
#   tests, CLI golden tests)  4. release build of the page  5. browser tests (Playwright, Chromium)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "the engine depends on no web crate"
if cargo tree -p kubesim -e normal --prefix none --locked | grep -E '^(yew|web-sys|wasm-bindgen|gloo|js-sys)( |-)'; then
  echo "crates/kubesim must not depend on yew, web-sys, wasm-bindgen, gloo or js-sys" >&2
  exit 1
fi

step "native tests (engine, CLI golden)"
cargo test --workspace --locked

step "release build of the page (trunk, wasm-opt)"
trunk build --release --offline
WASM="$(ls dist/*.wasm | head -n1)"
echo "wasm: $(stat -c %s "$WASM") bytes raw, $(gzip -9 -c "$WASM" | wc -c) bytes gzipped"

step "browser tests (Playwright + Chromium)"
(cd tests/e2e && node --test --test-concurrency=1)
