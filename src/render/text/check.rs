//! Reads a Unicode drawing back and reports every way it fails to say what the design
//! says: boxes that overlap or are not whole, lines inside a box, flows that cannot be
//! followed from their source's border to an arrowhead on their target, flow labels not
//! there in full beside their own line (as text, or as a marker the legend under the
//! drawing explains), tier titles not on their borders. Used by the tests on templates and random designs.

use super::box_lines;
use super::cells::{marker_text, CellLayout, CellRect};
use super::charset::{unicode_arms, unicode_heading, Charset};
use super::draw::box_text_rows;
use super::grid::{printable, text_width, Arms, Heading};
use crate::model::Design;
use crate::syntax::ast::FlowMode;
use rustc_hash::FxHashSet;
use unicode_width::UnicodeWidthChar;

/// A drawing as a grid of characters; the second cell of a wide character holds `\0`.
struct Picture {
    rows: Vec<Vec<char>>,
    width: usize,
}

impl Picture {
    fn read(drawing: &str) -> Self {
        let rows: Vec<Vec<char>> = drawing
            .lines()
            .map(|line| {
                let mut row = Vec::new();
                for c in line.chars() {
                    row.push(c);
                    if c.width() == Some(2) {
                        row.push('\0');
                    }
                }
                row
            })
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        Picture { rows, width }
    }

    fn at(&self, (x, y): (usize, usize)) -> char {
        self.rows
            .get(y)
            .and_then(|row| row.get(x))
            .copied()
            .unwrap_or(' ')
    }

    /// The text of `width` cells from `(x, y)`.
    fn text(&self, (x, y): (usize, usize), width: usize) -> String {
        (x..x + width)
            .map(|c| self.at((c, y)))
            .filter(|&c| c != '\0')
            .collect()
    }
}

/// Every problem found, described; empty for a good drawing. `drawing` is the output of
/// [`super::draw::draw`] in [`Charset::Unicode`].
pub fn check(design: &Design, layout: &CellLayout, drawing: &str) -> Vec<String> {
    let picture = Picture::read(drawing);
    let mut problems = Vec::new();
    let name = |c: usize| design.components[c].id.clone();
    overlapping_boxes(layout, &mut problems, &name);
    for (id, rect) in layout.nodes.iter().enumerate() {
        whole_box(&picture, design, id, rect, &mut problems, &name);
    }
    // Follow every line leaving a box to its arrowhead.
    let mut found: Vec<(usize, usize, bool)> = Vec::new();
    for (id, rect) in layout.nodes.iter().enumerate() {
        for (cell, heading) in ports(&picture, rect) {
            match follow(&picture, layout, cell, heading) {
                Ok((target, dashed)) => found.push((id, target, dashed)),
                Err(problem) => problems.push(format!("line from {}: {problem}", name(id))),
            }
        }
    }
    let mut expected: Vec<(usize, usize, bool)> = design
        .flows
        .iter()
        .map(|f| (f.from, f.to, f.mode == FlowMode::Async))
        .collect();
    found.sort_unstable();
    expected.sort_unstable();
    if found != expected {
        let missing: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
        let extra: Vec<_> = found.iter().filter(|e| !expected.contains(e)).collect();
        problems.push(format!(
            "flows drawn differ from the design: missing {}, not in the design {}",
            describe(&missing, &name),
            describe(&extra, &name)
        ));
    }
    every_label_shown(&picture, design, layout, &mut problems);
    for band in &layout.bands {
        let border = picture.text((band.rect.x, band.rect.y), band.rect.w);
        if !border.contains(&format!(" {} ", band.title)) {
            problems.push(format!(
                "tier title {:?} is not on its border: {border:?}",
                band.title
            ));
        }
    }
    problems
}

/// Every flow's label is on its line, as text or as a marker whose legend entry is its
/// text, or else on a flow it shares its source or target with (a fan-out's label once).
fn every_label_shown(
    picture: &Picture,
    design: &Design,
    layout: &CellLayout,
    problems: &mut Vec<String>,
) {
    let legend = legend(picture, layout.height);
    let mut shown: FxHashSet<(bool, usize, String)> = FxHashSet::default();
    for (flow, edge) in layout.edges.iter().enumerate() {
        let Some(label) = &edge.label else { continue };
        let f = &design.flows[flow];
        let text = words(&printable(f.label.as_deref().unwrap_or_default()));
        for (i, line) in label.lines.iter().enumerate() {
            let read = picture.text((label.at.0, label.at.1 + i), text_width(line));
            if &read != line {
                problems.push(format!("label line {line:?} reads {read:?}"));
            }
        }
        let lane = label.lane(layout.direction);
        if !on_route(&edge.points, lane) || unicode_arms(picture.at(lane)).is_none() {
            problems.push(format!(
                "label {text:?} is not beside its flow's line at {lane:?}"
            ));
        }
        let says = match label.marker {
            Some(n) => match legend.get(n.wrapping_sub(1)) {
                Some(entry) if label.lines == [marker_text(n)] => entry.clone(),
                _ => format!("an unexplained marker {:?}", label.lines),
            },
            None => words(&label.lines.join(" ")),
        };
        if says != text {
            problems.push(format!(
                "the label of flow {flow} says {says:?}, not {text:?}"
            ));
        }
        shown.insert((true, f.from, text.clone()));
        shown.insert((false, f.to, text));
    }
    for (flow, f) in design.flows.iter().enumerate() {
        let Some(text) = f.label.as_deref().map(|t| words(&printable(t))) else {
            continue;
        };
        if !shown.contains(&(true, f.from, text.clone()))
            && !shown.contains(&(false, f.to, text.clone()))
        {
            problems.push(format!("the label {text:?} of flow {flow} is nowhere"));
        }
    }
}

/// Text with its words one blank apart, as wrapped lines join up again.
fn words(text: &str) -> String {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a cell is on the path through `points`.
fn on_route(points: &[(usize, usize)], (x, y): (usize, usize)) -> bool {
    points.windows(2).any(|pair| {
        let (a, b) = (pair[0], pair[1]);
        (a.0.min(b.0)..=a.0.max(b.0)).contains(&x) && (a.1.min(b.1)..=a.1.max(b.1)).contains(&y)
    })
}

/// The legend under a drawing `height` rows tall: the text of each marker, in order,
/// from `[n] text` and the lines under it indented.
fn legend(picture: &Picture, height: usize) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for row in picture.rows.iter().skip(height) {
        let line: String = row.iter().filter(|&&c| c != '\0').collect();
        let next = marker_text(entries.len() + 1);
        if let Some(text) = line.strip_prefix(&format!("{next} ")) {
            entries.push(words(text));
        } else if let (Some(last), true) = (entries.last_mut(), line.starts_with(' ')) {
            *last = words(&format!("{last} {line}"));
        } else {
            entries.push(format!("a line not in the legend: {line:?}"));
        }
    }
    entries
}

fn describe(flows: &[&(usize, usize, bool)], name: &dyn Fn(usize) -> String) -> String {
    let list: Vec<String> = flows
        .iter()
        .map(|(a, b, dashed)| {
            format!(
                "{}{}{}",
                name(*a),
                if *dashed { "~>" } else { "->" },
                name(*b)
            )
        })
        .collect();
    format!("[{}]", list.join(", "))
}

fn overlapping_boxes(
    layout: &CellLayout,
    problems: &mut Vec<String>,
    name: &dyn Fn(usize) -> String,
) {
    let boxes = &layout.nodes;
    let mut by_x: Vec<usize> = (0..boxes.len()).collect();
    by_x.sort_by_key(|&b| boxes[b].x);
    for (k, &a) in by_x.iter().enumerate() {
        for &b in &by_x[k + 1..] {
            if boxes[b].x > boxes[a].right() {
                break;
            }
            let (ra, rb) = (boxes[a], boxes[b]);
            if ra.y <= rb.bottom() && rb.y <= ra.bottom() {
                problems.push(format!("boxes {} and {} overlap", name(a), name(b)));
            }
        }
    }
}

/// The border of a box: each cell with the arms the border needs and which way is out.
fn border(rect: &CellRect) -> Vec<((usize, usize), u8, Option<Heading>)> {
    let (x0, y0, x1, y1) = (rect.x, rect.y, rect.right(), rect.bottom());
    let mut cells = vec![
        ((x0, y0), Arms::DOWN | Arms::RIGHT, None),
        ((x1, y0), Arms::DOWN | Arms::LEFT, None),
        ((x0, y1), Arms::UP | Arms::RIGHT, None),
        ((x1, y1), Arms::UP | Arms::LEFT, None),
    ];
    for x in x0 + 1..x1 {
        cells.push(((x, y0), Arms::LEFT | Arms::RIGHT, Some(Heading::Up)));
        cells.push(((x, y1), Arms::LEFT | Arms::RIGHT, Some(Heading::Down)));
    }
    for y in y0 + 1..y1 {
        cells.push(((x0, y), Arms::UP | Arms::DOWN, Some(Heading::Left)));
        cells.push(((x1, y), Arms::UP | Arms::DOWN, Some(Heading::Right)));
    }
    cells
}

fn whole_box(
    picture: &Picture,
    design: &Design,
    id: usize,
    rect: &CellRect,
    problems: &mut Vec<String>,
    name: &dyn Fn(usize) -> String,
) {
    for (cell, needed, out) in border(rect) {
        let c = picture.at(cell);
        let ok = unicode_arms(c).is_some_and(|(arms, _)| {
            let extra = arms.bits() & !needed;
            arms.bits() & needed == needed && (extra == 0 || out.is_some_and(|h| extra == h.arm()))
        });
        if !ok {
            problems.push(format!(
                "box {} has {c:?} in its border at {cell:?}",
                name(id)
            ));
        }
    }
    let rows = box_text_rows(rect, box_lines(&design.components[id], Charset::Unicode));
    for y in rect.y + 1..rect.bottom() {
        let inside = picture.text((rect.x + 1, y), rect.w - 2);
        let expected = rows
            .iter()
            .find(|(row, _)| *row == y)
            .map(|(_, t)| t.as_str());
        match expected {
            Some(text) if inside.trim() != text => {
                problems.push(format!("box {} reads {inside:?}, not {text:?}", name(id)))
            }
            None if !inside.trim().is_empty() => {
                problems.push(format!("box {} has {inside:?} inside", name(id)))
            }
            _ => {}
        }
    }
}

/// Border cells of a box with an arm pointing out: where a flow leaves.
fn ports(picture: &Picture, rect: &CellRect) -> Vec<((usize, usize), Heading)> {
    border(rect)
        .into_iter()
        .filter_map(|(cell, _, out)| {
            let out = out?;
            let (arms, _) = unicode_arms(picture.at(cell))?;
            arms.has(out).then_some((cell, out))
        })
        .collect()
}

/// Follows a line from a port: straight on through crossings, round corners, to an
/// arrowhead that must touch a box. Returns that box and whether the line is dashed.
fn follow(
    picture: &Picture,
    layout: &CellLayout,
    mut at: (usize, usize),
    mut heading: Heading,
) -> Result<(usize, bool), String> {
    let (width, height) = (picture.width, picture.rows.len());
    let (mut dashed, mut solid) = (false, false);
    for _ in 0..width * height {
        let next = heading
            .step(at, width, height)
            .ok_or_else(|| format!("runs off the drawing at {at:?}"))?;
        let c = picture.at(next);
        if let Some(arrow) = unicode_heading(c) {
            if arrow != heading {
                return Err(format!("ends in {c:?} at {next:?} going {heading:?}"));
            }
            let touched = heading.step(next, width, height);
            let target = layout
                .nodes
                .iter()
                .position(|r| touched.is_some_and(|t| r.contains(t)))
                .ok_or_else(|| format!("arrowhead at {next:?} touches no box"))?;
            if dashed && solid {
                return Err(format!("mixes dashed and solid pieces (to {next:?})"));
            }
            return Ok((target, dashed));
        }
        let (arms, is_dashed) =
            unicode_arms(c).ok_or_else(|| format!("breaks off at {next:?} ({c:?})"))?;
        let across = matches!(heading, Heading::Left | Heading::Right);
        if across && arms.bits() == Arms::UP | Arms::DOWN {
            // Passing under a line that runs down: a crossing.
            at = next;
            continue;
        }
        if !arms.has(heading.opposite()) {
            return Err(format!("does not join {c:?} at {next:?}"));
        }
        let others: Vec<Heading> = Heading::ALL
            .into_iter()
            .filter(|&h| h != heading.opposite() && arms.has(h))
            .collect();
        heading = match others[..] {
            [only] => only,
            _ => return Err(format!("meets a junction {c:?} at {next:?}")),
        };
        if matches!(c, '│' | '─') {
            solid = true;
        }
        dashed |= is_dashed;
        at = next;
    }
    Err("never ends".to_string())
}
