//! Checks brace and bracket balance before parsing. An unbalanced file gets precise
//! "never closed" / "nothing to close" errors instead of a cascade of syntax errors, and
//! deep nesting is refused here so the recursive parser never sees it.

use super::lexer::Token;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// Deeper nesting than any design needs; refusing it keeps the parser's recursion bounded.
pub const MAX_DEPTH: usize = 64;

pub fn check(tokens: &[(Token<'_>, Span)], text: &str) -> Vec<Diagnostic> {
    let mut open: Vec<(Token<'_>, Span)> = Vec::new();
    // Closers that sit less indented than their opener's line: if a block turns out to be
    // unclosed, the first of these shows where the missing brace really is.
    let mut suspects: Vec<(Span, Span)> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut stray_seen = false;
    for (token, span) in tokens {
        match token {
            Token::LBrace | Token::LBracket => {
                if open.len() == MAX_DEPTH {
                    diagnostics.push(too_deep(span.clone()));
                    return diagnostics;
                }
                open.push((*token, span.clone()));
            }
            Token::RBrace | Token::RBracket => match open.last() {
                Some((opener, opener_span)) if closes(*opener, *token) => {
                    if closes_by_indentation_too_early(text, opener_span, span) {
                        suspects.push((opener_span.clone(), span.clone()));
                    }
                    open.pop();
                }
                Some((opener, opener_span)) => {
                    diagnostics.push(mismatched(
                        *opener,
                        opener_span.clone(),
                        *token,
                        span.clone(),
                    ));
                    return diagnostics;
                }
                None => {
                    // The hint looks back through the file: once is enough, and keeps
                    // a file of stray braces linear.
                    diagnostics.push(unmatched(*token, span.clone(), text, !stray_seen));
                    stray_seen = true;
                }
            },
            _ => {}
        }
    }
    if let Some((opener, span)) = open.pop() {
        diagnostics.push(match suspects.first() {
            Some((suspect, closer)) => unclosed(opener, suspect.clone(), text.len()).with_related(
                closer.clone(),
                "this `}` seems to close an outer block, by its indentation",
            ),
            None => unclosed(opener, span, text.len()),
        });
    }
    diagnostics
}

/// Whether `closer` stands alone on its line, less indented than the line of `opener`.
fn closes_by_indentation_too_early(text: &str, opener: &Span, closer: &Span) -> bool {
    let line_start = |offset: usize| text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let indentation = |offset: usize| {
        let start = line_start(offset);
        text[start..].len() - text[start..].trim_start_matches([' ', '\t']).len()
    };
    let closer_line = line_start(closer.start);
    let alone = text[closer_line..closer.start].trim().is_empty();
    alone
        && line_start(opener.start) != closer_line
        && indentation(closer.start) < indentation(opener.start)
}

fn closes(opener: Token<'_>, closer: Token<'_>) -> bool {
    matches!(
        (opener, closer),
        (Token::LBrace, Token::RBrace) | (Token::LBracket, Token::RBracket)
    )
}

fn closer_of(opener: Token<'_>) -> &'static str {
    if opener == Token::LBrace {
        "}"
    } else {
        "]"
    }
}

fn unclosed(opener: Token<'_>, span: Span, end: usize) -> Diagnostic {
    let close = closer_of(opener);
    Diagnostic::error(
        "E004",
        format!("unclosed `{}`", opener.punctuation().unwrap_or("{")),
        span,
    )
    .with_label("this block is never closed")
    .with_related(
        end..end,
        format!("the file ends here, expected `{close}` before it"),
    )
    .with_help(format!(
        "add the missing `{close}` where the block should end"
    ))
}

fn mismatched(opener: Token<'_>, opener_span: Span, closer: Token<'_>, span: Span) -> Diagnostic {
    let close = closer_of(opener);
    Diagnostic::error("E004", format!("expected `{close}`, found {closer}"), span)
        .with_label(format!(
            "this should close the `{}` opened earlier",
            opener.punctuation().unwrap_or("{")
        ))
        .with_related(opener_span, "opened here")
        .with_help(format!("add the missing `{close}` before this point"))
}

fn unmatched(closer: Token<'_>, span: Span, text: &str, with_hint: bool) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "E005",
        format!("unexpected {closer}: nothing to close"),
        span.clone(),
    )
    .with_label("no block is open here");
    let header = (with_hint && closer == Token::RBrace)
        .then(|| header_missing_brace(text, span.start))
        .flatten();
    match header {
        Some(end) => diagnostic
            .with_related(
                end..end,
                "this line seems to open the block: `{` is missing here",
            )
            .with_help("add `{` at the end of the line that opens the block"),
        None => diagnostic.with_help("remove it, or add the opening brace it belongs to"),
    }
}

/// Where a stray `}` closes a block whose `{` was forgotten, the end of that block's first
/// line: the nearest line above as indented as the `}`, when the lines under it are
/// indented further and it does not end in `{` already.
fn header_missing_brace(text: &str, closer: usize) -> Option<usize> {
    let indentation = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let closer_line = text[..closer].rfind('\n').map_or(0, |i| i + 1);
    let depth = indentation(&text[closer_line..]);
    let mut inner = None;
    for (start, line) in lines_before(text, closer_line) {
        let code = without_comment(line).trim_end();
        if code.trim().is_empty() {
            continue;
        }
        let indent = indentation(line);
        if indent > depth {
            inner = Some(indent);
            continue;
        }
        let opens_block = indent == depth
            && inner.is_some()
            && !code.ends_with('{')
            && !code.trim_start().starts_with('}');
        return opens_block.then_some(start + code.len());
    }
    None
}

/// The lines before the one starting at `end`, last first, each with its start offset.
fn lines_before(text: &str, end: usize) -> impl Iterator<Item = (usize, &str)> {
    let before = text[..end].strip_suffix('\n').unwrap_or(&text[..end]);
    before.rsplit('\n').scan(before.len(), |next_end, line| {
        let start = *next_end - line.len();
        *next_end = start.saturating_sub(1);
        Some((start, line))
    })
}

/// A line without its `#` or `//` comment, if any (outside quotes).
fn without_comment(line: &str) -> &str {
    let (mut quoted, mut escaped) = (false, false);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b'#' if !quoted => return &line[..i],
            b'/' if !quoted && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E007",
        format!("blocks nested more than {MAX_DEPTH} deep"),
        span,
    )
    .with_label("too deep")
    .with_help("groups can nest, but not this deep: flatten the structure")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer::lex;

    fn codes(text: &str) -> Vec<&'static str> {
        check(&lex(text).tokens, text)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn balanced_blocks_pass() {
        assert!(codes("tier a { b: service { tags [x] } }").is_empty());
    }

    #[test]
    fn an_unclosed_brace_points_at_the_opener() {
        let text = "tier a {\n b: service\n";
        let diagnostics = check(&lex(text).tokens, text);
        assert_eq!(diagnostics[0].code, "E004");
        assert_eq!(diagnostics[0].primary.span, 7..8);
    }

    #[test]
    fn indentation_points_at_the_inner_block_that_is_not_closed() {
        let text = "tier a {\n  b: service { replicas 2\n  c: cache\n}\n";
        let diagnostics = check(&lex(text).tokens, text);
        assert_eq!(diagnostics[0].primary.span, 22..23);
    }

    #[test]
    fn a_stray_closer_is_reported() {
        assert_eq!(codes("a: service }"), ["E005"]);
    }

    #[test]
    fn a_stray_closer_points_at_the_line_that_forgot_its_opening_brace() {
        let text =
            "tier a \"A\" {\n  x: service\n}\ntier b \"B\"  # data\n  y: database\n  z: cache\n}\n";
        let diagnostics = check(&lex(text).tokens, text);
        assert_eq!(diagnostics.len(), 1);
        let header_end = text.find("  # data").unwrap();
        assert_eq!(diagnostics[0].related[0].span, header_end..header_end);
    }

    #[test]
    fn comments_end_a_line_but_not_inside_quotes() {
        assert_eq!(
            without_comment(r#"tier a "A # B" # note"#),
            r#"tier a "A # B" "#
        );
        assert_eq!(
            without_comment(r#"x: cache "back\\" // note"#),
            r#"x: cache "back\\" "#
        );
        assert_eq!(
            without_comment(r#"x: cache "say \"hi\" #1""#),
            r#"x: cache "say \"hi\" #1""#
        );
    }

    #[test]
    fn a_closing_line_is_not_taken_for_a_block_header() {
        let text = "tier a \"A\" {\n  x: service\n}\n  y: database\n}\n";
        let diagnostics = check(&lex(text).tokens, text);
        assert!(diagnostics[0].related.is_empty());
    }

    #[test]
    fn a_stray_closer_with_no_block_above_gets_no_header_hint() {
        let text = "a: service\nb: cache\n}\n";
        let diagnostics = check(&lex(text).tokens, text);
        assert!(diagnostics[0].related.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "{".repeat(10_000);
        assert_eq!(codes(&text), ["E007"]);
    }
}
