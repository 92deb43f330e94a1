//! Reports of a `strata check` run, in every output format: text (ariadne), concise,
//! JSON (schema `strata.lint/1`), SARIF 2.1.0 and GitHub workflow annotations. Machine
//! formats are whole documents: the CLI prints nothing else on standard output.

pub mod baseline;
mod github;
mod json;
mod sarif;

pub use github::github;
pub use json::json;
pub use sarif::sarif;

use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::{Finding, RULES};
use crate::source::{Files, Position, Source};
use std::path::{Component, Path, PathBuf};

/// Everything reported for one design, in position order: the design's file first, then
/// the files it imports, each entry in the file its primary span is in.
pub struct FileReport {
    pub sources: Vec<Source>,
    pub entries: Vec<Entry>,
}

impl FileReport {
    /// A report on one file alone.
    pub fn single(source: Source, entries: Vec<Entry>) -> Self {
        FileReport {
            sources: vec![source],
            entries,
        }
    }

    /// The design's own file, the one named on the command line.
    pub fn root(&self) -> &Source {
        &self.sources[0]
    }

    /// The file an entry is reported in.
    pub fn file_of(&self, entry: &Entry) -> &Source {
        self.sources.file_of(entry.diagnostic.primary.span.start)
    }
}

/// A language error or a lint finding, with what machine formats need beyond the text.
pub struct Entry {
    pub diagnostic: Diagnostic,
    /// A finding's stable id (`CODE@element`); language errors have none.
    pub id: Option<String>,
}

impl From<Diagnostic> for Entry {
    fn from(diagnostic: Diagnostic) -> Self {
        Entry {
            diagnostic,
            id: None,
        }
    }
}

impl From<Finding> for Entry {
    fn from(finding: Finding) -> Self {
        Entry {
            diagnostic: finding.diagnostic,
            id: Some(finding.id),
        }
    }
}

/// The language's own diagnostics: code, name, and what they report.
pub const LANGUAGE_CODES: [(&str, &str, &str); 29] = [
    ("E001", "invalid-character", "A character that is not part of the strata language."),
    ("E002", "syntax-error", "Tokens that do not form a statement: an unexpected token, a missing `:` or a missing flow target."),
    ("E003", "unterminated-string", "A string that is not closed on its line."),
    ("E004", "unclosed-delimiter", "A `{` or `[` that is never closed, or closed by the wrong bracket."),
    ("E005", "unmatched-delimiter", "A `}` or `]` with nothing to close."),
    ("E006", "invalid-utf8", "The file is not valid UTF-8."),
    ("E007", "nesting-too-deep", "Blocks nested deeper than strata accepts."),
    ("E008", "empty-design", "The file declares no components."),
    ("E009", "unknown-escape", "An escape other than \\\", \\\\, \\n and \\t in a string."),
    ("E010", "unreadable-file", "The file, or a file it imports, cannot be read (missing, a directory, or no permission)."),
    ("E011", "import-cycle", "A file imports itself, directly or through the files it imports."),
    ("E012", "import-outside-project", "An import names a file outside the project's root."),
    ("E101", "unknown-reference", "A flow names a component that is not declared."),
    ("E102", "duplicate-id", "An id declared twice."),
    ("E103", "unknown-kind", "A component kind strata does not know."),
    ("E104", "unknown-property", "A property that this declaration does not take."),
    ("E105", "invalid-value", "A property value of the wrong type or out of range."),
    ("E106", "duplicate-property", "A property set twice on one declaration."),
    ("E107", "self-flow", "A flow from a component to itself."),
    ("E108", "duplicate-system", "More than one `system` block."),
    ("E110", "duplicate-flow", "The same flow declared twice."),
    ("E201", "unknown-rule", "A lint setting or suppression names no rule or option."),
    ("E202", "invalid-lint-setting", "A lint setting with an invalid severity or option value."),
    ("E203", "invalid-suppression", "A `# strata:` comment that is not a valid suppression (it needs a reason after `because`)."),
    ("E204", "duplicate-lint-setting", "A rule or option set twice in lint settings."),
    ("E205", "invalid-config-file", "A strata.toml that is not valid TOML."),
    ("E206", "unknown-config-key", "A key strata.toml does not have."),
    ("E207", "invalid-extend", "An `extend` in strata.toml that names a file that cannot be read, or makes a cycle."),
    ("E208", "invalid-baseline", "A baseline file (`--baseline`) that is not one strata wrote."),
];

/// The kebab name of a code: a rule's name or a language diagnostic's.
pub fn name_of(code: &str) -> Option<&'static str> {
    RULES
        .iter()
        .find(|rule| rule.code == code)
        .map(|rule| rule.name)
        .or_else(|| {
            LANGUAGE_CODES
                .iter()
                .find(|(c, _, _)| *c == code)
                .map(|(_, name, _)| *name)
        })
}

/// Counts by severity over every file: (errors, warnings, infos).
pub fn counts(reports: &[FileReport]) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    for entry in reports.iter().flat_map(|r| &r.entries) {
        match entry.diagnostic.severity {
            Severity::Error => counts.0 += 1,
            Severity::Warning => counts.1 += 1,
            Severity::Info => counts.2 += 1,
        }
    }
    counts
}

pub fn text(reports: &[FileReport], color: bool) -> String {
    reports
        .iter()
        .flat_map(|report| {
            report
                .entries
                .iter()
                .map(|e| e.diagnostic.render(&report.sources, color))
        })
        .collect()
}

pub fn concise(reports: &[FileReport]) -> String {
    reports
        .iter()
        .flat_map(|report| {
            report
                .entries
                .iter()
                .map(|e| format!("{}\n", e.diagnostic.concise(&report.sources)))
        })
        .collect()
}

/// Start and end of a diagnostic's primary span; an empty span covers one column.
fn region(entry: &Entry, source: &Source) -> (Position, Position) {
    let span = &entry.diagnostic.primary.span;
    let start = source.position(span.start);
    let mut end = source.position(span.end);
    if end == start {
        end.column += 1;
    }
    (start, end)
}

/// Where a file is, as code scanning wants it: relative to the source root, or absolute.
#[derive(Debug, PartialEq)]
pub enum FileLocation {
    /// Inside the source root: a relative path with `/`.
    Relative(String),
    /// Outside it (or with no root to be found): the absolute path.
    Absolute(PathBuf),
}

/// The root files are given relative to: the repository the working directory is in (the
/// nearest directory up with a `.git`), else the working directory itself.
pub fn source_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let repository = cwd.ancestors().find(|dir| dir.join(".git").exists());
    Some(repository.map_or_else(|| cwd.clone(), Path::to_path_buf))
}

/// Where a reported file is, relative to `root` when it is inside.
pub fn locate(name: &str, root: Option<&Path>) -> FileLocation {
    let path = Path::new(name);
    let absolute = absolute(path);
    let Some(root) = root else {
        return FileLocation::Absolute(absolute);
    };
    // A path through a symlink (`$PWD` may not be the physical directory) is inside the
    // root when the file it names is.
    let inside = absolute
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .ok()
        .or_else(|| {
            let real = path.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            real.strip_prefix(root).map(Path::to_path_buf).ok()
        });
    match inside {
        Some(relative) => FileLocation::Relative(relative.to_string_lossy().replace('\\', "/")),
        None => FileLocation::Absolute(absolute),
    }
}

/// A path made absolute from the working directory, with `.` and `..` resolved as written
/// (symlinks are not followed).
pub fn absolute(path: &Path) -> PathBuf {
    match std::env::current_dir() {
        Ok(cwd) => normalize(&cwd.join(path)),
        Err(_) => normalize(path),
    }
}

/// A path with `.` and `..` resolved as written, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// A path as a URI reference: every byte but unreserved characters and `/`
/// percent-encoded (RFC 3986), so spaces, `#` and `%` in names survive.
pub fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(char::from(byte))
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// An absolute path as a `file://` URI.
pub fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = match text.starts_with('/') {
        true => text,
        false => format!("/{text}"),
    };
    format!("file://{}", percent_encode(&text))
}
