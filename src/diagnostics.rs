//! Diagnostics shared by every stage, and their renderings for people (ariadne) and tools.

mod snippet;

use crate::source::{printable, Files, Span};
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
    /// What the primary span most likely meant ("did you mean"), for editors to apply.
    pub suggestion: Option<String>,
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
            suggestion: None,
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

    /// "Did you mean `replacement`?": the help, and the text that replaces the primary span.
    pub fn with_suggestion(mut self, replacement: &str) -> Self {
        self.help = Some(format!("did you mean `{replacement}`?"));
        self.suggestion = Some(replacement.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: severity[CODE]: message`, one line, for editors and grep.
    pub fn concise<F: Files + ?Sized>(&self, files: &F) -> String {
        let source = files.file_of(self.primary.span.start);
        let position = source.position(self.primary.span.start);
        format!(
            "{}:{}:{}: {}[{}]: {}",
            source.name,
            position.line,
            position.column,
            self.severity.as_str(),
            self.code,
            printable(&self.message)
        )
    }

    /// The full report: code, location, the source line with labels, and help.
    pub fn render<F: Files + ?Sized>(&self, files: &F, color: bool) -> String {
        snippet::render(self, files, color)
    }

    /// The same diagnostic with every span moved by `by` bytes: a file's own offsets
    /// turned into its design's (see `Source::at`).
    pub fn shifted(mut self, by: usize) -> Self {
        for label in std::iter::once(&mut self.primary).chain(&mut self.related) {
            label.span = label.span.start + by..label.span.end + by;
        }
        self
    }
}

/// How many names a message or a report line shows before it says how many more.
const LISTED: usize = 10;

/// `a, b, c`, or `a, b, … and 12 more` past [`LISTED`] names: a line a reader can take in
/// however many components a design has, that still says what it leaves out, and whose
/// length does not grow with the design (a message per component listing every other
/// component would make the report quadratic).
pub fn listed<S: AsRef<str>>(names: &[S], none: &str) -> String {
    if names.is_empty() {
        return none.to_string();
    }
    let shown: Vec<&str> = names[..names.len().min(LISTED)]
        .iter()
        .map(AsRef::as_ref)
        .collect();
    match names.len().saturating_sub(LISTED) {
        0 => shown.join(", "),
        more => format!("{} … and {more} more", shown.join(", ")),
    }
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
    use crate::source::Source;

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
    fn labels_in_two_files_are_each_shown_under_their_own_file() {
        let first = Source::new("shared.strata", "tier edge {\n  lb: load_balancer\n}\n");
        let second = Source::new("shop.strata", "web: client\nlb: service\n").at(first.next_base());
        let in_second = second.base() + 12..second.base() + 14;
        let files = vec![first, second];
        let diagnostic = Diagnostic::error("E102", "`lb` is declared twice", in_second)
            .with_label("second declaration")
            .with_related(14..16, "first declared here");
        let rendered = diagnostic.render(&files, false);
        assert!(rendered.contains("shop.strata:2:1"), "{rendered}");
        assert!(rendered.contains("shared.strata:2:3"), "{rendered}");
        assert!(rendered.contains("2 │ lb: service"), "{rendered}");
        assert!(rendered.contains("2 │   lb: load_balancer"), "{rendered}");
        assert_eq!(
            diagnostic.concise(&files),
            "shop.strata:2:1: error[E102]: `lb` is declared twice"
        );
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let (source, diagnostic) = long_line_error(3, 3);
        let rendered = diagnostic.render(&source, false);
        assert!(rendered.contains("│ ééébadxxx"), "{rendered}");
        assert!(!rendered.contains('…'), "{rendered}");
    }
}
