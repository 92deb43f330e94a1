//! Edge labels given the room the layout leaves beside them: after the cell layout, each
//! label is rewrapped to the free width right of its line (fewer, longer lines), and a
//! marker whose text fits there is replaced by it. The markers left are numbered in
//! order and make the legend written under the drawing.

use super::cells::{marker_text, CellLayout, CellRect};
use super::grid::{printable, text_width};
use crate::model::Design;
use rustc_hash::FxHashMap;

/// What occupies the rows labels are on: for each such row, the cells taken, as first and
/// last column and the label (by flow) they belong to, if any.
struct Taken {
    rows: FxHashMap<usize, Vec<(usize, usize, Option<usize>)>>,
    /// The rows, in order, to find those a vertical line crosses.
    sorted: Vec<usize>,
}

impl Taken {
    fn new(layout: &CellLayout) -> Self {
        let mut sorted: Vec<usize> = layout
            .edges
            .iter()
            .filter_map(|e| e.label.as_ref())
            .flat_map(|label| label.at.1..label.at.1 + label.rows)
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut taken = Taken {
            rows: sorted.iter().map(|&row| (row, Vec::new())).collect(),
            sorted,
        };
        let rects = layout
            .nodes
            .iter()
            .chain(layout.bands.iter().map(|f| &f.rect))
            .chain(layout.groups.iter().map(|f| &f.rect));
        for rect in rects {
            taken.outline(rect);
        }
        for edge in &layout.edges {
            for pair in edge.points.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                taken.block(a.0.min(b.0), a.0.max(b.0), a.1.min(b.1), a.1.max(b.1), None);
            }
        }
        for (flow, edge) in layout.edges.iter().enumerate() {
            if let Some(label) = &edge.label {
                taken.text(label.at, &label.lines, flow);
            }
        }
        taken
    }

    fn outline(&mut self, rect: &CellRect) {
        let (top, bottom) = (rect.y, rect.bottom());
        self.block(rect.x, rect.x, top, bottom, None);
        self.block(rect.right(), rect.right(), top, bottom, None);
        self.block(rect.x, rect.right(), top, top, None);
        self.block(rect.x, rect.right(), bottom, bottom, None);
    }

    /// Marks columns `left..=right` taken on the label rows from `top` to `bottom`.
    fn block(
        &mut self,
        left: usize,
        right: usize,
        top: usize,
        bottom: usize,
        owner: Option<usize>,
    ) {
        let first = self.sorted.partition_point(|&row| row < top);
        let last = self.sorted.partition_point(|&row| row <= bottom);
        for row in &self.sorted[first..last] {
            if let Some(cells) = self.rows.get_mut(row) {
                cells.push((left, right, owner));
            }
        }
    }

    fn text(&mut self, at: (usize, usize), lines: &[String], flow: usize) {
        for (i, line) in lines.iter().enumerate() {
            let right = at.0 + text_width(line).max(1) - 1;
            self.block(at.0, right, at.1 + i, at.1 + i, Some(flow));
        }
    }

    fn release(&mut self, at: (usize, usize), rows: usize, flow: usize) {
        for row in at.1..at.1 + rows {
            if let Some(cells) = self.rows.get_mut(&row) {
                cells.retain(|&(_, _, owner)| owner != Some(flow));
            }
        }
    }

    /// Cells free from `at` on along its row, before a blank and whatever comes next.
    fn free(&self, (x, row): (usize, usize), flow: usize) -> usize {
        let next = self
            .rows
            .get(&row)
            .into_iter()
            .flatten()
            .filter(|&&(_, right, owner)| right >= x && owner != Some(flow));
        next.map(|&(left, _, _)| left.max(x))
            .min()
            .map_or(0, |obstacle| obstacle.saturating_sub(x + 1))
    }
}

/// Rewraps every label to the room beside it, shows the text of markers that fit, and
/// numbers the markers left for the legend.
pub fn widen(design: &Design, layout: &mut CellLayout) {
    if layout.edges.iter().all(|e| e.label.is_none()) {
        return;
    }
    let mut taken = Taken::new(layout);
    for (flow, edge) in layout.edges.iter_mut().enumerate() {
        let (Some(label), Some(text)) = (edge.label.as_mut(), design.flows[flow].label.as_deref())
        else {
            continue;
        };
        let mut room = usize::MAX;
        for rows in 1..=label.rows {
            room = room.min(taken.free((label.at.0, label.at.1 + rows - 1), flow));
            if room == 0 {
                break;
            }
            let lines = super::wrap(text, room);
            let fits = lines.len() <= rows && lines.iter().all(|l| text_width(l) <= room);
            // Only fewer lines, or a marker's text, is worth a change.
            if fits && (label.marker.is_some() || lines.len() < label.lines.len()) {
                taken.release(label.at, label.lines.len(), flow);
                taken.text(label.at, &lines, flow);
                label.lines = lines;
                label.marker = None;
                break;
            }
        }
    }
    number_markers(design, layout);
}

/// Numbers the markers left in the order of their flows, a text once, and lists them.
fn number_markers(design: &Design, layout: &mut CellLayout) {
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let mut legend = Vec::new();
    for (flow, edge) in layout.edges.iter_mut().enumerate() {
        let Some(label) = edge.label.as_mut().filter(|l| l.marker.is_some()) else {
            continue;
        };
        let text = design.flows[flow].label.as_deref().unwrap_or_default();
        let number = *numbers.entry(text).or_insert_with(|| {
            legend.push(text.to_string());
            legend.len()
        });
        label.marker = Some(number);
        label.lines = vec![marker_text(number)];
    }
    layout.legend = legend;
}

/// The legend's lines for a drawing `width` columns wide: `[n] text`, the text wrapped
/// under itself.
pub fn legend_lines(layout: &CellLayout, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (index, text) in layout.legend.iter().enumerate() {
        let marker = marker_text(index + 1);
        let indent = text_width(&marker) + 1;
        let text = printable(text);
        for (i, line) in super::wrap(&text, width.saturating_sub(indent).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                format!("{marker} ")
            } else {
                " ".repeat(indent)
            };
            lines.push(lead + &line);
        }
    }
    lines
}
