//! A cell layout drawn on a grid: frames, boxes and their text, then flows (merging into
//! junctions where they meet frames, passing where they cross), arrowheads, labels, the
//! titles on the frames' top borders where no line crosses them, and under it all the
//! legend of label markers.

use super::box_lines;
use super::cells::{CellLayout, CellRect, Frame};
use super::charset::Charset;
use super::grid::{text_width, Grid, Heading};
use crate::model::Design;

pub fn draw(design: &Design, layout: &CellLayout, charset: Charset) -> String {
    let mut out = String::new();
    draw_into(design, layout, charset, &mut out);
    out
}

/// Appends the drawing to `out`, which may hold a heading: a large drawing is copied once.
pub fn draw_into(design: &Design, layout: &CellLayout, charset: Charset, out: &mut String) {
    let mut grid = Grid::new(layout.width, layout.height);
    for frame in layout.bands.iter().chain(&layout.groups) {
        grid.frame(
            (frame.rect.x, frame.rect.y),
            (frame.rect.right(), frame.rect.bottom()),
        );
    }
    for (component, rect) in design.components.iter().zip(&layout.nodes) {
        grid.frame((rect.x, rect.y), (rect.right(), rect.bottom()));
        for (row, line) in box_text_rows(rect, box_lines(component, charset)) {
            let x = rect.x + (rect.w - text_width(&line)) / 2;
            grid.text((x, row), &line);
        }
    }
    for edge in &layout.edges {
        for pair in edge.points.windows(2) {
            grid.line(pair[0], pair[1], edge.dashed);
        }
        if let [.., before, last] = edge.points[..] {
            if let Some(heading) = Heading::between(before, last) {
                grid.put(last, charset.arrow(heading));
            }
        }
    }
    for label in layout.edges.iter().filter_map(|e| e.label.as_ref()) {
        for (i, line) in label.lines.iter().enumerate() {
            grid.text((label.at.0, label.at.1 + i), line);
        }
    }
    for frame in layout.bands.iter().chain(&layout.groups) {
        title(&mut grid, frame, charset);
    }
    grid.write(charset, out);
    for line in super::labels::legend_lines(layout, layout.width) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Rows of a box's text lines, centred in its height.
pub fn box_text_rows(rect: &CellRect, lines: Vec<String>) -> Vec<(usize, String)> {
    let first = rect.y + 1 + (rect.h - 2 - lines.len()) / 2;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| (first + i, line))
        .collect()
}

/// Writes a frame's title on its top border, ` Title `, where the layout made room for it,
/// or else at the first place from the left where no line crosses the border, or on its
/// bottom border where the top has no room for all of it (lanes run inside group frames
/// and cross their borders), shortened with an ellipsis if neither has.
fn title(grid: &mut Grid, frame: &Frame, charset: Charset) {
    let rect = frame.rect;
    if let Some(x) = frame.title_at {
        grid.put((x, rect.y), ' ');
        let end = grid.text((x + 1, rect.y), &frame.title);
        grid.put((end, rect.y), ' ');
        return;
    }
    // Between `─` at each end.
    let between = (rect.x + 2, rect.right().saturating_sub(2));
    grid.title(
        rect.y,
        Some(rect.bottom()),
        between,
        &frame.title,
        charset.ellipsis(),
    );
}
