//! PNG: the SVG rasterised by resvg, with the embedded font as every family.

use super::{font, PixelMeasure, RenderOptions};
use crate::layout::{self, Direction};
use crate::model::Design;
use resvg::tiny_skia;
use resvg::usvg;
use std::sync::{Arc, OnceLock};

/// Larger images would need gigabytes of memory; the SVG has no such limit.
const MAX_PIXELS: u64 = 120_000_000;

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(font::DATA.to_vec());
            db.set_sans_serif_family(font::FAMILY);
            db.set_serif_family(font::FAMILY);
            db.set_monospace_family(font::FAMILY);
            db.set_cursive_family(font::FAMILY);
            db.set_fantasy_family(font::FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// The design drawn as a PNG at `scale`; a drawing surely too large is refused from its
/// ranks before it is laid out.
pub fn design_to_png(
    design: &Design,
    direction: Direction,
    options: &RenderOptions,
    scale: f32,
) -> Result<Vec<u8>, String> {
    let layout_options = super::pixel_options(design, direction);
    let spacing = layout_options.spacing;
    let wrapping = layout::Wrapping::plan(design, &layout_options);
    let gaps = layout::LeastGaps {
        gap: spacing.node_gap.min(spacing.lane_gap),
        lane: spacing.lane,
        channel: spacing.min_channel,
        bundle: true,
    };
    let least = layout::least_size(
        design,
        direction,
        &PixelMeasure,
        gaps,
        wrapping.as_ref().map(layout::Wrapping::wrap),
    );
    too_large(least.w * f64::from(scale), least.h * f64::from(scale), true)?;
    let layout = layout::layout(design, &layout_options);
    to_png(&super::svg::to_svg(design, &layout, options), scale)
}

/// Rasterises `svg` at `scale` pixels per SVG unit.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("the scale must be a positive number, not {scale}"));
    }
    // Refused on the size the drawing declares, before reading it: reading a drawing
    // with very long text costs far more than any refusal should.
    if let Some((width, height)) = declared_size(svg) {
        too_large(width * f64::from(scale), height * f64::from(scale), false)?;
    }
    let options = usvg::Options {
        font_family: font::FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("cannot read the SVG: {e}"))?;
    let size = tree.size();
    let width = (size.width() * scale).ceil();
    let height = (size.height() * scale).ceil();
    too_large(f64::from(width), f64::from(height), false)?;
    let mut pixmap = tiny_skia::Pixmap::new(width as u32, height as u32)
        .ok_or_else(|| format!("cannot make a {width}×{height} image"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

/// Refuses a PNG of `width` × `height` pixels (`at_least`: no fewer) past [`MAX_PIXELS`].
fn too_large(width: f64, height: f64, at_least: bool) -> Result<(), String> {
    let (width, height) = (width.ceil(), height.ceil());
    if width * height > MAX_PIXELS as f64 {
        let least = if at_least { "at least " } else { "" };
        return Err(format!(
            "the diagram would be {least}{width}×{height} pixels, too large for a PNG (at most \
             {MAX_PIXELS}); render it as SVG or lower --scale"
        ));
    }
    Ok(())
}

/// The `width` and `height` of the root `<svg>` element, as strata's SVG writes them.
fn declared_size(svg: &str) -> Option<(f64, f64)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let attribute = |name: &str| -> Option<f64> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        let length = root[start..].find('"')?;
        root[start..start + length].parse().ok()
    };
    Some((attribute("width")?, attribute("height")?))
}

#[cfg(test)]
mod tests {
    use crate::layout::Direction;
    use crate::render::RenderOptions;
    use crate::source::Source;
    use std::fmt::Write;

    #[test]
    fn a_design_surely_too_large_is_refused_from_its_ranks() {
        let mut text = format!("wide: service \"{}\"\n", "x".repeat(2_000));
        for i in 0..3_000 {
            writeln!(text, "tier t{i} {{ s{i}: service }}").unwrap();
        }
        let checked = crate::check(&Source::new("t", text));
        let options = RenderOptions::default();
        let error =
            super::design_to_png(&checked.design, Direction::Down, &options, 2.0).unwrap_err();
        assert!(error.contains("at least"), "{error}");
    }
    /// The refusal reads the ranks as the layout wraps them: the least size bounds the
    /// drawing and is far narrower than unwrapped ranks would make it.
    #[test]
    fn the_least_size_bounds_the_wrapped_drawing() {
        let checked = crate::check(&Source::new("t", crate::generate::design(120, 7)));
        let design = &checked.design;
        let layout_options = crate::render::pixel_options(design, Direction::Down);
        let spacing = layout_options.spacing;
        let wrapping = crate::layout::Wrapping::plan(design, &layout_options)
            .expect("120 components make ranks too long to read unwrapped");
        let gaps = crate::layout::LeastGaps {
            gap: spacing.node_gap.min(spacing.lane_gap),
            lane: spacing.lane,
            channel: spacing.min_channel,
            bundle: true,
        };
        let least = |wrap| {
            crate::layout::least_size(
                design,
                Direction::Down,
                &crate::render::PixelMeasure,
                gaps,
                wrap,
            )
        };
        let (wrapped, unwrapped) = (least(Some(wrapping.wrap())), least(None));
        let layout = crate::layout::layout(design, &layout_options);
        assert!(wrapped.w <= layout.width && wrapped.h <= layout.height);
        assert!(wrapped.w < unwrapped.w / 2.0, "{wrapped:?} {unwrapped:?}");
        assert!(super::too_large(layout.width * 2.0, layout.height * 2.0, false).is_ok());
    }

    #[test]
    fn a_drawing_too_large_is_refused_on_its_declared_size() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="90000" height="900.5"><text>x</text></svg>"#;
        assert_eq!(super::declared_size(svg), Some((90000.0, 900.5)));
        let error = super::to_png(svg, 2.0).unwrap_err();
        assert!(error.contains("180000×1801 pixels"), "{error}");
    }
}
