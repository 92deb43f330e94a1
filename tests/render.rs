//! Rendering: snapshots of every template's SVG, and the layout's geometric promises
//! (no overlapping boxes, no edge through a box, no shared segments outside a bundle, no
//! label collisions)
//! checked on the templates, on generated designs and on random designs.

mod common;

use proptest::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use strata::layout::{Direction, Layout, Rect};
use strata::model::Design;
use strata::render::{self, RenderOptions};
use strata::source::Source;

fn checked(name: &str, text: &str) -> Design {
    let checked = strata::check(&Source::new(name, text));
    assert!(!checked.has_errors(), "{name}: {:?}", checked.diagnostics);
    checked.design
}

const EPS: f64 = 0.01;

/// Open interiors overlap (touching borders is fine).
fn overlaps(a: Rect, b: Rect) -> bool {
    a.x < b.right() - EPS
        && b.x < a.right() - EPS
        && a.y < b.bottom() - EPS
        && b.y < a.bottom() - EPS
}

type Segment = ((f64, f64), (f64, f64));

/// Does an axis-parallel segment enter the open interior of `r`?
fn segment_hits(((x0, y0), (x1, y1)): Segment, r: Rect) -> bool {
    let (lx, hx) = (x0.min(x1), x0.max(x1));
    let (ly, hy) = (y0.min(y1), y0.max(y1));
    lx < r.right() - EPS && hx > r.x + EPS && ly < r.bottom() - EPS && hy > r.y + EPS
}

/// The layout as written out: SVG and JSON round coordinates to 0.1.
fn as_written(layout: &Layout) -> Layout {
    let r = |v: f64| (v * 10.0).round() / 10.0;
    let rect = |x: Rect| Rect {
        x: r(x.x),
        y: r(x.y),
        w: r(x.right()) - r(x.x),
        h: r(x.bottom()) - r(x.y),
    };
    let mut out = layout.clone();
    out.nodes.iter_mut().for_each(|n| *n = rect(*n));
    for edge in &mut out.edges {
        edge.points.iter_mut().for_each(|p| *p = (r(p.0), r(p.1)));
        edge.label = edge.label.map(rect);
    }
    out.groups.iter_mut().for_each(|g| g.title = rect(g.title));
    out.bands.iter_mut().for_each(|b| b.title = rect(b.title));
    out
}

/// Every broken promise of a layout as written out, described.
fn geometry_problems(design: &Design, layout: &Layout) -> Vec<String> {
    let layout = &as_written(layout);
    let mut problems = Vec::new();
    let name = |c: usize| design.components[c].id.as_str();
    let boxes = &layout.nodes;
    // Boxes, swept left to right.
    let mut by_x: Vec<usize> = (0..boxes.len()).collect();
    by_x.sort_by(|&a, &b| boxes[a].x.total_cmp(&boxes[b].x));
    for (k, &a) in by_x.iter().enumerate() {
        for &b in &by_x[k + 1..] {
            if boxes[b].x >= boxes[a].right() {
                break;
            }
            if overlaps(boxes[a], boxes[b]) {
                problems.push(format!("boxes {} and {} overlap", name(a), name(b)));
            }
        }
    }
    // Segments: orthogonal, through no box, sharing no stretch with another edge.
    let mut horizontal: HashMap<i64, Vec<(f64, f64, usize)>> = HashMap::new();
    let mut vertical: HashMap<i64, Vec<(f64, f64, usize)>> = HashMap::new();
    let cell = 200.0;
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (id, r) in boxes.iter().enumerate() {
        for gx in (r.x / cell).floor() as i64..=(r.right() / cell).floor() as i64 {
            for gy in (r.y / cell).floor() as i64..=(r.bottom() / cell).floor() as i64 {
                grid.entry((gx, gy)).or_default().push(id);
            }
        }
    }
    let mut segments: Vec<(Segment, usize)> = Vec::new();
    for route in &layout.edges {
        let flow = &design.flows[route.flow];
        let p = &route.points;
        if p.len() < 2 {
            problems.push(format!("flow {} has no route", route.flow));
            continue;
        }
        let on_border = |(x, y): (f64, f64), r: Rect| {
            let inside =
                x >= r.x - EPS && x <= r.right() + EPS && y >= r.y - EPS && y <= r.bottom() + EPS;
            let edge = (x - r.x).abs() < EPS
                || (x - r.right()).abs() < EPS
                || (y - r.y).abs() < EPS
                || (y - r.bottom()).abs() < EPS;
            inside && edge
        };
        if !on_border(p[0], boxes[flow.from]) || !on_border(p[p.len() - 1], boxes[flow.to]) {
            problems.push(format!(
                "flow {} -> {} does not end on its boxes",
                name(flow.from),
                name(flow.to)
            ));
        }
        for pair in p.windows(2) {
            let s = (pair[0], pair[1]);
            let ((x0, y0), (x1, y1)) = s;
            if (x0 - x1).abs() > EPS && (y0 - y1).abs() > EPS {
                problems.push(format!("flow {} has a slanted piece", route.flow));
            }
            segments.push((s, route.flow));
            if (y0 - y1).abs() <= EPS {
                horizontal
                    .entry((y0 * 100.0).round() as i64)
                    .or_default()
                    .push((x0.min(x1), x0.max(x1), route.flow));
            } else {
                vertical
                    .entry((x0 * 100.0).round() as i64)
                    .or_default()
                    .push((y0.min(y1), y0.max(y1), route.flow));
            }
            let (lx, hx, ly, hy) = (x0.min(x1), x0.max(x1), y0.min(y1), y0.max(y1));
            let mut seen = Vec::new();
            for gx in (lx / cell).floor() as i64..=(hx / cell).floor() as i64 {
                for gy in (ly / cell).floor() as i64..=(hy / cell).floor() as i64 {
                    for &c in grid.get(&(gx, gy)).into_iter().flatten() {
                        if c != flow.from
                            && c != flow.to
                            && !seen.contains(&c)
                            && segment_hits(s, boxes[c])
                        {
                            seen.push(c);
                            problems.push(format!(
                                "flow {} -> {} runs through {}",
                                name(flow.from),
                                name(flow.to),
                                name(c)
                            ));
                        }
                    }
                }
            }
        }
    }
    // Flows bundled into one trunk share its segments: drawn alike (the same label or
    // none), from or into one component.
    let bundled = |a: usize, b: usize| {
        let (f, g) = (&design.flows[a], &design.flows[b]);
        (f.from == g.from || f.to == g.to)
            && (&f.label, f.mode, f.optional) == (&g.label, g.mode, g.optional)
    };
    for lines in horizontal.values().chain(vertical.values()) {
        for (i, a) in lines.iter().enumerate() {
            for b in &lines[i + 1..] {
                if a.2 != b.2 && !bundled(a.2, b.2) && a.0 < b.1 - EPS && b.0 < a.1 - EPS {
                    problems.push(format!("flows {} and {} share a segment", a.2, b.2));
                }
            }
        }
    }
    // Labels and titles: touch no box, no other text, no edge.
    let mut texts: Vec<(Rect, String)> = Vec::new();
    for route in &layout.edges {
        if let Some(label) = route.label {
            texts.push((label, format!("label of flow {}", route.flow)));
        }
    }
    for g in &layout.groups {
        texts.push((g.title, format!("title of group {}", g.group)));
    }
    for b in &layout.bands {
        texts.push((b.title, format!("title of band {:?}", b.tier)));
    }
    for (i, (a, what)) in texts.iter().enumerate() {
        for (b, other) in &texts[i + 1..] {
            if overlaps(*a, *b) {
                problems.push(format!("{what} overlaps {other}"));
            }
        }
        for (c, r) in boxes.iter().enumerate() {
            if overlaps(*a, *r) {
                problems.push(format!("{what} overlaps box {}", name(c)));
            }
        }
        for (s, flow) in &segments {
            if segment_hits(*s, *a) {
                problems.push(format!("{what} is crossed by flow {flow}"));
            }
        }
    }
    problems
}

fn assert_sound(what: &str, design: &Design, layout: &Layout) {
    let problems = geometry_problems(design, layout);
    assert!(
        problems.is_empty(),
        "{what}: {} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
}

#[test]
fn every_template_renders_to_an_svg_snapshot() {
    insta::glob!("../templates", "*.strata", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let design = checked(&path.display().to_string(), &text);
        let layout = render::pixel_layout(&design, Direction::Down);
        insta::assert_snapshot!(render::svg::to_svg(
            &design,
            &layout,
            &RenderOptions::default()
        ));
    });
}

#[test]
fn templates_lay_out_soundly_both_ways() {
    for template in &strata::templates::ALL {
        let design = checked(template.name, template.text);
        for direction in [Direction::Down, Direction::Right] {
            let layout = render::pixel_layout(&design, direction);
            assert_sound(
                &format!("{} {direction:?}", template.name),
                &design,
                &layout,
            );
        }
    }
}

#[test]
fn generated_designs_lay_out_soundly() {
    for size in [50, 200, 1000] {
        let design = checked("generated", &strata::generate::design(size, 42));
        let layout = render::pixel_layout(&design, Direction::Down);
        assert_sound(&format!("generated {size}"), &design, &layout);
    }
}

/// Whether `point` lies on one of the pieces of `route`.
fn on_route((x, y): (f64, f64), route: &[(f64, f64)]) -> bool {
    route.windows(2).any(|piece| {
        let ((x0, y0), (x1, y1)) = (piece[0], piece[1]);
        let within = |v: f64, a: f64, b: f64| a.min(b) - EPS <= v && v <= a.max(b) + EPS;
        within(x, x0, x1) && within(y, y0, y1)
    })
}

#[test]
fn a_trunk_is_drawn_once_and_each_flow_leaves_or_joins_it() {
    let design = checked(
        "trunks",
        "tier a {\n top: service\n}\ntier b {\n mid: service\n}\n\
         tier c {\n x: service\n}\ntier d {\n y: service\n p: service\n q: service\n}\n\
         top -> x\ntop -> y\nmid -> y\np -> mid\nq -> mid\n",
    );
    let layout = render::pixel_layout(&design, Direction::Down);
    let edges = &layout.edges;
    // top -> y leaves the trunk top -> x drew, below top, and ends at y.
    assert!(edges[0].branch.is_none());
    let branch = edges[1].branch.as_ref().expect("top -> y shares a trunk");
    assert!(on_route(branch[0], &edges[0].points));
    assert!(branch[0].1 > edges[1].points[0].1 + 1.0);
    assert_eq!(branch.last(), edges[1].points.last());
    // q -> mid runs up into the trunk p -> mid drew, and stops where it joins it.
    assert!(edges[3].branch.is_none());
    let merging = edges[4].branch.as_ref().expect("q -> mid shares a trunk");
    assert_eq!(merging.first(), edges[4].points.first());
    assert!(on_route(*merging.last().unwrap(), &edges[3].points));
    assert_ne!(merging.last(), edges[4].points.last());
    // One arrowhead per target reached: the merging flow's is its trunk's.
    let svg = render::svg::to_svg(&design, &layout, &RenderOptions::default());
    assert_eq!(svg.matches("marker-end").count(), 4);
    assert_eq!(svg.matches("<title>").count(), 5);
    assert_sound("trunks", &design, &layout);
}

#[test]
fn flows_with_one_label_share_a_trunk_and_the_label_is_drawn_once() {
    let design = checked(
        "labelled trunks",
        "tier a {\n gw: gateway\n p: client\n q: client\n r: client\n}\n\
         tier b {\n x: service\n y: service\n z: service\n lb: load_balancer\n}\n\
         gw -> x, y, z : \"CRUD\"\np, q, r -> lb : \"TLS\"\n",
    );
    let layout = render::pixel_layout(&design, Direction::Down);
    let edges = &layout.edges;
    for (trunk, flows) in [("CRUD", 0..3), ("TLS", 3..6)] {
        let first = flows.start;
        let labelled = flows.clone().filter(|&f| edges[f].label.is_some()).count();
        assert_eq!(labelled, 1, "{trunk}: one label for the bundle");
        assert!(edges[first].label.is_some() && edges[first].branch.is_none());
        for flow in first + 1..flows.end {
            let branch = edges[flow].branch.as_ref().expect("a branch of the trunk");
            // Each other flow is drawn only where it leaves the trunk (or joins it).
            let (on_trunk, own_end) = if trunk == "CRUD" {
                (branch[0], branch.last())
            } else {
                (*branch.last().unwrap(), branch.first())
            };
            assert!(on_route(on_trunk, &edges[first].points), "{trunk} {flow}");
            let end = if trunk == "CRUD" {
                edges[flow].points.last()
            } else {
                edges[flow].points.first()
            };
            assert_eq!(own_end, end, "{trunk} {flow}");
        }
    }
    let svg = render::svg::to_svg(&design, &layout, &RenderOptions::default());
    assert_eq!(svg.matches(">CRUD<").count(), 1);
    assert_eq!(svg.matches(">TLS<").count(), 1);
    assert_sound("labelled trunks", &design, &layout);
}

#[test]
fn flows_converging_on_a_component_from_one_side_merge_into_one_port() {
    let design = checked(
        "fan-in",
        "tier a {\n a1: service\n a2: service\n a3: service\n a4: service\n a5: service\n}\n\
         tier b {\n v: database\n}\na1 -> v\na2 -> v\na3 -> v\na4 -> v\na5 -> v\n",
    );
    let layout = render::pixel_layout(&design, Direction::Down);
    let end = |flow: usize| *layout.edges[flow].points.last().unwrap();
    let track = |flow: usize| layout.edges[flow].points[1].1;
    // a1 and a2 join one line from the left, a4 and a5 from the right; a3 runs straight.
    assert_eq!(end(0), end(1));
    assert_eq!(end(3), end(4));
    assert_eq!(track(0), track(1));
    assert_eq!(track(3), track(4));
    assert!(end(1).0 < end(2).0 && end(2).0 < end(3).0);
    assert_eq!(layout.edges[2].points.len(), 2);
    assert_sound("fan-in", &design, &layout);
}

#[test]
fn the_same_design_renders_byte_identical_output() {
    let template = &strata::templates::ALL[0];
    let render_once = || {
        let design = checked(template.name, template.text);
        let layout = render::pixel_layout(&design, Direction::Down);
        (
            render::svg::to_svg(&design, &layout, &RenderOptions::default()),
            render::json::to_json(&design, &layout),
        )
    };
    assert_eq!(render_once(), render_once());
}

#[test]
fn user_text_never_becomes_markup() {
    let design = checked(
        "evil",
        "system \"<b>&\" {}\ntier t \"<script>alert(1)</script>\" {\n  a: service \"<script>x</script>\" { tech \"a\\\"b & 'c'\" }\n  b: database \"B\"\n}\na -> b : \"</text><svg onload=x>\"\n",
    );
    let layout = render::pixel_layout(&design, Direction::Down);
    let svg = render::svg::to_svg(&design, &layout, &RenderOptions::default());
    assert!(!svg.contains("<script") && !svg.contains("<svg onload") && !svg.contains("<b>"));
    assert!(
        svg.contains("&lt;script&gt;x&lt;/script&gt;")
            && svg.contains("a&quot;b &amp; &apos;c&apos;")
    );
    // The PNG path parses the same SVG: it must be well-formed.
    render::png::to_png(&svg, 0.5).unwrap();
}

#[test]
fn badges_are_drawn_on_the_components_they_belong_to() {
    let design = checked("badges", "a: service\nb: database\na -> b\n");
    let layout = render::pixel_layout(&design, Direction::Down);
    let badges = vec![
        vec![render::Badge {
            text: "!".into(),
            colour: "#dc2626".into(),
            detail: "AVL103 no replica".into(),
        }],
        Vec::new(),
    ];
    let options = RenderOptions {
        badges: Some(&badges),
        ..RenderOptions::default()
    };
    let svg = render::svg::to_svg(&design, &layout, &options);
    let node_a = svg
        .split(r#"id="c-a""#)
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    let node_b = svg
        .split(r#"id="c-b""#)
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    assert!(node_a.contains(r##"fill="#dc2626""##) && !node_b.contains("#dc2626"));
}

#[test]
fn the_png_shows_text_with_the_embedded_font() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-family="sans-serif" font-size="20">Label</text></svg>"#;
    let png = render::png::to_png(svg, 1.0).unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let inked = pixmap.pixels().iter().filter(|p| p.alpha() > 128).count();
    assert!(inked > 100, "only {inked} pixels of text");
}

#[test]
fn an_oversized_png_is_refused_with_a_reason() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"></svg>"#;
    let error = render::png::to_png(svg, 1.0).unwrap_err();
    assert!(error.contains("too large"), "{error}");
}

#[test]
fn json_layout_has_the_documented_fields() {
    let template = &strata::templates::ALL[0];
    let design = checked(template.name, template.text);
    let layout = render::pixel_layout(&design, Direction::Down);
    let value: serde_json::Value =
        serde_json::from_str(&render::json::to_json(&design, &layout)).unwrap();
    assert!(value["width"].as_f64().unwrap() > 0.0 && value["height"].as_f64().unwrap() > 0.0);
    let node = &value["nodes"][0];
    for field in ["id", "x", "y", "w", "h"] {
        assert!(!node[field].is_null(), "node field {field}");
    }
    assert_eq!(
        value["nodes"].as_array().unwrap().len(),
        design.components.len()
    );
    let edge = &value["edges"][0];
    assert!(edge["from"].is_string() && edge["to"].is_string());
    assert!(edge["points"].as_array().unwrap().len() >= 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_designs_lay_out_soundly(text in common::random_design(false), right in any::<bool>()) {
        let design = checked("random", &text);
        let direction = if right { Direction::Right } else { Direction::Down };
        let layout = render::pixel_layout(&design, direction);
        let problems = geometry_problems(&design, &layout);
        prop_assert!(problems.is_empty(), "{text}\n{problems:#?}");
    }
}

#[test]
fn snapshots_exist_for_every_template() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for template in &strata::templates::ALL {
        let name = format!(
            "render__every_template_renders_to_an_svg_snapshot@{}.strata.snap",
            template.name
        );
        assert!(folder.join(&name).exists(), "missing {name}");
    }
}

#[test]
fn long_flows_out_of_a_group_run_straight_below_its_frame() {
    // In YouTube, Candidate Generation's flow to the watch history starts inside the
    // Recommendations frame and crosses a dozen ranks below it, where its lanes used to
    // keep the slope placement gave them: a jog of a few pixels at every rank.
    let text = std::fs::read_to_string("examples/real-world/youtube.strata").unwrap();
    let design = checked("youtube", &text);
    let layout = render::pixel_layout(&design, Direction::Down);
    let id = |name: &str| design.components.iter().position(|c| c.id == name).unwrap();
    let route = layout
        .edges
        .iter()
        .find(|e| {
            let flow = &design.flows[e.flow];
            flow.from == id("candidates") && flow.to == id("history")
        })
        .expect("candidates -> history is drawn");
    let jogs = route
        .points
        .windows(2)
        .filter(|piece| {
            let ((x0, y0), (x1, y1)) = (piece[0], piece[1]);
            (y0 - y1).abs() < EPS && (x0 - x1).abs() > EPS && (x0 - x1).abs() < 20.0
        })
        .count();
    assert_eq!(jogs, 0, "{:?}", route.points);
}

#[test]
fn no_flow_runs_three_times_the_distance_between_its_ends() {
    // Measured as scripts/drawing_quality.py does: a route's length over the Manhattan
    // distance of its ends, or over one channel (40 px) for ends closer than that. A
    // trunk that split far from where its branches go sent one of them back under it.
    let mut designs: Vec<(String, String)> = strata::templates::ALL
        .iter()
        .map(|t| (t.name.to_string(), t.text.to_string()))
        .collect();
    designs.push(("generated".into(), strata::generate::design(200, 42)));
    for (name, text) in designs {
        let design = checked(&name, &text);
        let layout = render::pixel_layout(&design, Direction::Down);
        for edge in &layout.edges {
            let points = &edge.points;
            let length: f64 = points
                .windows(2)
                .map(|p| (p[1].0 - p[0].0).abs() + (p[1].1 - p[0].1).abs())
                .sum();
            let (start, end) = (points[0], points[points.len() - 1]);
            let apart = ((end.0 - start.0).abs() + (end.1 - start.1).abs()).max(40.0);
            let flow = &design.flows[edge.flow];
            let ends = (
                &design.components[flow.from].id,
                &design.components[flow.to].id,
            );
            assert!(length <= 3.0 * apart, "{name}: {ends:?} {points:?}");
        }
    }
}
