//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Every rule and
//! language diagnostic is described under `tool.driver.rules`; each result points at a
//! file relative to `%SRCROOT%` (the repository, else the working directory) or, outside
//! it, at an absolute `file://` URI, and a region whose columns count Unicode code points.

use super::{
    file_uri, locate, name_of, percent_encode, region, source_root, FileLocation, FileReport,
    LANGUAGE_CODES,
};
use crate::diagnostics::Severity;
use crate::lint::RULES;
use serde_json::{json, Value};
use std::path::Path;

/// The base id relative URIs are given under, as GitHub code scanning expects.
const SOURCE_ROOT: &str = "%SRCROOT%";

pub fn sarif(reports: &[FileReport]) -> String {
    let descriptors = descriptors();
    let index_of = |code: &str| descriptors.iter().position(|d| d["id"] == code);
    let root = source_root();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.entries.iter().map(|entry| {
                let d = &entry.diagnostic;
                let source = report.file_of(entry);
                let artifact = artifact_location(&source.name, root.as_deref());
                let (start, end) = region(entry, source);
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
                            "artifactLocation": artifact,
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
            "originalUriBaseIds": original_uri_base_ids(root.as_deref()),
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).expect("a report serializes");
    text.push('\n');
    text
}

/// A relative URI under `%SRCROOT%` for a file inside the root, else an absolute one.
fn artifact_location(name: &str, root: Option<&Path>) -> Value {
    match locate(name, root) {
        FileLocation::Relative(path) => {
            json!({ "uri": percent_encode(&path), "uriBaseId": SOURCE_ROOT })
        }
        FileLocation::Absolute(path) => json!({ "uri": file_uri(&path) }),
    }
}

/// What `%SRCROOT%` stands for: the root as an absolute URI, ending in `/`.
fn original_uri_base_ids(root: Option<&Path>) -> Value {
    match root {
        Some(root) => {
            let mut uri = file_uri(root);
            if !uri.ends_with('/') {
                uri.push('/');
            }
            json!({ SOURCE_ROOT: { "uri": uri } })
        }
        None => json!({}),
    }
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
