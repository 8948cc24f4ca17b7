#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, checks formatting, lints,
# the layer rule (no GUI crate below app), then every test (UI tests run headless in kittest;
# the screenshot test uses an Xvfb this script starts).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh

echo "== layer rule: no GUI crates below app"
for crate in yitu-layers yitu-analysis yitu-sample-data; do
  if cargo tree -p "$crate" -e normal --prefix none 2>/dev/null | grep -E '^(egui|eframe|wgpu|winit|walkers) ' ; then
    echo "error: $crate depends on a GUI crate"; exit 1
  fi
done

echo "== cargo fmt"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --quiet

echo "== cargo test"
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:97
  Xvfb "$DISPLAY" -screen 0 1920x1080x24 >/dev/null 2>&1 &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null || true' EXIT
  sleep 1
fi
cargo test --workspace 2>&1 | tee /tmp/yitu-test.log
