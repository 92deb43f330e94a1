//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Every rule and
//! language diagnostic is described under `tool.driver.rules`; each result points at a
//! repo-relative file and a region whose columns count Unicode code points.

use super::{name_of, region, relative_uri, FileReport, LANGUAGE_CODES};
use crate::diagnostics::Severity;
use crate::lint::RULES;
use serde_json::{json, Value};

pub fn sarif(reports: &[FileReport]) -> String {
    let descriptors = descriptors();
    let index_of = |code: &str| descriptors.iter().position(|d| d["id"] == code);
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            let uri = relative_uri(&report.source.name);
            report.entries.iter().map(move |entry| {
                let d = &entry.diagnostic;
                let (start, end) = region(entry, &report.source);
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str(&format!("\nHelp: {help}"));
                }
                let mut result = json!({
                    "ruleId": d.code,
                    "ruleIndex": index_of(d.code),
                    "level": level(d.severity),
                    "message": { "text": message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                            "region": {
                                "startLine": start.line,
                                "startColumn": start.column,
                                "endLine": end.line,
                                "endColumn": end.column
                            }
                        }
                    }]
                });
                if let Some(id) = &entry.id {
                    result["partialFingerprints"] = json!({ "strataFindingId/v1": id });
                }
                result
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "strata",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).expect("a report serializes");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptors() -> Vec<Value> {
    let rules = RULES.iter().map(|rule| {
        json!({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": { "text": rule.summary },
            "fullDescription": { "text": rule.why },
            "help": {
                "text": format!("{}\n\nExample that fires:\n{}", rule.fix, rule.example),
                "markdown": format!("{}\n\n**Example that fires:**\n\n```\n{}```", rule.fix, rule.example)
            },
            "defaultConfiguration": { "level": level(rule.severity) },
            "properties": { "tags": [rule.area.name()] }
        })
    });
    let language = LANGUAGE_CODES.iter().map(|(code, _, description)| {
        json!({
            "id": code,
            "name": name_of(code),
            "shortDescription": { "text": description },
            "fullDescription": { "text": description },
            "help": { "text": "See the diagnostic's help text for the fix." },
            "defaultConfiguration": { "level": "error" },
            "properties": { "tags": ["language"] }
        })
    });
    rules.chain(language).collect()
}
