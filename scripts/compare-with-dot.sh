#!/usr/bin/env bash
# Drawing quality against Graphviz dot and D2 with its ELK layout on the same designs (the
# eight templates and generated designs of 50 to 5,000 components): crossings, edges through
# boxes, shared stretches, area per box area, detours, and how far boxes move when a service
# is added to each template (scripts/drawing_quality.py).
# Needs Graphviz (installed from Debian if missing), d2 (scripts/install-d2.sh, or STRATA_D2)
# and shared/bench/crossings.py.
# `--no-5000` skips the largest design (dot takes over a minute on it). A design d2 takes
# longer than D2_SECONDS (default 300) to lay out is skipped, and the script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
crossings=${CROSSINGS_PY:-../shared/bench/crossings.py}
[ -f "$crossings" ] || crossings=/work/shared/bench/crossings.py
if ! command -v dot >/dev/null; then
  apt-get update -qq && apt-get install -y -qq graphviz >/dev/null
fi
d2=${STRATA_D2:-$(scripts/install-d2.sh)}
d2_seconds=${D2_SECONDS:-300}
out=${KEEP_DIR:-$(mktemp -d)}
mkdir -p "$out"
cargo bench --bench render -- --write-json "$out" >/dev/null
cargo build --release --quiet
[ "${1:-}" = "--no-5000" ] && rm -f "$out"/*-5000.*
for dotfile in "$out"/design-*.dot; do
  name=${dotfile#"$out"/design-}
  name=${name%.dot}
  dot -Tjson "$dotfile" > "$out/dot-$name.json" 2>/dev/null ||
    { echo "dot failed on $name" >&2; rm -f "$out/dot-$name.json"; }
done
for d2file in "$out"/design-*.d2; do
  name=${d2file#"$out"/design-}
  name=${name%.d2}
  start=$EPOCHREALTIME
  status=0
  timeout -k 5 "$d2_seconds" "$d2" --layout elk --timeout "$d2_seconds" "$d2file" \
    "$out/d2elk-$name.svg" >/dev/null 2>"$out/d2elk-$name.log" || status=$?
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if [ "$status" = 0 ]; then
    echo "d2 --layout elk drew $name in $seconds s"
  else
    # timeout's 124, or d2's own --timeout, which it reports as an error.
    echo "d2 --layout elk did not draw $name (exit $status after $seconds s, over $d2_seconds s or failed): skipped; $(head -c 300 "$out/d2elk-$name.log")"
    rm -f "$out/d2elk-$name.svg"
  fi
done
python3 scripts/drawing_quality.py "$out" --crossings "$crossings" \
  --stability "${CARGO_TARGET_DIR:-target}/release/strata" templates --edits 5
[ -n "${KEEP_DIR:-}" ] || rm -rf "$out"
