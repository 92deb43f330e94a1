#!/usr/bin/env bash
# Renders every template to docs/gallery/NAME.svg and NAME.txt with the release binary,
# the views listed in docs/gallery/views.txt, and the real-world designs of
# examples/real-world/ to docs/gallery/real-world/NAME.svg and NAME.txt.
# tests/gallery.rs fails when a committed file no longer matches; rerun this to update.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
strata="${CARGO_TARGET_DIR:-target}/release/strata"
mkdir -p docs/gallery/real-world
# draw NAME DESIGN [OPTION...]: docs/gallery/NAME.svg and NAME.txt.
draw() {
  local name=$1 design=$2
  shift 2
  "$strata" render "$design" -o "docs/gallery/$name.svg" "$@"
  # Text: the default width, or as wide as a wide terminal, or wider for designs that
  # cannot fit.
  "$strata" render "$design" -o "docs/gallery/$name.txt" "$@" --width 100 2>/dev/null ||
    "$strata" render "$design" -o "docs/gallery/$name.txt" "$@" --width 160 2>/dev/null ||
    "$strata" render "$design" -o "docs/gallery/$name.txt" "$@" --width 400
}
for template in templates/*.strata; do
  name=$(basename "$template" .strata)
  draw "$name" "$template"
done
grep -v '^#' docs/gallery/views.txt | while read -r name template options; do
  # shellcheck disable=SC2086 # one word per option
  draw "$name" "templates/$template.strata" $options
done
for design in examples/real-world/*.strata; do
  draw "real-world/$(basename "$design" .strata)" "$design"
done
