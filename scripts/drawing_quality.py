#!/usr/bin/env python3
"""Drawing quality of strata's layouts next to Graphviz dot's, on the same designs.

usage: drawing_quality.py DIR [--crossings PATH]

DIR holds, per design NAME, `strata-NAME.json` (strata's layout JSON) and `dot-NAME.json`
(`dot -Tjson` of strata's DOT export); `scripts/compare-with-dot.sh` writes them. For each
design and tool it prints what `crossings.py` (shared/bench) measures — edge crossing
pairs, edges through boxes they do not connect, pairs of edges sharing a stretch, area
per box area — and the detour of every edge: its drawn length over the Manhattan
distance between its ends (1 for a straight line; an edge whose ends are closer than
one channel counts that distance as one channel, so short hops are not read as detours).
"""

import argparse
import importlib.util
import json
import os
import statistics
import sys

CHANNEL = 40.0  # px: the least distance a detour is measured against


def load_crossings(path):
    spec = importlib.util.spec_from_file_location("crossings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def polyline_length(points):
    return sum(abs(x1 - x0) + abs(y1 - y0) if x0 == x1 or y0 == y1 else
               ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
               for (x0, y0), (x1, y1) in zip(points, points[1:]))


def detours(drawing):
    out = []
    for _, _, points in drawing.edges:
        if len(points) < 2:
            continue
        (x0, y0), (x1, y1) = points[0], points[-1]
        manhattan = max(abs(x1 - x0) + abs(y1 - y0), CHANNEL)
        out.append(polyline_length(points) / manhattan)
    return out


def load(crossings, path):
    """A drawing; strata's tier bands and group frames count in its extent, as dot's
    clusters do in dot's."""
    with open(path) as fh:
        obj = json.load(fh)
    if "objects" in obj or "bb" in obj:
        return crossings.read_dot_json(obj, 0, False)
    obj["clusters"] = (obj.get("tiers") or []) + (obj.get("groups") or [])
    return crossings.read_layout_json(obj, 0, False)


def row(crossings, path):
    drawing = load(crossings, path)
    m = crossings.metrics(drawing)
    d = detours(drawing) or [1.0]
    return {
        "crossings": m["crossing_pairs"],
        "through": m["edge_node_hits"],
        "shared": m["overlap_pairs"],
        "area/box": m["area_ratio"],
        "detour med": round(statistics.median(d), 2),
        "detour max": round(max(d), 2),
        "over 3": sum(1 for x in d if x > 3),
        "size": "%dx%d" % (m["width"], m["height"]),
    }


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--crossings", default=os.environ.get(
        "CROSSINGS_PY", os.path.join(here, "..", "..", "shared", "bench", "crossings.py")))
    a = ap.parse_args(argv)
    crossings = load_crossings(a.crossings)
    names = sorted(f[len("strata-"):-len(".json")] for f in os.listdir(a.dir)
                   if f.startswith("strata-") and f.endswith(".json"))
    names.sort(key=lambda n: (n.isdigit(), int(n) if n.isdigit() else 0, n))
    columns = ["crossings", "through", "shared", "area/box", "detour med", "detour max",
               "over 3", "size"]
    print("%-11s %-6s" % ("design", "tool") + "".join(" %11s" % c for c in columns))
    for name in names:
        for tool in ["strata", "dot"]:
            path = os.path.join(a.dir, "%s-%s.json" % (tool, name))
            if not os.path.exists(path):
                continue
            r = row(crossings, path)
            print("%-11s %-6s" % (name, tool) + "".join(" %11s" % r[c] for c in columns))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
