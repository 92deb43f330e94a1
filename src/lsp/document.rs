//! An open design: its text and what the pipeline made of it, recomputed on every change.

use crate::diagnostics::Diagnostic;
use crate::lint::config::{CommandLine, Layer};
use crate::lint::project::{self, Project, Unread};
use crate::lint::{self, Config, Finding};
use crate::load;
use crate::source::{Source, Span};
use crate::Checked;
use lsp_types::{Location, Uri};
use std::path::{Path, PathBuf};

/// The text of an open document at a path, which an import reads before the disk's.
pub type OpenText<'a> = dyn Fn(&Path) -> Option<String> + 'a;

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
    /// own `lint` block as its configuration. Its imports are read from the open
    /// documents, else from disk.
    pub fn new(name: &str, text: String, version: i32, open: &OpenText) -> Self {
        let source = Source::new(name, text);
        let checked = match file_path(name) {
            Some(path) => {
                let mut read = |path: &Path, shown: String| match open(path) {
                    Some(text) => Ok(Source::new(shown, text)),
                    None => read_from_disk(path, shown),
                };
                let mut project = load::Project::of(&path, &mut read);
                crate::check_project(&source, Some(&mut project))
            }
            None => crate::check(&source),
        };
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
        let (below, unusable) = match file_path(&self.source.name) {
            Some(path) => project_layers(&path),
            None => (Vec::new(), None),
        };
        // An empty command line cannot be a usage error; `Err` is unreachable here.
        let Ok((config, errors)) = Config::layered(below, design, &CommandLine::default()) else {
            return;
        };
        let files = self.checked.files(&self.source);
        let linted = lint::lint(design, &self.checked.comments(), &files, &config);
        self.findings = linted.findings;
        self.lint_errors = errors;
        self.lint_errors.extend(unusable);
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

    /// Another text of this document checked with the imports as they were read for it.
    pub fn recheck(&self, text: String) -> Checked {
        let source = Source::new(self.source.name.as_str(), text);
        let Some(path) = file_path(&self.source.name) else {
            return crate::check(&source);
        };
        let mut read = |path: &Path, shown: String| {
            (self.checked.imported.iter())
                .find(|file| file.path == path)
                .map(|file| Source::new(shown, file.source.text.clone()))
                .ok_or_else(|| Unread::Message("not imported by the text as it was".to_string()))
        };
        let mut project = load::Project::of(&path, &mut read);
        crate::check_project(&source, Some(&mut project))
    }

    /// The file a span is in, when it is one this design imports rather than its own.
    pub fn imported_at(&self, span: &Span) -> Option<&load::Imported> {
        (self.checked.imported.iter()).find(|file| file.source.holds(span.start))
    }

    /// Where a span is: in this document, or in a file it imports.
    pub fn location(&self, uri: &Uri, span: &Span) -> Option<Location> {
        let (uri, source) = match self.imported_at(span) {
            Some(file) => (uri_of(&file.path)?, &file.source),
            None => (uri.clone(), &self.source),
        };
        Some(Location::new(uri, super::position::range(source, span)))
    }
}

/// The `file:` URI of a path.
fn uri_of(path: &Path) -> Option<Uri> {
    crate::report::file_uri(path).parse().ok()
}

/// The path of a `file:` URI, its escapes decoded; `None` for any other URI.
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let path = uri.strip_prefix("file://")?;
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| path.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok().map(PathBuf::from)
}

/// The layers of the project configuration a design at `path` is linted with, found as
/// `strata check` finds it (`strata.toml` in the design's directory or the closest one
/// above). A configuration that cannot be used is reported at the design's start, as
/// `check` refuses to lint with it, and the design is linted without it.
fn project_layers(path: &Path) -> (Vec<Layer>, Option<Diagnostic>) {
    let Some(config) = path.parent().and_then(project::find) else {
        return (Vec::new(), None);
    };
    let read = |file: &Path| read_from_disk(file, file.display().to_string());
    match Project::load(&config, &read) {
        Ok(project) => (project.layers(Some(path)), None),
        Err(problems) => (Vec::new(), unusable(&problems)),
    }
}

/// A file as it is on disk, reported under `name`.
fn read_from_disk(file: &Path, name: String) -> Result<Source, Unread> {
    let bytes = std::fs::read(file).map_err(|error| Unread::Message(error.to_string()))?;
    Source::from_bytes(name, bytes).map_err(Unread::Encoding)
}

/// What is wrong with a project configuration, on the design's first character: where
/// the first problem is and what it says.
fn unusable(problems: &project::Problems) -> Option<Diagnostic> {
    let (source, first) = problems
        .iter()
        .find_map(|(source, diagnostics)| Some((source, diagnostics.first()?)))?;
    let at = source.position(first.primary.span.start);
    let name = &source.name;
    let diagnostic = Diagnostic::error(
        first.code,
        format!(
            "the project configuration cannot be used: {name}:{}:{}: {}",
            at.line, at.column, first.message
        ),
        0..0,
    )
    .with_label("linted with this design's own settings only")
    .with_help(format!(
        "fix {name}; `strata check` shows every problem in it"
    ));
    Some(diagnostic)
}
