#!/usr/bin/env bash
# Renders every template to docs/gallery/NAME.svg and NAME.txt with the release binary,
# and the views listed in docs/gallery/views.txt.
# tests/gallery.rs fails when a committed file no longer matches; rerun this to update.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
mkdir -p docs/gallery
# draw NAME TEMPLATE [OPTION...]: docs/gallery/NAME.svg and NAME.txt.
draw() {
  local name=$1 template=templates/$2.strata
  shift 2
  ./target/release/strata render "$template" -o "docs/gallery/$name.svg" "$@"
  # Text: the default width, or as wide as a wide terminal, or wider for designs that
  # cannot fit.
  ./target/release/strata render "$template" -o "docs/gallery/$name.txt" "$@" --width 100 2>/dev/null ||
    ./target/release/strata render "$template" -o "docs/gallery/$name.txt" "$@" --width 160 2>/dev/null ||
    ./target/release/strata render "$template" -o "docs/gallery/$name.txt" "$@" --width 400
}
for template in templates/*.strata; do
  name=$(basename "$template" .strata)
  draw "$name" "$name"
done
grep -v '^#' docs/gallery/views.txt | while read -r name template options; do
  # shellcheck disable=SC2086 # one word per option
  draw "$name" "$template" $options
done
