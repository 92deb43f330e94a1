//! Byte offsets ↔ LSP positions. LSP counts columns in UTF-16 code units (the default
//! position encoding every client supports), strata in bytes: every conversion between
//! the two goes through here.

use crate::source::{Source, Span};
use lsp_types::{Position, Range};

/// The LSP position of a byte offset (clamped to the text and to a character boundary).
pub fn position(source: &Source, offset: usize) -> Position {
    let offset = source.floor_boundary(offset);
    let line = source.line_index(offset);
    let start = source.line_span(line).start;
    let character = source.slice(&(start..offset)).encode_utf16().count();
    Position::new(to_u32(line), to_u32(character))
}

pub fn range(source: &Source, span: &Span) -> Range {
    Range::new(position(source, span.start), position(source, span.end))
}

/// The byte offset of an LSP position: a line past the end is the end of the text, a
/// column past the end of its line is the end of that line, and a column inside a
/// character (half a surrogate pair) is that character's start.
pub fn offset(source: &Source, position: Position) -> usize {
    let last_line = source.line_index(source.text.len());
    let line = position.line as usize;
    if line > last_line {
        return source.text.len();
    }
    let span = source.line_span(line);
    let mut units = 0;
    for (index, c) in source.text[span.clone()].char_indices() {
        units += c.len_utf16();
        if units > position.character as usize {
            return span.start + index;
        }
    }
    span.end
}

pub fn span(source: &Source, range: Range) -> Span {
    let start = offset(source, range.start);
    start..offset(source, range.end).max(start)
}

/// LSP positions are `u32`; a text longer than that is cut off by the input cap first.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let source = Source::new("t", "a: client\n\"é😀\" x\r\nlast");
        let x = source.text.find('x').unwrap();
        // `"` 1, `é` 1, `😀` 2 (a surrogate pair), `"` 1, space 1.
        assert_eq!(position(&source, x), Position::new(1, 6));
        assert_eq!(offset(&source, Position::new(1, 6)), x);
        let emoji = source.text.find('😀').unwrap();
        assert_eq!(
            offset(&source, Position::new(1, 3)),
            emoji,
            "inside the pair"
        );
        assert_eq!(
            offset(&source, Position::new(1, 99)),
            x + 1,
            "before \\r\\n"
        );
        assert_eq!(offset(&source, Position::new(9, 0)), source.text.len());
        assert_eq!(position(&source, source.text.len()), Position::new(2, 4));
    }
}
