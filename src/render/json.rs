//! The layout as JSON (schema in docs/layout-json.md): boxes, edge polylines, and extra
//! rectangles for tiers, groups and labels, in SVG units, for tests and quality metrics.

use crate::layout::{Layout, Rect};
use crate::model::Design;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    width: f64,
    height: f64,
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
    tiers: Vec<Frame<'a>>,
    groups: Vec<Frame<'a>>,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: &'static str,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    #[serde(rename = "async")]
    is_async: bool,
    points: Vec<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Labelled<'a>>,
}

#[derive(Serialize)]
struct Labelled<'a> {
    text: &'a str,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Serialize)]
struct Frame<'a> {
    id: &'a str,
    title: &'a str,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn round(value: f64) -> f64 {
    let r = (value * 10.0).round() / 10.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn frame<'a>(id: &'a str, title: &'a str, rect: Rect) -> Frame<'a> {
    Frame {
        id,
        title,
        x: round(rect.x),
        y: round(rect.y),
        w: round(rect.w),
        h: round(rect.h),
    }
}

pub fn to_json(design: &Design, layout: &Layout) -> String {
    let nodes = design
        .components
        .iter()
        .zip(&layout.nodes)
        .map(|(c, r)| Node {
            id: &c.id,
            kind: c.kind.name(),
            x: round(r.x),
            y: round(r.y),
            w: round(r.w),
            h: round(r.h),
        })
        .collect();
    let edges = layout
        .edges
        .iter()
        .map(|route| {
            let flow = &design.flows[route.flow];
            Edge {
                from: &design.components[flow.from].id,
                to: &design.components[flow.to].id,
                is_async: flow.mode == crate::syntax::ast::FlowMode::Async,
                points: route
                    .points
                    .iter()
                    .map(|&(x, y)| [round(x), round(y)])
                    .collect(),
                label: route
                    .label
                    .zip(flow.label.as_deref())
                    .map(|(r, text)| Labelled {
                        text,
                        x: round(r.x),
                        y: round(r.y),
                        w: round(r.w),
                        h: round(r.h),
                    }),
            }
        })
        .collect();
    let tiers = layout
        .bands
        .iter()
        .map(|band| match band.tier {
            Some(t) => frame(&design.tiers[t].id, &design.tiers[t].title, band.rect),
            None => frame("", crate::layout::UNTIERED_TITLE, band.rect),
        })
        .collect();
    let groups = layout
        .groups
        .iter()
        .map(|g| {
            frame(
                &design.groups[g.group].id,
                &design.groups[g.group].title,
                g.rect,
            )
        })
        .collect();
    let document = Document {
        format: "strata.layout/1",
        width: round(layout.width),
        height: round(layout.height),
        nodes,
        edges,
        tiers,
        groups,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("layout serialises");
    text.push('\n');
    text
}
