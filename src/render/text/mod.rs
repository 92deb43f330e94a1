//! Diagrams as text, in the style of the guide's hand-drawn ones: tiers as titled frames,
//! groups as nested frames, components as boxes, flows as orthogonal lines ending in an
//! arrowhead (dashed for async flows), in Unicode box drawing or plain ASCII.
//!
//! [`cells`] lays the design out in character cells (sharing the layered layout's rank,
//! order, position and route stages), [`draw`] puts it on a [`grid::Grid`] that merges
//! crossing lines into junctions, [`charset`] picks the characters, and [`check`] reads a
//! drawing back to prove it says what the design says.

pub mod cells;
pub mod charset;
pub mod check;
pub mod draw;
pub mod grid;
pub mod labels;

use crate::layout::{Direction, Measure, Size, TextRole};
use crate::model::{Component, Design};
pub use cells::{CellLayout, Fit, Labels};
pub use charset::Charset;
use grid::text_width;

/// A `tech` wider than this (or than the label) is wrapped onto a second line, and left
/// out if it needs more.
const TECH_WRAP: usize = 18;
/// A longer label is wrapped, as the guide writes `PRODUCT / SERVICE` on two lines.
const LABEL_BOX_WRAP: usize = 20;
/// The ways edge labels are shown, in the order they are tried: wrapped to fewer cells,
/// then as markers explained in a legend. A label is never left out.
pub const LABEL_WAYS: [Labels; 3] = [Labels::Wrapped(16), Labels::Wrapped(10), Labels::Markers];
/// Rank limits tried, from just under the widest rank's boxes down to the widest box.
const RANK_WRAP_STEPS: usize = 10;
/// Ranks are wrapped only in designs this small (components and flows): a refusal lays
/// out the ways that may be the narrowest, which past it (about 160 generated components)
/// takes over 100 ms, and a drawing so large is read in SVG anyway.
const WRAP_ELEMENTS_AT_MOST: usize = 400;
/// Inside width of the narrowest box.
const MIN_INSIDE: usize = 5;
/// The most characters a text drawing may have. A design of a thousand components needs
/// about thirty million; past this, a text file is too big to read or to write out, and
/// a scalable picture is the way to show the design.
pub const MAX_CELLS: usize = 50_000_000;
/// The most components and flows a text drawing is laid out for. Past it the drawing is
/// all but always over [`MAX_CELLS`] (a thousand components and 1,500 flows take thirty
/// million), and its lanes can only be known by a layout too slow to be worth a refusal.
pub const MAX_ELEMENTS: usize = 4_000;

/// Text's least sizes: a cell apart at least, a lane a cell wide, channels of no rows at
/// all, and a lane for every flow across a rank (text does not bundle flows into trunks).
const LEAST_GAPS: crate::layout::LeastGaps = crate::layout::LeastGaps {
    gap: 1.0,
    lane: 1.0,
    channel: 0.0,
    bundle: false,
};

/// Sizes in character cells, for a box drawn as rows top to bottom.
pub struct CellMeasure;

impl Measure for CellMeasure {
    fn node(&self, component: &Component) -> Size {
        let lines = box_lines(component, Charset::Unicode);
        let inside = lines.iter().map(|l| text_width(l)).max().unwrap_or(0);
        Size {
            w: (inside.max(MIN_INSIDE) + 4) as f64,
            h: (lines.len() + 2) as f64,
        }
    }

    fn text(&self, text: &str, _role: TextRole) -> Size {
        Size {
            w: text_width(text) as f64,
            h: 1.0,
        }
    }
}

/// The text inside a component's box: its label (with the replica count) wrapped, then its
/// `tech` in parentheses, on two lines at most, when that is not much wider than the label.
pub fn box_lines(component: &Component, charset: Charset) -> Vec<String> {
    let mut label = component.label.clone();
    if component.replicas > 1 {
        label = format!("{label} {}{}", charset.times(), component.replicas);
    }
    let mut lines = wrap(&label, LABEL_BOX_WRAP);
    let room = lines
        .iter()
        .map(|l| text_width(l))
        .max()
        .unwrap_or(0)
        .max(TECH_WRAP);
    if let Some(tech) = &component.tech {
        let tech = wrap(&format!("({tech})"), room);
        if tech.len() <= 2 && tech.iter().all(|line| text_width(line) <= room) {
            lines.extend(tech);
        }
    }
    lines
}

/// Text broken at spaces into lines of at most `width` cells (a longer word keeps a line
/// of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !current.is_empty() && text_width(&current) + 1 + text_width(word) > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub direction: Direction,
    pub charset: Charset,
    /// Columns available.
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// The drawing needs `needed` columns; `other` is what the other direction needs.
    TooWide {
        needed: Columns,
        width: usize,
        direction: Direction,
        other: Columns,
    },
    /// The drawing would be `columns × rows` (`at_least`: no fewer), more than [`MAX_CELLS`].
    TooLarge {
        columns: usize,
        rows: usize,
        at_least: bool,
    },
    /// The design has more components and flows than [`MAX_ELEMENTS`].
    TooMany { elements: usize },
}

/// Columns a drawing needs: exactly, from its layout, or at least, from its ranks alone
/// (a refusal that costs no layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub count: usize,
    pub at_least: bool,
}

impl Columns {
    fn exactly(count: usize) -> Self {
        Columns {
            count,
            at_least: false,
        }
    }

    fn at_least(count: usize) -> Self {
        Columns {
            count,
            at_least: true,
        }
    }
}

impl std::fmt::Display for Columns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at_least {
            write!(f, "at least ")?;
        }
        write!(f, "{}", self.count)
    }
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            TextError::TooWide {
                needed,
                width,
                direction,
                other,
            } => {
                let (this, that) = match direction {
                    Direction::Down => ("down", "right"),
                    Direction::Right => ("right", "down"),
                };
                write!(
                    f,
                    "the diagram does not fit in {width} columns: drawn {this} it needs {needed}"
                )?;
                if needed.at_least {
                    // Only a layout at that width can tell what it needs exactly.
                    write!(
                        f,
                        " (its widest rank's boxes and lanes side by side); pass --width {} \
                         or more to have it laid out",
                        needed.count
                    )?;
                } else {
                    write!(f, "; pass --width {} or more", needed.count)?;
                }
                if !other.at_least && other.count <= width {
                    write!(f, ", or --direction {that}, which fits ({other} columns)")
                } else {
                    write!(f, " (drawn {that} it needs {other})")
                }
            }
            TextError::TooLarge {
                columns,
                rows,
                at_least,
            } => write!(
                f,
                "the diagram would be {}{columns} columns by {rows} rows, more than the \
                 {MAX_CELLS} characters a text diagram may have; render it as SVG or PNG \
                 (--format svg), which scale",
                if at_least { "at least " } else { "" }
            ),
            TextError::TooMany { elements } => write!(
                f,
                "a text diagram shows at most {MAX_ELEMENTS} components and flows, and this \
                 design has {elements}; render it as SVG or PNG (--format svg), which scale"
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// The design as text, its title on the first line, or an error when it cannot fit in
/// `options.width` columns (the drawing is never cut or squeezed).
pub fn to_text(design: &Design, options: &TextOptions) -> Result<String, TextError> {
    let layout = fitting_layout(design, options.direction, options.width)?;
    let mut out = String::new();
    if let Some(name) = &design.system.name {
        out.push_str(name);
        out.push('\n');
    }
    draw::draw_into(design, &layout, options.charset, &mut out);
    Ok(out)
}

/// The first layout of [`fits`] that fits in `width` columns (and in [`MAX_CELLS`]).
/// What is tried does not depend on the width, so the width an error asks for is the
/// narrowest drawing there is, and any wider width fits too; or, when the least size
/// already proves no attempt fits, a width no drawing is narrower than (`at least`),
/// refused without laying any out.
pub fn fitting_layout(
    design: &Design,
    direction: Direction,
    width: usize,
) -> Result<CellLayout, TextError> {
    // Refused before any layout is tried: a refusal costs no more than ranking.
    let elements = design.components.len() + design.flows.len();
    if elements > MAX_ELEMENTS {
        return Err(TextError::TooMany { elements });
    }
    let (columns, rows) = least_size(design, direction);
    if columns.saturating_mul(rows) > MAX_CELLS {
        return Err(TextError::TooLarge {
            columns,
            rows,
            at_least: true,
        });
    }
    if surely_too_wide(design, direction, columns, width) {
        return Err(TextError::TooWide {
            needed: Columns::at_least(columns),
            width,
            direction,
            other: other_direction_needs(design, other(direction), width),
        });
    }
    let fits = fits(design, direction);
    // What each way of fitting needs at least, known from its ranks alone: a way that
    // surely does not fit is not laid out, nor one that cannot be the narrowest.
    let least: Vec<usize> = fits
        .iter()
        .map(|fit| least_columns(design, direction, fit))
        .collect();
    let mut laid_out = vec![false; fits.len()];
    let mut narrowest: Option<(usize, CellLayout)> = None;
    let try_fit = |index: usize, narrowest: &mut Option<(usize, CellLayout)>| {
        let layout = cells::layout(design, direction, &CellMeasure, &fits[index]);
        let needed = needed_width(design, &layout);
        if narrowest.as_ref().is_none_or(|(least, _)| needed < *least) {
            *narrowest = Some((needed, layout));
        }
        needed
    };
    for index in (0..fits.len()).filter(|&i| least[i] <= width) {
        laid_out[index] = true;
        if try_fit(index, &mut narrowest) <= width {
            let (_, layout) = narrowest.expect("the way just tried");
            return within_size(unwrap_bands(design, direction, &fits[index], layout, width));
        }
    }
    let mut by_least: Vec<usize> = (0..fits.len()).collect();
    by_least.sort_by_key(|&i| least[i]);
    for index in by_least {
        if narrowest
            .as_ref()
            .is_some_and(|(needed, _)| least[index] >= *needed)
        {
            break;
        }
        if !laid_out[index] {
            try_fit(index, &mut narrowest);
        }
    }
    let other_layout = narrowest_labels_layout(design, other(direction));
    let other_needs = needed_width(design, &other_layout);
    let (needed, layout) = narrowest.expect("fits has at least one layout");
    // Widening would not help a drawing too large either way.
    if within_size(other_layout).is_err() {
        within_size(layout)?;
    }
    Err(TextError::TooWide {
        needed: Columns::exactly(needed),
        width,
        direction,
        other: Columns::exactly(other_needs),
    })
}

/// What is tried, in turn, to fit a drawing: each way of showing labels with the ranks as
/// they are, the labels' text before markers; then, where ranks can wrap, the same with
/// ranks wrapped narrower and narrower.
fn fits(design: &Design, direction: Direction) -> Vec<Fit> {
    let unwrapped = LABEL_WAYS.map(|labels| Fit {
        labels,
        rank_limits: Vec::new(),
    });
    let mut fits = unwrapped[..2].to_vec();
    let wraps = can_wrap(design, direction);
    let limits = if wraps {
        rank_limits(design, direction)
    } else {
        Vec::new()
    };
    let wrapped = |labels: Labels| {
        limits.iter().map(move |limits| Fit {
            labels,
            rank_limits: limits.clone(),
        })
    };
    fits.extend(wrapped(LABEL_WAYS[0]).chain(wrapped(LABEL_WAYS[1])));
    fits.push(unwrapped[2].clone());
    fits.extend(wrapped(LABEL_WAYS[2]));
    fits
}

/// A fitting `layout` of `fit` with each band it wrapped put back on one row where the
/// drawing still fits `width`: one limit for every band also wraps a tier of a few boxes
/// that a wider one below made too wide, which would fit beside its lines.
fn unwrap_bands(
    design: &Design,
    direction: Direction,
    fit: &Fit,
    mut layout: CellLayout,
    width: usize,
) -> CellLayout {
    let mut fit = fit.clone();
    for band in 0..fit.rank_limits.len() {
        if fit.rank_limits[band].is_none() {
            continue;
        }
        let mut wider = fit.clone();
        wider.rank_limits[band] = None;
        let unwrapped = cells::layout(design, direction, &CellMeasure, &wider);
        if needed_width(design, &unwrapped) <= width {
            (fit, layout) = (wider, unwrapped);
        }
    }
    layout
}

fn other(direction: Direction) -> Direction {
    match direction {
        Direction::Down => Direction::Right,
        Direction::Right => Direction::Down,
    }
}

/// The least columns and rows of any unwrapped layout `fitting_layout` tries.
fn least_size(design: &Design, direction: Direction) -> (usize, usize) {
    let least = crate::layout::least_size(design, direction, &CellMeasure, LEAST_GAPS, None);
    (least.w as usize, least.h as usize)
}

/// Whether no way of fitting can bring the drawing into `width`, known from its least
/// unwrapped width alone: every unwrapped layout is at least that wide, whatever its
/// labels, and wrapped ones are tried only where [`can_wrap`].
fn surely_too_wide(design: &Design, direction: Direction, least: usize, width: usize) -> bool {
    least > width && !can_wrap(design, direction)
}

/// The fewest columns a layout made with `fit` can take: its ranks' least size, wrapped as
/// the fit wraps them, and the system's name above it.
fn least_columns(design: &Design, direction: Direction, fit: &Fit) -> usize {
    let wrapping = cells::FitWrap::new(design, direction, &CellMeasure, fit);
    let least = crate::layout::least_size(
        design,
        direction,
        &CellMeasure,
        LEAST_GAPS,
        wrapping.as_ref().map(cells::FitWrap::wrap),
    );
    let title = design.system.name.as_deref().map_or(0, text_width);
    (least.w as usize).max(title)
}

/// What the drawing needs the other way round, for the refusal to offer it: from its
/// least size when that surely does not fit either, else from its layout with markers.
fn other_direction_needs(design: &Design, direction: Direction, width: usize) -> Columns {
    let (least, _) = least_size(design, direction);
    if surely_too_wide(design, direction, least, width) {
        return Columns::at_least(least);
    }
    Columns::exactly(needed_width(
        design,
        &narrowest_labels_layout(design, direction),
    ))
}

fn narrowest_labels_layout(design: &Design, direction: Direction) -> CellLayout {
    let markers = Fit {
        labels: Labels::Markers,
        rank_limits: Vec::new(),
    };
    cells::layout(design, direction, &CellMeasure, &markers)
}

/// Whether ranks are wrapped at all: only drawn down (ranks run across), and only in a
/// design small enough for the layouts tried to be quick. It does not depend on the
/// width asked for, so neither does the narrowest drawing.
fn can_wrap(design: &Design, direction: Direction) -> bool {
    direction == Direction::Down
        && design.components.len() + design.flows.len() <= WRAP_ELEMENTS_AT_MOST
}

/// Rank limits narrower and narrower, in the room the boxes of a rank take (what ranks
/// are wrapped by), from just under the widest rank's down to the widest box (a box to a
/// rank), each band wrapped only where its widest rank is wider than the limit.
fn rank_limits(design: &Design, direction: Direction) -> Vec<Vec<Option<usize>>> {
    let bands = cells::band_rows(design, direction, &CellMeasure);
    let widest_rank = bands.iter().map(|b| b.0).max().unwrap_or(0);
    let widest_box = bands.iter().map(|b| b.1).max().unwrap_or(0);
    let mut all: Vec<Vec<Option<usize>>> = Vec::new();
    for step in 1..=RANK_WRAP_STEPS {
        let limit = widest_rank - (widest_rank - widest_box) * step / RANK_WRAP_STEPS;
        let limits: Vec<Option<usize>> = bands
            .iter()
            .map(|&(rank, _)| (rank > limit).then_some(limit))
            .collect();
        if limits.iter().any(Option::is_some) && all.last() != Some(&limits) {
            all.push(limits);
        }
    }
    all
}

fn within_size(layout: CellLayout) -> Result<CellLayout, TextError> {
    if layout.width.saturating_mul(layout.height) > MAX_CELLS {
        return Err(TextError::TooLarge {
            columns: layout.width,
            rows: layout.height,
            at_least: false,
        });
    }
    Ok(layout)
}

fn needed_width(design: &Design, layout: &CellLayout) -> usize {
    let title = design.system.name.as_deref().map_or(0, text_width);
    let legend = labels::legend_lines(layout, layout.width)
        .iter()
        .map(|line| text_width(line))
        .max()
        .unwrap_or(0);
    layout.width.max(title).max(legend)
}

#[cfg(test)]
mod tests {
    use super::{to_text, Charset, Columns, TextError, TextOptions, MAX_ELEMENTS};
    use crate::generate::adversarial::Family;
    use crate::layout::Direction;
    use crate::model::Design;
    use crate::source::Source;
    use std::fmt::Write;

    fn design(text: &str) -> Design {
        let checked = crate::check(&Source::new("t", text));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
        checked.design
    }

    fn refusal(text: &str) -> TextError {
        let checked = crate::check(&Source::new("t", text));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
        let options = TextOptions {
            direction: Direction::Down,
            charset: Charset::Unicode,
            width: usize::MAX,
        };
        to_text(&checked.design, &options).unwrap_err()
    }

    #[test]
    fn a_design_past_the_element_limit_is_refused_before_layout() {
        let mut text = String::new();
        for i in 0..=MAX_ELEMENTS {
            writeln!(text, "s{i}: service").unwrap();
        }
        let error = refusal(&text);
        assert!(matches!(error, TextError::TooMany { elements } if elements == MAX_ELEMENTS + 1));
        assert!(error.to_string().contains("--format svg"), "{error}");
    }

    #[test]
    fn a_drawing_surely_too_large_is_refused_on_its_least_size() {
        // 3,000 ranks of boxes three rows deep, one box 6,000 columns wide: 54M cells.
        let mut text = format!("wide: service \"{}\"\n", "x".repeat(6_000));
        for i in 0..3_000 {
            writeln!(text, "tier t{i} {{ s{i}: service }}").unwrap();
        }
        let error = refusal(&text);
        assert!(
            matches!(error, TextError::TooLarge { at_least: true, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("at least"), "{error}");
    }

    #[test]
    fn a_drawing_surely_too_wide_is_refused_on_its_least_width() {
        // 1,000 flows among 46 components: about 500 lanes cross the middle ranks.
        let design = design(&Family::Complete.design(1_000));
        let (least, _) = super::least_size(&design, Direction::Down);
        let options = TextOptions {
            direction: Direction::Down,
            charset: Charset::Unicode,
            width: 100,
        };
        let error = to_text(&design, &options).unwrap_err();
        let TextError::TooWide { needed, other, .. } = error else {
            panic!("{error}");
        };
        assert_eq!(needed, Columns::at_least(least));
        assert!(other.at_least && other.count > 100, "{other}");
        let message = error.to_string();
        assert!(
            message.contains(&format!("needs at least {least} "))
                && message.contains(&format!("--width {least} or more")),
            "{message}"
        );
    }

    /// The templates, a generated design and a small complete graph.
    fn samples() -> Vec<Design> {
        let mut texts: Vec<String> = crate::templates::ALL
            .iter()
            .map(|t| t.text.to_string())
            .collect();
        texts.push(crate::generate::design(60, 7));
        texts.push(Family::Complete.design(150));
        texts.iter().map(|text| design(text)).collect()
    }

    #[test]
    fn no_layout_tried_is_narrower_than_the_least_width() {
        for design in samples() {
            for direction in [Direction::Down, Direction::Right] {
                let (least, _) = super::least_size(&design, direction);
                for labels in super::LABEL_WAYS {
                    let fit = super::Fit {
                        labels,
                        rank_limits: Vec::new(),
                    };
                    let layout =
                        super::cells::layout(&design, direction, &super::CellMeasure, &fit);
                    let needed = super::needed_width(&design, &layout);
                    assert!(
                        least <= needed,
                        "{:?} {direction:?} {labels:?}: {least} > {needed}",
                        design.system.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_drawing_that_fits_by_wrapping_ranks_is_not_refused_on_its_least_width() {
        // Eight boxes twenty columns wide in one rank: four to a row fit in 100.
        let mut text = String::from("tier a { web: client }\ntier b {\n");
        for i in 0..8 {
            writeln!(text, "  s{i}: service \"Service number {i}\"").unwrap();
        }
        text.push_str("}\nweb -> s0\n");
        let design = design(&text);
        let (least, _) = super::least_size(&design, Direction::Down);
        assert!(least > 100, "{least}");
        let layout = super::fitting_layout(&design, Direction::Down, 100).unwrap();
        assert!(layout.width <= 100);
    }
}
