//! Completion from what the cursor follows: kinds after `id :`, ids after `->`, `~>` and
//! `,`, property names and values inside `{ }`, rule codes and names in `lint { }` and in
//! `# strata: allow` comments. Every list comes from the code that defines it: the kinds,
//! the property tables, the rule registry.

use super::document::Document;
use super::names::{self, Namespace};
use crate::lint::config::{LEVELS, OPTIONS};
use crate::lint::RULES;
use crate::model::properties::{
    value_words, COMPONENT_PROPERTIES, FLOW_PROPERTIES, JOURNEY_PROPERTIES, SYSTEM_PROPERTIES,
};
use crate::model::Kind;
use crate::syntax::lexer::{lex, Token};
use lsp_types::{CompletionItem, CompletionItemKind};

/// What the braces around the cursor belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    System,
    Component,
    Flow,
    Journey,
    Lint,
    /// A tier or group: its members are declarations.
    Members,
    Unknown,
}

/// Where in a `name value` block the cursor stands.
enum Slot<'a> {
    Name,
    ValueOf(&'a str),
}

pub fn complete(document: &Document, offset: usize) -> Vec<CompletionItem> {
    let text = &document.source.text;
    let offset = document.source.floor_boundary(offset);
    if let Some(comment) = document
        .checked
        .parsed
        .comments
        .iter()
        .find(|comment| comment.span.start < offset && offset <= comment.span.end)
    {
        return match crate::lint::directive(&comment.text) {
            Some(_) => rules(false),
            None => Vec::new(),
        };
    }
    let lexed = lex(&text[..offset]);
    let mut tokens: Vec<Token> = lexed.tokens.iter().map(|(token, _)| *token).collect();
    // The word being typed is what completion replaces, not what it follows.
    if let Some((Token::Ident(_), span)) = lexed.tokens.last() {
        if span.end == offset {
            tokens.pop();
        }
    }
    let block = enclosing_block(&tokens);
    match tokens.last() {
        Some(Token::SyncArrow | Token::AsyncArrow | Token::FatArrow) => ids(document),
        Some(Token::Colon) => match declares_component(&tokens) {
            true => kinds(),
            // A flow's label, a string of the writer's own.
            false => Vec::new(),
        },
        Some(Token::Comma)
            if block
                .as_ref()
                .is_none_or(|(_, slot)| matches!(slot, Slot::Name)) =>
        {
            ids(document)
        }
        _ => match block {
            Some((block, Slot::Name)) => names_in(block, document),
            Some((block, Slot::ValueOf(name))) => values_in(block, name),
            None => top_level(document),
        },
    }
}

/// Whether a `:` ends `id :` (a component's kind follows), not a flow's `a -> b :`.
fn declares_component(tokens: &[Token]) -> bool {
    let before = &tokens[..tokens.len() - 1];
    match before {
        [.., previous, Token::Ident(_)] => !matches!(
            previous,
            Token::SyncArrow | Token::AsyncArrow | Token::FatArrow | Token::Comma
        ),
        [Token::Ident(_)] => true,
        _ => false,
    }
}

/// The innermost open block and where the cursor stands in it.
fn enclosing_block<'a>(tokens: &[Token<'a>]) -> Option<(Block, Slot<'a>)> {
    let mut open = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::LBrace => open.push(index),
            Token::RBrace => {
                open.pop();
            }
            _ => {}
        }
    }
    let start = *open.last()?;
    let block = classify(&tokens[..start]);
    Some((block, slot(&tokens[start + 1..])))
}

/// What a `{` opens, from the tokens before it.
fn classify(before: &[Token]) -> Block {
    let before = match before {
        [rest @ .., Token::Str(_)] => rest,
        _ => before,
    };
    match before {
        [] => Block::Unknown,
        [Token::Ident("lint")] | [.., Token::RBrace | Token::Semicolon, Token::Ident("lint")] => {
            Block::Lint
        }
        [.., Token::Ident("system")] => Block::System,
        [.., Token::Ident("tier" | "group"), Token::Ident(_)] => Block::Members,
        [.., Token::Ident("journey"), Token::Ident(_)] => Block::Journey,
        [.., Token::Colon, Token::Ident(_)] => Block::Component,
        [.., Token::Colon] => Block::Flow,
        [.., Token::SyncArrow | Token::AsyncArrow | Token::FatArrow | Token::Comma, Token::Ident(_)] => {
            Block::Flow
        }
        _ => Block::Unknown,
    }
}

/// Whether the cursor, after these tokens of a block, names a setting or gives its value.
fn slot<'a>(tokens: &[Token<'a>]) -> Slot<'a> {
    let mut pending: Option<&'a str> = None;
    let mut in_list = None;
    for token in tokens {
        match (token, in_list) {
            (Token::RBracket, Some(_)) => in_list = None,
            (_, Some(_)) => {}
            (Token::LBracket, None) => {
                in_list = pending.take();
            }
            (Token::Semicolon | Token::LBrace | Token::RBrace, None) => pending = None,
            (Token::Ident(name) | Token::Str(name), None) if pending.is_none() => {
                pending = Some(name)
            }
            (_, None) => pending = None,
        }
    }
    match in_list.or(pending) {
        Some(name) => Slot::ValueOf(name.trim_matches('"')),
        None => Slot::Name,
    }
}

fn names_in(block: Block, document: &Document) -> Vec<CompletionItem> {
    let properties =
        |names: &[&'static str]| items(names.iter().copied(), CompletionItemKind::PROPERTY);
    match block {
        Block::System => properties(&SYSTEM_PROPERTIES),
        Block::Component => properties(&COMPONENT_PROPERTIES),
        Block::Flow => properties(&FLOW_PROPERTIES),
        Block::Journey => {
            let mut found = properties(&JOURNEY_PROPERTIES);
            found.extend(ids(document));
            found
        }
        Block::Lint => {
            let mut found = rules(true);
            found.extend(items(
                OPTIONS.iter().map(|spec| spec.name),
                CompletionItemKind::FIELD,
            ));
            found
        }
        Block::Members | Block::Unknown => Vec::new(),
    }
}

fn values_in(block: Block, name: &str) -> Vec<CompletionItem> {
    match block {
        Block::Lint if OPTIONS.iter().all(|spec| spec.name != name) => items(
            LEVELS[..4].iter().map(|(level, _)| *level),
            CompletionItemKind::VALUE,
        ),
        Block::Lint | Block::Members | Block::Unknown => Vec::new(),
        _ => items(value_words(name), CompletionItemKind::ENUM_MEMBER),
    }
}

fn top_level(document: &Document) -> Vec<CompletionItem> {
    let mut found = items(
        ["import", "system", "tier", "group", "journey", "lint"],
        CompletionItemKind::KEYWORD,
    );
    found.extend(ids(document));
    found
}

fn kinds() -> Vec<CompletionItem> {
    items(Kind::ALL.map(Kind::name), CompletionItemKind::CLASS)
}

/// The declared components, each with its kind.
fn ids(document: &Document) -> Vec<CompletionItem> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let mut seen = std::collections::HashSet::new();
    occurrences
        .iter()
        .filter(|o| o.declaration && o.namespace == Namespace::Component)
        .filter(|o| seen.insert(o.name.clone()))
        .map(|o| {
            let kind = document
                .checked
                .design
                .components
                .iter()
                .find(|component| component.id == o.name)
                .map(|component| component.kind.name().to_string());
            CompletionItem {
                label: o.name.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: kind,
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// Every rule by code and by name; a `lint` block needs a name in quotes (it has `-`).
fn rules(quote_names: bool) -> Vec<CompletionItem> {
    RULES
        .iter()
        .flat_map(|rule| {
            let name = match quote_names {
                true => format!("\"{}\"", rule.name),
                false => rule.name.to_string(),
            };
            [(rule.code.to_string(), rule.name), (name, rule.code)].map(|(label, other)| {
                CompletionItem {
                    label,
                    kind: Some(CompletionItemKind::CONSTANT),
                    detail: Some(format!("{other}: {}", rule.summary)),
                    ..CompletionItem::default()
                }
            })
        })
        .collect()
}

fn items(
    labels: impl IntoIterator<Item = &'static str>,
    kind: CompletionItemKind,
) -> Vec<CompletionItem> {
    labels
        .into_iter()
        .map(|label| CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}
