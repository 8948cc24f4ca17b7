#!/usr/bin/env bash
# Fuzzes every parser of outside files with cargo-fuzz (libFuzzer), each target for SECONDS,
# or only the TARGETs named. Not part of CI: it needs the nightly toolchain and cargo-fuzz,
# which it installs when missing. Corpora start from fuzz/seeds/, the tests' files and
# ../shared/data, and grow in fuzz/corpus/ (ignored by git); crashes land in fuzz/artifacts/.
#   scripts/fuzz.sh 600                   # every target, 10 minutes each
#   scripts/fuzz.sh 60 solomon roster_csv # two targets, a minute each
# Prints one line per target: executions, corpus size and crashes found. Each run builds the
# tree it is in: fuzz a checkout that is not being edited (a `git worktree`), or a half-made
# edit ends a target's run before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
scripts/setup-debian.sh
shared=../shared/data
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
fi

# Seeds for a target: the committed ones and the real files that parser reads.
seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  [ -d "fuzz/seeds/$target" ] && cp -n fuzz/seeds/"$target"/* "$dir"/ 2>/dev/null || true
  case $target in
    flir_fff|jpeg_segments|photo_exif|dji_xmp)
      find "$shared/thermal" -iname '*.jpg' -size -4M -exec cp -n {} "$dir"/ \; 2>/dev/null || true ;;
    landsat_mtl) cp -n "$shared"/landsat/*_MTL.txt "$dir"/ 2>/dev/null || true ;;
    solomon) cp -n routing/tests/data/*.txt "$dir"/ ;;
    osm_pbf) cp -n "$shared"/osm/*.pbf "$dir"/ 2>/dev/null || true ;;
  esac
}

cargo +nightly fuzz build --fuzz-dir fuzz -O
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p fuzz/artifacts/"$t" fuzz/logs
  # -rss_limit_mb: a parser may take memory in proportion to its input, not beyond.
  cargo +nightly fuzz run --fuzz-dir fuzz -O "$t" fuzz/corpus/"$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=1048576 -timeout=20 \
    -artifact_prefix=fuzz/artifacts/"$t"/ >fuzz/logs/"$t".log 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' fuzz/logs/"$t".log | grep -o '[0-9]*$' || true)
  if [ -z "$execs" ]; then
    execs=$( (grep -oE '^#[0-9]+' fuzz/logs/"$t".log || true) | tail -n1 | tr -d '#')
  fi
  crashes=$(find fuzz/artifacts/"$t" -type f | wc -l)
  echo "$t: ${execs:-0} executions, $(find fuzz/corpus/"$t" -type f | wc -l) in the corpus, $crashes crash files"
done
