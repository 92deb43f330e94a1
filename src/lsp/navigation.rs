//! Go to definition, find references and rename, for the ids of components, tiers,
//! groups and journeys (one namespace: the model refuses an id declared twice).

use super::document::Document;
use super::names::{self, Occurrence};
use super::position::range;
use super::Refusal;
use crate::syntax::lexer::{lex, Token};
use lsp_types::{Location, PrepareRenameResponse, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// The declaration of the id under the cursor: in the document, or in a file it imports.
pub fn definition(uri: &Uri, document: &Document, offset: usize) -> Option<Location> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let name = &names::at(&occurrences, offset)?.name;
    if let Some(declaration) = names::declaration(&occurrences, name) {
        return Some(location(uri, document, declaration));
    }
    document.checked.imported.iter().find_map(|file| {
        let occurrences = names::occurrences(&file.parsed.items);
        let declaration = names::declaration(&occurrences, name)?;
        document.location(uri, &declaration.span)
    })
}

pub fn references(
    uri: &Uri,
    document: &Document,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let Some(name) = names::at(&occurrences, offset).map(|o| o.name.clone()) else {
        return Vec::new();
    };
    occurrences
        .iter()
        .filter(|o| o.name == name && (include_declaration || !o.declaration))
        .map(|o| location(uri, document, o))
        .collect()
}

fn location(uri: &Uri, document: &Document, occurrence: &Occurrence) -> Location {
    Location::new(uri.clone(), range(&document.source, &occurrence.span))
}

pub fn prepare_rename(document: &Document, offset: usize) -> Option<PrepareRenameResponse> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let occurrence = names::at(&occurrences, offset)?;
    // Only a declared name can be renamed: renaming an unknown reference fixes nothing.
    names::declaration(&occurrences, &occurrence.name)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: range(&document.source, &occurrence.span),
        placeholder: occurrence.name.clone(),
    })
}

/// Every occurrence of the id under the cursor renamed; refused when the new name is no
/// identifier, is taken, or would make the design report an error it did not have.
pub fn rename(
    uri: &Uri,
    document: &Document,
    offset: usize,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, Refusal> {
    let occurrences = names::occurrences(&document.checked.parsed.items);
    let Some(occurrence) = names::at(&occurrences, offset) else {
        return Ok(None);
    };
    let old_name = occurrence.name.clone();
    if names::declaration(&occurrences, &old_name).is_none() {
        return Err(Refusal::failed(format!(
            "`{old_name}` is not declared, so there is nothing to rename"
        )));
    }
    if !is_identifier(new_name) {
        return Err(Refusal::failed(format!(
            "`{}` is not an identifier: write letters, digits and `_`, starting with a letter or `_`",
            crate::source::quoted(new_name)
        )));
    }
    if let Some(taken) = names::declaration(&occurrences, new_name) {
        let line = document.source.position(taken.span.start).line;
        return Err(Refusal::failed(format!(
            "`{new_name}` is already declared on line {line}"
        )));
    }
    let spans: Vec<_> = occurrences
        .iter()
        .filter(|o| o.name == old_name)
        .map(|o| o.span.clone())
        .collect();
    refuse_new_errors(document, &spans, new_name)?;
    let edits = spans
        .iter()
        .map(|span| TextEdit::new(range(&document.source, span), new_name.to_string()))
        .collect();
    Ok(Some(WorkspaceEdit::new(HashMap::from([(
        uri.clone(),
        edits,
    )]))))
}

/// Whether the text is one identifier token, as the lexer reads it.
fn is_identifier(name: &str) -> bool {
    let lexed = lex(name);
    matches!(lexed.tokens.as_slice(), [(Token::Ident(_), span)] if *span == (0..name.len()))
        && lexed.diagnostics.is_empty()
        && lexed.comments.is_empty()
}

/// Refuses a rename after which the design has an error code it did not have (a name
/// that is a keyword where the id stands, for instance).
fn refuse_new_errors(
    document: &Document,
    spans: &[crate::source::Span],
    new_name: &str,
) -> Result<(), Refusal> {
    let mut text = document.source.text.clone();
    for span in spans.iter().rev() {
        text.replace_range(span.clone(), new_name);
    }
    let renamed = document.recheck(text);
    let had = |code: &str| {
        document
            .checked
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.code == code)
    };
    match renamed
        .diagnostics
        .iter()
        .find(|d| d.is_error() && !had(d.code))
    {
        Some(new_error) => Err(Refusal::failed(format!(
            "renaming to `{new_name}` would break the design: {}",
            new_error.message
        ))),
        None => Ok(()),
    }
}
