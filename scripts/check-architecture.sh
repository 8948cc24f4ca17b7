#!/usr/bin/env bash
# Every module ARCHITECTURE.md names in its crate tables exists (a `crate::path` row is
# CRATE/src/path.rs or CRATE/src/path/mod.rs; `a`, `b` rows name each; `panels::*` a folder;
# a row with a file extension names that file under the crate), and every module of a crate
# with a table has its row (or its folder's `x::*` row), so the map stays true and whole.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
crate=""
declare -A named
while IFS= read -r line; do
  if [[ $line =~ ^##\ ([a-z-]+)\ \(\`yitu- ]]; then
    crate=${BASH_REMATCH[1]}
    continue
  fi
  [[ -n $crate && $line =~ ^\|\ (\`[^|]*)\| ]] || continue
  for name in $(grep -o '`[^`]*`' <<<"${BASH_REMATCH[1]}" | tr -d '`'); do
    named["$crate:$name"]=1
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

# The other way: each module of a crate with a table is named in it.
for crate in layers core imagery draw routing store monitoring basins command sample-data app; do
  while IFS= read -r module; do
    [[ -n ${named["$crate:$module"]:-} || -n ${named["$crate:${module%::*}::*"]:-} ]] && continue
    echo "ARCHITECTURE.md has no row for $crate's \`$module\`"
    missing=1
  done < <(cd "$crate/src" && find . -name '*.rs' ! -name lib.rs ! -name main.rs |
    sed 's|^\./||; s|\.rs$||; s|/mod$||; s|/|::|g')
done
exit $missing
