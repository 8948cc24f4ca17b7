#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, checks formatting, lints,
# the layer rule (no GUI crate below app), then every test (UI tests run headless in kittest;
# the screenshot test uses an Xvfb this script starts when there is no display).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --tests

echo "== layer rule: no GUI crates below app"
for crate in yitu-layers yitu-core yitu-imagery yitu-draw yitu-routing yitu-store yitu-monitoring yitu-basins yitu-command yitu-sample-data yitu-shaders; do
  # A crate cargo cannot find fails here rather than passing unseen.
  tree=$(cargo tree -p "$crate" -e normal --prefix none)
  if grep -E '^(egui|eframe|wgpu|winit|walkers) ' <<<"$tree"; then
    echo "error: $crate depends on a GUI crate"; exit 1
  fi
done

echo "== ARCHITECTURE.md names only modules that exist"
scripts/check-architecture.sh

echo "== cargo fmt"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --quiet

echo "== cargo test"
if [ -n "${DISPLAY:-}" ]; then
  cargo test --workspace
else
  # A private X server for the screenshot test; xvfb-run -a picks a free display.
  xvfb-run -a -s "-screen 0 1920x1080x24" cargo test --workspace
fi
