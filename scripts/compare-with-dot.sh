#!/usr/bin/env bash
# Layout quality against Graphviz dot on the same generated designs (50, 200, 1,000
# components): edge crossings, edges through boxes, shared segments, area.
# Needs Graphviz (installed from Debian if missing) and shared/bench/crossings.py.
set -euo pipefail
cd "$(dirname "$0")/.."
crossings=${CROSSINGS_PY:-../shared/bench/crossings.py}
[ -f "$crossings" ] || crossings=/work/shared/bench/crossings.py
if ! command -v dot >/dev/null; then
  apt-get update -qq && apt-get install -y -qq graphviz >/dev/null
fi
out=$(mktemp -d)
cargo bench --bench render -- --write-json "$out" >/dev/null
metrics() {
  python3 "$crossings" "$1" --json | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("%-8s crossing_pairs=%-8s edge_node_hits=%-6s overlap_pairs=%-6s area_ratio=%s" % (
    sys.argv[1], m["crossing_pairs"], m["edge_node_hits"], m["overlap_pairs"], m["area_ratio"]))' "$2"
}
for n in 50 200 1000; do
  echo "== $n components"
  metrics "$out/strata-$n.json" strata
  dot -Tjson "$out/design-$n.dot" > "$out/dot-$n.json"
  metrics "$out/dot-$n.json" dot
done
rm -rf "$out"
