//! An open design: its text and what the pipeline made of it, recomputed on every change.

use crate::diagnostics::Diagnostic;
use crate::lint::config::CommandLine;
use crate::lint::{self, Config, Finding};
use crate::source::Source;
use crate::Checked;

pub struct Document {
    pub source: Source,
    pub version: i32,
    pub checked: Checked,
    /// Lint findings, empty while the design has errors (lint runs only on a sound design).
    pub findings: Vec<Finding>,
    /// Errors in the `lint` block and in suppression comments.
    pub lint_errors: Vec<Diagnostic>,
}

impl Document {
    /// Runs syntax, model and lint on a text, as `strata check` does with the design's
    /// own `lint` block as its configuration.
    pub fn new(name: &str, text: String, version: i32) -> Self {
        let source = Source::new(name, text);
        let checked = crate::check(&source);
        let mut document = Document {
            source,
            version,
            checked,
            findings: Vec::new(),
            lint_errors: Vec::new(),
        };
        if !document.checked.has_errors() {
            document.lint();
        }
        document
    }

    fn lint(&mut self) {
        let design = &self.checked.design;
        // An empty command line cannot be a usage error; `Err` is unreachable here.
        let Ok((config, errors)) = Config::new(design, &CommandLine::default()) else {
            return;
        };
        let linted = lint::lint(design, &self.checked.parsed.comments, &self.source, &config);
        self.findings = linted.findings;
        self.lint_errors = errors;
        self.lint_errors.extend(linted.diagnostics);
    }

    /// Every diagnostic of every stage, in position order within each stage.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked
            .diagnostics
            .iter()
            .chain(&self.lint_errors)
            .chain(self.findings.iter().map(|finding| &finding.diagnostic))
    }

    pub fn has_errors(&self) -> bool {
        self.checked.has_errors()
    }
}
