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
        let mut report = Report::build(kind, (name, clamp(&self.primary.span, source)))
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
                AriadneLabel::new((name, clamp(&label.span, source)))
                    .with_message(&label.message)
                    .with_color(color)
                    .with_order(order as i32),
            );
        }
        if let Some(help) = &self.help {
            report = report.with_help(help);
        }
        let mut out = Vec::new();
        report
            .finish()
            .write(
                (name, ariadne::Source::from(source.text.as_str())),
                &mut out,
            )
            .expect("writing a report into memory cannot fail");
        String::from_utf8_lossy(&out).into_owned()
    }
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
