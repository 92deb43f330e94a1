//! Semantic tokens: the lexer's tokens, each named by what the syntax tree says it is
//! (a kind, a property, a declared or used id) where the lexer alone cannot tell.

use super::document::Document;
use super::names::{self, Namespace};
use super::position::position;
use crate::syntax::ast::{Item, JourneyMember, Property};
use crate::syntax::lexer::{lex, Token};
use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};
use std::collections::HashMap;

/// The token types, in the order the legend gives their indices.
const TYPES: [SemanticTokenType; 11] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::TYPE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::EVENT,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::ENUM_MEMBER,
];
const KEYWORD: u32 = 0;
const KIND: u32 = 1;
const PROPERTY: u32 = 2;
const COMPONENT: u32 = 3;
const CONTAINER: u32 = 4;
const JOURNEY: u32 = 5;
const STRING: u32 = 6;
const NUMBER: u32 = 7;
const COMMENT: u32 = 8;
const OPERATOR: u32 = 9;
const WORD: u32 = 10;
/// The one modifier: bit 0, an id where it is declared.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// The words that start an item; anywhere else they are names.
const KEYWORDS: [&str; 6] = ["import", "system", "tier", "group", "journey", "lint"];

pub fn tokens(document: &Document) -> SemanticTokens {
    let source = &document.source;
    let named = named_by_tree(&document.checked.parsed.items);
    let lexed = lex(&source.text);
    let mut classified: Vec<(crate::source::Span, u32, u32)> = lexed
        .tokens
        .iter()
        .map(|(token, span)| {
            let (kind, modifiers) =
                match token {
                    Token::Ident(text) => named.get(&span.start).copied().unwrap_or(match KEYWORDS
                        .contains(text)
                    {
                        true => (KEYWORD, 0),
                        false => (WORD, 0),
                    }),
                    Token::Str(_) | Token::UnterminatedStr(_) => {
                        named.get(&span.start).copied().unwrap_or((STRING, 0))
                    }
                    Token::Number(_)
                    | Token::Percent(_)
                    | Token::Duration(_)
                    | Token::Quantity(_)
                    | Token::BadNumber(_) => (NUMBER, 0),
                    Token::SyncArrow | Token::AsyncArrow | Token::FatArrow => (OPERATOR, 0),
                    _ => return (span.clone(), u32::MAX, 0),
                };
            (span.clone(), kind, modifiers)
        })
        .filter(|(_, kind, _)| *kind != u32::MAX)
        .chain(lexed.comments.iter().map(|c| (c.span.clone(), COMMENT, 0)))
        .collect();
    classified.sort_by_key(|(span, _, _)| span.start);
    let mut data = Vec::with_capacity(classified.len());
    let (mut line, mut column) = (0, 0);
    for (span, kind, modifiers) in classified {
        let start = position(source, span.start);
        let length = source.text[span].encode_utf16().count();
        let delta_line = start.line - line;
        let delta_start = match delta_line {
            0 => start.character - column,
            _ => start.character,
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: u32::try_from(length).unwrap_or(u32::MAX),
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        (line, column) = (start.line, start.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

/// Token type and modifiers by start offset, for what only the tree can name.
fn named_by_tree(items: &[Item]) -> HashMap<usize, (u32, u32)> {
    let mut named = HashMap::new();
    for occurrence in names::occurrences(items) {
        let kind = match occurrence.namespace {
            Namespace::Component => COMPONENT,
            Namespace::Tier | Namespace::Group => CONTAINER,
            Namespace::Journey => JOURNEY,
        };
        let modifiers = if occurrence.declaration {
            DECLARATION
        } else {
            0
        };
        named.insert(occurrence.span.start, (kind, modifiers));
    }
    name_properties(items, &mut named);
    named
}

fn name_properties(items: &[Item], named: &mut HashMap<usize, (u32, u32)>) {
    for item in items {
        match item {
            Item::Import(_) => {}
            Item::System(system) => property_names(&system.properties, named),
            Item::Component(component) => {
                property_names(&component.properties, named);
                named.insert(component.kind.span.start, (KIND, 0));
            }
            Item::Flow(flow) => property_names(&flow.properties, named),
            Item::Journey(journey) => {
                for member in &journey.members {
                    match member {
                        JourneyMember::Property(property) => {
                            property_names(std::slice::from_ref(property), named)
                        }
                        JourneyMember::Step(step) => property_names(&step.properties, named),
                    }
                }
            }
            Item::Lint(lint) => {
                for setting in &lint.settings {
                    named.insert(setting.key.span().start, (PROPERTY, 0));
                }
            }
            Item::Tier(container) | Item::Group(container) => {
                name_properties(&container.members, named)
            }
        }
    }
}

fn property_names(properties: &[Property], named: &mut HashMap<usize, (u32, u32)>) {
    for property in properties {
        named.insert(property.name.span.start, (PROPERTY, 0));
    }
}
