//! D2 (d2lang.com) read into a [`Model`].
//!
//! A small recursive parser of D2's maps: shapes (`key`, `key: label`, `key: label {…}`,
//! quoted keys, dotted paths, `_` for the parent), attributes (`shape`, `label`, `class`,
//! `tooltip`, `style.*`, written inline, dotted or in a `style {…}` block), edges
//! (`->`, `<-`, `<->`, `--`, chains, labels, blocks), `classes`, comments (`#` and `"""`),
//! and strings quoted, unquoted and in `|md …|` blocks. D2 keys ignore case.
//!
//! The mapping: a shape holding other shapes is a container; containers at the top are
//! tiers and containers inside them groups; every other shape is a component. A D2 class
//! that names a strata kind (strata's own export puts every shape in one) gives the kind,
//! and then the label's second line is the technology and the tooltip's lines are the
//! replicas, `managed`, region and description it wrote; elsewhere shapes (person,
//! cylinder, queue, cloud), classes and label words hint at kinds, and a tooltip is a
//! description. A table (`shape: sql_table`) is a database, its columns part of it: an
//! edge between columns joins the tables. A dashed edge (`style.stroke-dash` above 0) is
//! asynchronous; `<->` is two flows; `--` is read as `->`. Text shapes (`shape: text`, a
//! markdown label with no shape), edges to containers, styles, icons, positions and the
//! rest are warned about.

use super::{
    infer_kind, stray_close, string_literal, too_deep, unclosed, warning, Boundary, Element,
    Evidence, Link, Model,
};
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use crate::source::{Source, Span};
use crate::syntax::ast::FlowMode;
use crate::syntax::delimiters::MAX_DEPTH;
use rustc_hash::FxHashMap;

/// Reads a diagram; errors mean it could not be read.
pub(crate) fn read(source: &Source) -> (Model, Vec<Diagnostic>) {
    let mut parser = Parser {
        text: &source.text,
        at: 0,
        depth: 0,
        nodes: Vec::new(),
        children: FxHashMap::default(),
        edges: Vec::new(),
        classes: FxHashMap::default(),
        diagnostics: Vec::new(),
        failed: false,
    };
    parser.map(Scope::Node(None));
    if parser.failed {
        return (Model::default(), parser.diagnostics);
    }
    let Parser {
        nodes,
        edges,
        classes,
        mut diagnostics,
        ..
    } = parser;
    let model = Mapping {
        nodes: &nodes,
        classes: &classes,
        diagnostics: &mut diagnostics,
    }
    .model(&edges);
    (model, diagnostics)
}

/// D2's reserved words that stand where a key may: attributes of the shape or edge they
/// are written in, not shapes.
const ATTRIBUTES: [&str; 31] = [
    "label",
    "shape",
    "icon",
    "tooltip",
    "link",
    "near",
    "width",
    "height",
    "direction",
    "top",
    "left",
    "class",
    "classes",
    "vars",
    "style",
    "layers",
    "scenarios",
    "steps",
    "constraint",
    "grid-rows",
    "grid-columns",
    "grid-gap",
    "vertical-gap",
    "horizontal-gap",
    "source-arrowhead",
    "target-arrowhead",
    "level",
    "filled",
    "opacity",
    "stroke",
    "fill",
];

#[derive(Debug, Default)]
struct Node {
    key: String,
    label: Option<String>,
    /// Where the label was written as a `|md …|` block (text, or a shape's first line):
    /// warnings about it point there, not where the shape is first named.
    markdown: Option<Span>,
    parent: Option<usize>,
    shape: Option<String>,
    classes: Vec<String>,
    tooltip: Option<String>,
    multiple: bool,
    span: Span,
}

#[derive(Debug)]
struct Edge {
    from: usize,
    to: usize,
    label: Option<String>,
    dashed: bool,
    span: Span,
}

/// What a class gives the shapes and edges in it.
#[derive(Debug, Default, Clone)]
struct Class {
    shape: Option<String>,
    multiple: bool,
    dashed: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Markdown(String),
    List(Vec<String>),
    Null,
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Text(text) | Value::Markdown(text) => text.clone(),
            Value::List(items) => items.join("; "),
            Value::Null => String::new(),
        }
    }
}

/// What the statements of a map are about.
#[derive(Clone)]
enum Scope {
    /// Shapes inside this node (none: the diagram).
    Node(Option<usize>),
    /// Attributes of these edges.
    Edges(usize, usize),
    /// Class definitions: each key a class, its block the class's attributes.
    Classes,
    /// Attributes of a class.
    Class(String),
    /// The fields of a `style { … }` block.
    Style(Target),
    /// A block whose content is not imported (warned once already).
    Skipped,
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    nodes: Vec<Node>,
    /// (parent, key in lower case) → node.
    children: FxHashMap<(Option<usize>, String), usize>,
    edges: Vec<Edge>,
    classes: FxHashMap<String, Class>,
    diagnostics: Vec<Diagnostic>,
    /// Whether an error was found.
    failed: bool,
}

/// One key of a path, and where it is written.
type Key = (String, Span);

#[derive(Clone, Copy, PartialEq)]
enum Arrow {
    Forward,
    Backward,
    Both,
    Undirected,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Records an error: the rest of the input is not read, one mistake making the rest of
    /// its structure guesswork.
    fn fail(&mut self, error: Diagnostic) {
        self.diagnostics.push(error);
        self.failed = true;
    }

    fn error(&mut self, message: &str, span: Span, label: &str, help: &str) {
        self.fail(
            Diagnostic::error("E401", message.to_string(), span)
                .with_label(label.to_string())
                .with_help(help.to_string()),
        );
    }

    fn warn(&mut self, span: Span, what: String, why: &str) {
        self.diagnostics.push(
            warning("E410", format!("{what} not imported"), span).with_label(why.to_string()),
        );
    }

    /// Blanks within a line.
    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\r' || c == '\u{FEFF}' {
                self.at += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn skip_line(&mut self) {
        self.at = self
            .rest()
            .find('\n')
            .map_or(self.text.len(), |i| self.at + i);
    }

    /// Statements up to the `}` that closes the map (consumed) or the end of the text.
    fn map(&mut self, scope: Scope) {
        let open = self.at.saturating_sub(1);
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                if self.depth > 0 {
                    self.fail(unclosed(open..open + 1));
                }
                return;
            };
            match c {
                '\n' | ';' => self.at += 1,
                '}' => {
                    self.at += 1;
                    if self.depth > 0 {
                        return;
                    }
                    self.fail(stray_close(self.at - 1..self.at));
                }
                '#' => self.skip_line(),
                _ if self.rest().starts_with("\"\"\"") => self.block_comment(),
                _ => {
                    let before = self.at;
                    self.statement(scope.clone());
                    if self.at == before {
                        let end = before + c.len_utf8();
                        self.error(
                            &format!("unexpected `{c}`"),
                            before..end,
                            "not the start of a key",
                            "a statement starts with a key: `name`, `name: label` or `a -> b`",
                        );
                        self.at = end;
                    }
                }
            }
            if self.failed {
                self.at = self.text.len();
                return;
            }
        }
    }

    fn block_comment(&mut self) {
        let start = self.at;
        match self.text[start + 3..].find("\"\"\"") {
            Some(i) => self.at = start + 3 + i + 3,
            None => {
                self.error(
                    "this block comment is never closed",
                    start..start + 3,
                    "`\"\"\"` with no `\"\"\"` after it",
                    "close the comment with `\"\"\"`",
                );
                self.at = self.text.len();
            }
        }
    }

    /// A block after a key or value: its map read in `scope`, nesting counted.
    fn block(&mut self, scope: Scope) {
        let open = self.at..self.at + 1;
        if self.depth + 1 >= MAX_DEPTH {
            self.fail(too_deep(open));
            self.at = self.text.len();
            return;
        }
        self.at += 1;
        self.depth += 1;
        self.map(scope);
        self.depth -= 1;
    }

    fn statement(&mut self, scope: Scope) {
        let start = self.at;
        if matches!(self.peek(), Some('(' | '*' | '&' | '!' | '.' | '@')) {
            self.skip_statement();
            let what = format!("`{}`", self.text[start..self.at].trim());
            let why = "strata reads shapes and edges, not references, globs, filters or imports";
            self.warn(start..self.at, what, why);
            return;
        }
        let Some(first) = self.path() else {
            return;
        };
        let mut chain = vec![first];
        let mut arrows = Vec::new();
        while let Some(arrow) = self.arrow() {
            self.skip_blanks();
            match self.path() {
                Some(path) => {
                    arrows.push(arrow);
                    chain.push(path);
                }
                None => {
                    let at = self.at;
                    self.error(
                        "an edge with no shape after its arrow",
                        at..at,
                        "a key was expected here",
                        "write the shape the edge goes to: `a -> b`",
                    );
                    return;
                }
            }
        }
        let value = self.value();
        let span = start..self.at;
        if chain.iter().flatten().any(|(key, _)| key.contains('*')) {
            let why = "strata reads shapes and edges, not globs over them";
            self.warn(span, "a glob".to_string(), why);
            return self.skip_block(value);
        }
        if chain.len() == 1 {
            let path = chain.pop().unwrap_or_default();
            self.keyed(scope, path, value, span);
        } else {
            self.edges(scope, &chain, &arrows, value, span);
        }
    }

    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => return,
                '}' => depth -= 1,
                '\n' | ';' if depth == 0 => return,
                _ => {}
            }
            self.at += c.len_utf8();
        }
    }

    /// A dotted path of keys, or none where no key starts.
    fn path(&mut self) -> Option<Vec<Key>> {
        let mut keys = Vec::new();
        loop {
            self.skip_blanks();
            let key = self.key()?;
            keys.push(key);
            self.skip_blanks();
            if self.peek() == Some('.') {
                self.at += 1;
            } else {
                return Some(keys);
            }
        }
    }

    fn key(&mut self) -> Option<Key> {
        let start = self.at;
        match self.peek()? {
            quote @ ('"' | '\'') => {
                let text = self.quoted(quote)?;
                Some((text, start..self.at))
            }
            _ => {
                let mut end = start;
                for (offset, c) in self.rest().char_indices() {
                    let here = &self.text[start + offset..];
                    let arrow =
                        here.starts_with("->") || here.starts_with("<-") || here.starts_with("--");
                    if arrow
                        || matches!(
                            c,
                            '.' | ':' | ';' | '{' | '}' | '[' | ']' | '\n' | '#' | '"' | '\''
                        )
                    {
                        break;
                    }
                    end = start + offset + c.len_utf8();
                }
                let key = self.text[start..end].trim_end();
                if key.is_empty() {
                    return None;
                }
                self.at = end;
                Some((key.to_string(), start..start + key.len()))
            }
        }
    }

    /// A quoted string; on a missing closing quote, an error and none.
    fn quoted(&mut self, quote: char) -> Option<String> {
        match string_literal(self.text, self.at, quote) {
            Ok((value, end)) => {
                self.at = end;
                Some(value)
            }
            Err(unterminated) => {
                let (error, line_end) = *unterminated;
                self.fail(error);
                self.at = line_end;
                None
            }
        }
    }

    fn arrow(&mut self) -> Option<Arrow> {
        self.skip_blanks();
        let (arrow, length) = [
            ("<->", Arrow::Both),
            ("->", Arrow::Forward),
            ("<-", Arrow::Backward),
            ("--", Arrow::Undirected),
        ]
        .into_iter()
        .find(|(written, _)| self.rest().starts_with(written))
        .map(|(written, arrow)| (arrow, written.len()))?;
        self.at += length;
        Some(arrow)
    }

    /// What follows a key: `: value`, a block, both, or nothing. The block is returned
    /// unread, as its offset, for the caller to read in the right scope.
    fn value(&mut self) -> Written {
        self.skip_blanks();
        let mut written = Written::default();
        if self.peek() == Some(':') {
            self.at += 1;
            self.skip_blanks();
            let start = self.at;
            written.value = self.scalar();
            written.value_span = start..self.at;
            self.skip_blanks();
        }
        if self.peek() == Some('{') {
            written.block = Some(self.at);
        }
        written
    }

    fn scalar(&mut self) -> Option<Value> {
        let start = self.at;
        match self.peek()? {
            quote @ ('"' | '\'') => self.quoted(quote).map(Value::Text),
            '|' => self.markdown(),
            '[' => Some(self.list()),
            '{' => None,
            _ => {
                let mut end = start;
                let mut previous = ' ';
                for (offset, c) in self.rest().char_indices() {
                    if matches!(c, ';' | '\n' | '{' | '}') || (c == '#' && previous.is_whitespace())
                    {
                        break;
                    }
                    previous = c;
                    end = start + offset + c.len_utf8();
                }
                self.at = end;
                let text = self.text[start..end].trim();
                match text {
                    "null" => Some(Value::Null),
                    "" => None,
                    _ => Some(Value::Text(text.to_string())),
                }
            }
        }
    }

    /// `|md …|` (or `||…||` around text holding a `|`): the text between the pipes, the
    /// language word after the opening pipes dropped.
    fn markdown(&mut self) -> Option<Value> {
        let start = self.at;
        let pipes = self.rest().chars().take_while(|&c| c == '|').count();
        let fence = "|".repeat(pipes);
        let body_start = start + pipes;
        let Some(close) = self.text[body_start..].find(&fence) else {
            self.error(
                "this text block is never closed",
                start..body_start,
                "no closing pipes after it",
                &format!("close the block with `{fence}`"),
            );
            self.at = self.text.len();
            return None;
        };
        self.at = body_start + close + pipes;
        let body = &self.text[body_start..body_start + close];
        let body = body.trim_start_matches(|c: char| c.is_alphanumeric());
        // Each line is indented to sit in the D2 file; the text itself is not.
        let lines: Vec<&str> = body.trim().lines().map(str::trim).collect();
        Some(Value::Markdown(lines.join("\n")))
    }

    fn list(&mut self) -> Value {
        let start = self.at;
        let Some(close) = self.rest().find(']') else {
            self.error(
                "this list is never closed",
                start..start + 1,
                "`[` with no `]`",
                "close the list with `]`",
            );
            self.at = self.text.len();
            return Value::Null;
        };
        let items = self.text[start + 1..start + close]
            .split(';')
            .map(|item| item.trim().trim_matches(['"', '\'']).to_string())
            .filter(|item| !item.is_empty())
            .collect();
        self.at = start + close + 1;
        Value::List(items)
    }

    /// A statement of one path: a shape (and its label and block), or an attribute.
    fn keyed(&mut self, scope: Scope, path: Vec<Key>, written: Written, span: Span) {
        let attribute_at = path
            .iter()
            .position(|(key, _)| ATTRIBUTES.contains(&key.to_lowercase().as_str()));
        match (scope.clone(), attribute_at) {
            (Scope::Skipped, _) => self.skip_block(written),
            (Scope::Classes, _) => {
                let keys: Vec<&str> = path.iter().map(|(key, _)| key.as_str()).collect();
                let name = keys.join(".").to_lowercase();
                self.classes.entry(name.clone()).or_default();
                if let Some(at) = written.block {
                    self.at = at;
                    self.block(Scope::Class(name));
                }
            }
            (Scope::Style(target), _) => {
                let field: Vec<String> = path.iter().map(|(key, _)| key.to_lowercase()).collect();
                let text = written.value.as_ref().map(Value::text).unwrap_or_default();
                self.style(target, &field.join("."), &text, span);
                self.skip_block(written);
            }
            (Scope::Node(parent), Some(0)) if parent.is_none() && is_root_block(&path[0].0) => {
                self.root_block(&path[0], written, span)
            }
            (Scope::Node(parent), Some(at)) => {
                let owner = match at {
                    0 => parent,
                    _ => match self.resolve(parent, &path[..at]) {
                        Some(owner) => Some(owner),
                        None => return self.skip_block(written),
                    },
                };
                self.attribute(Target::Node(owner), &path[at..], written, span)
            }
            (Scope::Node(parent), None) => {
                let Some(node) = self.resolve(parent, &path) else {
                    return self.skip_block(written);
                };
                self.shape_value(node, written)
            }
            (Scope::Edges(first, last), Some(0)) => {
                self.attribute(Target::Edges(first, last), &path, written, span)
            }
            (Scope::Class(name), Some(0)) => {
                self.attribute(Target::Class(name), &path, written, span)
            }
            (Scope::Edges(..) | Scope::Class(_), _) => {
                let what = format!(
                    "`{}`",
                    path.iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(".")
                );
                self.warn(
                    span,
                    what,
                    "strata reads shapes in containers, not inside edges or classes",
                );
                self.skip_block(written);
            }
        }
    }

    fn skip_block(&mut self, written: Written) {
        if let Some(at) = written.block {
            self.at = at;
            self.block(Scope::Skipped);
        }
    }

    /// `classes`, `vars`, `direction`, `layers`, `scenarios` and `steps` at the top.
    fn root_block(&mut self, key: &Key, written: Written, span: Span) {
        match key.0.to_lowercase().as_str() {
            "classes" => {
                if let Some(at) = written.block {
                    self.at = at;
                    self.block(Scope::Classes);
                }
            }
            // strata lays designs out top down, as its export asks.
            "direction" if written.value == Some(Value::Text("down".to_string())) => {}
            name => {
                let why = match name {
                    "direction" => "strata lays designs out from the top down",
                    "vars" => "variables are not substituted: labels keep `${…}` as written",
                    _ => "strata reads one diagram: layers, scenarios and steps are left out",
                };
                self.warn(span, format!("`{name}`"), why);
                self.skip_block(written);
            }
        }
    }

    /// The node at `path` from `parent` (`_` is the parent's parent), declared if new.
    fn resolve(&mut self, parent: Option<usize>, path: &[Key]) -> Option<usize> {
        let mut current = parent;
        for (key, span) in path {
            if key == "_" {
                match current {
                    Some(node) => current = self.nodes[node].parent,
                    None => {
                        self.warn(
                            span.clone(),
                            "`_` at the top".to_string(),
                            "the diagram has no parent",
                        );
                        return None;
                    }
                }
                continue;
            }
            let folded = (current, key.to_lowercase());
            current = Some(match self.children.get(&folded) {
                Some(&node) => node,
                None => {
                    self.nodes.push(Node {
                        key: key.clone(),
                        parent: current,
                        span: span.clone(),
                        ..Node::default()
                    });
                    self.children.insert(folded, self.nodes.len() - 1);
                    self.nodes.len() - 1
                }
            });
        }
        current
    }

    fn shape_value(&mut self, node: usize, written: Written) {
        match written.value {
            Some(Value::Null) => {
                self.warn(
                    written.value_span,
                    "`null`".to_string(),
                    "strata does not delete what was declared",
                );
            }
            Some(Value::Markdown(text)) => {
                self.nodes[node].label = Some(text);
                self.nodes[node].markdown = Some(written.value_span);
            }
            Some(value) => {
                self.nodes[node].label = Some(value.text());
                self.nodes[node].markdown = None;
            }
            None => {}
        }
        if let Some(at) = written.block {
            self.at = at;
            self.block(Scope::Node(Some(node)));
        }
    }

    fn edges(
        &mut self,
        scope: Scope,
        chain: &[Vec<Key>],
        arrows: &[Arrow],
        written: Written,
        span: Span,
    ) {
        let Scope::Node(parent) = scope else {
            self.warn(
                span,
                "an edge here".to_string(),
                "edges are read in containers only",
            );
            return self.skip_block(written);
        };
        let mut ends = Vec::new();
        for path in chain {
            match self.resolve(parent, path) {
                Some(node) => ends.push(node),
                None => return self.skip_block(written),
            }
        }
        let first = self.edges.len();
        let label = written
            .value
            .as_ref()
            .map(Value::text)
            .filter(|l| !l.is_empty());
        for (pair, &arrow) in ends.windows(2).zip(arrows) {
            let (a, b) = (pair[0], pair[1]);
            let directions: &[(usize, usize)] = match arrow {
                Arrow::Forward => &[(a, b)],
                Arrow::Backward => &[(b, a)],
                Arrow::Both => &[(a, b), (b, a)],
                Arrow::Undirected => {
                    self.diagnostics.push(
                        warning("E411", "an undirected edge read as `->`", span.clone())
                            .with_label("strata flows have a direction")
                            .with_help("write `->` or `<-` to say which way it goes"),
                    );
                    &[(a, b)]
                }
            };
            for &(from, to) in directions {
                self.edges.push(Edge {
                    from,
                    to,
                    label: label.clone(),
                    dashed: false,
                    span: span.clone(),
                });
            }
        }
        if let Some(at) = written.block {
            self.at = at;
            self.block(Scope::Edges(first, self.edges.len()));
        }
    }

    fn attribute(&mut self, target: Target, path: &[Key], written: Written, span: Span) {
        let name: Vec<String> = path.iter().map(|(key, _)| key.to_lowercase()).collect();
        let value = written.value.clone();
        let text = value.as_ref().map(Value::text).unwrap_or_default();
        match (
            name.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            target,
        ) {
            (["style"], target) if written.block.is_some() => {
                self.at = written.block.unwrap_or_default();
                self.block(Scope::Style(target));
                return;
            }
            (["style", field], target) => self.style(target, field, &text, span),
            (["label"], Target::Node(Some(node))) => self.shape_value(
                node,
                Written {
                    block: None,
                    ..written.clone()
                },
            ),
            (["label"], Target::Edges(first, last)) => {
                for edge in &mut self.edges[first..last] {
                    edge.label = Some(text.clone()).filter(|t| !t.is_empty());
                }
            }
            (["shape"], Target::Node(Some(node))) => {
                self.nodes[node].shape = Some(text.to_lowercase())
            }
            (["shape"], Target::Class(class)) => {
                self.class(&class).shape = Some(text.to_lowercase())
            }
            (["class"], Target::Node(Some(node))) => {
                let classes = match value {
                    Some(Value::List(items)) => items,
                    _ => vec![text.clone()],
                };
                self.nodes[node]
                    .classes
                    .extend(classes.into_iter().map(|c| c.to_lowercase()));
            }
            (["class"], Target::Edges(first, last)) => {
                let dashed = self
                    .classes
                    .get(&text.to_lowercase())
                    .is_some_and(|c| c.dashed);
                for edge in &mut self.edges[first..last] {
                    edge.dashed |= dashed;
                }
            }
            (["tooltip"], Target::Node(Some(node))) => self.nodes[node].tooltip = Some(text),
            _ => {
                let why = "strata draws components by kind: positions, icons, links and sizes are its own";
                self.warn(span, format!("`{}`", name.join(".")), why);
            }
        }
        if let Some(at) = written.block {
            self.at = at;
            self.block(Scope::Skipped);
        }
    }

    fn class(&mut self, name: &str) -> &mut Class {
        self.classes.entry(name.to_string()).or_default()
    }

    /// `style.multiple` on shapes and classes, `style.stroke-dash` on edges and classes are
    /// read; other styles are warned about.
    fn style(&mut self, target: Target, field: &str, value: &str, span: Span) {
        let on = value == "true";
        let dash = value.parse::<f64>().is_ok_and(|dash| dash > 0.0);
        match (field, target) {
            ("multiple", Target::Node(Some(node))) => self.nodes[node].multiple = on,
            ("multiple", Target::Class(class)) => self.class(&class).multiple = on,
            ("stroke-dash", Target::Edges(first, last)) => {
                for edge in &mut self.edges[first..last] {
                    edge.dashed = dash;
                }
            }
            ("stroke-dash", Target::Class(class)) => self.class(&class).dashed = dash,
            // A class named after a strata kind is strata's own drawing of it: the kind
            // brings it back.
            (_, Target::Class(class)) if Kind::from_name(&class).is_some() => {}
            _ => self.warn(
                span,
                format!("the style `{field}`"),
                "strata draws components by kind, in its own colours",
            ),
        }
    }
}

/// What an attribute belongs to: a shape (none: the diagram), edges, or a class.
#[derive(Clone)]
enum Target {
    Node(Option<usize>),
    Edges(usize, usize),
    Class(String),
}

fn is_root_block(key: &str) -> bool {
    matches!(
        key.to_lowercase().as_str(),
        "classes" | "vars" | "direction" | "layers" | "scenarios" | "steps"
    )
}

/// What follows a key.
#[derive(Default, Clone)]
struct Written {
    value: Option<Value>,
    value_span: Span,
    /// Where the `{` of a block after it is.
    block: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Text on the drawing (`shape: text`, a markdown label with no shape): no component.
    Text,
    /// A column of a table (`shape: sql_table`) or a field of a UML class: part of it.
    Column,
    Container,
    Component,
}

struct Mapping<'a> {
    nodes: &'a [Node],
    classes: &'a FxHashMap<String, Class>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Mapping<'_> {
    fn model(mut self, edges: &[Edge]) -> Model {
        let roles = self.roles();
        let mut model = Model::default();
        let mut boundary_of: Vec<Option<usize>> = vec![None; self.nodes.len()];
        let mut element_of: Vec<Option<usize>> = vec![None; self.nodes.len()];
        for (index, node) in self.nodes.iter().enumerate() {
            let parent_boundary = node.parent.and_then(|p| boundary_of[p]);
            match roles[index] {
                Role::Container => {
                    boundary_of[index] = Some(model.boundaries.len());
                    model.boundaries.push(Boundary {
                        key: node.key.clone(),
                        title: self.title(node),
                        parent: parent_boundary,
                        span: node.span.clone(),
                    });
                }
                Role::Component => {
                    element_of[index] = Some(model.elements.len());
                    model.elements.push(self.element(node, parent_boundary));
                }
                // Edges between columns (foreign keys) are edges between their tables.
                Role::Column => {
                    let table = node.parent.and_then(|parent| element_of[parent]);
                    element_of[index] = table;
                    if node.parent.is_some_and(|p| roles[p] == Role::Component) {
                        self.diagnostics.push(
                            warning(
                                "E410",
                                format!("the column `{}` not imported", node.key),
                                node.span.clone(),
                            )
                            .with_label("strata models the table, not its columns")
                            .with_help("edges to the column are the table's"),
                        );
                    }
                }
                Role::Text => self.diagnostics.push(
                    warning(
                        "E410",
                        format!(
                            "the text \"{}\" not imported",
                            first_line(&self.title(node))
                        ),
                        node.markdown.clone().unwrap_or_else(|| node.span.clone()),
                    )
                    .with_label("text on the drawing, not a component"),
                ),
            }
        }
        for edge in edges {
            let ends = (element_of[edge.from], element_of[edge.to]);
            let (Some(from), Some(to)) = ends else {
                let (node, role) = match ends.0 {
                    None => (&self.nodes[edge.from], roles[edge.from]),
                    Some(_) => (&self.nodes[edge.to], roles[edge.to]),
                };
                let what = match role {
                    Role::Container => "a container",
                    _ => "text",
                };
                self.diagnostics.push(
                    warning(
                        "E411",
                        format!("an edge with `{}` left out", node.key),
                        edge.span.clone(),
                    )
                    .with_label(format!("`{}` is {what}, not a component", node.key))
                    .with_help("strata flows join components: draw the edge to a shape inside it"),
                );
                continue;
            };
            model.links.push(Link {
                from,
                to,
                mode: if edge.dashed {
                    FlowMode::Async
                } else {
                    FlowMode::Sync
                },
                label: edge.label.clone(),
                protocol: None,
                tags: Vec::new(),
                span: edge.span.clone(),
            });
        }
        model
    }

    /// Each node's role, children before parents (a node comes after its parent).
    fn roles(&self) -> Vec<Role> {
        // Parents first: whether a node sits in a table (or a UML class), whose children
        // are its columns.
        let mut in_table = vec![false; self.nodes.len()];
        for (index, node) in self.nodes.iter().enumerate() {
            if let Some(parent) = node.parent {
                in_table[index] = in_table[parent] || self.is_table(&self.nodes[parent]);
            }
        }
        let mut roles = vec![Role::Component; self.nodes.len()];
        let mut holds_shapes = vec![false; self.nodes.len()];
        for index in (0..self.nodes.len()).rev() {
            let node = &self.nodes[index];
            let shape = node.shape.as_deref().or_else(|| self.class_shape(node));
            roles[index] = match (in_table[index], holds_shapes[index], shape) {
                (true, _, _) => Role::Column,
                (false, true, _) => Role::Container,
                (false, false, Some("text")) => Role::Text,
                (false, false, None) if node.markdown.is_some() => Role::Text,
                _ => Role::Component,
            };
            if let (Some(parent), Role::Container | Role::Component) = (node.parent, roles[index]) {
                holds_shapes[parent] = true;
            }
        }
        roles
    }

    fn is_table(&self, node: &Node) -> bool {
        let shape = node.shape.as_deref().or_else(|| self.class_shape(node));
        matches!(shape, Some("sql_table" | "class"))
    }

    fn class_shape(&self, node: &Node) -> Option<&str> {
        node.classes
            .iter()
            .find_map(|class| self.classes.get(class)?.shape.as_deref())
    }

    /// The label, or the key where it is missing or blank.
    fn title(&self, node: &Node) -> String {
        match &node.label {
            Some(label) if !label.trim().is_empty() => label.clone(),
            _ => node.key.clone(),
        }
    }

    fn element(&mut self, node: &Node, boundary: Option<usize>) -> Element {
        let strata_kind = node.classes.iter().find_map(|class| Kind::from_name(class));
        let mut label = node.label.clone().unwrap_or_else(|| node.key.clone());
        let mut element = Element {
            key: node.key.clone(),
            ..Element::default()
        };
        if let Some(written_at) = &node.markdown {
            self.diagnostics.push(
                warning(
                    "E411",
                    "a markdown label cut to its first line",
                    written_at.clone(),
                )
                .with_label("strata labels are plain text")
                .with_help("the whole text is kept as the component's description"),
            );
            element.description = Some(label.clone());
            label = first_line(&label);
        }
        // strata's export writes the technology on the label's second line, and what the
        // drawing cannot show in the tooltip.
        match (strata_kind, label.split_once('\n')) {
            (Some(_), Some((name, tech))) => {
                element.label = name.to_string();
                element.tech = Some(tech.to_string());
            }
            _ => element.label = label,
        }
        match (strata_kind, &node.tooltip) {
            (Some(_), Some(tooltip)) => read_details(tooltip, &mut element),
            (None, Some(tooltip)) => {
                let text = element
                    .description
                    .take()
                    .into_iter()
                    .chain([tooltip.clone()]);
                element.description = Some(text.collect::<Vec<_>>().join("\n"));
            }
            _ => {}
        }
        let multiple = node.multiple
            || node
                .classes
                .iter()
                .any(|c| self.classes.get(c).is_some_and(|c| c.multiple));
        if multiple && element.replicas.is_none() {
            // A stack of copies: more than one instance, how many unsaid.
            element.replicas = Some(2);
        }
        let shapes: Vec<String> = node
            .shape
            .iter()
            .cloned()
            .chain(self.class_shape(node).map(str::to_string))
            .collect();
        let inferred = infer_kind(&Evidence {
            tags: &node.classes,
            technology: element.tech.as_deref(),
            shapes: &shapes,
            name: if element.label.is_empty() {
                &node.key
            } else {
                &element.label
            },
        });
        element.kind = inferred.as_ref().ok().copied();
        element.unknown_kind = inferred.err().unwrap_or_default();
        element.tags = node
            .classes
            .iter()
            .filter(|class| Kind::from_name(class).is_none())
            .cloned()
            .collect();
        element.boundary = boundary;
        element
    }
}

/// The lines strata's D2 export writes in a tooltip: `3 replicas`, `managed`,
/// `region eu-west-1`, and the description.
fn read_details(tooltip: &str, element: &mut Element) {
    let mut description = Vec::new();
    for line in tooltip.lines() {
        let replicas = line.strip_suffix(" replicas").and_then(|n| n.parse().ok());
        match (replicas, line.strip_prefix("region ")) {
            (Some(replicas), _) => element.replicas = Some(replicas),
            (None, Some(region)) => element.region = Some(region.to_string()),
            _ if line == "managed" => element.managed = true,
            _ => description.push(line),
        }
    }
    if !description.is_empty() {
        element.description = Some(description.join("\n"));
    }
}

/// A markdown text's first line with its heading and emphasis marks taken off.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    line.trim_start_matches(['#', ' '])
        .replace("**", "")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Model, Vec<Diagnostic>) {
        read(&Source::new("diagram.d2", text))
    }

    #[test]
    fn containers_shapes_edges_and_chains_are_read() {
        let text = "# comment\ncloud: \"Cloud\" {\n  lb: LB {shape: hexagon}\n  \"api server\": API\n  db.shape: cylinder\n  lb -> \"API SERVER\" -> db: calls\n}\nuser: {shape: person}\nuser <- cloud.lb: {style.stroke-dash: 3}\nuser <-> cloud.db\n";
        let (model, diagnostics) = read_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let elements: Vec<(&str, Option<Kind>, Option<usize>)> = model
            .elements
            .iter()
            .map(|e| (e.label.as_str(), e.kind, e.boundary))
            .collect();
        assert_eq!(
            elements,
            [
                ("LB", Some(Kind::LoadBalancer), Some(0)),
                ("API", None, Some(0)),
                ("db", Some(Kind::Database), Some(0)),
                ("user", Some(Kind::Client), None)
            ]
        );
        let links: Vec<(usize, usize, FlowMode, Option<&str>)> = model
            .links
            .iter()
            .map(|l| (l.from, l.to, l.mode, l.label.as_deref()))
            .collect();
        assert_eq!(
            links,
            [
                (0, 1, FlowMode::Sync, Some("calls")),
                (1, 2, FlowMode::Sync, Some("calls")),
                (0, 3, FlowMode::Async, None),
                (3, 2, FlowMode::Sync, None),
                (2, 3, FlowMode::Sync, None)
            ]
        );
    }

    #[test]
    fn what_is_not_imported_is_warned_where_it_is_written() {
        let text = "a -> b\n*.style.fill: red\nx.*: y\n(a -> b)[0].style.bold: true\nvars: {v: 1}\nb.icon: https://x\na -- c\n";
        let (model, diagnostics) = read_text(text);
        let found: Vec<(&str, usize)> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.code,
                    Source::new("", text).position(d.primary.span.start).line,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("E410", 2),
                ("E410", 3),
                ("E410", 4),
                ("E410", 5),
                ("E410", 6),
                ("E411", 7)
            ]
        );
        assert!(diagnostics.iter().all(|d| !d.is_error()));
        let keys: Vec<&str> = model.elements.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"], "a glob declares nothing");
    }

    #[test]
    fn tables_are_components_and_edges_between_their_columns_join_the_tables() {
        let text = "users: {shape: sql_table; id: int; name: string}\norders: {\n  shape: sql_table\n  user_id: int\n}\norders.user_id -> users.id\n";
        let (model, diagnostics) = read_text(text);
        let elements: Vec<(&str, Option<Kind>)> = model
            .elements
            .iter()
            .map(|e| (e.key.as_str(), e.kind))
            .collect();
        assert_eq!(
            elements,
            [
                ("users", Some(Kind::Database)),
                ("orders", Some(Kind::Database))
            ]
        );
        let links: Vec<(usize, usize)> = model.links.iter().map(|l| (l.from, l.to)).collect();
        assert_eq!(links, [(1, 0)]);
        let warned: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            warned,
            [
                "the column `id` not imported",
                "the column `name` not imported",
                "the column `user_id` not imported"
            ]
        );
    }

    #[test]
    fn bad_input_gives_located_errors() {
        for (text, at) in [
            ("a: \"open\nb", 3),
            ("a: {\n  b\n", 3),
            ("a\n}\n", 2),
            ("a: |md\n# x\n", 3),
            ("a -> \n", 5),
            ("classes: {\n  db: {shape: cylinder}\n", 9),
        ] {
            let (_, diagnostics) = read_text(text);
            let error = diagnostics
                .iter()
                .find(|d| d.is_error())
                .unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(
                (error.code, error.primary.span.start),
                ("E401", at),
                "{text:?}"
            );
        }
    }
}
