//! A diagnostic drawn for people: ariadne's report of the lines its labels are on.
//!
//! Drawing a diagnostic costs what it shows, never the size of the file, so a report of
//! many diagnostics is linear: ariadne walks every line between the first and the last
//! label of a snippet, so labels far apart (a duplicate id and its first declaration
//! 40,000 lines up) are shown in sections of their own, each with its header; the file is
//! indexed for ariadne once (`Source::snippets`); and a long line (a minified file) is shown
//! as windows around its labels, with only the lines of its section around it.

use super::{Diagnostic, Label, Severity};
use crate::source::{printable, Source, Span};
use ariadne::{Cache, Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind};

/// Labels at most this many lines apart share a section.
const NEARBY_LINES: usize = 8;
/// A source line longer than this (in bytes) is shown as windows around its labels.
const LONG_LINE: usize = 160;
/// How much of a long line a window keeps before the label it is for.
const WINDOW_LEAD: usize = 40;
/// What stands for the parts of a long line left out.
const LEFT_OUT: &str = "…";

pub(super) fn render(diagnostic: &Diagnostic, source: &Source, color: bool) -> String {
    let mut labels = placed_labels(diagnostic, source);
    let sections = sections(&mut labels, source);
    let primary = labels.iter().find(|l| l.is_primary).unwrap_or(&labels[0]);
    let (primary_section, primary_offset) = (primary.section, primary.span.start);
    let name = source.name.as_str();
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Info => ReportKind::Advice,
    };
    let at = |label: &Placed, offset: usize| {
        (
            label.section,
            sections[label.section].char_offset(offset, source),
        )
    };
    let primary_start = sections[primary_section].char_offset(primary_offset, source);
    let mut report = Report::build(kind, (primary_section, primary_start..primary_start))
        .with_config(
            Config::default()
                .with_index_type(IndexType::Char)
                .with_color(color),
        )
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
    // The primary's section first, then the others in file order; in each, file order.
    labels.sort_by_key(|l| (l.section != primary_section, l.section, l.span.start));
    for (order, label) in labels.iter().enumerate() {
        let (section, start) = at(label, label.span.start);
        let (_, end) = at(label, label.span.end);
        report = report.with_label(
            AriadneLabel::new((section, start..end))
                .with_message(&label.label.message)
                .with_color(label.color)
                .with_order(order as i32),
        );
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    let mut out = Vec::new();
    let views = Views {
        name,
        source,
        sections: &sections,
    };
    report
        .finish()
        .write(views, &mut out)
        .expect("writing a report into memory cannot fail");
    let rendered = String::from_utf8_lossy(&out).into_owned();
    true_headers(
        rendered,
        &labels,
        &sections,
        (primary_section, primary_offset),
        source,
    )
}

/// A label with the span it is drawn at and the section it is shown in.
struct Placed<'a> {
    label: &'a Label,
    is_primary: bool,
    color: Color,
    /// Inside the text and on character boundaries.
    span: Span,
    first_line: usize,
    last_line: usize,
    section: usize,
}

fn placed_labels<'a>(diagnostic: &'a Diagnostic, source: &Source) -> Vec<Placed<'a>> {
    let primary = std::iter::once((&diagnostic.primary, true, Color::Red));
    let related = diagnostic.related.iter().map(|l| (l, false, Color::Blue));
    let mut labels: Vec<Placed> = primary
        .chain(related)
        .map(|(label, is_primary, color)| {
            let start = source.floor_boundary(label.span.start);
            let end = source.floor_boundary(label.span.end).max(start);
            Placed {
                label,
                is_primary,
                color,
                first_line: source.line_index(start),
                last_line: source.line_index(end.saturating_sub(1).max(start)),
                span: start..end,
                section: 0,
            }
        })
        .collect();
    labels.sort_by_key(|l| l.span.start);
    labels
}

/// Groups the labels (in file order) into sections of nearby lines.
fn sections(labels: &mut [Placed], source: &Source) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for label in labels.iter_mut() {
        match sections.last_mut() {
            Some(section) if label.first_line <= section.last + NEARBY_LINES => {
                section.last = section.last.max(label.last_line);
            }
            _ => sections.push(Section {
                first: label.first_line,
                last: label.last_line,
                view: View::Whole,
            }),
        }
        label.section = sections.len() - 1;
    }
    for (index, section) in sections.iter_mut().enumerate() {
        let own: Vec<&Placed> = labels.iter().filter(|l| l.section == index).collect();
        let has_long_line = own.iter().any(|l| {
            [l.first_line, l.last_line]
                .iter()
                .any(|&line| source.line_span(line).len() > LONG_LINE)
        });
        if has_long_line {
            section.view = View::excerpt(section.first, section.last, &own, source);
        }
    }
    sections
}

/// Lines `first..=last` of the file and the text ariadne reads for them.
struct Section {
    first: usize,
    last: usize,
    view: View,
}

enum View {
    /// The whole file's printable text, indexed once for all its diagnostics.
    Whole,
    /// The section's lines, long ones cut to windows around their labels, after as many
    /// empty lines as precede the section (ariadne numbers lines from the text it reads).
    Excerpt {
        text: ariadne::Source<String>,
        /// The byte ranges of the file kept, in order, with where each starts in `text`.
        pieces: Vec<Piece>,
    },
}

struct Piece {
    bytes: Span,
    /// Character offset in the excerpt.
    at: usize,
}

impl View {
    fn excerpt(first: usize, last: usize, labels: &[&Placed], source: &Source) -> View {
        let mut text = "\n".repeat(first);
        let mut chars = first;
        let mut pieces = Vec::new();
        for line in first..=last {
            let span = source.line_span(line);
            let kept = match span.len() > LONG_LINE {
                true => windows(&span, labels, source),
                false => vec![span.clone()],
            };
            let mut shown_to = span.start;
            for window in kept {
                if window.start > shown_to {
                    text.push_str(LEFT_OUT);
                    chars += 1;
                }
                pieces.push(Piece {
                    bytes: window.clone(),
                    at: chars,
                });
                text.push_str(&printable(source.slice(&window)));
                chars += source.chars_between(window.start, window.end);
                shown_to = window.end;
            }
            if shown_to < span.end {
                text.push_str(LEFT_OUT);
                chars += 1;
            }
            text.push('\n');
            chars += 1;
        }
        View::Excerpt {
            text: ariadne::Source::from(text),
            pieces,
        }
    }
}

/// The parts of a long line worth showing: a window around each label that starts or
/// ends on it, merged where they meet; none for a line no label is on.
fn windows(line: &Span, labels: &[&Placed], source: &Source) -> Vec<Span> {
    let mut points: Vec<usize> = labels
        .iter()
        .flat_map(|l| [l.span.start, l.span.end.saturating_sub(1).max(l.span.start)])
        .filter(|offset| line.start <= *offset && *offset <= line.end)
        .collect();
    points.sort_unstable();
    let mut windows: Vec<Span> = Vec::new();
    for point in points {
        let start = point.saturating_sub(WINDOW_LEAD).max(line.start);
        let end = (start + LONG_LINE).min(line.end);
        match windows.last_mut() {
            Some(last) if start <= last.end + LEFT_OUT.len() => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    for window in &mut windows {
        // A mark standing for no more than itself would hide nothing.
        if window.start <= line.start + LEFT_OUT.len() {
            window.start = line.start;
        }
        if window.end + LEFT_OUT.len() >= line.end {
            window.end = line.end;
        }
        *window = source.floor_boundary(window.start)..source.floor_boundary(window.end);
    }
    windows
}

impl Section {
    /// Where a byte offset of the file is in the text ariadne reads for this section, in
    /// characters; an offset in a part left out is at the mark standing for it.
    fn char_offset(&self, offset: usize, source: &Source) -> usize {
        match &self.view {
            View::Whole => {
                let line = source.line_index(offset);
                let line_start = source.line_span(line).start;
                let whole = source.snippets();
                // ariadne has no line after a final newline: the end of the file is its end.
                match whole.line(line) {
                    Some(in_view) => in_view.offset() + source.chars_between(line_start, offset),
                    None => whole.len(),
                }
            }
            View::Excerpt { pieces, .. } => {
                let after = pieces.partition_point(|p| p.bytes.start <= offset);
                let Some(piece) = after.checked_sub(1).map(|i| &pieces[i]) else {
                    return pieces.first().map_or(0, |p| p.at);
                };
                let end = offset.min(piece.bytes.end);
                piece.at + source.chars_between(piece.bytes.start, end)
            }
        }
    }
}

/// ariadne's view of the sections: one source id per section, all named as the file.
struct Views<'a> {
    name: &'a str,
    source: &'a Source,
    sections: &'a [Section],
}

impl Cache<usize> for Views<'_> {
    type Storage = String;

    fn fetch(&mut self, section: &usize) -> Result<&ariadne::Source<String>, impl std::fmt::Debug> {
        Ok::<_, std::convert::Infallible>(match &self.sections[*section].view {
            View::Whole => self.source.snippets(),
            View::Excerpt { text, .. } => text,
        })
    }

    fn display<'b>(&self, _: &'b usize) -> Option<impl std::fmt::Display + 'b> {
        Some(self.name.to_string())
    }
}

/// ariadne heads a section of an excerpt with the column in the excerpt: each such
/// header gets the column in the file.
fn true_headers(
    mut rendered: String,
    labels: &[Placed],
    sections: &[Section],
    (primary_section, primary_offset): (usize, usize),
    source: &Source,
) -> String {
    for (index, section) in sections.iter().enumerate() {
        let View::Excerpt { text, .. } = &section.view else {
            continue;
        };
        let offset = match index == primary_section {
            true => primary_offset,
            false => match labels.iter().find(|l| l.section == index) {
                Some(first) => first.span.start,
                None => continue,
            },
        };
        let Some((_, line, column)) = text.get_offset_line(section.char_offset(offset, source))
        else {
            continue;
        };
        let in_file = source.position(offset);
        let name = source.name.as_str();
        rendered = rendered.replacen(
            &format!(" {name}:{}:{} ", line + 1, column + 1),
            &format!(" {name}:{}:{} ", in_file.line, in_file.column),
            1,
        );
    }
    rendered
}
