//! Structurizr DSL (docs.structurizr.com/dsl) read into a [`Model`].
//!
//! The text is first cut into statements (a line's tokens, and the block its `{` opens),
//! which finds unbalanced braces and unterminated strings before any meaning is read. Then
//! the walk: people become clients; a software system with containers is the design's
//! boundary and its containers become components; a software system without containers
//! is a component of its own (an external system unless its tags, technology or name say
//! more); components inside a container are folded into it, their relationships lifted
//! to it, since strata models deployable units. Groups become tiers (outermost) and
//! groups, split into levels by `structurizr.groupSeparator`; when several software
//! systems have containers, each is a level of its own. Relationships keep their
//! description as label, their technology as protocol, and an `async` tag (any tag
//! naming asynchronous messaging) as an asynchronous flow. `!identifiers hierarchical`,
//! `!const`/`!constant`/`!var` with `${NAME}`, `this` and relationships written inside an
//! element are read. Views, deployment, documentation and the rest are warned about
//! (element styles' shapes are read as evidence for kinds).

use super::{
    infer_kind, normalized, stray_close, string_literal, too_deep, unclosed, warning, words,
    Boundary, Element, Evidence, Link, Model,
};
use crate::diagnostics::Diagnostic;
use crate::export::structurizr::TIER_ORDER;
use crate::model::Kind;
use crate::source::{Source, Span};
use crate::syntax::ast::FlowMode;
use crate::syntax::delimiters::MAX_DEPTH;
use rustc_hash::FxHashMap;

/// Reads a workspace; errors mean it could not be read.
pub(crate) fn read(source: &Source) -> (Model, Vec<Diagnostic>) {
    let (statements, errors) = statements(&source.text);
    if !errors.is_empty() {
        return (Model::default(), errors);
    }
    let mut reader = Reader::default();
    reader.top(&statements);
    reader.finish()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
}

#[derive(Debug)]
struct Statement {
    tokens: Vec<(Token, Span)>,
    block: Option<Vec<Statement>>,
    span: Span,
}

impl Statement {
    /// Its words before the first string (`a -> b`, `api = container`,
    /// `deploymentEnvironment`), else its first token: where a warning about it points.
    fn head(&self) -> Span {
        let words = self
            .tokens
            .iter()
            .take_while(|(token, _)| matches!(token, Token::Word(_)))
            .last();
        let last = words.or(self.tokens.first());
        self.span.start..last.map_or(self.span.end, |(_, span)| span.end)
    }

    fn keyword(&self) -> Option<String> {
        match self.tokens.first() {
            Some((Token::Word(word), _)) => Some(word.to_ascii_lowercase()),
            _ => None,
        }
    }
}

/// The text cut into statements and blocks, or every error that stops it.
fn statements(text: &str) -> (Vec<Statement>, Vec<Diagnostic>) {
    let mut lexer = Lexer {
        text,
        at: 0,
        errors: Vec::new(),
    };
    // Each open block: its statements, and the statement that opened it (none at the top).
    let mut stack: Vec<(Vec<Statement>, Option<Statement>)> = vec![(Vec::new(), None)];
    let mut current: Vec<(Token, Span)> = Vec::new();
    let end_statement = |current: &mut Vec<(Token, Span)>, into: &mut Vec<Statement>| {
        if let (Some(first), Some(last)) = (current.first(), current.last()) {
            let span = first.1.start..last.1.end;
            into.push(Statement {
                tokens: std::mem::take(current),
                block: None,
                span,
            });
        }
    };
    while let Some(piece) = lexer.next() {
        match piece {
            Piece::Token(token, span) => current.push((token, span)),
            Piece::LineEnd => end_statement(&mut current, &mut stack.last_mut().unwrap().0),
            Piece::Open(span) => {
                if stack.len() > MAX_DEPTH {
                    return (Vec::new(), vec![too_deep(span)]);
                }
                let start = current.first().map_or(span.start, |t| t.1.start);
                let opener = Statement {
                    tokens: std::mem::take(&mut current),
                    block: None,
                    span: start..span.end,
                };
                stack.push((Vec::new(), Some(opener)));
            }
            Piece::Close(span) => {
                end_statement(&mut current, &mut stack.last_mut().unwrap().0);
                if stack.len() == 1 {
                    lexer.errors.push(stray_close(span));
                    continue;
                }
                let (inner, opener) = stack.pop().unwrap();
                let mut opener = opener.unwrap();
                opener.span.end = span.end;
                opener.block = Some(inner);
                stack.last_mut().unwrap().0.push(opener);
            }
        }
    }
    end_statement(&mut current, &mut stack.last_mut().unwrap().0);
    let mut errors = lexer.errors;
    for (_, opener) in stack.drain(1..) {
        let opener = opener.unwrap();
        errors.push(unclosed(opener.span.clone()));
    }
    let top = stack
        .pop()
        .map(|(statements, _)| statements)
        .unwrap_or_default();
    (top, errors)
}

enum Piece {
    Token(Token, Span),
    LineEnd,
    Open(Span),
    Close(Span),
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
    errors: Vec<Diagnostic>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    /// Whether only blanks stand between the last line end and `at`.
    fn at_line_start(&self) -> bool {
        self.text[..self.at]
            .chars()
            .rev()
            .take_while(|&c| c != '\n')
            .all(|c| c == ' ' || c == '\t' || c == '\r')
    }

    fn next(&mut self) -> Option<Piece> {
        loop {
            let c = self.peek()?;
            let start = self.at;
            match c {
                '\n' => {
                    self.at += 1;
                    return Some(Piece::LineEnd);
                }
                ' ' | '\t' | '\r' | '\u{FEFF}' => self.at += c.len_utf8(),
                // A backslash ending a line continues the statement on the next.
                '\\' if matches!(
                    self.text[start + 1..]
                        .trim_start_matches('\r')
                        .chars()
                        .next(),
                    Some('\n')
                ) =>
                {
                    self.at = start + 1 + self.text[start + 1..].find('\n').unwrap_or(0) + 1;
                }
                '{' => {
                    self.at += 1;
                    return Some(Piece::Open(start..self.at));
                }
                '}' => {
                    self.at += 1;
                    return Some(Piece::Close(start..self.at));
                }
                '"' => return Some(self.string(start)),
                _ if self.text[start..].starts_with("/*") => self.block_comment(start),
                // `#` starts a comment only at the start of a line: `background #08427b`.
                '#' if self.at_line_start() => self.skip_line(),
                _ if self.text[start..].starts_with("//") && self.at_line_start() => {
                    self.skip_line()
                }
                _ => return Some(self.word(start)),
            }
        }
    }

    fn skip_line(&mut self) {
        self.at = self.text[self.at..]
            .find('\n')
            .map_or(self.text.len(), |i| self.at + i);
    }

    fn block_comment(&mut self, start: usize) {
        match self.text[start + 2..].find("*/") {
            Some(i) => self.at = start + 2 + i + 2,
            None => {
                self.errors.push(
                    Diagnostic::error("E401", "this comment is never closed", start..start + 2)
                        .with_label("`/*` with no `*/` after it")
                        .with_help("close the comment with `*/`"),
                );
                self.at = self.text.len();
            }
        }
    }

    fn string(&mut self, start: usize) -> Piece {
        match string_literal(self.text, start, '"') {
            Ok((value, end)) => {
                self.at = end;
                Piece::Token(Token::Str(value), start..end)
            }
            Err(unterminated) => {
                let (error, line_end) = *unterminated;
                self.errors.push(error);
                self.at = line_end;
                Piece::Token(Token::Str(String::new()), start..line_end)
            }
        }
    }

    /// A run of characters up to a blank, a quote or a brace; `${NAME}` is part of it.
    fn word(&mut self, start: usize) -> Piece {
        let mut end = start;
        let rest = &self.text[start..];
        let mut chars = rest.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            if c.is_whitespace() || c == '"' || c == '{' || c == '}' {
                break;
            }
            end = start + offset + c.len_utf8();
            if c == '$' && chars.peek().is_some_and(|&(_, next)| next == '{') {
                if let Some(close) = rest[offset..].find('}') {
                    end = start + offset + close + 1;
                    while chars.peek().is_some_and(|&(o, _)| o < offset + close + 1) {
                        chars.next();
                    }
                }
            }
        }
        self.at = end;
        Piece::Token(Token::Word(self.text[start..end].to_string()), start..end)
    }
}

/// What a DSL element is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ElementType {
    Person,
    SoftwareSystem,
    Container,
    Component,
    Custom,
}

impl ElementType {
    fn from_keyword(word: &str) -> Option<ElementType> {
        Some(match word {
            "person" => ElementType::Person,
            "softwaresystem" => ElementType::SoftwareSystem,
            "container" => ElementType::Container,
            "component" => ElementType::Component,
            "element" => ElementType::Custom,
            _ => return None,
        })
    }

    /// The tag Structurizr gives every element of the type, which styles may name.
    fn default_tag(self) -> &'static str {
        match self {
            ElementType::Person => "Person",
            ElementType::SoftwareSystem => "Software System",
            ElementType::Container => "Container",
            ElementType::Component => "Component",
            ElementType::Custom => "Element",
        }
    }

    /// Which fields follow the name: description, technology (not for people, software
    /// systems and custom elements, whose second field is metadata), tags.
    fn has_technology(self) -> bool {
        matches!(
            self,
            ElementType::Container | ElementType::Component | ElementType::Custom
        )
    }
}

#[derive(Debug)]
struct DslElement {
    kind: ElementType,
    identifier: Option<String>,
    /// The identifier references use: with `!identifiers hierarchical`, the parent's
    /// before it (`system.api`).
    full_identifier: Option<String>,
    name: String,
    description: Option<String>,
    technology: Option<String>,
    tags: Vec<String>,
    parent: Option<usize>,
    /// The group titles around it, outermost first, inside its parent element (or the
    /// model), with where each group is declared.
    groups: Vec<(String, Span)>,
    span: Span,
    /// Where a warning about it points.
    head: Span,
}

#[derive(Debug)]
enum End {
    Element(usize),
    Named(String, Span),
}

#[derive(Debug)]
struct Relationship {
    from: End,
    to: End,
    description: Option<String>,
    technology: Option<String>,
    tags: Vec<String>,
    span: Span,
}

#[derive(Default)]
struct Reader {
    name: Option<String>,
    description: Option<String>,
    elements: Vec<DslElement>,
    relationships: Vec<Relationship>,
    /// Identifiers in lower case (the DSL ignores case) → element.
    identifiers: FxHashMap<String, usize>,
    hierarchical: bool,
    constants: FxHashMap<String, String>,
    group_separator: Option<String>,
    /// The tiers' titles in order, as strata's export writes them (joined by the separator).
    tier_order: String,
    /// Element style shapes by tag, in lower case.
    shapes: FxHashMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

/// Where a statement sits in the model: the element whose block it is in, and the groups
/// around it inside that element.
#[derive(Clone, Default)]
struct Scope {
    element: Option<usize>,
    groups: Vec<(String, Span)>,
}

impl Reader {
    fn warn(&mut self, statement: &Statement, what: &str, why: &str) {
        self.diagnostics.push(
            warning("E410", format!("{what} not imported"), statement.head())
                .with_label(why.to_string()),
        );
    }

    /// A string or word with `${NAME}` constants put in.
    fn text(&self, token: &Token) -> String {
        let raw = match token {
            Token::Word(word) | Token::Str(word) => word,
        };
        let mut out = String::new();
        let mut rest = raw.as_str();
        while let Some(start) = rest.find("${") {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let name = &rest[start + 2..start + length];
            match self.constants.get(name) {
                Some(value) => out.push_str(value),
                None => out.push_str(&rest[start..start + length + 1]),
            }
            rest = &rest[start + length + 1..];
        }
        out.push_str(rest);
        out
    }

    fn top(&mut self, statements: &[Statement]) {
        for statement in statements {
            match statement.keyword().as_deref() {
                Some("workspace") => self.workspace(statement),
                Some(word) if word.starts_with('!') => self.directive(statement),
                _ => self.warn(statement, "this statement", "a workspace holds the model"),
            }
        }
    }

    fn workspace(&mut self, statement: &Statement) {
        let mut fields = statement.tokens[1..].iter();
        if matches!(fields.clone().next(), Some((Token::Word(w), _)) if w.eq_ignore_ascii_case("extends"))
        {
            self.warn(
                statement,
                "`extends`",
                "only this file's elements are imported, not the workspace it extends",
            );
            fields.nth(1);
        }
        let fields: Vec<String> = fields.map(|(token, _)| self.text(token)).collect();
        self.name = fields.first().cloned().filter(|name| !name.is_empty());
        self.description = fields.get(1).cloned().filter(|d| !d.is_empty());
        for inner in statement.block.iter().flatten() {
            match inner.keyword().as_deref() {
                Some("model") => self.model(inner),
                Some("views") => self.views(inner),
                Some("name") => self.name = inner.tokens.get(1).map(|(t, _)| self.text(t)),
                Some("description") => {
                    self.description = inner.tokens.get(1).map(|(t, _)| self.text(t))
                }
                Some(word) if word.starts_with('!') => self.directive(inner),
                _ => self.warn(
                    inner,
                    "this workspace setting",
                    "strata keeps the model only",
                ),
            }
        }
    }

    fn directive(&mut self, statement: &Statement) {
        let keyword = statement.keyword().unwrap_or_default();
        let value = |at: usize| statement.tokens.get(at).map(|(token, _)| token.clone());
        match keyword.as_str() {
            "!identifiers" => {
                self.hierarchical = matches!(value(1), Some(Token::Word(w)) if w.eq_ignore_ascii_case("hierarchical"))
            }
            "!const" | "!constant" | "!var" => {
                if let (Some(name), Some(text)) = (value(1), value(2)) {
                    let name = self.text(&name);
                    let text = self.text(&text);
                    self.constants.insert(name, text);
                }
            }
            _ => self.warn(
                statement,
                &format!("`{keyword}`"),
                "strata reads this file alone, without directives, scripts or plugins",
            ),
        }
    }

    fn model(&mut self, statement: &Statement) {
        let scope = Scope::default();
        for inner in statement.block.iter().flatten() {
            self.model_statement(inner, &scope);
        }
    }

    fn model_statement(&mut self, statement: &Statement, scope: &Scope) {
        if self.relationship(statement, scope) {
            return;
        }
        let (identifier, at) = match statement.tokens.as_slice() {
            [(Token::Word(id), _), (Token::Word(eq), _), ..] if eq == "=" => (Some(id.clone()), 2),
            _ => (None, 0),
        };
        let keyword = match statement.tokens.get(at) {
            Some((Token::Word(word), _)) => word.to_ascii_lowercase(),
            _ => {
                self.warn(statement, "this statement", "strata cannot read it");
                return;
            }
        };
        if let Some(kind) = ElementType::from_keyword(&keyword) {
            self.element(statement, kind, identifier, at, scope);
            return;
        }
        match keyword.as_str() {
            "group" | "enterprise" => {
                let title = statement
                    .tokens
                    .get(at + 1)
                    .map(|(token, _)| self.text(token))
                    .unwrap_or_default();
                let mut inner_scope = scope.clone();
                inner_scope.groups.push((title, statement.head()));
                for inner in statement.block.iter().flatten() {
                    self.model_statement(inner, &inner_scope);
                }
            }
            "properties" => self.model_properties(statement),
            "deploymentenvironment" => self.warn(
                statement,
                "this deployment environment",
                "strata models the design, not where it is deployed",
            ),
            word if word.starts_with('!') => self.directive(statement),
            _ => {
                let what = format!("`{}`", self.text(&statement.tokens[at].0));
                self.warn(statement, &what, "strata has nothing this maps to");
            }
        }
    }

    /// `properties { "structurizr.groupSeparator" "/" }` in the model; other properties are
    /// warned about.
    fn model_properties(&mut self, statement: &Statement) {
        for property in statement.block.iter().flatten() {
            let fields: Vec<String> = property.tokens.iter().map(|(t, _)| self.text(t)).collect();
            match fields.as_slice() {
                [name, value] if name == "structurizr.groupSeparator" => {
                    self.group_separator = Some(value.clone()).filter(|v| !v.is_empty())
                }
                [name, value] if name == TIER_ORDER => self.tier_order = value.clone(),
                _ => self.warn(
                    property,
                    "this model property",
                    "strata has nothing it maps to",
                ),
            }
        }
    }

    fn element(
        &mut self,
        statement: &Statement,
        kind: ElementType,
        identifier: Option<String>,
        at: usize,
        scope: &Scope,
    ) {
        let fields: Vec<String> = statement.tokens[at + 1..]
            .iter()
            .map(|(token, _)| self.text(token))
            .collect();
        let field = |i: usize| fields.get(i).cloned().filter(|f| !f.is_empty());
        let (description, technology, tags) = match kind {
            ElementType::Custom => (field(2), field(1), field(3)),
            _ if kind.has_technology() => (field(1), field(2), field(3)),
            _ => (field(1), None, field(2)),
        };
        let index = self.elements.len();
        let parent_identifier = scope
            .element
            .and_then(|parent| self.elements[parent].full_identifier.as_deref());
        let full_identifier = match (&identifier, self.hierarchical, parent_identifier) {
            (Some(own), true, Some(parent)) => Some(format!("{parent}.{own}")),
            (own, _, _) => own.clone(),
        };
        if let Some(full) = &full_identifier {
            self.identifiers.insert(full.to_lowercase(), index);
        }
        self.elements.push(DslElement {
            kind,
            identifier,
            full_identifier,
            name: field(0).unwrap_or_default(),
            description,
            technology,
            tags: tags.map(|t| split_tags(&t)).unwrap_or_default(),
            parent: scope.element,
            groups: scope.groups.clone(),
            span: statement.span.clone(),
            head: statement.head(),
        });
        let inner_scope = Scope {
            element: Some(index),
            groups: Vec::new(),
        };
        for inner in statement.block.iter().flatten() {
            self.element_statement(inner, &inner_scope);
        }
    }

    fn element_statement(&mut self, statement: &Statement, scope: &Scope) {
        let element = scope.element.unwrap_or_default();
        match statement.keyword().as_deref() {
            Some("url") => self.warn(statement, "a URL", "strata components carry no link"),
            Some("properties") => self.warn(
                statement,
                "these properties",
                "strata's component properties are its own (replicas, tech…); set them after import",
            ),
            Some("perspectives") => self.warn(statement, "these perspectives", "strata has none"),
            Some(word @ ("description" | "technology" | "tags" | "tag")) => {
                let word = word.to_string();
                self.element_field(statement, element, &word)
            }
            _ => self.model_statement(statement, scope),
        }
    }

    fn element_field(&mut self, statement: &Statement, element: usize, field: &str) {
        let values: Vec<String> = statement.tokens[1..]
            .iter()
            .map(|(t, _)| self.text(t))
            .collect();
        let target = &mut self.elements[element];
        match field {
            "description" => target.description = values.first().cloned(),
            "technology" => target.technology = values.first().cloned(),
            _ => target
                .tags
                .extend(values.iter().flat_map(|v| split_tags(v))),
        }
    }

    /// Reads a relationship (`a -> b "desc" "tech" "tags"`, `-> b` and `this -> b` inside an
    /// element); false if the statement is none.
    fn relationship(&mut self, statement: &Statement, scope: &Scope) -> bool {
        let tokens = &statement.tokens;
        let arrow = tokens
            .iter()
            .position(|(token, _)| matches!(token, Token::Word(w) if w == "->"));
        let Some(arrow) = arrow else {
            return false;
        };
        // `id = a -> b`: the relationship's own identifier is not needed.
        let source_at = if arrow >= 3 { 2 } else { 0 };
        let from = match (arrow.checked_sub(1), scope.element) {
            (None, Some(element)) => End::Element(element),
            (Some(at), element) if at >= source_at => match (&tokens[at].0, element) {
                (Token::Word(w), Some(element)) if w.eq_ignore_ascii_case("this") => {
                    End::Element(element)
                }
                (token, _) => End::Named(self.text(token), tokens[at].1.clone()),
            },
            _ => {
                self.warn(statement, "this relationship", "it names no source element");
                return true;
            }
        };
        let Some((to_token, to_span)) = tokens.get(arrow + 1) else {
            self.warn(
                statement,
                "this relationship",
                "it names no destination element",
            );
            return true;
        };
        let to = match (to_token, scope.element) {
            (Token::Word(w), Some(element)) if w.eq_ignore_ascii_case("this") => {
                End::Element(element)
            }
            (token, _) => End::Named(self.text(token), to_span.clone()),
        };
        let fields: Vec<String> = tokens[arrow + 2..]
            .iter()
            .map(|(t, _)| self.text(t))
            .collect();
        let field = |i: usize| fields.get(i).cloned().filter(|f| !f.is_empty());
        let mut relationship = Relationship {
            from,
            to,
            description: field(0),
            technology: field(1),
            tags: field(2).map(|t| split_tags(&t)).unwrap_or_default(),
            span: statement.head(),
        };
        for inner in statement.block.iter().flatten() {
            let values: Vec<String> = inner.tokens[1..]
                .iter()
                .map(|(t, _)| self.text(t))
                .collect();
            match inner.keyword().as_deref() {
                Some("description") => relationship.description = values.first().cloned(),
                Some("technology") => relationship.technology = values.first().cloned(),
                Some("tags" | "tag") => relationship
                    .tags
                    .extend(values.iter().flat_map(|v| split_tags(v))),
                _ => self.warn(
                    inner,
                    "this relationship setting",
                    "strata flows carry no such thing",
                ),
            }
        }
        self.relationships.push(relationship);
        true
    }

    /// Views are not imported; the shapes their element styles give tags are kept as
    /// evidence of kinds.
    fn views(&mut self, statement: &Statement) {
        self.warn(
            statement,
            "views",
            "strata draws its own views (element style shapes are read as hints of kinds)",
        );
        for inner in statement.block.iter().flatten() {
            if inner.keyword().as_deref() != Some("styles") {
                continue;
            }
            for style in inner.block.iter().flatten() {
                let is_element = style.keyword().as_deref() == Some("element");
                let (Some((tag, _)), true) = (style.tokens.get(1), is_element) else {
                    continue;
                };
                let tag = self.text(tag).to_lowercase();
                for setting in style.block.iter().flatten() {
                    if setting.keyword().as_deref() == Some("shape") {
                        if let Some((shape, _)) = setting.tokens.get(1) {
                            let shape = self.text(shape);
                            self.shapes.insert(tag.clone(), shape);
                        }
                    }
                }
            }
        }
    }

    fn resolve(&mut self, end: &End) -> Option<usize> {
        match end {
            End::Element(index) => Some(*index),
            End::Named(name, span) => {
                let found = self.identifiers.get(&name.to_lowercase()).copied();
                if found.is_none() {
                    self.diagnostics.push(
                        Diagnostic::error("E402", format!("no element has the identifier `{name}`"), span.clone())
                            .with_label("not declared in this workspace")
                            .with_help("declare it as `name = container \"…\"` (identifiers ignore case), or correct the name"),
                    );
                }
                found
            }
        }
    }

    fn finish(mut self) -> (Model, Vec<Diagnostic>) {
        // Software systems with a container inside: containers name their parent.
        let mut decomposed = vec![false; self.elements.len()];
        for element in &self.elements {
            if let (ElementType::Container, Some(parent)) = (element.kind, element.parent) {
                decomposed[parent] = self.elements[parent].kind == ElementType::SoftwareSystem;
            }
        }
        let systems_decomposed = decomposed.iter().filter(|&&d| d).count();
        let mut model = Model {
            name: self.name.clone(),
            description: self.description.clone(),
            ..Model::default()
        };
        if model.name.is_none() && systems_decomposed == 1 {
            let system = decomposed.iter().position(|&d| d).unwrap_or_default();
            model.name = Some(self.elements[system].name.clone());
        }
        let mut boundaries: FxHashMap<(Option<usize>, String), usize> = FxHashMap::default();
        // Each DSL element → the component standing for it (components fold into their container).
        let mut standing: Vec<Option<usize>> = vec![None; self.elements.len()];
        for index in 0..self.elements.len() {
            let element = &self.elements[index];
            if decomposed[index] {
                continue;
            }
            if element.kind == ElementType::Component {
                if let Some(container) = self.container_of(index) {
                    standing[index] = standing[container];
                    let (name, container_name) =
                        (element.name.clone(), self.elements[container].name.clone());
                    self.diagnostics.push(
                        warning("E410", format!("component \"{name}\" folded into its container \"{container_name}\""), element.head.clone())
                            .with_label("strata models containers, the units that are deployed")
                            .with_help("its relationships become the container's; those within the container, and those the container has already, are not repeated"),
                    );
                    continue;
                }
            }
            let path = self.path(index, &decomposed, systems_decomposed);
            let boundary = self.intern(&mut model, &mut boundaries, &path);
            standing[index] = Some(model.elements.len());
            model.elements.push(self.component(index, boundary));
        }
        self.links(&mut model, &standing, &decomposed);
        if let Some(separator) = self
            .group_separator
            .as_deref()
            .filter(|_| !self.tier_order.is_empty())
        {
            model.tier_order = self
                .tier_order
                .split(separator)
                .map(str::to_string)
                .collect();
        }
        (model, self.diagnostics)
    }

    fn container_of(&self, component: usize) -> Option<usize> {
        let parent = self.elements[component].parent?;
        (self.elements[parent].kind == ElementType::Container).then_some(parent)
    }

    /// The boundary titles around an element, outermost first, with where each is declared.
    fn path(
        &self,
        index: usize,
        decomposed: &[bool],
        systems_decomposed: usize,
    ) -> Vec<(String, Span)> {
        let element = &self.elements[index];
        let mut path = Vec::new();
        if let Some(parent) = element.parent.filter(|&p| decomposed[p]) {
            path.extend(self.levels(&self.elements[parent].groups));
            if systems_decomposed > 1 {
                let system = &self.elements[parent];
                path.push((system.name.clone(), system.span.clone()));
            }
        }
        path.extend(self.levels(&element.groups));
        path
    }

    /// Group titles split into levels at the group separator, where one is set.
    fn levels(&self, groups: &[(String, Span)]) -> Vec<(String, Span)> {
        let mut levels = Vec::new();
        for (title, span) in groups {
            match &self.group_separator {
                Some(separator) => levels.extend(
                    title
                        .split(separator.as_str())
                        .map(|level| (level.to_string(), span.clone())),
                ),
                None => levels.push((title.clone(), span.clone())),
            }
        }
        levels
    }

    fn intern(
        &self,
        model: &mut Model,
        boundaries: &mut FxHashMap<(Option<usize>, String), usize>,
        path: &[(String, Span)],
    ) -> Option<usize> {
        let mut parent = None;
        for (title, span) in path {
            let key = (parent, title.clone());
            let index = *boundaries.entry(key).or_insert_with(|| {
                model.boundaries.push(Boundary {
                    key: title.clone(),
                    title: title.clone(),
                    parent,
                    span: span.clone(),
                });
                model.boundaries.len() - 1
            });
            parent = Some(index);
        }
        parent
    }

    fn component(&self, index: usize, boundary: Option<usize>) -> Element {
        let element = &self.elements[index];
        let mut type_tags = element.tags.clone();
        type_tags.push(element.kind.default_tag().to_string());
        let shapes: Vec<String> = type_tags
            .iter()
            .filter_map(|tag| self.shapes.get(&tag.to_lowercase()).cloned())
            .collect();
        let inferred = match element.kind {
            ElementType::Person => Ok(Kind::Client),
            _ => infer_kind(&Evidence {
                tags: &element.tags,
                technology: element.technology.as_deref(),
                shapes: &shapes,
                name: &element.name,
            }),
        };
        let inferred = match (inferred, element.kind) {
            (Err(_), ElementType::SoftwareSystem) => Ok(Kind::External),
            (inferred, _) => inferred,
        };
        let kind = inferred.as_ref().ok().copied();
        let tags = element
            .tags
            .iter()
            .filter(|tag| kind.is_none_or(|kind| normalized(tag) != kind.name()))
            .cloned()
            .collect();
        Element {
            key: element
                .identifier
                .clone()
                .unwrap_or_else(|| element.name.clone()),
            label: element.name.clone(),
            kind,
            unknown_kind: inferred.err().unwrap_or_default(),
            tech: element.technology.clone(),
            description: element.description.clone(),
            tags,
            boundary,
            ..Element::default()
        }
    }

    fn links(&mut self, model: &mut Model, standing: &[Option<usize>], decomposed: &[bool]) {
        let relationships = std::mem::take(&mut self.relationships);
        let mut kept: rustc_hash::FxHashSet<(usize, usize, FlowMode)> = Default::default();
        for relationship in relationships {
            let (Some(from), Some(to)) = (
                self.resolve(&relationship.from),
                self.resolve(&relationship.to),
            ) else {
                continue;
            };
            if let Some(system) = [from, to].into_iter().find(|&end| decomposed[end]) {
                let name = self.elements[system].name.clone();
                self.diagnostics.push(
                    warning("E411", format!("relationship with \"{name}\" left out"), relationship.span.clone())
                        .with_label("this software system is imported as its containers")
                        .with_help("its containers' relationships stand for it; write one to a container to keep this"),
                );
                continue;
            }
            let (Some(from_component), Some(to_component)) = (standing[from], standing[to]) else {
                continue;
            };
            let mode = match relationship.tags.iter().any(|tag| is_async_tag(tag)) {
                true => FlowMode::Async,
                false => FlowMode::Sync,
            };
            let lifted = self.elements[from].kind == ElementType::Component
                || self.elements[to].kind == ElementType::Component;
            let key = (from_component, to_component, mode);
            // A lifted relationship already there, or inside one container, was said in the
            // component's warning.
            if lifted && (from_component == to_component || kept.contains(&key)) {
                continue;
            }
            kept.insert(key);
            model.links.push(Link {
                from: from_component,
                to: to_component,
                mode,
                label: relationship.description,
                protocol: relationship.technology,
                tags: relationship
                    .tags
                    .into_iter()
                    .filter(|tag| !is_async_tag(tag))
                    .collect(),
                span: relationship.span,
            });
        }
    }
}

/// Tags are one string, separated by commas.
fn split_tags(tags: &str) -> Vec<String> {
    tags.split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_string)
        .collect()
}

/// `async`, `Asynchronous`, `async message`: a tag saying the relationship does not wait.
fn is_async_tag(tag: &str) -> bool {
    words(tag)
        .iter()
        .any(|word| word == "async" || word == "asynchronous")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Model, Vec<Diagnostic>) {
        read(&Source::new("workspace.dsl", text))
    }

    #[test]
    fn unbalanced_braces_and_unterminated_strings_are_located_errors() {
        let (_, errors) = read_text("workspace {\n  model {\n    a = person \"A\n  }\n");
        let codes: Vec<(&str, usize)> = errors
            .iter()
            .map(|e| (e.code, e.primary.span.start))
            .collect();
        assert_eq!(codes, [("E401", 37), ("E401", 0)]);
        let (_, errors) = read_text("workspace {\n}\n}\n");
        assert_eq!(errors[0].primary.span, 14..15);
    }

    #[test]
    fn constants_identifiers_this_and_implied_sources_are_read() {
        let text = "workspace {\n  !identifiers hierarchical\n  !const TECH \"Go\"\n  model {\n    s = softwareSystem \"S\" {\n      api = container \"API\" \"\" \"${TECH}\" {\n        -> s.db \"reads\" \"SQL\"\n      }\n      db = container \"DB\" \"\" \"PostgreSQL\"\n      this -> s.api\n    }\n    u = person \"U\"\n    u -> s.api \"uses\" \"\" \"async\"\n  }\n}\n";
        let (model, diagnostics) = read_text(text);
        // `this` in the system is the system, imported as its containers.
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E411"]);
        let names: Vec<(&str, Option<Kind>, Option<&str>)> = model
            .elements
            .iter()
            .map(|e| (e.label.as_str(), e.kind, e.tech.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("API", None, Some("Go")),
                ("DB", Some(Kind::Database), Some("PostgreSQL")),
                ("U", Some(Kind::Client), None)
            ]
        );
        let links: Vec<(usize, usize, FlowMode)> =
            model.links.iter().map(|l| (l.from, l.to, l.mode)).collect();
        assert_eq!(links, [(0, 1, FlowMode::Sync), (2, 0, FlowMode::Async)]);
        assert_eq!(model.name.as_deref(), Some("S"));
    }

    #[test]
    fn groups_split_at_the_separator_and_several_systems_are_levels_of_their_own() {
        let text = "workspace \"W\" {\n  model {\n    properties {\n      \"structurizr.groupSeparator\" \"/\"\n    }\n    enterprise \"Corp\" {\n      a = softwareSystem \"A\" {\n        group \"Edge/Public\" {\n          lb = container \"LB\" \"\" \"nginx\"\n        }\n      }\n      b = softwareSystem \"B\" {\n        db = container \"DB\" \"\" \"\" \"Database\"\n      }\n    }\n    lb -> db \"reads\" \"\" \"Asynchronous\"\n  }\n}\n";
        let (model, diagnostics) = read_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let boundaries: Vec<(&str, Option<usize>)> = model
            .boundaries
            .iter()
            .map(|b| (b.title.as_str(), b.parent))
            .collect();
        assert_eq!(
            boundaries,
            [
                ("Corp", None),
                ("A", Some(0)),
                ("Edge", Some(1)),
                ("Public", Some(2)),
                ("B", Some(0))
            ]
        );
        let elements: Vec<(&str, Option<Kind>, Option<usize>)> = model
            .elements
            .iter()
            .map(|e| (e.key.as_str(), e.kind, e.boundary))
            .collect();
        assert_eq!(
            elements,
            [
                ("lb", Some(Kind::LoadBalancer), Some(3)),
                ("db", Some(Kind::Database), Some(4))
            ]
        );
        assert_eq!(model.links[0].mode, FlowMode::Async);
        assert_eq!(model.name.as_deref(), Some("W"));
    }

    #[test]
    fn a_backslash_at_the_end_of_a_line_continues_the_statement() {
        let text = "workspace {\n  model {\n    a = person \\\n      \"A\" \\\r\n      \"Someone\"\n  }\n}\n";
        let (model, diagnostics) = read_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(model.elements[0].description.as_deref(), Some("Someone"));
    }

    #[test]
    fn an_unknown_identifier_is_a_located_error() {
        let text = "workspace {\n  model {\n    a = person \"A\"\n    a -> nowhere\n  }\n}\n";
        let (_, diagnostics) = read_text(text);
        let error = diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(
            (error.code, &text[error.primary.span.clone()]),
            ("E402", "nowhere")
        );
    }
}
