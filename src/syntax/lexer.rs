//! Lexer: source text → tokens with byte spans. Never aborts: bad input becomes a
//! diagnostic and lexing goes on, so one run reports every lexical error.

use crate::diagnostics::Diagnostic;
use crate::source::{is_unprintable, quoted, Span, BYTE_ORDER_MARK};
use logos::Logos;
use std::fmt;

#[derive(Logos, Debug, Clone, Copy, PartialEq)]
#[logos(skip r"[ \t\r\n\f]+")]
pub enum Token<'src> {
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident(&'src str),
    /// A string literal; the slice keeps its quotes and escapes.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str(&'src str),
    #[regex(r#""([^"\\\n]|\\[^\n])*"#)]
    UnterminatedStr(&'src str),
    #[regex(r"-?[0-9][0-9_]*(\.[0-9]+)?")]
    Number(&'src str),
    #[regex(r"-?[0-9][0-9_]*(\.[0-9]+)?%")]
    Percent(&'src str),
    #[regex(r"-?[0-9][0-9_]*(\.[0-9]+)?(ms|s|m|h|d)")]
    Duration(&'src str),
    /// A rate or a size: `2000rps`, `100B`, `20GB` (decimal units, as the guide counts).
    #[regex(r"-?[0-9][0-9_]*(\.[0-9]+)?(rps|B|KB|MB|GB|TB|PB)")]
    Quantity(&'src str),
    /// Digits run into letters (`1e10`, `0x10`, `2min`, `3d_view`): no token of the
    /// language, but one token, so the error is reported where it stands and about all of
    /// it (as a value by the model, elsewhere by the parser), not at the next token.
    /// Below the tokens it overlaps (`200ms` is a duration).
    #[regex(
        r"-?[0-9][0-9_]*(\.[0-9]+)?([eE][+-][0-9]+|[A-Za-z])[A-Za-z0-9_]*",
        priority = 1
    )]
    BadNumber(&'src str),
    #[token("->")]
    SyncArrow,
    #[token("~>")]
    AsyncArrow,
    /// `=>`, an arrow from other languages: reported, then read as `->` so the flow parses.
    #[token("=>")]
    FatArrow,
    #[token(":")]
    Colon,
    #[token(",")]
    Comma,
    #[token(";")]
    Semicolon,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[regex(r"(#|//)[^\n]*", allow_greedy = true)]
    Comment(&'src str),
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Ident(text) => write!(f, "`{text}`"),
            Token::Str(_) | Token::UnterminatedStr(_) => f.write_str("a string"),
            Token::Number(text)
            | Token::Percent(text)
            | Token::Duration(text)
            | Token::Quantity(text)
            | Token::BadNumber(text) => {
                write!(f, "`{text}`")
            }
            Token::Comment(_) => f.write_str("a comment"),
            other => write!(f, "`{}`", other.punctuation().unwrap_or("?")),
        }
    }
}

impl Token<'_> {
    /// The fixed text of a punctuation token.
    pub fn punctuation(&self) -> Option<&'static str> {
        Some(match self {
            Token::SyncArrow => "->",
            Token::AsyncArrow => "~>",
            Token::FatArrow => "=>",
            Token::Colon => ":",
            Token::Comma => ",",
            Token::Semicolon => ";",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LBracket => "[",
            Token::RBracket => "]",
            _ => return None,
        })
    }
}

/// Every punctuation terminal, for the grammar-consistency test.
pub const PUNCTUATION: [&str; 9] = ["->", "~>", ":", ",", ";", "{", "}", "[", "]"];

/// A comment with its span; the formatter puts comments back where they were.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

pub struct Lexed<'src> {
    pub tokens: Vec<(Token<'src>, Span)>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn lex(text: &str) -> Lexed<'_> {
    let mut lexed = Lexed {
        tokens: Vec::new(),
        comments: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut lexer = Token::lexer(text);
    if text.starts_with(BYTE_ORDER_MARK) {
        lexer.bump(BYTE_ORDER_MARK.len_utf8());
    }
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        match result {
            Ok(Token::Comment(comment)) => lexed.comments.push(Comment {
                text: comment.trim_end().to_string(),
                span,
            }),
            Ok(Token::UnterminatedStr(raw)) => {
                lexed.diagnostics.push(unterminated_string(span.clone()));
                check_escapes(raw, span.start, &mut lexed.diagnostics);
                // Parse on as if the string were closed, so one typo gives one error.
                lexed.tokens.push((Token::Str(raw), span));
            }
            Ok(Token::Str(raw)) => {
                check_escapes(raw, span.start, &mut lexed.diagnostics);
                lexed.tokens.push((Token::Str(raw), span));
            }
            Ok(Token::FatArrow) => {
                lexed.diagnostics.push(not_an_arrow(span.clone()));
                lexed.tokens.push((Token::SyncArrow, span));
            }
            Ok(token) => lexed.tokens.push((token, span)),
            Err(()) => push_invalid(&mut lexed.diagnostics, lexer.slice(), span),
        }
    }
    lexed
}

/// Runs of invalid characters are reported once, not once per character.
fn push_invalid(diagnostics: &mut Vec<Diagnostic>, slice: &str, span: Span) {
    if let Some(last) = diagnostics.last_mut() {
        if last.code == "E001" && last.primary.span.end == span.start {
            last.primary.span.end = span.end;
            return;
        }
    }
    let help = match slice {
        "-" | ">" => "flows are written `a -> b` (sync) or `a ~> b` (async)".to_string(),
        "\"" => "strings are written between double quotes on one line".to_string(),
        "=" => "properties are written `name value`, without `=`".to_string(),
        _ if slice.chars().any(is_unprintable) => {
            "this character is invisible in most editors: delete it (pasted text often brings one)"
                .to_string()
        }
        _ => {
            "identifiers use letters, digits and `_`; labels with other characters go in \"quotes\""
                .to_string()
        }
    };
    diagnostics.push(
        Diagnostic::error(
            "E001",
            format!("unexpected character `{}`", quoted(slice)),
            span,
        )
        .with_label("not part of the strata language")
        .with_help(help),
    );
}

fn not_an_arrow(span: Span) -> Diagnostic {
    Diagnostic::error("E001", "`=>` is not an arrow", span)
        .with_label("not a strata arrow")
        .with_help("write `->` for a synchronous call or `~>` for an asynchronous message")
}

fn unterminated_string(span: Span) -> Diagnostic {
    let start = span.start;
    Diagnostic::error("E003", "unterminated string", start..start + 1)
        .with_label("this string is never closed")
        .with_related(span.end..span.end, "the line ends here")
        .with_help("add a closing `\"`; a string cannot span lines (write `\\n` for a line break)")
}

fn check_escapes(raw: &str, offset: usize, diagnostics: &mut Vec<Diagnostic>) {
    let mut chars = raw.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        if let Some((_, escaped)) = chars.next() {
            if !matches!(escaped, '"' | '\\' | 'n' | 't') {
                let start = offset + index;
                let end = start + 1 + escaped.len_utf8();
                diagnostics.push(
                    Diagnostic::error("E009", unknown_escape(escaped), start..end)
                        .with_label("not an escape strata knows")
                        .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`"),
                );
            }
        }
    }
}

/// A number as the language writes it, digits grouped by three: `4_294_967_295`.
pub fn written_number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push('_');
        }
        out.push(digit);
    }
    out
}

fn unknown_escape(escaped: char) -> String {
    if is_unprintable(escaped) {
        let shown = quoted(escaped.encode_utf8(&mut [0; 4]));
        return format!("unknown escape: `\\` before the invisible character `{shown}`");
    }
    format!("unknown escape `\\{escaped}`")
}

/// The text of a string literal (quotes removed, escapes resolved).
pub fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token<'_>> {
        lex(text).tokens.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn numbers_percentages_and_durations_are_distinct_tokens() {
        assert_eq!(
            kinds("3 99.95% 200ms 1s -1"),
            vec![
                Token::Number("3"),
                Token::Percent("99.95%"),
                Token::Duration("200ms"),
                Token::Duration("1s"),
                Token::Number("-1"),
            ]
        );
    }

    #[test]
    fn digits_run_into_letters_are_one_token() {
        assert_eq!(
            kinds("1e10 1e-5 0x10 2min 3d_view 2m"),
            vec![
                Token::BadNumber("1e10"),
                Token::BadNumber("1e-5"),
                Token::BadNumber("0x10"),
                Token::BadNumber("2min"),
                Token::BadNumber("3d_view"),
                Token::Duration("2m"),
            ]
        );
    }

    #[test]
    fn rates_sizes_and_days_are_one_token_each() {
        assert_eq!(
            kinds("2000rps 100B 1.5KB 20GB 365d 2rpsx 3kb"),
            vec![
                Token::Quantity("2000rps"),
                Token::Quantity("100B"),
                Token::Quantity("1.5KB"),
                Token::Quantity("20GB"),
                Token::Duration("365d"),
                Token::BadNumber("2rpsx"),
                Token::BadNumber("3kb"),
            ]
        );
    }

    #[test]
    fn arrows_bind_tighter_than_identifiers() {
        assert_eq!(
            kinds("a->b~>c"),
            vec![
                Token::Ident("a"),
                Token::SyncArrow,
                Token::Ident("b"),
                Token::AsyncArrow,
                Token::Ident("c"),
            ]
        );
    }

    #[test]
    fn a_fat_arrow_is_reported_and_read_as_a_sync_arrow() {
        let lexed = lex("a => b");
        assert_eq!(lexed.diagnostics.len(), 1);
        assert_eq!(lexed.diagnostics[0].primary.span, 2..4);
        assert_eq!(lexed.tokens[1].0, Token::SyncArrow);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let lexed = lex("\u{FEFF}a: service");
        assert!(lexed.diagnostics.is_empty());
        assert_eq!(lexed.tokens[0], (Token::Ident("a"), 3..4));
        assert_eq!(
            lex("a \u{FEFF}").diagnostics.len(),
            1,
            "elsewhere it is no mark"
        );
    }

    #[test]
    fn comments_are_kept_apart_from_tokens() {
        let lexed = lex("a # one\n// two\nb");
        assert_eq!(lexed.tokens.len(), 2);
        let texts: Vec<_> = lexed.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["# one", "// two"]);
    }

    #[test]
    fn an_unterminated_string_is_reported_and_parsing_goes_on() {
        let lexed = lex("a: service \"Order\nb: service");
        assert_eq!(lexed.diagnostics.len(), 1);
        assert_eq!(lexed.diagnostics[0].code, "E003");
        assert_eq!(lexed.tokens.len(), 7);
    }

    #[test]
    fn runs_of_invalid_characters_make_one_error() {
        let lexed = lex("a @@@ b");
        assert_eq!(lexed.diagnostics.len(), 1);
        assert_eq!(lexed.diagnostics[0].primary.span, 2..5);
    }

    #[test]
    fn numbers_are_written_in_groups_of_three_digits() {
        assert_eq!(written_number(0), "0");
        assert_eq!(written_number(100), "100");
        assert_eq!(written_number(1000), "1_000");
        assert_eq!(written_number(u64::from(u32::MAX)), "4_294_967_295");
    }

    #[test]
    fn escapes_are_resolved_and_unknown_ones_reported() {
        assert_eq!(unescape(r#""a\"b\\c\nd""#), "a\"b\\c\nd");
        let lexed = lex(r#"x "bad \q""#);
        assert_eq!(lexed.diagnostics[0].code, "E009");
    }
}
