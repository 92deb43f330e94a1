//! Document symbols: the system, tiers holding groups holding components, and journeys.

use super::document::Document;
use super::position::range;
use crate::source::Source;
use crate::syntax::ast::Item;
use lsp_types::{DocumentSymbol, SymbolKind};

pub fn symbols(document: &Document) -> Vec<DocumentSymbol> {
    symbols_of(&document.source, &document.checked.parsed.items)
}

fn symbols_of(source: &Source, items: &[Item]) -> Vec<DocumentSymbol> {
    items
        .iter()
        .filter_map(|item| symbol(source, item))
        .collect()
}

fn symbol(source: &Source, item: &Item) -> Option<DocumentSymbol> {
    let (name, detail, kind, selection, children) = match item {
        Item::System(system) => (
            system.name.value.clone(),
            Some("system".to_string()),
            SymbolKind::MODULE,
            &system.name.span,
            None,
        ),
        Item::Tier(container) | Item::Group(container) => {
            let (what, kind) = match item {
                Item::Tier(_) => ("tier", SymbolKind::NAMESPACE),
                _ => ("group", SymbolKind::PACKAGE),
            };
            let title = container
                .title
                .as_ref()
                .map(|t| format!("{what} \"{}\"", t.value));
            (
                container.id.name.clone(),
                title.or(Some(what.to_string())),
                kind,
                &container.id.span,
                Some(symbols_of(source, &container.members)),
            )
        }
        Item::Component(component) => (
            component.id.name.clone(),
            Some(component.kind.name.clone()),
            SymbolKind::OBJECT,
            &component.id.span,
            None,
        ),
        Item::Journey(journey) => (
            journey.id.name.clone(),
            Some("journey".to_string()),
            SymbolKind::EVENT,
            &journey.id.span,
            None,
        ),
        Item::Import(_) | Item::Flow(_) | Item::Lint(_) => return None,
    };
    #[allow(deprecated)] // `deprecated` is a field the protocol still requires.
    Some(DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: range(source, item.span()),
        selection_range: range(source, selection),
        children,
    })
}
