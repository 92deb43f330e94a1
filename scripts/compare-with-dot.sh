#!/usr/bin/env bash
# Drawing quality against Graphviz dot on the same designs (the eight templates and
# generated designs of 50 to 5,000 components): crossings, edges through boxes, shared
# stretches, area per box area, detours, and how far boxes move when a service is added
# to each template (scripts/drawing_quality.py).
# Needs Graphviz (installed from Debian if missing) and shared/bench/crossings.py.
# `--no-5000` skips the largest design (dot takes over a minute on it).
set -euo pipefail
cd "$(dirname "$0")/.."
crossings=${CROSSINGS_PY:-../shared/bench/crossings.py}
[ -f "$crossings" ] || crossings=/work/shared/bench/crossings.py
if ! command -v dot >/dev/null; then
  apt-get update -qq && apt-get install -y -qq graphviz >/dev/null
fi
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
python3 scripts/drawing_quality.py "$out" --crossings "$crossings" \
  --stability target/release/strata templates
[ -n "${KEEP_DIR:-}" ] || rm -rf "$out"
