//! The embedded font. resvg starts with no fonts, so a PNG made on a machine without any
//! would lose its labels: we ship DejaVu Sans (see `assets/fonts/LICENSE`), draw every
//! text with it, and measure labels with the same font so boxes fit their text.

use std::sync::OnceLock;

pub const FAMILY: &str = "DejaVu Sans";
/// The `font-family` the SVG asks for: ours first, then what a browser has.
pub const FAMILY_LIST: &str = "'DejaVu Sans', Verdana, 'Helvetica Neue', Arial, sans-serif";
pub const DATA: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f64,
    /// Advance widths of ASCII characters, in font units: most text is ASCII.
    ascii: [u16; 128],
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(DATA, 0).expect("the embedded font parses");
        let mut ascii = [0u16; 128];
        for (code, advance) in ascii.iter_mut().enumerate() {
            *advance = advance_of(&face, char::from(code as u8));
        }
        Metrics {
            units_per_em: f64::from(face.units_per_em()),
            face,
            ascii,
        }
    })
}

fn advance_of(face: &ttf_parser::Face, c: char) -> u16 {
    face.glyph_index(c)
        .or_else(|| face.glyph_index('?'))
        .and_then(|glyph| face.glyph_hor_advance(glyph))
        .unwrap_or(0)
}

/// Width of `text` at `size` pixels, without kerning (a little wider than drawn).
pub fn width(text: &str, size: f64) -> f64 {
    let m = metrics();
    let units: u64 = text
        .chars()
        .map(|c| {
            let advance = if c.is_ascii() {
                m.ascii[c as usize]
            } else {
                advance_of(&m.face, c)
            };
            u64::from(advance)
        })
        .sum();
    units as f64 * size / m.units_per_em
}

#[cfg(test)]
mod tests {
    #[test]
    fn wider_text_measures_wider_and_scales_with_size() {
        let short = super::width("API", 12.0);
        let long = super::width("API Gateway", 12.0);
        assert!(short > 10.0 && long > short * 2.5);
        assert!((super::width("API", 24.0) - 2.0 * short).abs() < 1e-9);
    }
}
