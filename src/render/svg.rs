//! SVG: tier bands with titles, group frames, a shape and glyph per kind, labels with the
//! `tech` line, replica badges, orthogonal edges (async ones dashed) with arrowheads.
//! Every piece of user text is escaped.

use super::shapes::{self, n};
use super::theme::{family, Palette};
use super::{font, replica_text, PixelMeasure, RenderOptions};
use super::{
    BADGE_SIZE, EDGE_LABEL_SIZE, GROUP_TITLE_SIZE, LABEL_SIZE, TECH_SIZE, TIER_TITLE_SIZE,
    TITLE_SIZE,
};
use crate::layout::{Layout, Rect};
use crate::model::{Component, Design};
use crate::syntax::ast::FlowMode;
use crate::view::Stub;
use std::fmt::Write;

pub fn to_svg(design: &Design, layout: &Layout, options: &RenderOptions) -> String {
    let palette = options.theme.palette();
    let mut out = String::with_capacity(4096 + 1500 * design.components.len());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{family}">"#,
        w = n(layout.width),
        h = n(layout.height),
        family = font::FAMILY_LIST.replace('\'', "&apos;"),
    );
    out.push('\n');
    if let Some(name) = &design.system.name {
        let _ = writeln!(out, "<title>{}</title>", escape(name));
    }
    let _ = writeln!(
        out,
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L10 5L0 10z" fill="{}"/></marker></defs>"#,
        palette.edge
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        palette.background
    );
    if let (Some(name), Some(rect)) = (&design.system.name, layout.title) {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
            n(rect.x),
            n(rect.y + TITLE_SIZE),
            n(TITLE_SIZE),
            palette.title,
            escape(name)
        );
    }
    bands(&mut out, design, layout, &palette);
    groups(&mut out, design, layout, &palette);
    let dimmed_flows = options.view.map(|v| v.dimmed_flows.as_slice());
    edges(&mut out, design, layout, &palette, dimmed_flows);
    for (id, component) in design.components.iter().enumerate() {
        let marks = NodeMarks {
            badges: options
                .badges
                .and_then(|b| b.get(id))
                .map_or(&[][..], |b| b.as_slice()),
            outlined: is_set(options.outlined, id),
            dimmed: is_set(options.view.map(|v| v.dimmed_components.as_slice()), id),
            stub: options
                .view
                .and_then(|v| v.stubs.get(id))
                .and_then(Option::as_ref),
        };
        node(&mut out, component, layout.nodes[id], &palette, &marks);
    }
    out.push_str("</svg>\n");
    out
}

fn bands(out: &mut String, design: &Design, layout: &Layout, palette: &Palette) {
    out.push_str("<g class=\"tiers\">\n");
    for (index, band) in layout.bands.iter().enumerate() {
        let r = band.rect;
        let title = band.tier.map_or(crate::layout::UNTIERED_TITLE, |t| {
            design.tiers[t].title.as_str()
        });
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/><text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            palette.bands[index % 2],
            palette.band_line,
            n(band.title.x),
            n(band.title.y + TIER_TITLE_SIZE),
            n(TIER_TITLE_SIZE),
            palette.title,
            escape(title)
        );
    }
    out.push_str("</g>\n");
}

fn groups(out: &mut String, design: &Design, layout: &Layout, palette: &Palette) {
    out.push_str("<g class=\"groups\">\n");
    for group in &layout.groups {
        let r = group.rect;
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="none" stroke="{}" stroke-width="1.2" stroke-dasharray="6 4"/><text x="{}" y="{}" font-size="{}" font-style="italic" fill="{}">{}</text>"#,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            palette.group,
            n(group.title.x),
            n(group.title.y + GROUP_TITLE_SIZE),
            n(GROUP_TITLE_SIZE),
            palette.subtext,
            escape(&design.groups[group.group].title)
        );
    }
    out.push_str("</g>\n");
}

fn is_set(flags: Option<&[bool]>, index: usize) -> bool {
    flags.and_then(|f| f.get(index)).copied().unwrap_or(false)
}

/// How a view draws what is off its subject: faint.
fn dim(dimmed: bool) -> &'static str {
    if dimmed {
        r#" opacity="0.25""#
    } else {
        ""
    }
}

fn edges(
    out: &mut String,
    design: &Design,
    layout: &Layout,
    palette: &Palette,
    dimmed: Option<&[bool]>,
) {
    out.push_str("<g class=\"flows\" fill=\"none\">\n");
    for route in &layout.edges {
        let faint = dim(is_set(dimmed, route.flow));
        let flow = &design.flows[route.flow];
        let (points, to_target) = route.drawn();
        let mut d = String::new();
        for (index, &(x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if index == 0 { "M" } else { "L" }, n(x), n(y));
        }
        let arrow = if to_target {
            r#" marker-end="url(#arrow)""#
        } else {
            ""
        };
        let dash = if flow.mode == FlowMode::Async {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<path d="{d}" stroke="{}" stroke-width="1.4" stroke-linejoin="round"{dash}{arrow}{faint}><title>{} → {}</title></path>"#,
            palette.edge,
            escape(&design.components[flow.from].id),
            escape(&design.components[flow.to].id),
        );
    }
    out.push_str("</g>\n<g class=\"labels\">\n");
    for route in &layout.edges {
        let (Some(rect), Some(text)) = (route.label, design.flows[route.flow].label.as_deref())
        else {
            continue;
        };
        let faint = dim(is_set(dimmed, route.flow));
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" fill-opacity="0.85"{faint}/><text x="{}" y="{}" font-size="{}" fill="{}"{faint}>{}</text>"#,
            n(rect.x),
            n(rect.y),
            n(rect.w),
            n(rect.h),
            palette.background,
            n(rect.x + 3.0),
            n(rect.y + rect.h / 2.0 + EDGE_LABEL_SIZE * 0.35),
            n(EDGE_LABEL_SIZE),
            palette.label,
            escape(text)
        );
    }
    out.push_str("</g>\n");
}

/// What is drawn on a box besides the component: lint badges, the SPOF outline, a view's
/// stub and dimming.
struct NodeMarks<'a> {
    badges: &'a [super::Badge],
    outlined: bool,
    dimmed: bool,
    stub: Option<&'a Stub>,
}

fn node(out: &mut String, component: &Component, r: Rect, palette: &Palette, marks: &NodeMarks) {
    let NodeMarks {
        badges, outlined, ..
    } = *marks;
    let (fill, stroke) = palette.families[family(component.kind)];
    let _ = write!(
        out,
        r#"<g class="node {}" id="c-{}"{}>"#,
        component.kind.name(),
        escape(&component.id),
        dim(marks.dimmed)
    );
    shapes::outline(out, component.kind, r, fill, stroke);
    if outlined {
        let _ = write!(
            out,
            r#"<rect class="spof" x="{}" y="{}" width="{}" height="{}" rx="9" fill="none" stroke="{SPOF_RED}" stroke-width="2" stroke-dasharray="6 3"/>"#,
            n(r.x - 4.0),
            n(r.y - 4.0),
            n(r.w + 8.0),
            n(r.h + 8.0)
        );
    }
    let details: Vec<&str> = badges.iter().map(|b| b.detail.as_str()).collect();
    if !details.is_empty() {
        let _ = write!(out, "<title>{}</title>", escape(&details.join("\n")));
    }
    let inset = shapes::side_inset(component.kind);
    let centre = r.y + r.h / 2.0 + shapes::extra_height(component.kind) / 4.0;
    let left = r.x + inset + 12.0;
    shapes::glyph(out, component.kind, left, centre - 8.0, stroke);
    let text_x = left + 16.0 + 8.0;
    let label_baseline = match component.tech {
        Some(_) => centre - 13.5 + 10.5,
        None => centre + 4.5,
    };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
        n(text_x),
        n(label_baseline),
        n(LABEL_SIZE),
        palette.text,
        escape(&component.label)
    );
    if let Some(tech) = &component.tech {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
            n(text_x),
            n(centre - 13.5 + 25.0),
            n(TECH_SIZE),
            palette.subtext,
            escape(tech)
        );
    }
    if component.replicas > 1 {
        let w = PixelMeasure::badge_width(component.replicas);
        let x = r.right() - inset - 6.0 - w;
        let y = r.y + 5.0 + shapes::extra_height(component.kind) / 2.0;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="14" rx="7" fill="{}"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text>"#,
            n(x),
            n(y),
            n(w),
            palette.badge,
            n(x + w / 2.0),
            n(y + 10.5),
            n(BADGE_SIZE),
            palette.badge_text,
            replica_text(component.replicas)
        );
    }
    for (index, badge) in badges.iter().enumerate() {
        let cx = r.x + 8.0 + 18.0 * index as f64;
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="8" fill="{}"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text>"#,
            n(cx),
            n(r.y),
            escape(&badge.colour),
            n(cx),
            n(r.y + 3.5),
            n(BADGE_SIZE),
            palette.badge_text,
            escape(&badge.text)
        );
    }
    if let Some(stub) = marks.stub {
        self::stub(out, stub, r, palette);
    }
    out.push_str("</g>\n");
}

/// The flows a view cut off a box, as a pill on its right edge (`+3`) listing them on hover.
fn stub(out: &mut String, stub: &Stub, r: Rect, palette: &Palette) {
    let text = stub.text();
    let w = font::width(&text, BADGE_SIZE) + 10.0;
    let x = r.right() - w / 2.0;
    let y = r.y + r.h / 2.0 - 7.0;
    let _ = write!(
        out,
        r#"<g class="stub"><title>{}</title><rect x="{}" y="{}" width="{}" height="14" rx="7" fill="{}" stroke="{}" stroke-dasharray="3 2"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text></g>"#,
        escape(&stub.detail),
        n(x),
        n(y),
        n(w),
        palette.background,
        palette.edge,
        n(x + w / 2.0),
        n(y + 10.5),
        n(BADGE_SIZE),
        palette.text,
        escape(&text)
    );
}

/// The outline of a single point of failure, the same in both themes.
const SPOF_RED: &str = "#d1242f";

/// Escapes text for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && c != '\t' && c != '\n' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}
