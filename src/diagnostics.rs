//! Diagnostics shared by every stage, and their renderings for people (ariadne) and tools.

use crate::source::{Source, Span};
use ariadne::{Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span with the message shown under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a design: a code, where it is, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            related: Vec::new(),
            help: None,
        }
    }

    /// Sets the text shown under the primary span.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: severity[CODE]: message`, one line, for editors and grep.
    pub fn concise(&self, source: &Source) -> String {
        let position = source.position(self.primary.span.start);
        format!(
            "{}:{}:{}: {}[{}]: {}",
            source.name,
            position.line,
            position.column,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }

    /// The full report: code, location, the source line with labels, and help.
    pub fn render(&self, source: &Source, color: bool) -> String {
        let kind = match self.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
            Severity::Info => ReportKind::Advice,
        };
        let name = source.name.as_str();
        let view = Excerpt::of(source, self.labels());
        let mut report = Report::build(kind, (name, view.span(&self.primary.span, source)))
            .with_config(
                Config::default()
                    .with_index_type(IndexType::Byte)
                    .with_color(color),
            )
            .with_code(self.code)
            .with_message(&self.message);
        // Labels in file order make one snippet: ariadne starts a new one (with the
        // report's position in its header) whenever a label comes before the previous.
        let mut labels: Vec<(&Label, Color)> = std::iter::once((&self.primary, Color::Red))
            .chain(self.related.iter().map(|label| (label, Color::Blue)))
            .collect();
        labels.sort_by_key(|(label, _)| label.span.start);
        for (order, (label, color)) in labels.into_iter().enumerate() {
            report = report.with_label(
                AriadneLabel::new((name, view.span(&label.span, source)))
                    .with_message(&label.message)
                    .with_color(color)
                    .with_order(order as i32),
            );
        }
        if let Some(help) = &self.help {
            report = report.with_help(help);
        }
        let mut out = Vec::new();
        if view.cuts.is_empty() {
            report
                .finish()
                .write((name, source.snippets()), &mut out)
                .expect("writing a report into memory cannot fail");
            return String::from_utf8_lossy(&out).into_owned();
        }
        let shown = view.text();
        report
            .finish()
            .write((name, ariadne::Source::from(shown.as_str())), &mut out)
            .expect("writing a report into memory cannot fail");
        let rendered = String::from_utf8_lossy(&out).into_owned();
        // ariadne gave the place in the excerpt: the header gets the place in the file.
        let in_excerpt =
            Source::new(name, shown).position(view.span(&self.primary.span, source).start);
        let in_file = source.position(self.primary.span.start);
        rendered.replacen(
            &format!("{name}:{}:{}", in_excerpt.line, in_excerpt.column),
            &format!("{name}:{}:{}", in_file.line, in_file.column),
            1,
        )
    }

    fn labels(&self) -> impl Iterator<Item = &Span> {
        std::iter::once(&self.primary.span).chain(self.related.iter().map(|l| &l.span))
    }
}

/// A source line longer than this is shown as an excerpt around its labels.
const LONG_LINE: usize = 160;
/// How much of a long line is kept before its first label.
const EXCERPT_LEAD: usize = 40;
const LEFT_OUT: &str = "…";

/// The text a report shows: the source, with every long line that holds a label cut to
/// an excerpt around it (a minified file must not be printed whole under each error).
struct Excerpt<'a> {
    source: &'a Source,
    /// Byte ranges of the source left out, in order, each shown as [`LEFT_OUT`].
    cuts: Vec<Span>,
    /// Where the last line with a label ends: nothing after it is shown.
    end: usize,
}

impl<'a> Excerpt<'a> {
    fn of<'s>(source: &'a Source, labels: impl Iterator<Item = &'s Span>) -> Self {
        let text = source.text.as_str();
        let mut lines: Vec<(usize, usize, usize)> = Vec::new();
        for span in labels {
            let start = clamp(span, source).start;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            match lines.iter_mut().find(|line| line.0 == line_start) {
                Some(line) => line.2 = line.2.min(start),
                None => lines.push((line_start, line_end, start)),
            }
        }
        lines.sort_unstable();
        let end = lines.last().map_or(text.len(), |line| line.1);
        let mut cuts = Vec::new();
        for (line_start, line_end, first_label) in lines {
            if line_end - line_start <= LONG_LINE {
                continue;
            }
            let low = floor_boundary(
                text,
                first_label.saturating_sub(EXCERPT_LEAD).max(line_start),
            );
            let high = floor_boundary(text, (low + LONG_LINE).min(line_end));
            if low > line_start + LEFT_OUT.len() {
                cuts.push(line_start..low);
            }
            if line_end > high + LEFT_OUT.len() {
                cuts.push(high..line_end);
            }
        }
        Excerpt { source, cuts, end }
    }

    fn text(&self) -> String {
        let text = self.source.text.as_str();
        let mut out = String::new();
        let mut at = 0;
        for cut in &self.cuts {
            out.push_str(&text[at..cut.start]);
            out.push_str(LEFT_OUT);
            at = cut.end;
        }
        out.push_str(&text[at..self.end.max(at)]);
        out
    }

    /// A span of the source as a span of the excerpt; what falls in a cut goes to its mark.
    fn span(&self, span: &Span, source: &Source) -> Span {
        let span = clamp(span, source);
        let start = self.offset(span.start);
        start..self.offset(span.end).max(start)
    }

    fn offset(&self, offset: usize) -> usize {
        let mut removed = 0;
        for cut in &self.cuts {
            if offset < cut.start {
                break;
            }
            if offset < cut.end {
                return cut.start - removed;
            }
            removed += cut.len() - LEFT_OUT.len();
        }
        offset - removed
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// ariadne needs spans inside the text; an end-of-file span points at the last character.
fn clamp(span: &Span, source: &Source) -> Span {
    let len = source.text.len();
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    start..end
}

/// Sorts diagnostics by where they occur, then by code, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.code, &a.message).cmp(&(b.primary.span.start, b.code, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_line_error(prefix: usize, suffix: usize) -> (Source, Diagnostic) {
        let text = format!(
            "web: client\n{}bad{}\n",
            "é".repeat(prefix),
            "x".repeat(suffix)
        );
        let start = text.find("bad").unwrap();
        let diagnostic = Diagnostic::error("E002", "unexpected name", start..start + 3)
            .with_label("not expected here");
        (Source::new("t", text), diagnostic)
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_around_its_label_with_the_true_column() {
        let (source, diagnostic) = long_line_error(5_000, 5_000);
        for color in [false, true] {
            let rendered = diagnostic.render(&source, color);
            assert!(
                rendered.len() < 5_000,
                "{} bytes: {rendered}",
                rendered.len()
            );
            assert!(rendered.contains("t:2:5001"), "{rendered}");
        }
        let plain = diagnostic.render(&source, false);
        assert!(plain.contains("│ …ééé"), "{plain}");
        assert!(plain.contains("badxxx"), "{plain}");
        assert!(plain.contains("─┬─"), "{plain}");
        assert!(plain.contains("not expected here"), "{plain}");
    }

    #[test]
    fn a_label_near_the_start_of_a_long_line_keeps_the_start() {
        let (source, diagnostic) = long_line_error(3, 5_000);
        let rendered = diagnostic.render(&source, false);
        assert!(rendered.contains("│ ééébad"), "{rendered}");
        assert!(rendered.contains("x…"), "{rendered}");
        assert!(rendered.contains("t:2:4"), "{rendered}");
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let (source, diagnostic) = long_line_error(3, 3);
        let rendered = diagnostic.render(&source, false);
        assert!(rendered.contains("│ ééébadxxx"), "{rendered}");
        assert!(!rendered.contains('…'), "{rendered}");
    }
}
