//! The shape of each kind's box and the small glyph drawn beside its label.

use crate::layout::Rect;
use crate::model::Kind;
use std::fmt::Write;

/// Height the shape adds above and below the text (a cylinder's caps).
pub fn extra_height(kind: Kind) -> f64 {
    if is_cylinder(kind) {
        12.0
    } else {
        0.0
    }
}

/// Width the shape takes from the text area on each side (a hexagon's points).
pub fn side_inset(kind: Kind) -> f64 {
    match kind {
        Kind::LoadBalancer | Kind::Gateway | Kind::Waf => 10.0,
        Kind::Queue | Kind::Stream => 8.0,
        Kind::Cdn | Kind::External | Kind::Dns => 8.0,
        _ => 0.0,
    }
}

fn is_cylinder(kind: Kind) -> bool {
    matches!(kind, Kind::Database | Kind::Search | Kind::ObjectStorage)
}

/// SVG for the outline of a box of `kind`, filled and stroked with the given colours.
pub fn outline(out: &mut String, kind: Kind, r: Rect, fill: &str, stroke: &str) {
    let style = format!(r#"fill="{fill}" stroke="{stroke}" stroke-width="1.5""#);
    let (x, y, w, h) = (r.x, r.y, r.w, r.h);
    match kind {
        _ if is_cylinder(kind) => {
            let ry = 6.0;
            let _ = write!(
                out,
                r#"<path d="M{} {}A{} {} 0 0 1 {} {}V{}A{} {} 0 0 1 {} {}Z" {style}/><path d="M{} {}A{} {} 0 0 0 {} {}" fill="none" stroke="{stroke}" stroke-width="1.5"/>"#,
                n(x),
                n(y + ry),
                n(w / 2.0),
                n(ry),
                n(x + w),
                n(y + ry),
                n(y + h - ry),
                n(w / 2.0),
                n(ry),
                n(x),
                n(y + h - ry),
                n(x),
                n(y + ry),
                n(w / 2.0),
                n(ry),
                n(x + w),
                n(y + ry),
            );
        }
        Kind::Queue | Kind::Stream => {
            let rx = 8.0;
            let _ = write!(
                out,
                r#"<path d="M{} {}H{}A{} {} 0 0 1 {} {}H{}A{} {} 0 0 1 {} {}Z" {style}/><path d="M{} {}A{} {} 0 0 0 {} {}" fill="none" stroke="{stroke}" stroke-width="1.5"/>"#,
                n(x + rx),
                n(y),
                n(x + w - rx),
                n(rx),
                n(h / 2.0),
                n(x + w - rx),
                n(y + h),
                n(x + rx),
                n(rx),
                n(h / 2.0),
                n(x + rx),
                n(y),
                n(x + w - rx),
                n(y),
                n(rx),
                n(h / 2.0),
                n(x + w - rx),
                n(y + h),
            );
        }
        Kind::LoadBalancer | Kind::Gateway | Kind::Waf => {
            let inset = side_inset(kind);
            let _ = write!(
                out,
                r#"<path d="M{} {}H{}L{} {}L{} {}H{}L{} {}Z" {style}/>"#,
                n(x + inset),
                n(y),
                n(x + w - inset),
                n(x + w),
                n(y + h / 2.0),
                n(x + w - inset),
                n(y + h),
                n(x + inset),
                n(x),
                n(y + h / 2.0),
            );
        }
        Kind::Cdn | Kind::External | Kind::Dns => {
            let dash = if kind == Kind::External {
                r#" stroke-dasharray="5 3""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" {style}{dash}/>"#,
                n(x),
                n(y),
                n(w),
                n(h),
                n(h / 2.0),
            );
        }
        _ => {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" {style}/>"#,
                n(x),
                n(y),
                n(w),
                n(h),
            );
        }
    }
}

/// A 16×16 glyph for `kind` with its top-left at (x, y), drawn in `colour`.
pub fn glyph(out: &mut String, kind: Kind, x: f64, y: f64, colour: &str) {
    let path = match kind {
        Kind::Client => "M1 2h14v9H1zM5 14h6M8 11v3",
        Kind::Dns => {
            "M8 1a7 7 0 1 0 0 14a7 7 0 1 0 0-14M1 8h14M8 1c-3 4-3 10 0 14M8 1c3 4 3 10 0 14"
        }
        Kind::Cdn => "M4 12a3 3 0 0 1 0-6a4 4 0 0 1 8-1a3 3 0 0 1 0 7z",
        Kind::Waf => "M8 1l6 2v5c0 4-3 6-6 7c-3-1-6-3-6-7V3z",
        Kind::LoadBalancer => "M8 2v4M8 6L3 12M8 6v6M8 6l5 6M1 12h4M6 12h4M11 12h4",
        Kind::Gateway => "M2 8h12M10 4l4 4l-4 4M2 3v10",
        Kind::Service => "M3 3h10v10H3zM6 6h4v4H6z",
        Kind::Auth => "M5 10a3 3 0 1 1 0-6a3 3 0 0 1 0 6M8 7h7M13 7v3M11 7v2",
        Kind::Worker => "M8 2v2M8 12v2M2 8h2M12 8h2M8 5a3 3 0 1 0 0 6a3 3 0 1 0 0-6",
        Kind::Database => "M2 4c0-3 12-3 12 0v8c0 3-12 3-12 0zM2 4c0 3 12 3 12 0",
        Kind::Cache => "M9 1L3 9h5l-1 6l6-8H8z",
        Kind::Queue => "M1 4h14v8H1zM5 4v8M9 4v8",
        Kind::Stream => "M1 5c3-3 5 3 8 0s5 3 6 0M1 11c3-3 5 3 8 0s5 3 6 0",
        Kind::Search => "M7 2a5 5 0 1 0 0 10a5 5 0 1 0 0-10M11 11l4 4",
        Kind::ObjectStorage => "M2 4h12l-2 10H4zM1 4h14",
        Kind::SecretStore => "M4 7V5a4 4 0 0 1 8 0v2M3 7h10v8H3zM8 10v2",
        Kind::ConfigStore => "M2 4h12M2 8h12M2 12h12M5 2v4M11 6v4M7 10v4",
        Kind::Metrics => "M1 15h14M3 12v-4M7 12V4M11 12V7",
        Kind::Logging => "M3 2h10v12H3zM5 5h6M5 8h6M5 11h4",
        Kind::Tracing => "M1 3h8M4 7h8M7 11h8",
        Kind::Alerting => "M8 2c-3 0-4 3-4 5v3l-2 2h12l-2-2V7c0-2-1-5-4-5M6 14h4",
        Kind::External => "M8 1a7 7 0 1 0 0 14a7 7 0 1 0 0-14M1 8h14",
        Kind::Component => "M2 2h12v12H2z",
    };
    let _ = write!(
        out,
        r#"<path transform="translate({} {})" d="{path}" fill="none" stroke="{colour}" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/>"#,
        n(x),
        n(y)
    );
}

/// A number for SVG: one decimal at most, so output is short and stable.
pub fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}
