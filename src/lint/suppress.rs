//! Inline suppressions: `# strata: allow AVL101, REQ005 because <reason>` on the line of
//! the component or flow at fault, or alone on the line above it. The reason is
//! required; a suppression that suppresses nothing is itself reported (LNT001).

use super::config::{selects, Config};
use super::rules::unused_suppression::RULE as UNUSED;
use super::{Finding, RULES};
use crate::diagnostics::Diagnostic;
use crate::source::{quoted, Files, Source, Span};
use crate::syntax::lexer::Comment;

pub(super) struct Suppression {
    selectors: Vec<String>,
    /// The file (by its first offset) and line (1-based) whose findings it suppresses.
    line: (usize, usize),
    span: Span,
    used: bool,
}

const SYNTAX: &str = "write `# strata: allow CODE because <reason>`, e.g. `# strata: allow AVL101 because batch jobs tolerate restarts`";

/// What follows `strata:` in a comment that is a directive (`# strata: allow …`).
pub fn directive(comment: &str) -> Option<&str> {
    let body = comment.trim_start_matches(['#', '/']).trim();
    Some(body.strip_prefix("strata:")?.trim())
}

pub(super) fn parse<F: Files + ?Sized>(
    comments: &[Comment],
    files: &F,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Suppression> {
    comments
        .iter()
        .filter_map(|comment| {
            let directive = directive(&comment.text)?;
            match parse_directive(directive) {
                Ok(selectors) => {
                    if let Some(unknown) = selectors
                        .iter()
                        .find(|s| !RULES.iter().any(|r| selects(s, r)))
                    {
                        diagnostics.push(
                            Diagnostic::error(
                                "E201",
                                format!("unknown rule `{}` in a suppression", quoted(unknown)),
                                comment.span.clone(),
                            )
                            .with_label("no rule has this code or name")
                            .with_help("`strata rule --all` lists the rules"),
                        );
                        return None;
                    }
                    Some(Suppression {
                        selectors,
                        line: target_line(comment, files.file_of(comment.span.start)),
                        span: comment.span.clone(),
                        used: false,
                    })
                }
                Err(problem) => {
                    diagnostics.push(
                        Diagnostic::error("E203", problem, comment.span.clone())
                            .with_label("this suppression is not applied")
                            .with_help(SYNTAX),
                    );
                    None
                }
            }
        })
        .collect()
}

fn parse_directive(directive: &str) -> Result<Vec<String>, String> {
    let rest = directive
        .strip_prefix("allow")
        .ok_or_else(|| "a `strata:` comment must say `allow`".to_string())?;
    let (codes, reason) = rest
        .split_once(" because ")
        .or_else(|| {
            rest.trim_end()
                .strip_suffix(" because")
                .map(|codes| (codes, ""))
        })
        .ok_or_else(|| "a suppression needs a reason, after `because`".to_string())?;
    if reason.trim().is_empty() {
        return Err("a suppression needs a reason, after `because`".to_string());
    }
    let selectors: Vec<String> = codes
        .split(',')
        .map(|code| code.trim().to_string())
        .filter(|code| !code.is_empty())
        .collect();
    if selectors.is_empty() {
        return Err("a suppression must name the rules it allows".to_string());
    }
    Ok(selectors)
}

/// A trailing comment covers its own line; a comment alone on a line covers the next
/// line that holds code.
fn target_line(comment: &Comment, source: &Source) -> (usize, usize) {
    let position = source.position(comment.span.start);
    let (start, end) = (
        source.local(comment.span.start),
        source.local(comment.span.end),
    );
    let line_start = source.text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &source.text[line_start..start];
    if !before.trim().is_empty() {
        return (source.base(), position.line);
    }
    let mut line = position.line;
    for text in source.text[end..].lines().skip(1) {
        line += 1;
        let code = text.trim();
        if !code.is_empty() && !code.starts_with('#') && !code.starts_with("//") {
            return (source.base(), line);
        }
    }
    (source.base(), line + 1)
}

pub(super) fn apply<F: Files + ?Sized>(
    findings: Vec<Finding>,
    mut suppressions: Vec<Suppression>,
    files: &F,
    config: &Config,
) -> Vec<Finding> {
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| {
            let at = finding.diagnostic.primary.span.start;
            let source = files.file_of(at);
            let line = (source.base(), source.position(at).line);
            let rule = RULES
                .iter()
                .find(|r| r.code == finding.code())
                .expect("findings come from rules");
            let mut suppressed = false;
            for suppression in suppressions.iter_mut().filter(|s| s.line == line) {
                if suppression.selectors.iter().any(|s| selects(s, rule)) {
                    suppression.used = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    if let Some(severity) = config.severity(&UNUSED) {
        for suppression in suppressions.iter().filter(|s| !s.used) {
            // A suppression of rules that are all turned off may be needed when they are on.
            let names_a_running_rule = RULES.iter().any(|rule| {
                suppression.selectors.iter().any(|s| selects(s, rule))
                    && config.severity(rule).is_some()
            });
            if names_a_running_rule {
                let mut finding = Finding::new(
                    &UNUSED,
                    &format!("line{}", suppression.line.1),
                    format!(
                        "this suppression of {} suppresses nothing",
                        suppression.selectors.join(", ")
                    ),
                    suppression.span.clone(),
                )
                .with_label("no finding on the line it covers");
                finding.diagnostic.severity = severity;
                kept.push(finding);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_directive};
    use crate::source::Source;

    #[test]
    fn a_directive_names_rules_and_gives_a_reason() {
        assert_eq!(
            parse_directive("allow AVL101, REQ005 because demo only").unwrap(),
            ["AVL101", "REQ005"]
        );
        assert!(parse_directive("allow AVL101").is_err());
        assert!(parse_directive("allow AVL101 because").is_err());
        assert!(parse_directive("allow because reasons").is_err());
        assert!(parse_directive("ignore AVL101 because x").is_err());
    }

    #[test]
    fn an_unknown_rule_is_quoted_with_control_characters_escaped() {
        let text = "a: service # strata: allow X\u{1b}[2J because y";
        let mut diagnostics = Vec::new();
        parse(
            &crate::syntax::lexer::lex(text).comments,
            &Source::new("t", text),
            &mut diagnostics,
        );
        assert_eq!(
            diagnostics[0].message,
            "unknown rule `X\\u{1b}[2J` in a suppression"
        );
    }
}
