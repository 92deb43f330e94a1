//! Diagnostics of every stage as LSP diagnostics, published for each open design.

use super::document::Document;
use super::position::range;
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::{docs, rules};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString,
    PublishDiagnosticsParams, Uri,
};

/// Where rule documentation lives: `docs/rules.md`, whose sections are anchored by
/// [`docs::anchor`].
pub struct RuleDocs {
    pub base: String,
}

impl Default for RuleDocs {
    /// The copy of `docs/rules.md` beside the sources this server was built from.
    fn default() -> Self {
        RuleDocs {
            base: format!("file://{}/docs/rules.md", env!("CARGO_MANIFEST_DIR")),
        }
    }
}

impl RuleDocs {
    /// The link to a lint rule's section; none for a code that is no rule (syntax and
    /// model errors are explained by their message and help).
    fn link(&self, code: &str) -> Option<CodeDescription> {
        let rule = rules::find(code)?;
        let href = format!("{}#{}", self.base, docs::anchor(rule))
            .parse()
            .ok()?;
        Some(CodeDescription { href })
    }
}

/// The document's own diagnostics; and, at its start, the errors in the files it imports
/// (which keep the design from linting and formatting), each saying where it is. Findings
/// in imported files are that file's, published when it is open.
pub fn publish(uri: &Uri, document: &Document, rule_docs: &RuleDocs) -> PublishDiagnosticsParams {
    let diagnostics = document
        .diagnostics()
        .filter_map(
            |diagnostic| match document.imported_at(&diagnostic.primary.span) {
                None => Some(convert(uri, document, diagnostic, rule_docs)),
                Some(file) if diagnostic.is_error() => {
                    let at = file.source.position(diagnostic.primary.span.start);
                    let mut moved = diagnostic.clone();
                    moved.message = format!(
                        "in the imported {}:{}:{}: {}",
                        file.source.name, at.line, at.column, diagnostic.message
                    );
                    moved.primary.span = 0..0;
                    Some(convert(uri, document, &moved, rule_docs))
                }
                Some(_) => None,
            },
        )
        .collect();
    PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(document.version))
}

fn convert(
    uri: &Uri,
    document: &Document,
    diagnostic: &Diagnostic,
    rule_docs: &RuleDocs,
) -> lsp_types::Diagnostic {
    let source = &document.source;
    let mut message = diagnostic.message.clone();
    for line in [
        &diagnostic.primary.message,
        diagnostic.help.as_ref().unwrap_or(&String::new()),
    ] {
        if !line.is_empty() {
            message.push('\n');
            message.push_str(line);
        }
    }
    let related = diagnostic
        .related
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: document.location(uri, &label.span)?,
                message: label.message.clone(),
            })
        })
        .collect::<Vec<_>>();
    lsp_types::Diagnostic {
        range: range(source, &diagnostic.primary.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: rule_docs.link(diagnostic.code),
        source: Some("strata".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
