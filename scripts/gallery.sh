#!/usr/bin/env bash
# Renders every template to docs/gallery/NAME.svg and NAME.txt with the release binary.
# tests/gallery.rs fails when a committed file no longer matches; rerun this to update.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
mkdir -p docs/gallery
for template in templates/*.strata; do
  name=$(basename "$template" .strata)
  ./target/release/strata render "$template" -o "docs/gallery/$name.svg"
  # Text: the default width, or as wide as a wide terminal, or wider for designs that
  # cannot fit.
  ./target/release/strata render "$template" -o "docs/gallery/$name.txt" --width 100 2>/dev/null ||
    ./target/release/strata render "$template" -o "docs/gallery/$name.txt" --width 160 2>/dev/null ||
    ./target/release/strata render "$template" -o "docs/gallery/$name.txt" --width 400
done
