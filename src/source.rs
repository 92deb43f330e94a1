//! Source text with its display name, and byte-offset → line/column lookup.

use crate::diagnostics::Diagnostic;
use std::ops::Range;
use std::sync::OnceLock;

/// U+FEFF at the start of a file: some editors write it to mark UTF-8. It is part of the
/// file, kept by `fmt`, but not of the design: the lexer skips it and columns do not count it.
pub const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// Source text as a message quotes it: control characters and invisible ones escaped
/// (`\u{1b}`, `\t`), so a message can neither send an escape sequence to the terminal nor
/// hide what it is about, in any format. Every message that quotes what was written goes
/// through here; echoed source lines go through [`printable`] instead, one for one.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unprintable(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Control characters, and format characters a terminal shows as nothing: zero-width
/// spaces and joiners, bidirectional controls, word joiners, byte-order marks.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{AD}' | '\u{61C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A byte range into a [`Source`]'s text, at the source's offsets (see [`Source::at`]).
pub type Span = Range<usize>;

/// One design file's text and the name it is reported under.
///
/// A design may span files (`import`): each file then holds its own range of offsets, one
/// after another, so a span says by itself which file it is in and every stage after
/// parsing handles spans as it does for one file. A file alone starts at offset 0.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// The offset of the text's first byte: the sum of the lengths of the files before
    /// it in its design, each and one more, so the empty span at a file's end is its own.
    base: usize,
    line_starts: Vec<usize>,
    /// How many characters precede every [`CHAR_MARK_STRIDE`]th byte, built the first time
    /// a column is asked for far into a long line, so columns never cost a line's length.
    char_marks: OnceLock<Vec<usize>>,
}

/// Bytes between two entries of a [`Source`]'s character marks.
const CHAR_MARK_STRIDE: usize = 4096;

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
            base: 0,
            line_starts,
            char_marks: OnceLock::new(),
        }
    }

    /// The same file holding the offsets from `base` on.
    pub fn at(mut self, base: usize) -> Self {
        self.base = base;
        self
    }

    /// The offset of the text's first byte.
    pub fn base(&self) -> usize {
        self.base
    }

    /// The offset the next file of a design starts at.
    pub fn next_base(&self) -> usize {
        self.base + self.text.len() + 1
    }

    /// Whether an offset is in this file (its end included).
    pub fn holds(&self, offset: usize) -> bool {
        (self.base..=self.base + self.text.len()).contains(&offset)
    }

    /// An offset into the text as an index of `text`, clamped to it.
    pub fn local(&self, offset: usize) -> usize {
        offset.saturating_sub(self.base).min(self.text.len())
    }

    /// The line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_local(self.local(offset));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut line_start = self.line_starts[line];
        if line_start == 0 && self.text.starts_with(BYTE_ORDER_MARK) {
            line_start = BYTE_ORDER_MARK.len_utf8().min(offset);
        }
        Position {
            line: line + 1,
            column: self.chars_in(line_start, offset) + 1,
        }
    }

    /// The 0-based line a byte offset is on.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = self.local(offset);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// The bytes of a 0-based line, without its line ending (`\n` or `\r\n`).
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.line_starts[line];
        let end = match self.line_starts.get(line + 1) {
            None => self.text.len(),
            Some(next) => next - 1 - usize::from(self.text[start..next - 1].ends_with('\r')),
        };
        self.base + start..self.base + end
    }

    /// `offset` moved back to the start of the character it falls in, inside the text.
    pub fn floor_boundary(&self, offset: usize) -> usize {
        self.base + self.floor_local(self.local(offset))
    }

    fn floor_local(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// How many characters start in `start..end` (byte offsets, `start <= end`).
    pub fn chars_between(&self, start: usize, end: usize) -> usize {
        self.chars_in(self.local(start), self.local(end))
    }

    /// How many characters start in `start..end` of the text.
    fn chars_in(&self, start: usize, end: usize) -> usize {
        if end - start <= CHAR_MARK_STRIDE {
            return count_chars(&self.text.as_bytes()[start..end]);
        }
        self.chars_before(end) - self.chars_before(start)
    }

    /// How many characters start before a byte offset, from the nearest mark.
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut marks = vec![0];
            for chunk in bytes.chunks(CHAR_MARK_STRIDE) {
                marks.push(marks[marks.len() - 1] + count_chars(chunk));
            }
            marks
        });
        let mark = offset / CHAR_MARK_STRIDE;
        marks[mark] + count_chars(&self.text.as_bytes()[mark * CHAR_MARK_STRIDE..offset])
    }

    /// Decodes a file's bytes. Invalid UTF-8 gives the text with replacement characters
    /// (so it can still be shown) and a diagnostic at the first bad byte; UTF-16 gives the
    /// text decoded from it and one diagnostic saying so.
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Result<Self, Box<(Self, Diagnostic)>> {
        if let Some(endian) = utf16_endianness(&bytes) {
            let source = Source::new(name, decode_utf16(&bytes, endian));
            let diagnostic = Diagnostic::error(
                "E006",
                format!("this file looks like UTF-16 ({endian} endian)"),
                0..0,
            )
            .with_label("the file starts here, shown decoded from UTF-16")
            .with_help("save it as UTF-8: strata reads UTF-8 only");
            return Err(Box::new((source, diagnostic)));
        }
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
        &self.text[self.local(span.start)..self.local(span.end)]
    }

    /// The empty span at the end of the text, where "end of file" errors point.
    pub fn end_span(&self) -> Span {
        let end = self.base + self.text.len();
        end..end
    }
}

/// Where the text of an offset is: one file, or the files of a design (each at its own
/// offsets, in the order of their offsets), so diagnostics render from either.
pub trait Files {
    /// The file an offset is in; the first file for an offset in none of them.
    fn file_of(&self, offset: usize) -> &Source;
}

impl Files for Source {
    fn file_of(&self, _: usize) -> &Source {
        self
    }
}

impl Files for [Source] {
    fn file_of(&self, offset: usize) -> &Source {
        let after = self.partition_point(|source| source.base <= offset);
        &self[after.saturating_sub(1)]
    }
}

impl Files for Vec<Source> {
    fn file_of(&self, offset: usize) -> &Source {
        self.as_slice().file_of(offset)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Endian {
    Little,
    Big,
}

impl std::fmt::Display for Endian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Endian::Little => "little",
            Endian::Big => "big",
        })
    }
}

/// How many bytes from the start are looked at for the NULs of UTF-16.
const UTF16_SAMPLE: usize = 4096;

/// Whether the bytes look like UTF-16, and which byte order: a UTF-16 byte-order mark,
/// or a NUL in every other byte, as text of mostly ASCII characters has in UTF-16 (and
/// UTF-8 text essentially never has; it is valid UTF-8 all the same, so this comes first).
fn utf16_endianness(bytes: &[u8]) -> Option<Endian> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(Endian::Little),
        [0xFE, 0xFF, ..] => return Some(Endian::Big),
        _ => {}
    }
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE)];
    let pairs = sample.len() / 2;
    let nuls_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&byte| byte == 0)
            .count()
    };
    // Most of one half NUL, little of the other.
    let mostly_in = |half: usize, other: usize| pairs >= 2 && half * 2 > pairs && other * 4 < pairs;
    let (even, odd) = (nuls_at(0), nuls_at(1));
    if mostly_in(odd, even) {
        Some(Endian::Little)
    } else if mostly_in(even, odd) {
        Some(Endian::Big)
    } else {
        None
    }
}

/// UTF-16 bytes as text, without their byte-order mark, to show where the error is.
fn decode_utf16(bytes: &[u8], endian: Endian) -> String {
    let units = bytes.chunks_exact(2).map(|pair| match endian {
        Endian::Little => u16::from_le_bytes([pair[0], pair[1]]),
        Endian::Big => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let text: String = char::decode_utf16(units)
        .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    match text.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// How many characters start in some UTF-8 bytes: every byte but continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte & 0xC0 != 0x80).count()
}

/// Text as it may be echoed to a terminal: a control character (but tab and line ends)
/// or a character that moves or reorders what follows (line separators, bidirectional
/// overrides) would act instead of showing, so each becomes one visible character —
/// `␛` for ESC, `␀` for NUL, `�` for the rest — and columns stay true.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let is_line_end = |at: usize| text.as_bytes().get(at + 1) == Some(&b'\n');
    let needs_escape =
        |(at, c): (usize, char)| visible(c).is_some() && !(c == '\r' && is_line_end(at));
    if !text.char_indices().any(needs_escape) {
        return text.into();
    }
    text.char_indices()
        .map(|(at, c)| match needs_escape((at, c)) {
            true => visible(c).unwrap_or(c),
            false => c,
        })
        .collect::<String>()
        .into()
}

/// The character shown for one that must not be echoed as it is.
fn visible(c: char) -> Option<char> {
    match c {
        '\t' | '\n' => None,
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('\u{2421}'),
        // The file's byte-order mark shows as nothing and moves nothing.
        BYTE_ORDER_MARK => None,
        '\u{2028}' | '\u{2029}' => Some('\u{fffd}'),
        _ if is_unprintable(c) => Some('\u{fffd}'),
        _ => None,
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
    fn a_file_after_others_answers_at_its_own_offsets() {
        let first = Source::new("a", "x: service\n");
        let second = Source::new("b", "ab\nçd\n").at(first.next_base());
        let base = second.base();
        assert_eq!(base, 12);
        assert_eq!(second.position(base + 5), Position { line: 2, column: 2 });
        assert_eq!(second.line_span(1), base + 3..base + 6);
        assert_eq!(second.slice(&(base + 3..base + 6)), "çd");
        assert_eq!(second.floor_boundary(base + 5), base + 5);
        assert_eq!(second.end_span(), base + 7..base + 7);
        let files = vec![first, second];
        assert_eq!(files.file_of(11).name, "a");
        assert_eq!(files.file_of(base).name, "b");
        assert_eq!(files.file_of(base + 7).name, "b");
    }

    fn utf16(text: &str, endian: Endian) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| match endian {
                Endian::Little => unit.to_le_bytes(),
                Endian::Big => unit.to_be_bytes(),
            })
            .collect()
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_byte_order_mark() {
        for endian in [Endian::Little, Endian::Big] {
            for text in ["\u{FEFF}a: service\n", "a: service\n", "é: ☕\n"] {
                let (source, diagnostic) =
                    *Source::from_bytes("t", utf16(text, endian)).unwrap_err();
                assert_eq!(
                    diagnostic.message,
                    format!("this file looks like UTF-16 ({endian} endian)")
                );
                assert_eq!(source.text, text.trim_start_matches(BYTE_ORDER_MARK));
            }
        }
        assert!(Source::from_bytes("t", b"a: service\n".to_vec()).is_ok());
        assert!(Source::from_bytes("t", b"a\0b\0".to_vec()).is_err());
    }

    #[test]
    fn messages_quote_control_and_invisible_characters_escaped() {
        assert_eq!(quoted("a\u{1b}[31m\0b\tc"), "a\\u{1b}[31m\\0b\\tc");
        assert_eq!(quoted("x\u{202E}y\u{200B}"), "x\\u{202e}y\\u{200b}");
        assert_eq!(quoted("café ☕ \"q\""), "café ☕ \"q\"");
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let source = Source::new("t", "\u{FEFF}a b\n\u{FEFF}c");
        assert_eq!(source.position(3), Position { line: 1, column: 1 });
        assert_eq!(source.position(5), Position { line: 1, column: 3 });
        // Only the file's first character is a byte-order mark.
        assert_eq!(source.position(10), Position { line: 2, column: 2 });
    }

    #[test]
    fn columns_far_into_a_long_line_are_counted_from_the_marks() {
        let text = format!("a\n{}x{}", "é".repeat(10_000), "ü".repeat(5_000));
        let source = Source::new("t", text.as_str());
        let x = text.find('x').unwrap();
        let expected = Position {
            line: 2,
            column: 10_001,
        };
        assert_eq!(source.position(x), expected);
        assert_eq!(source.position(x + 1).column, 10_002);
        assert_eq!(source.position(text.len()).column, 15_002);
        // Inside a character: the character's own column.
        assert_eq!(source.position(x + 2).column, 10_002);
    }

    #[test]
    fn printable_shows_control_characters_one_for_one() {
        assert_eq!(printable("a\tb\r\n"), "a\tb\r\n");
        assert_eq!(printable("\x1b[31m\0\rz\x7f"), "␛[31m␀␍z␡");
        assert_eq!(printable("\u{202e}x\u{85}"), "�x�");
        let text = "x\x1by\u{2028}";
        assert_eq!(printable(text).chars().count(), text.chars().count());
    }
}
