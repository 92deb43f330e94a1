//! Stage 1, syntax: text → [`ast`] (lexer, delimiter check, parser) and back (formatter).

pub mod ast;
pub mod delimiters;
pub mod format;
pub mod lexer;
pub mod parser;

use crate::diagnostics::{self, Diagnostic};
use crate::source::Source;

/// The syntax tree of one file, its comments, and every syntax diagnostic.
pub struct Parsed {
    pub items: Vec<ast::Item>,
    pub comments: Vec<lexer::Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses one file. Spans are at the source's offsets (`Source::at`): the lexer and the
/// delimiter check read the text at its own, and their findings are moved to the file's.
pub fn parse(source: &Source) -> Parsed {
    let mut lexed = lexer::lex(&source.text);
    let base = source.base();
    let balance = delimiters::check(&lexed.tokens, &source.text);
    // Parsing unbalanced blocks would bury the one real mistake under guesses.
    let balanced = balance.is_empty();
    let mut diagnostics: Vec<Diagnostic> = (lexed.diagnostics.into_iter())
        .chain(balance)
        .map(|diagnostic| diagnostic.shifted(base))
        .collect();
    if base > 0 {
        for (_, span) in &mut lexed.tokens {
            *span = span.start + base..span.end + base;
        }
        for comment in &mut lexed.comments {
            comment.span = comment.span.start + base..comment.span.end + base;
        }
    }
    let mut items = Vec::new();
    if balanced {
        let (parsed, syntax_errors) = parser::parse(&lexed.tokens, source.end_span().end);
        diagnostics.extend(syntax_errors);
        items = parsed;
    }
    diagnostics::sort(&mut diagnostics);
    Parsed {
        items,
        comments: lexed.comments,
        diagnostics,
    }
}
