//! Rendering: a laid-out design as SVG, PNG (the SVG through resvg) or a JSON
//! dump of the geometry. All three share one pixel layout, measured with the embedded font.

pub mod annotate;
pub mod font;
pub mod json;
pub mod png;
pub mod shapes;
pub mod svg;
pub mod text;
pub mod theme;

use crate::layout::{self, Direction, Layout, LayoutOptions, Measure, Size, Spacing, TextRole};
use crate::model::{Component, Design};

/// Font sizes in pixels.
pub const LABEL_SIZE: f64 = 13.0;
pub const TECH_SIZE: f64 = 11.0;
pub const EDGE_LABEL_SIZE: f64 = 11.0;
pub const TIER_TITLE_SIZE: f64 = 14.0;
pub const GROUP_TITLE_SIZE: f64 = 12.0;
pub const TITLE_SIZE: f64 = 18.0;
pub const BADGE_SIZE: f64 = 10.0;

/// Inside a box: padding, the kind's glyph and the gap after it.
const BOX_PAD: f64 = 12.0;
const GLYPH: f64 = 16.0;
const GLYPH_GAP: f64 = 8.0;
const MIN_BOX_WIDTH: f64 = 120.0;

/// Sizes in pixels, from the embedded font's metrics.
pub struct PixelMeasure;

impl PixelMeasure {
    /// Width of the replica badge (`×3`), 0 for a single instance.
    pub fn badge_width(replicas: u32) -> f64 {
        if replicas > 1 {
            font::width(&replica_text(replicas), BADGE_SIZE) + 10.0
        } else {
            0.0
        }
    }
}

pub fn replica_text(replicas: u32) -> String {
    format!("×{replicas}")
}

impl Measure for PixelMeasure {
    fn node(&self, component: &Component) -> Size {
        let label = font::width(&component.label, LABEL_SIZE);
        let tech = component
            .tech
            .as_deref()
            .map_or(0.0, |t| font::width(t, TECH_SIZE));
        let badge = Self::badge_width(component.replicas);
        let inset = shapes::side_inset(component.kind);
        let badge_room = if badge > 0.0 { badge + 6.0 } else { 0.0 };
        let w = 2.0 * inset + 2.0 * BOX_PAD + GLYPH + GLYPH_GAP + label.max(tech) + badge_room;
        let h = if component.tech.is_some() { 50.0 } else { 38.0 };
        Size {
            w: w.max(MIN_BOX_WIDTH).ceil(),
            h: h + shapes::extra_height(component.kind),
        }
    }

    fn text(&self, text: &str, role: TextRole) -> Size {
        let (size, pad) = match role {
            TextRole::EdgeLabel => (EDGE_LABEL_SIZE, 6.0),
            TextRole::TierTitle => (TIER_TITLE_SIZE, 0.0),
            TextRole::GroupTitle => (GROUP_TITLE_SIZE, 0.0),
        };
        Size {
            w: (font::width(text, size) + pad).ceil(),
            h: (size * 1.3).ceil(),
        }
    }
}

/// A finding to mark on a component (for overlays such as lint results).
#[derive(Debug, Clone)]
pub struct Badge {
    pub text: String,
    /// Fill colour of the badge.
    pub colour: String,
    /// Shown on hover (an SVG `<title>`): what the badge stands for.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    pub theme: theme::Theme,
    /// Badges to draw on each component, by component index.
    pub badges: Option<&'a [Vec<Badge>]>,
    /// Components to outline in red, by component index (single points of failure).
    pub outlined: Option<&'a [bool]>,
    /// What a view did to the design drawn: stubs for the flows it cut, what it dimmed.
    pub view: Option<&'a crate::view::Marks>,
}

/// The pixel layout every output format draws.
pub fn pixel_layout(design: &Design, direction: Direction) -> Layout {
    layout::layout(design, &pixel_options(design, direction))
}

/// How pixel layouts are made: sizes from the embedded font, room for the system's name.
pub fn pixel_options(design: &Design, direction: Direction) -> LayoutOptions<'static> {
    let title = design.system.name.as_deref().map(|name| Size {
        w: font::width(name, TITLE_SIZE).ceil(),
        h: (TITLE_SIZE * 1.3).ceil(),
    });
    LayoutOptions {
        direction,
        measure: &PixelMeasure,
        spacing: Spacing::pixels(),
        title,
    }
}
