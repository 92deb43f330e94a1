//! Source text with its display name, and byte-offset → line/column lookup.

use crate::diagnostics::Diagnostic;
use std::ops::Range;
use std::sync::OnceLock;

/// U+FEFF at the start of a file: some editors write it to mark UTF-8. It is part of the
/// file, kept by `fmt`, but not of the design: the lexer skips it and columns do not count it.
pub const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// A byte range into a [`Source`]'s text.
pub type Span = Range<usize>;

/// One design file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// The text indexed for ariadne, built once for all the file's diagnostics.
    snippets: OnceLock<ariadne::Source<String>>,
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name: name.into(),
            text,
            line_starts,
            snippets: OnceLock::new(),
        }
    }

    /// The text as ariadne reads it to show snippets.
    pub fn snippets(&self) -> &ariadne::Source<String> {
        self.snippets
            .get_or_init(|| ariadne::Source::from(self.text.clone()))
    }

    /// The line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line_index];
        let before = &self.text[line_start..offset];
        let before = match line_start {
            0 => before.strip_prefix(BYTE_ORDER_MARK).unwrap_or(before),
            _ => before,
        };
        Position {
            line: line_index + 1,
            column: before.chars().count() + 1,
        }
    }

    /// Decodes a file's bytes. Invalid UTF-8 gives the text with replacement characters
    /// (so it can still be shown) and a diagnostic at the first bad byte.
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Result<Self, Box<(Self, Diagnostic)>> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                let source =
                    Source::new(name, String::from_utf8_lossy(error.as_bytes()).into_owned());
                let end = source.text[at..]
                    .chars()
                    .next()
                    .map_or(at, |c| at + c.len_utf8());
                let diagnostic = Diagnostic::error("E006", "the file is not valid UTF-8", at..end)
                    .with_label(format!("invalid byte at offset {at}"))
                    .with_help("strata reads UTF-8: save the file in that encoding");
                Err(Box::new((source, diagnostic)))
            }
        }
    }

    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    /// The empty span at the end of the text, where "end of file" errors point.
    pub fn end_span(&self) -> Span {
        self.text.len()..self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let source = Source::new("t", "ab\nçd\n");
        assert_eq!(source.position(0), Position { line: 1, column: 1 });
        assert_eq!(source.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes: byte 5 is the second character of line 2.
        assert_eq!(source.position(5), Position { line: 2, column: 2 });
        assert_eq!(source.position(99), Position { line: 3, column: 1 });
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let source = Source::new("t", "\u{FEFF}a b\n\u{FEFF}c");
        assert_eq!(source.position(3), Position { line: 1, column: 1 });
        assert_eq!(source.position(5), Position { line: 1, column: 3 });
        // Only the file's first character is a byte-order mark.
        assert_eq!(source.position(10), Position { line: 2, column: 2 });
    }
}
