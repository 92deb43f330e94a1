//! Quick fixes: apply a "did you mean", suppress a finding with a reason to fill in, add
//! the component a checklist finding says the design lacks.

use super::document::Document;
use super::names;
use super::position::range;
use crate::diagnostics::Diagnostic;
use crate::lint::Finding;
use crate::model::Kind;
use crate::source::{Source, Span};
use crate::syntax::ast::{Container, Item};
use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// What a suppression added by a quick fix says until its writer gives the reason.
pub const REASON_PLACEHOLDER: &str = "<why this is acceptable here>";

pub fn actions(uri: &Uri, document: &Document, span: &Span) -> Vec<CodeActionOrCommand> {
    let touches = |diagnostic: &Diagnostic| {
        let primary = &diagnostic.primary.span;
        primary.start <= span.end && span.start <= primary.end
    };
    let mut actions = Vec::new();
    for diagnostic in document.diagnostics().filter(|d| touches(d)) {
        if let Some(replacement) = &diagnostic.suggestion {
            let edit = TextEdit::new(
                range(&document.source, &diagnostic.primary.span),
                replacement.clone(),
            );
            actions.push(action(
                uri,
                format!("Replace with `{replacement}`"),
                vec![edit],
                true,
            ));
        }
    }
    for finding in document.findings.iter().filter(|f| touches(&f.diagnostic)) {
        if let Some(kind) = finding.missing {
            actions.push(add_component(uri, document, kind));
        }
        actions.push(suppress(uri, &document.source, finding));
    }
    actions
}

fn action(uri: &Uri, title: String, edits: Vec<TextEdit>, preferred: bool) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// `# strata: allow CODE because …` alone on the line above the finding, indented as it is.
fn suppress(uri: &Uri, source: &Source, finding: &Finding) -> CodeActionOrCommand {
    let code = finding.code();
    let line = source.line_index(finding.diagnostic.primary.span.start);
    let start = source.line_span(line).start;
    let indent: String = source.text[source.line_span(line)]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = format!("{indent}# strata: allow {code} because {REASON_PLACEHOLDER}\n");
    let edit = TextEdit::new(range(source, &(start..start)), comment);
    action(
        uri,
        format!("Suppress {code} here, with a reason"),
        vec![edit],
        false,
    )
}

/// Declares a component of the kind the design lacks in the tier holding its like (the
/// observability tier for a logging store), or in a new tier for them at the end.
fn add_component(uri: &Uri, document: &Document, kind: Kind) -> CodeActionOrCommand {
    let source = &document.source;
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let id = (1..)
        .map(|n| match n {
            1 => kind.name().to_string(),
            n => format!("{}_{n}", kind.name()),
        })
        .find(|id| names::declaration(&occurrences, id).is_none())
        .unwrap_or_default();
    let declaration = format!("{id}: {}", kind.name());
    let edit = match tier_for(document, kind) {
        Some(tier) => into_tier(source, tier, &declaration),
        None => {
            let end = source.text.len();
            let newline = if source.text.ends_with('\n') || end == 0 {
                ""
            } else {
                "\n"
            };
            let (tier, title) = new_tier(kind);
            let text = format!("{newline}\ntier {tier} \"{title}\" {{\n  {declaration}\n}}\n");
            TextEdit::new(range(source, &(end..end)), text)
        }
    };
    action(uri, format!("Add `{declaration}`"), vec![edit], true)
}

/// The tier whose components are most like a kind: the same kind, or the same family.
fn tier_for(document: &Document, kind: Kind) -> Option<&Container> {
    let design = &document.checked.design;
    let tier = design.tiers.iter().find(|tier| {
        tier.components
            .iter()
            .any(|&c| family(design.components[c].kind) == family(kind))
    })?;
    document
        .checked
        .parsed
        .items
        .iter()
        .find_map(|item| match item {
            Item::Tier(container) if container.id.name == tier.id => Some(container),
            _ => None,
        })
}

/// Kinds that share a tier in the templates: observability, what keeps state, the rest.
fn family(kind: Kind) -> u8 {
    if kind.is_observability() {
        0
    } else if kind.is_data_store()
        || kind.is_broker()
        || matches!(kind, Kind::SecretStore | Kind::ConfigStore)
    {
        1
    } else {
        2
    }
}

fn new_tier(kind: Kind) -> (&'static str, &'static str) {
    match family(kind) {
        0 => ("observability", "Observability"),
        1 => ("data", "Data"),
        _ => ("services", "Services"),
    }
}

/// The declaration as the tier's last member, on a line of its own before the `}`.
fn into_tier(source: &Source, tier: &Container, declaration: &str) -> TextEdit {
    let close = tier.close.start;
    let line = source.line_span(source.line_index(close));
    let indent = match tier.members.first() {
        Some(member) => {
            let member_line = source.line_span(source.line_index(member.span().start));
            source.text[member_line]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect()
        }
        None => "  ".to_string(),
    };
    if source.text[line.start..close].trim().is_empty() {
        let text = format!("{indent}{declaration}\n");
        TextEdit::new(range(source, &(line.start..line.start)), text)
    } else {
        TextEdit::new(
            range(source, &(close..close)),
            format!("\n{indent}{declaration}\n"),
        )
    }
}
