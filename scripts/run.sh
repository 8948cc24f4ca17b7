#!/usr/bin/env bash
# Installs what is missing, then opens Yitu on the embedded Chongqing sample project.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
exec cargo run --release -p yitu-app --bin yitu -- "${@:-open}"
