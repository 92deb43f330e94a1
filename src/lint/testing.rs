//! Helpers for rule tests: lint a design text with the default configuration.

use super::config::CommandLine;
use super::{lint, Config, Finding, Rule};
use crate::source::Source;

pub fn findings(text: &str) -> Vec<Finding> {
    let source = Source::new("test", text);
    let checked = crate::check(&source);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let (config, errors) = Config::new(&checked.design, &CommandLine::default()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let linted = lint(&checked.design, &checked.parsed.comments, &source, &config);
    assert!(linted.diagnostics.is_empty(), "{:?}", linted.diagnostics);
    linted.findings
}

/// The ids of the findings `rule` reports on `text`.
pub fn ids(rule: &Rule, text: &str) -> Vec<String> {
    findings(text)
        .into_iter()
        .filter(|f| f.code() == rule.code)
        .map(|f| f.id)
        .collect()
}
