//! Formatting: exactly `strata fmt`, refused for a design with errors as `fmt` refuses it.

use super::document::Document;
use super::position::range;
use super::Refusal;
use crate::syntax::format::format_keeping_line_endings;
use lsp_types::TextEdit;

pub fn format(document: &Document) -> Result<Vec<TextEdit>, Refusal> {
    if document.has_errors() {
        return Err(Refusal::failed(
            "not formatted: the design has errors; fix them first (as `strata fmt` asks)",
        ));
    }
    let text = &document.source.text;
    let formatted = format_keeping_line_endings(text, &document.checked.parsed);
    if &formatted == text {
        return Ok(Vec::new());
    }
    let whole = range(&document.source, &(0..text.len()));
    Ok(vec![TextEdit::new(whole, formatted)])
}
