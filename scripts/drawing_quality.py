#!/usr/bin/env python3
"""Drawing quality of strata's layouts next to Graphviz dot's and D2's with ELK, on the
same designs.

usage: drawing_quality.py DIR [--crossings PATH] [--stability STRATA TEMPLATES_DIR [--edits K]]

DIR holds, per design NAME, `strata-NAME.json` (strata's layout JSON), `dot-NAME.json`
(`dot -Tjson` of strata's DOT export) and `d2elk-NAME.svg` (`d2 --layout elk` of strata's
D2 export), each where that tool drew it; `scripts/compare-with-dot.sh` writes them. For
each design and tool it prints what `crossings.py` (shared/bench) measures — edge crossing
pairs, edges through boxes they do not connect, pairs of edges sharing a stretch, area
per box area (in strata's drawings, a pair of flows bundled into one trunk whose lines only
meet where one joins the other is not counted as crossing: crossings.py, which knows no
junctions, would) — and the detour of every edge: its drawn length over the Manhattan
distance between its ends (1 for a straight line; an edge whose ends are closer than
one channel counts that distance as one channel, so short hops are not read as detours).
Then the crossings, edges through boxes and area per box area of the three side by side.

`--stability STRATA TEMPLATES_DIR` also adds one service to each template (next to its
first service, with a flow from that service) and prints how far the other boxes move:
the median displacement as a share of the drawing's width. With `--edits K` it also makes
K more edits of each template, one at a time (a service added before each of its first
K services, workers, databases, caches and queues), and counts those that move the
median box over 5 %.
"""

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

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
    clusters and D2's containers do in theirs."""
    with open(path) as fh:
        if path.endswith(".svg"):
            # D2 writes a shape's classes after the base64 of its id in the same attribute
            # (strata's D2 export gives each component its kind's class); crossings.py
            # reads the id alone.
            text = re.sub(r'(<g class="[A-Za-z0-9+/]+=*) [^"]*"', r'\1"', fh.read())
            return crossings.read_svg(text, 0)
        obj = json.load(fh)
    if "objects" in obj or "bb" in obj:
        return crossings.read_dot_json(obj, 0, False)
    obj["clusters"] = (obj.get("tiers") or []) + (obj.get("groups") or [])
    return crossings.read_layout_json(obj, 0, False)


def segments(points):
    return list(zip(points, points[1:]))


def meeting(a, b, eps=0.01):
    """How two axis-parallel segments meet: "cross" where each passes through the other's
    inside, "touch" where one ends on the other, None where they do not meet (or run
    along each other, which crossings.py counts apart)."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if (ax0 == ax1) == (bx0 == bx1):
        return None
    if ax0 == ax1:
        a, b = b, a
        (ax0, ay0), (ax1, ay1), (bx0, by0), (bx1, by1) = a[0], a[1], b[0], b[1]
    # a is horizontal at ay0, b vertical at bx0.
    lo, hi = sorted((ax0, ax1))
    top, bottom = sorted((by0, by1))
    if not (lo - eps <= bx0 <= hi + eps and top - eps <= ay0 <= bottom + eps):
        return None
    inside = lo + eps < bx0 < hi - eps and top + eps < ay0 < bottom - eps
    return "cross" if inside else "touch"


def junctions_only(drawing, tol=1.0):
    """Pairs of edges with a common end whose lines meet only where one joins the other
    (a trunk splitting or two flows merging into one before their box), never crossing:
    crossings.py counts such a meeting as a crossing, since it lies outside the box."""
    by_end = {}
    for index, (source, target, _) in enumerate(drawing.edges):
        for end in {source, target} - {None}:
            by_end.setdefault(end, []).append(index)
    pairs = set()
    for end, members in by_end.items():
        box = drawing.nodes.get(end)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if (min(a, b), max(a, b)) in pairs:
                    continue
                kinds = set()
                for sa in segments(drawing.edges[a][2]):
                    for sb in segments(drawing.edges[b][2]):
                        kind = meeting(sa, sb)
                        if kind == "touch" and box is not None:
                            x = sa[0][0] if sa[0][0] == sa[1][0] else sb[0][0]
                            y = sa[0][1] if sa[0][1] == sa[1][1] else sb[0][1]
                            if box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol:
                                continue
                        if kind:
                            kinds.add(kind)
                if kinds == {"touch"}:
                    pairs.add((min(a, b), max(a, b)))
    return len(pairs)


def row(crossings, path, orthogonal):
    drawing = load(crossings, path)
    m = crossings.metrics(drawing)
    d = detours(drawing) or [1.0]
    joined = junctions_only(drawing) if orthogonal else 0
    return {
        "crossings": m["crossing_pairs"] - joined,
        "through": m["edge_node_hits"],
        "shared": m["overlap_pairs"],
        "area/box": m["area_ratio"],
        "detour med": round(statistics.median(d), 2),
        "detour max": round(max(d), 2),
        "over 3": sum(1 for x in d if x > 3),
        "size": "%dx%d" % (m["width"], m["height"]),
    }


def with_one_more_service(text, kinds=("service",), nth=0):
    """The design with a service added just before its `nth` component of one of `kinds`,
    and a flow to it from that component; None if it has no such component."""
    lines = text.splitlines()
    pattern = r"^(\s+)([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(%s)\b" % "|".join(kinds)
    found = [(i, m) for i, m in ((i, re.match(pattern, line)) for i, line in enumerate(lines)) if m]
    if nth >= len(found):
        return None
    i, m = found[nth]
    indent, first = m.group(1), m.group(2)
    lines.insert(i, '%sadded_probe: service "Added Service"' % indent)
    lines.append("%s -> added_probe" % first)
    return "\n".join(lines) + "\n"


EDITED_KINDS = ("service", "worker", "database", "cache", "queue")


def boxes(strata, text):
    with tempfile.NamedTemporaryFile("w", suffix=".strata", delete=False) as fh:
        fh.write(text)
    try:
        out = subprocess.run([strata, "render", fh.name, "--format", "json", "-o", "-"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(fh.name)
    layout = json.loads(out)
    return {n["id"]: (n["x"], n["y"]) for n in layout["nodes"]}, layout["width"]


def moved(before, width, after):
    """The median distance the boxes of `before` moved in `after`, as a share of `width`."""
    distances = [((after[i][0] - x) ** 2 + (after[i][1] - y) ** 2) ** 0.5
                 for i, (x, y) in before.items() if i in after]
    return statistics.median(distances) / width


def stability(strata, templates, edits):
    print("\n%-11s %s" % ("template", "median box moved by adding a service (share of width)"))
    if edits > 1:
        print("%-11s %s" % ("", "then by adding one before each of the first %d services, workers, "
                                "databases, caches and queues" % edits))
    shares = []
    for name in sorted(f[:-len(".strata")] for f in os.listdir(templates) if f.endswith(".strata")):
        with open(os.path.join(templates, name + ".strata")) as fh:
            text = fh.read()
        edited = with_one_more_service(text)
        if edited is None:
            print("%-11s no service to add one beside" % name)
            continue
        before, width = boxes(strata, text)
        line = "%-11s %5.1f %%" % (name, 100 * moved(before, width, boxes(strata, edited)[0]))
        if edits > 1:
            more = [with_one_more_service(text, EDITED_KINDS, k) for k in range(edits)]
            these = [moved(before, width, boxes(strata, e)[0]) for e in more if e is not None]
            shares += these
            line += "   " + " ".join("%5.1f" % (100 * v) for v in these)
        print(line)
    if shares:
        print("%d of %d edits move the median box over 5 %% of the width; median %.1f %%, "
              "mean %.1f %%" % (sum(v > 0.05 for v in shares), len(shares),
                                100 * statistics.median(shares), 100 * statistics.mean(shares)))


TOOLS = [("strata", "strata-%s.json"), ("dot", "dot-%s.json"), ("d2-elk", "d2elk-%s.svg")]


def side_by_side(names, rows):
    """Crossings, edges through boxes and area per box area of each tool in one line per
    design; "-" where a tool did not draw it."""
    tools = [tool for tool, _ in TOOLS]
    heading = " / ".join(tools)
    print("\n%-11s %24s %24s %24s" % ("design", "crossings " + heading,
                                       "through boxes", "area per box area"))
    for name in names:
        cells = []
        for column in ["crossings", "through", "area/box"]:
            values = [rows.get((name, tool), {}).get(column, "-") for tool in tools]
            cells.append(" / ".join(str(v) for v in values))
        print("%-11s %24s %24s %24s" % (name, *cells))


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--crossings", default=os.environ.get(
        "CROSSINGS_PY", os.path.join(here, "..", "..", "shared", "bench", "crossings.py")))
    ap.add_argument("--stability", nargs=2, metavar=("STRATA", "TEMPLATES_DIR"))
    ap.add_argument("--edits", type=int, default=1, metavar="K",
                    help="with --stability, also add a service before each of the first K "
                         "services, workers, databases, caches and queues of each template")
    a = ap.parse_args(argv)
    crossings = load_crossings(a.crossings)
    names = sorted(f[len("strata-"):-len(".json")] for f in os.listdir(a.dir)
                   if f.startswith("strata-") and f.endswith(".json"))
    names.sort(key=lambda n: (n.isdigit(), int(n) if n.isdigit() else 0, n))
    columns = ["crossings", "through", "shared", "area/box", "detour med", "detour max",
               "over 3", "size"]
    print("%-11s %-6s" % ("design", "tool") + "".join(" %11s" % c for c in columns))
    rows = {}
    for name in names:
        for tool, file in TOOLS:
            path = os.path.join(a.dir, file % name)
            if not os.path.exists(path):
                continue
            r = rows[name, tool] = row(crossings, path, orthogonal=tool == "strata")
            print("%-11s %-6s" % (name, tool) + "".join(" %11s" % r[c] for c in columns))
        sys.stdout.flush()
    side_by_side(names, rows)
    if a.stability:
        stability(*a.stability, a.edits)


if __name__ == "__main__":
    main()
