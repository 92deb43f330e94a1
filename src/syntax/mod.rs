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

pub fn parse(source: &Source) -> Parsed {
    let lexed = lexer::lex(&source.text);
    let mut diagnostics = lexed.diagnostics;
    let end = source.text.len();
    let balance = delimiters::check(&lexed.tokens, &source.text);
    let items = if balance.is_empty() {
        let (items, syntax_errors) = parser::parse(&lexed.tokens, end);
        diagnostics.extend(syntax_errors);
        items
    } else {
        // Parsing unbalanced blocks would bury the one real mistake under guesses.
        diagnostics.extend(balance);
        Vec::new()
    };
    diagnostics::sort(&mut diagnostics);
    Parsed {
        items,
        comments: lexed.comments,
        diagnostics,
    }
}
