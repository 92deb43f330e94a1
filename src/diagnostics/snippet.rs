//! A diagnostic drawn for people: ariadne's report of the lines its labels are on.
//!
//! Drawing a diagnostic costs what it shows, never the size of the file, so a report of
//! many diagnostics is linear. ariadne walks every line between the first and the last
//! label of a snippet, so labels far apart (a duplicate id and its first declaration
//! 40,000 lines up) are shown in sections of their own, each with its header. ariadne reads
//! each section alone: only its lines, a long line (a minified file) cut to windows around
//! its labels. As ariadne then numbers a section's lines from 1, the numbers in the margin
//! are put right afterwards. Labels in different files (a design's imports) are always in
//! sections of their own, each headed with its file.

use super::{Diagnostic, Label, Severity};
use crate::source::{printable, Files, Source, Span};
use ariadne::{Cache, Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind};

/// Labels at most this many lines apart share a section.
const NEARBY_LINES: usize = 8;
/// A source line longer than this (in bytes) is shown as windows around its labels.
const LONG_LINE: usize = 160;
/// How much of a long line a window keeps before the label it is for.
const WINDOW_LEAD: usize = 40;
/// What stands for the parts of a long line left out.
const LEFT_OUT: &str = "…";

pub(super) fn render<F: Files + ?Sized>(diagnostic: &Diagnostic, files: &F, color: bool) -> String {
    let mut labels = placed_labels(diagnostic, files);
    let sections = sections(&mut labels);
    let primary = labels.iter().find(|l| l.is_primary).unwrap_or(&labels[0]);
    let (primary_section, primary_offset) = (primary.section, primary.span.start);
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
        Severity::Info => ReportKind::Advice,
    };
    let at = |label: &Placed, offset: usize| sections[label.section].char_offset(offset);
    let primary_start = sections[primary_section].char_offset(primary_offset);
    let mut report = Report::build(kind, (primary_section, primary_start..primary_start))
        .with_config(
            Config::default()
                .with_index_type(IndexType::Char)
                .with_color(color),
        )
        .with_code(diagnostic.code)
        // Messages quote the source too (`unexpected character …`): shown as safely.
        .with_message(printable(&diagnostic.message));
    // The primary's section first, then the others in file order. In each, by the line a
    // label ends on (ariadne starts a new section when that goes back), then file order.
    labels.sort_by_key(|l| {
        let section = l.section;
        (
            section != primary_section,
            section,
            l.last_line,
            l.span.start,
        )
    });
    for (order, label) in labels.iter().enumerate() {
        let span = at(label, label.span.start)..at(label, label.span.end);
        report = report.with_label(
            AriadneLabel::new((label.section, span))
                .with_message(printable(&label.label.message))
                .with_color(label.color)
                .with_order(order as i32),
        );
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(printable(help));
    }
    let mut out = Vec::new();
    let views = Views {
        sections: &sections,
    };
    report
        .finish()
        .write(views, &mut out)
        .expect("writing a report into memory cannot fail");
    let rendered = String::from_utf8_lossy(&out);
    let shown: Vec<&Section> = std::iter::once(&sections[primary_section])
        .chain(sections.iter().filter(|s| s.index != primary_section))
        .collect();
    let numbered = number_lines(&rendered, &shown);
    true_columns(numbered, &labels, &sections, primary_offset)
}

/// A label with the span it is drawn at and the section it is shown in.
struct Placed<'a> {
    label: &'a Label,
    source: &'a Source,
    is_primary: bool,
    color: Color,
    /// Inside the text and on character boundaries.
    span: Span,
    first_line: usize,
    last_line: usize,
    section: usize,
}

fn placed_labels<'a, F: Files + ?Sized>(
    diagnostic: &'a Diagnostic,
    files: &'a F,
) -> Vec<Placed<'a>> {
    let primary = std::iter::once((&diagnostic.primary, true, Color::Red));
    let related = diagnostic.related.iter().map(|l| (l, false, Color::Blue));
    let mut labels: Vec<Placed> = primary
        .chain(related)
        .map(|(label, is_primary, color)| {
            let source = files.file_of(label.span.start);
            let start = source.floor_boundary(label.span.start);
            let end = source.floor_boundary(label.span.end).max(start);
            Placed {
                label,
                source,
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

/// Groups the labels (in offset order, so each file's together) into sections of nearby
/// lines of one file.
fn sections<'a>(labels: &mut [Placed<'a>]) -> Vec<Section<'a>> {
    let mut ranges: Vec<(&Source, usize, usize)> = Vec::new();
    for label in labels.iter_mut() {
        match ranges.last_mut() {
            Some((source, _, last))
                if source.base() == label.source.base()
                    && label.first_line <= *last + NEARBY_LINES =>
            {
                *last = (*last).max(label.last_line);
            }
            _ => ranges.push((label.source, label.first_line, label.last_line)),
        }
        label.section = ranges.len() - 1;
    }
    ranges
        .into_iter()
        .enumerate()
        .map(|(index, (source, first, last))| {
            let own: Vec<&Placed> = labels.iter().filter(|l| l.section == index).collect();
            Section::new(index, first, last, &own, source)
        })
        .collect()
}

/// Lines `first..=last` (0-based) of one file, as the text ariadne reads for them: short
/// lines whole, long ones cut to windows around their labels.
struct Section<'a> {
    source: &'a Source,
    index: usize,
    first: usize,
    last: usize,
    text: ariadne::Source<String>,
    /// The byte ranges of the file kept, in order, with where each starts in `text`.
    pieces: Vec<Piece>,
}

struct Piece {
    bytes: Span,
    /// Character offset in the section's text.
    at: usize,
}

impl<'a> Section<'a> {
    fn new(
        index: usize,
        first: usize,
        last: usize,
        labels: &[&Placed],
        source: &'a Source,
    ) -> Self {
        let mut text = String::new();
        let mut chars = 0;
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
        Section {
            source,
            index,
            first,
            last,
            // The header's line number counts from here; the margin's are put right later.
            text: ariadne::Source::from(text).with_display_line_offset(first),
            pieces,
        }
    }

    /// Where a byte offset of the file is in the section's text, in characters; an offset
    /// in a part left out is at the mark standing for it.
    fn char_offset(&self, offset: usize) -> usize {
        let after = self.pieces.partition_point(|p| p.bytes.start <= offset);
        let Some(piece) = after.checked_sub(1).map(|i| &self.pieces[i]) else {
            return 0;
        };
        piece.at
            + self
                .source
                .chars_between(piece.bytes.start, offset.min(piece.bytes.end))
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

/// ariadne's view of the sections: one source id per section, each named as its file.
struct Views<'a> {
    sections: &'a [Section<'a>],
}

impl Cache<usize> for Views<'_> {
    type Storage = String;

    fn fetch(&mut self, section: &usize) -> Result<&ariadne::Source<String>, impl std::fmt::Debug> {
        Ok::<_, std::convert::Infallible>(&self.sections[*section].text)
    }

    fn display<'b>(&self, section: &'b usize) -> Option<impl std::fmt::Display + 'b> {
        Some(self.sections[*section].source.name.clone())
    }
}

/// ariadne numbers each section's lines from 1 and sizes the margin for those numbers:
/// each number becomes the line's number in the file, and the margin widens to fit them.
/// `shown` lists the sections in the order they are drawn.
fn number_lines(rendered: &str, shown: &[&Section]) -> String {
    let rows: Vec<&str> = rendered.split_inclusive('\n').collect();
    let Some(first_header) = rows.iter().position(|row| is_header(row)) else {
        return rendered.to_string();
    };
    // A header is indented by the margin: the widest number and two more.
    let indent = rows[first_header].len() - rows[first_header].trim_start().len();
    let drawn = indent.saturating_sub(2);
    let widest = shown.iter().map(|s| digits(s.last + 1)).max().unwrap_or(1);
    let width = widest.max(drawn);
    let mut out = String::with_capacity(rendered.len() + rows.len() * (width - drawn));
    let mut section: Option<usize> = None;
    for (index, row) in rows.iter().enumerate() {
        if index < first_header {
            out.push_str(row);
            continue;
        }
        if is_header(row) {
            section = Some(section.map_or(0, |s| s + 1));
        }
        let offset = section.and_then(|s| shown.get(s)).map_or(0, |s| s.first);
        out.push_str(&number_row(row, offset, width - drawn, width));
    }
    out
}

/// One row of the report with its margin `extra` columns wider and its line number (if
/// it has one) moved on by `offset`: ` [colour]  12 │ …`, ` [colour]   │ …`, `   ╭─[…`,
/// or the closing `───╯`.
fn number_row(row: &str, offset: usize, extra: usize, width: usize) -> String {
    let Some(rest) = row.strip_prefix(' ') else {
        return match row.find('─') {
            Some(at) if strip_colour(row).trim_end().ends_with('╯') => {
                format!("{}{}{}", &row[..at], "─".repeat(extra), &row[at..])
            }
            _ => row.to_string(),
        };
    };
    let colour = match rest.strip_prefix("\x1b[") {
        Some(code) => code.find('m').map_or(0, |end| end + 3),
        None => 0,
    };
    let (colour, rest) = rest.split_at(colour);
    let margin = rest
        .bytes()
        .take_while(|b| *b == b' ' || b.is_ascii_digit())
        .count();
    let (numbers, rest) = rest.split_at(margin);
    let renumbered = match numbers.trim().parse::<usize>() {
        Ok(number) => format!("{:>width$} ", number + offset),
        Err(_) => " ".repeat(margin + extra),
    };
    format!(" {colour}{renumbered}{rest}")
}

fn is_header(row: &str) -> bool {
    let plain = strip_colour(row);
    let plain = plain.trim_start();
    plain.starts_with("╭─[") || plain.starts_with("├─[")
}

fn strip_colour(row: &str) -> String {
    let mut plain = String::with_capacity(row.len());
    let mut rest = row;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    plain.push_str(rest);
    plain
}

fn digits(number: usize) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// ariadne heads a section with the column in the text it read: where a long line was cut
/// before the place, the header gets the column in the file.
fn true_columns(
    mut rendered: String,
    labels: &[Placed],
    sections: &[Section],
    primary_offset: usize,
) -> String {
    let primary_section = labels
        .iter()
        .find(|l| l.is_primary)
        .map_or(0, |l| l.section);
    for section in sections {
        let offset = match section.index == primary_section {
            true => primary_offset,
            false => match labels.iter().find(|l| l.section == section.index) {
                Some(first) => first.span.start,
                None => continue,
            },
        };
        let source = section.source;
        let in_file = source.position(offset);
        let Some((_, _, column)) = section.text.get_offset_line(section.char_offset(offset)) else {
            continue;
        };
        if column + 1 == in_file.column {
            continue;
        }
        let name = source.name.as_str();
        rendered = rendered.replacen(
            &format!(" {name}:{}:{} ", in_file.line, column + 1),
            &format!(" {name}:{}:{} ", in_file.line, in_file.column),
            1,
        );
    }
    rendered
}
