#!/usr/bin/env bash
# Writes docs/cost/NAME.txt, `strata cost` of every template, with the release binary.
# tests/template_costs.rs fails when a committed file no longer matches; rerun this to update.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
strata="${CARGO_TARGET_DIR:-target}/release/strata"
mkdir -p docs/cost
for template in templates/*.strata; do
  "$strata" cost "$template" >"docs/cost/$(basename "$template" .strata).txt"
done
