//! `--format github`: GitHub Actions workflow commands, one annotation per line.

use super::{locate, name_of, region, source_root, FileLocation, FileReport};
use crate::diagnostics::Severity;
use crate::source::printable;

pub fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    let root = source_root();
    for report in reports {
        for entry in &report.entries {
            let d = &entry.diagnostic;
            let source = report.file_of(entry);
            let file = match locate(&source.name, root.as_deref()) {
                FileLocation::Relative(path) => path,
                FileLocation::Absolute(path) => path.display().to_string(),
            };
            let (start, end) = region(entry, source);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let title = match name_of(d.code) {
                Some(name) => format!("{} {name}", d.code),
                None => d.code.to_string(),
            };
            // A workflow log is a terminal too: no control character reaches it raw.
            let mut message = printable(&d.message).into_owned();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(&printable(help));
            }
            out.push_str(&format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&file),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&title),
                escape_data(&message)
            ));
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
