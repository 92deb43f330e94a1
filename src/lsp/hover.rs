//! Hover: what a component is and what the analysis says of it; a rule's documentation
//! over its code or name in a `lint` block or a suppression comment.

use super::document::Document;
use super::names::{self, Namespace, Occurrence};
use super::position::range;
use crate::analysis::component_availability;
use crate::analysis::{self, explain};
use crate::lint::{docs, rules, Rule};
use crate::model::ComponentId;
use crate::source::Span;
use crate::syntax::ast::Item;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

pub fn hover(document: &Document, offset: usize) -> Option<Hover> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let (text, span) = match names::at(&occurrences, offset) {
        Some(occurrence) => (describe(document, occurrence)?, occurrence.span.clone()),
        None => {
            let (rule, span) = rule_at(document, offset)?;
            (docs::markdown(rule), span)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(&document.source, &span)),
    })
}

fn describe(document: &Document, occurrence: &Occurrence) -> Option<String> {
    let design = &document.checked.design;
    let name = &occurrence.name;
    match occurrence.namespace {
        Namespace::Component => {
            let index = design.components.iter().position(|c| &c.id == name)?;
            Some(component(document, index))
        }
        Namespace::Tier => {
            let tier = design.tiers.iter().find(|tier| &tier.id == name)?;
            Some(container("tier", name, &tier.title, tier.components.len()))
        }
        Namespace::Group => {
            let group = design.groups.iter().find(|group| &group.id == name)?;
            Some(container(
                "group",
                name,
                &group.title,
                group.components.len(),
            ))
        }
        Namespace::Journey => {
            let journey = design.journeys.iter().find(|journey| &journey.id == name)?;
            Some(format!(
                "**{name}** journey \"{}\": {} declared flows",
                journey.title,
                journey.steps.len()
            ))
        }
    }
}

fn container(what: &str, id: &str, title: &str, components: usize) -> String {
    format!("**{id}** {what} \"{title}\": {components} components")
}

/// A component's declaration and, once the design has no errors, what the analysis
/// computes for it.
fn component(document: &Document, index: ComponentId) -> String {
    let design = &document.checked.design;
    let component = &design.components[index];
    let mut lines = vec![format!(
        "**{}**: `{}` \"{}\"",
        component.id,
        component.kind.name(),
        component.label
    )];
    if let Some(tech) = &component.tech {
        lines.push(format!("tech: {tech}"));
    }
    lines.push(format!(
        "replicas: {}{}",
        component.replicas,
        if component.managed { " (managed)" } else { "" }
    ));
    lines.push(format!(
        "availability: {}",
        explain::percent(component_availability(component))
    ));
    if document.has_errors() {
        lines.push("single point of failure: known once the design has no errors".into());
        return lines.join("\n\n");
    }
    let analysis = analysis::analyze(design);
    let spof = analysis.spofs.iter().find(|spof| spof.component == index);
    lines.push(match spof {
        Some(spof) => format!(
            "single point of failure: **yes**, for {} components",
            spof.targets.len()
        ),
        None => "single point of failure: no".into(),
    });
    lines.join("\n\n")
}

/// The rule named under a cursor: a key of a `lint` block, or a word of a
/// `# strata: allow …` comment.
pub fn rule_at(document: &Document, offset: usize) -> Option<(&'static Rule, Span)> {
    let items = &document.checked.parsed.items;
    let lint_key = items.iter().find_map(|item| match item {
        Item::Lint(lint) => lint
            .settings
            .iter()
            .map(|setting| setting.key.span())
            .find(|span| span.start <= offset && offset <= span.end),
        _ => None,
    });
    let span = match lint_key {
        Some(span) => span.clone(),
        None => word_in_directive(document, offset)?,
    };
    let word = document.source.text[span.clone()].trim_matches('"');
    Some((rules::find(word)?, span))
}

/// The word (a rule code or name) under a cursor in a `strata:` comment.
fn word_in_directive(document: &Document, offset: usize) -> Option<Span> {
    let comment = document
        .checked
        .parsed
        .comments
        .iter()
        .find(|comment| comment.span.start <= offset && offset <= comment.span.end)?;
    crate::lint::directive(&comment.text)?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let text = &document.source.text;
    let before = text[comment.span.start..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word(*c))
        .map_or(comment.span.start, |(i, c)| {
            comment.span.start + i + c.len_utf8()
        });
    let after = text[offset..comment.span.end]
        .find(|c| !is_word(c))
        .map_or(comment.span.end, |i| offset + i);
    (before < after).then_some(before..after)
}
