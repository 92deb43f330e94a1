//! `--format json`: schema `strata.lint/1`, documented in `docs/lint-json.md`.

use super::baseline::Outcome;
use super::{name_of, region, Entry, FileReport};
use crate::diagnostics::Severity;
use crate::source::{Files, Source};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    files: Vec<File<'a>>,
    summary: Summary,
    /// With `--baseline`: what it took out, and what it records that is gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a Outcome>,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    diagnostics: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    code: &'a str,
    name: Option<&'static str>,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    id: Option<&'a str>,
    location: Location,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    /// The file, where it is not the diagnostic's own (a design's imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn json(reports: &[FileReport], baseline: Option<&Outcome>) -> String {
    let (errors, warnings, infos) = super::counts(reports);
    let document = Document {
        schema: "strata.lint/1",
        files: reports.iter().flat_map(files).collect(),
        summary: Summary {
            errors,
            warnings,
            infos,
        },
        baseline,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("a report serializes");
    text.push('\n');
    text
}

/// A design's files with their diagnostics: its own file always, each file it imports where
/// something is reported in it.
fn files(report: &FileReport) -> Vec<File<'_>> {
    report
        .sources
        .iter()
        .enumerate()
        .filter_map(|(index, source)| {
            let diagnostics: Vec<Item> = (report.entries.iter())
                .filter(|entry| report.file_of(entry).base() == source.base())
                .map(|entry| item(entry, source, &report.sources))
                .collect();
            (index == 0 || !diagnostics.is_empty()).then_some(File {
                path: &source.name,
                diagnostics,
            })
        })
        .collect()
}

fn item<'a>(entry: &'a Entry, source: &'a Source, sources: &'a [Source]) -> Item<'a> {
    let d = &entry.diagnostic;
    let (start, end) = region(entry, source);
    Item {
        code: d.code,
        name: name_of(d.code),
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        id: entry.id.as_deref(),
        location: Location {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        },
        related: d
            .related
            .iter()
            .map(|label| {
                let file = sources.file_of(label.span.start);
                let at = file.position(label.span.start);
                Related {
                    message: &label.message,
                    path: (file.base() != source.base()).then_some(file.name.as_str()),
                    line: at.line,
                    column: at.column,
                }
            })
            .collect(),
    }
}
