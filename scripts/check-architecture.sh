#!/usr/bin/env bash
# Every module ARCHITECTURE.md names in its crate tables exists (a `crate::path` row is
# CRATE/src/path.rs or CRATE/src/path/mod.rs; `a`, `b` rows name each; `panels::*` a folder;
# a row with a file extension names that file under the crate), so the map stays true.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
crate=""
while IFS= read -r line; do
  if [[ $line =~ ^##\ ([a-z-]+)\ \(\`yitu- ]]; then
    crate=${BASH_REMATCH[1]}
    continue
  fi
  [[ -n $crate && $line =~ ^\|\ (\`[^|]*)\| ]] || continue
  for name in $(grep -o '`[^`]*`' <<<"${BASH_REMATCH[1]}" | tr -d '`'); do
    path=${name//:://}
    case $path in
      */\*) [ -d "$crate/src/${path%/\*}" ] && continue ;;
      *.*) [ -e "$crate/$path" ] && continue ;;
      *) { [ -e "$crate/src/$path.rs" ] || [ -e "$crate/src/$path/mod.rs" ]; } && continue ;;
    esac
    echo "ARCHITECTURE.md names $crate's \`$name\`, which does not exist"
    missing=1
  done
done < ARCHITECTURE.md
exit $missing
