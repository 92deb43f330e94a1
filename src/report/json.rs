//! `--format json`: schema `strata.lint/1`, documented in `docs/lint-json.md`.

use super::baseline::Outcome;
use super::{name_of, region, FileReport};
use crate::diagnostics::Severity;
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
        files: reports
            .iter()
            .map(|report| File {
                path: &report.source.name,
                diagnostics: report
                    .entries
                    .iter()
                    .map(|entry| {
                        let d = &entry.diagnostic;
                        let (start, end) = region(entry, &report.source);
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
                                    let at = report.source.position(label.span.start);
                                    Related {
                                        message: &label.message,
                                        line: at.line,
                                        column: at.column,
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
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
