//! PNG: the SVG rasterised by resvg, with the embedded font as every family.

use super::font;
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

/// Rasterises `svg` at `scale` pixels per SVG unit.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("the scale must be a positive number, not {scale}"));
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
    if f64::from(width) * f64::from(height) > MAX_PIXELS as f64 {
        return Err(format!(
            "the diagram would be {width}×{height} pixels, too large for a PNG; render it as SVG or lower --scale"
        ));
    }
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
