//! Imports: a D2 diagram or a Structurizr DSL workspace read into a strata design.
//!
//! Each front end (`d2.rs`, `structurizr.rs`) is a small hand parser of its language that
//! turns what it reads into a [`Model`]: boundaries (what becomes tiers and groups),
//! elements (components) and links (flows), each with the span it came from. This module
//! does the rest for both: kinds inferred from the words an element carries, ids made
//! legal and unique, the design written as strata text and put through the project's own
//! parser, formatter and checker, so what comes out is `fmt`-clean and checks without
//! errors. Whatever a front end cannot map is a warning located in the input, never
//! dropped silently.
//!
//! Codes: E401 the input is not valid in its language (unbalanced braces, unterminated
//! strings, a token out of place), E402 a reference to an element never declared, E403
//! nothing to import, E404 blocks nested too deep, E405 a design written that does not
//! check (a bug in the importer); warnings E410 a construct strata does not
//! import, E411 a relationship or edge changed or left out on the way.

pub mod d2;
pub mod structurizr;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Kind;
use crate::source::{Source, Span};
use crate::syntax::ast::FlowMode;
use crate::syntax::delimiters::MAX_DEPTH;
use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt::Write;

/// The languages strata imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    D2,
    Structurizr,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::D2 => "D2",
            Language::Structurizr => "Structurizr DSL",
        }
    }

    /// What a file in the language is.
    fn document(self) -> &'static str {
        match self {
            Language::D2 => "D2 diagram",
            Language::Structurizr => "Structurizr DSL workspace",
        }
    }
}

/// A design read from another language: its strata text, and a warning for everything in
/// the input it does not carry.
#[derive(Debug)]
pub struct Imported {
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

/// Reads `source` as `language` into a strata design. Errors (sorted by position) mean the
/// input could not be read; warnings locate what was left out or changed.
pub fn import(source: &Source, language: Language) -> Result<Imported, Vec<Diagnostic>> {
    let read = match language {
        Language::D2 => d2::read(source),
        Language::Structurizr => structurizr::read(source),
    };
    let (model, mut diagnostics) = read;
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.retain(Diagnostic::is_error);
        crate::diagnostics::sort(&mut diagnostics);
        return Err(diagnostics);
    }
    if let Some(span) = too_deeply_nested(&model) {
        return Err(vec![too_deep(span)]);
    }
    if model.elements.is_empty() {
        return Err(vec![Diagnostic::error(
            "E403",
            format!(
                "nothing to import: the {} declares no elements",
                language.document()
            ),
            0..0,
        )
        .with_label("no element in this file becomes a component")
        .with_help(match language {
            Language::D2 => "a D2 shape (`api: API`) or an edge (`web -> api`) becomes a component",
            Language::Structurizr => {
                "people, software systems and containers in the `model` become components"
            }
        })]);
    }
    let name = source
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&source.name);
    let written = write(&model, name, language, &mut diagnostics);
    crate::diagnostics::sort(&mut diagnostics);
    let design = Source::new(source.name.clone(), written);
    let checked = crate::check(&design);
    if let Some(error) = checked.diagnostics.iter().find(|d| d.is_error()) {
        // A bug here, not in the input: said plainly rather than writing a broken design.
        return Err(vec![Diagnostic::error(
            "E405",
            format!(
                "the imported design does not check: {} ({}); please report this",
                error.message, error.code
            ),
            0..0,
        )]);
    }
    let text = crate::syntax::format::format(&design.text, &checked.parsed);
    Ok(Imported {
        text,
        warnings: diagnostics,
    })
}

/// What a front end read: the design's name, its boundaries, elements and links.
#[derive(Debug, Default)]
pub(crate) struct Model {
    pub name: Option<String>,
    pub description: Option<String>,
    pub boundaries: Vec<Boundary>,
    pub elements: Vec<Element>,
    pub links: Vec<Link>,
    /// Tier titles in the order they are written, where the input says (others follow in
    /// the order they appear).
    pub tier_order: Vec<String>,
}

/// A box around elements: a tier when it has no parent, else a group inside its parent.
#[derive(Debug)]
pub(crate) struct Boundary {
    /// What its id is made from.
    pub key: String,
    pub title: String,
    pub parent: Option<usize>,
    /// Where it is first declared.
    pub span: Span,
}

/// An element that becomes a component.
#[derive(Debug, Default)]
pub(crate) struct Element {
    /// What its id is made from.
    pub key: String,
    pub label: String,
    pub kind: Option<Kind>,
    /// Why `kind` is `None`, for the comment above the component.
    pub unknown_kind: String,
    pub tech: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub replicas: Option<u32>,
    pub managed: bool,
    pub region: Option<String>,
    pub boundary: Option<usize>,
}

/// A flow between two elements, and where it was written.
#[derive(Debug)]
pub(crate) struct Link {
    pub from: usize,
    pub to: usize,
    pub mode: FlowMode,
    pub label: Option<String>,
    pub protocol: Option<String>,
    pub tags: Vec<String>,
    pub span: Span,
}

/// A warning that something in the input was not imported, or not as written.
pub(crate) fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(code, message, span);
    diagnostic.severity = Severity::Warning;
    diagnostic
}

/// Where a boundary sits deeper than a strata design may nest (its tier, its groups and a
/// component's properties each take a level of braces).
fn too_deeply_nested(model: &Model) -> Option<Span> {
    let mut depths: Vec<usize> = Vec::with_capacity(model.boundaries.len());
    for boundary in &model.boundaries {
        // A parent comes before its children, so its depth is known.
        let depth = boundary.parent.map_or(1, |parent| depths[parent] + 1);
        if depth + 1 > MAX_DEPTH {
            return Some(boundary.span.clone());
        }
        depths.push(depth);
    }
    None
}

/// A string literal read from its opening quote at `start` to the closing one on the same
/// line: its text (with `\n`, `\t` and `\`-escaped characters resolved inside double
/// quotes, as both languages write them) and the offset past it. A string the line ends
/// in is the error, with the offset of the line's end to read on from.
pub(crate) fn string_literal(
    text: &str,
    start: usize,
    quote: char,
) -> Result<(String, usize), Box<(Diagnostic, usize)>> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((value, start + 1 + offset + 1)),
            '\\' if quote == '"' => match chars.next() {
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((_, '\n')) | None => break,
                Some((_, escaped)) => value.push(escaped),
            },
            '\n' => break,
            c => value.push(c),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let error = Diagnostic::error("E401", "unterminated string", start..start + 1)
        .with_label("this string is never closed")
        .with_related(line_end..line_end, "the line ends here")
        .with_help(format!(
            "add the closing `{quote}`; a string cannot span lines"
        ));
    Err(Box::new((error, line_end)))
}

/// The error for a `}` that closes nothing.
pub(crate) fn stray_close(span: Span) -> Diagnostic {
    Diagnostic::error("E401", "`}` closes no block", span)
        .with_label("nothing open here")
        .with_help("remove it, or add the `{` it was meant to close")
}

/// The error for a block whose `{` at `span` is never closed.
pub(crate) fn unclosed(span: Span) -> Diagnostic {
    Diagnostic::error("E401", "this block is never closed", span)
        .with_label("its `{` has no `}`")
        .with_help("add the `}` where the block ends")
}

/// The error for blocks nested deeper than the strata parser takes.
pub(crate) fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E404",
        format!("blocks nested more than {MAX_DEPTH} deep"),
        span,
    )
    .with_label("this block is one too many")
    .with_help("flatten the nesting: strata designs nest tiers and groups, not that deep")
}

/// Where each piece of evidence for an element's kind comes from, strongest first.
pub(crate) struct Evidence<'a> {
    /// Tags or classes; one that names a strata kind (`database`, `load_balancer`) decides.
    pub tags: &'a [String],
    pub technology: Option<&'a str>,
    /// Shapes drawn for it (`cylinder`, `person`, `Pipe`…), as the language spells them.
    pub shapes: &'a [String],
    pub name: &'a str,
}

/// The kind the evidence names, or why none: exact kind names in tags first, then words of
/// the tags, the technology, the shape and the name (read from its last word, the noun of
/// "Order Database"; words as loose as "web" or "api" are not taken from a name).
pub(crate) fn infer_kind(evidence: &Evidence) -> Result<Kind, String> {
    let exact = evidence
        .tags
        .iter()
        .find_map(|tag| Kind::from_name(&normalized(tag)));
    let from_tags = || evidence.tags.iter().find_map(|tag| kind_in_words(tag, &[]));
    let from_technology = || {
        evidence
            .technology
            .and_then(|tech| kind_in_words(tech, &[]))
    };
    let from_shape = || {
        evidence
            .shapes
            .iter()
            .find_map(|shape| kind_of_shape(shape))
    };
    let from_name = || kind_in_words(evidence.name, &LOOSE_WORDS);
    if let Some(kind) = exact
        .or_else(from_tags)
        .or_else(from_technology)
        .or_else(from_shape)
        .or_else(from_name)
    {
        return Ok(kind);
    }
    let mut looked_at = Vec::new();
    if !evidence.tags.is_empty() {
        looked_at.push(format!("tags {}", quoted_list(evidence.tags)));
    }
    if let Some(tech) = evidence.technology {
        looked_at.push(format!("technology \"{tech}\""));
    }
    if !evidence.shapes.is_empty() {
        looked_at.push(format!("shape {}", quoted_list(evidence.shapes)));
    }
    looked_at.push(format!("name \"{}\"", evidence.name));
    Err(format!(
        "kind unknown: no kind strata knows in its {}",
        looked_at.join(", ")
    ))
}

fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    quoted.join(", ")
}

/// Words too loose to name a kind in an element's name: "Web Application" is no client,
/// "API Application" no gateway.
const LOOSE_WORDS: [&str; 18] = [
    "web", "app", "api", "user", "device", "mobile", "server", "backend", "storage", "function",
    "job", "log", "logs", "metric", "trace", "topic", "sql", "identity",
];

/// `Load Balancer` → `load_balancer`: lower case, words joined by `_`.
pub(crate) fn normalized(text: &str) -> String {
    words(text).join("_")
}

/// The words of a text in lower case: its runs of letters and digits.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A kind named by two adjacent words or one word of `text`, from the last word back.
fn kind_in_words(text: &str, loose: &[&str]) -> Option<Kind> {
    let words = words(text);
    let named = |word: &str| Kind::from_name(word).or_else(|| Kind::from_alias(word));
    (0..words.len()).rev().find_map(|at| {
        let pair = (at > 0).then(|| format!("{}_{}", words[at - 1], words[at]));
        pair.and_then(|pair| named(&pair)).or_else(|| {
            let word = words[at].as_str();
            (!loose.contains(&word)).then(|| named(word)).flatten()
        })
    })
}

/// The kind a D2 or Structurizr shape stands for, where it stands for one.
fn kind_of_shape(shape: &str) -> Option<Kind> {
    match shape.to_ascii_lowercase().as_str() {
        "person" | "webbrowser" | "mobiledeviceportrait" | "mobiledevicelandscape" => {
            Some(Kind::Client)
        }
        "cylinder" | "stored_data" | "sql_table" => Some(Kind::Database),
        "queue" | "pipe" => Some(Kind::Queue),
        "cloud" => Some(Kind::External),
        "bucket" => Some(Kind::ObjectStorage),
        _ => None,
    }
}

/// Names the strata parser reads as keywords where a statement starts.
const KEYWORDS: [&str; 6] = ["system", "tier", "group", "journey", "lint", "import"];

/// Ids legal in strata and unique among tiers, groups and components, one per key (with
/// the id to use for an empty one): each key's own identifier where no earlier key has it
/// and it is no keyword, else that identifier with the first free `_2`, `_3`… suffix, so
/// a repeated key never takes the id another key would have had (`db` twice beside `db_2`).
fn unique_ids(keys: &[(&str, &str)]) -> Vec<String> {
    let bases: Vec<String> = keys
        .iter()
        .map(|(key, fallback)| identifier(key, fallback))
        .collect();
    let mut taken: FxHashSet<String> = FxHashSet::default();
    let mut ids: Vec<Option<String>> = bases
        .iter()
        .map(|base| {
            (!KEYWORDS.contains(&base.as_str()) && taken.insert(base.clone())).then(|| base.clone())
        })
        .collect();
    // The next suffix to try for each base, so repeats of one key cost no rescans.
    let mut next_suffix: FxHashMap<&str, usize> = FxHashMap::default();
    for (id, base) in ids.iter_mut().zip(&bases) {
        if id.is_none() {
            let suffix = next_suffix.entry(base).or_insert(2);
            while taken.contains(&format!("{base}_{suffix}")) {
                *suffix += 1;
            }
            let made = format!("{base}_{suffix}");
            taken.insert(made.clone());
            *id = Some(made);
        }
    }
    ids.into_iter().flatten().collect()
}

/// `Order DB (EU)` → `Order_DB_EU`: letters, digits and `_` kept, any other run of
/// characters one `_`, none at either end; a leading digit gets `_` before it.
fn identifier(key: &str, fallback: &str) -> String {
    let mut id = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    let id = id.trim_matches('_');
    match id.chars().next() {
        None => fallback.to_string(),
        Some(first) if first.is_ascii_digit() => format!("_{id}"),
        Some(_) => id.to_string(),
    }
}

/// A strata string literal.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment's text on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The model as strata text (formatted afterwards by the caller). Links that strata would
/// refuse (to itself, twice) are left out here with a warning.
fn write(
    model: &Model,
    file_name: &str,
    language: Language,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let keys: Vec<(&str, &str)> = model
        .boundaries
        .iter()
        .map(|b| {
            (
                b.key.as_str(),
                if b.parent.is_none() { "tier" } else { "area" },
            )
        })
        .chain(model.elements.iter().map(|e| (e.key.as_str(), "component")))
        .collect();
    let mut ids = unique_ids(&keys);
    let element_ids = ids.split_off(model.boundaries.len());
    let boundary_ids = ids;
    let mut out = format!(
        "# Imported from {} ({}) by `strata import`.\n",
        one_line(file_name),
        language.name()
    );
    if let Some(name) = model.name.as_deref().filter(|n| !n.trim().is_empty()) {
        write!(out, "system {}", quote(name)).unwrap();
        if let Some(description) = &model.description {
            write!(out, " {{ description {} }}", quote(description)).unwrap();
        }
        out.push('\n');
    }
    let mut inner: Vec<Vec<usize>> = vec![Vec::new(); model.boundaries.len()];
    for (index, boundary) in model.boundaries.iter().enumerate() {
        if let Some(parent) = boundary.parent {
            inner[parent].push(index);
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); model.boundaries.len() + 1];
    for (index, element) in model.elements.iter().enumerate() {
        // The last list holds the elements in no boundary.
        members[element.boundary.unwrap_or(model.boundaries.len())].push(index);
    }
    let writer = Writer {
        model,
        boundary_ids: &boundary_ids,
        element_ids: &element_ids,
        inner: &inner,
        members: &members,
    };
    let mut tiers: Vec<usize> = (0..model.boundaries.len())
        .filter(|&index| model.boundaries[index].parent.is_none())
        .collect();
    let rank = |index: &usize| {
        let title = &model.boundaries[*index].title;
        model
            .tier_order
            .iter()
            .position(|t| t == title)
            .unwrap_or(usize::MAX)
    };
    // Stable: tiers the order does not name keep the order they appear in.
    tiers.sort_by_key(rank);
    for index in tiers {
        writer.boundary(&mut out, index);
    }
    writer.members(&mut out, model.boundaries.len());
    writer.links(&mut out, diagnostics);
    out
}

struct Writer<'a> {
    model: &'a Model,
    boundary_ids: &'a [String],
    element_ids: &'a [String],
    /// The boundaries directly inside each boundary.
    inner: &'a [Vec<usize>],
    /// The elements directly inside each boundary, and last those in none.
    members: &'a [Vec<usize>],
}

impl Writer<'_> {
    fn boundary(&self, out: &mut String, index: usize) {
        let boundary = &self.model.boundaries[index];
        let keyword = if boundary.parent.is_none() {
            "tier"
        } else {
            "group"
        };
        writeln!(
            out,
            "{keyword} {} {} {{",
            self.boundary_ids[index],
            quote(&boundary.title)
        )
        .unwrap();
        for &inner in &self.inner[index] {
            self.boundary(out, inner);
        }
        self.members(out, index);
        out.push_str("}\n");
    }

    /// The elements of a boundary (or, past the last, of none).
    fn members(&self, out: &mut String, boundary: usize) {
        for &element in &self.members[boundary] {
            self.element(out, element);
        }
    }

    fn element(&self, out: &mut String, index: usize) {
        let element = &self.model.elements[index];
        if element.kind.is_none() {
            writeln!(out, "# {}", one_line(&element.unknown_kind)).unwrap();
        }
        let kind = element.kind.unwrap_or(Kind::Component);
        write!(out, "{}: {}", self.element_ids[index], kind.name()).unwrap();
        if !element.label.is_empty() && element.label != self.element_ids[index] {
            write!(out, " {}", quote(&element.label)).unwrap();
        }
        let mut properties = Vec::new();
        if let Some(tech) = &element.tech {
            properties.push(format!("tech {}", quote(tech)));
        }
        if let Some(replicas) = element.replicas.filter(|&r| r > 1) {
            properties.push(format!("replicas {replicas}"));
        }
        if let Some(region) = &element.region {
            properties.push(format!("region {}", quote(region)));
        }
        if element.managed {
            properties.push("managed true".to_string());
        }
        if let Some(description) = &element.description {
            properties.push(format!("description {}", quote(description)));
        }
        if !element.tags.is_empty() {
            properties.push(format!("tags {}", list(&element.tags)));
        }
        write_properties(out, &properties);
    }

    fn links(&self, out: &mut String, diagnostics: &mut Vec<Diagnostic>) {
        let mut seen: FxHashMap<(usize, usize, FlowMode), usize> = FxHashMap::default();
        for (index, link) in self.model.links.iter().enumerate() {
            let from = &self.element_ids[link.from];
            let to = &self.element_ids[link.to];
            if link.from == link.to {
                diagnostics.push(
                    warning(
                        "E411",
                        format!("`{from}` would flow to itself: left out"),
                        link.span.clone(),
                    )
                    .with_label("both ends are the same component in strata")
                    .with_help("strata flows join two components; a call inside one is not drawn"),
                );
                continue;
            }
            if let Some(&first) = seen.get(&(link.from, link.to, link.mode)) {
                diagnostics.push(
                    warning(
                        "E411",
                        format!("a second `{from} {} {to}`: left out", link.mode.arrow()),
                        link.span.clone(),
                    )
                    .with_label("strata keeps one flow per pair and direction")
                    .with_related(self.model.links[first].span.clone(), "the flow kept"),
                );
                continue;
            }
            seen.insert((link.from, link.to, link.mode), index);
            write!(out, "{from} {} {to}", link.mode.arrow()).unwrap();
            if let Some(label) = &link.label {
                write!(out, " : {}", quote(label)).unwrap();
            }
            let mut properties = Vec::new();
            if let Some(protocol) = &link.protocol {
                properties.push(format!("protocol {}", quote(protocol)));
            }
            if !link.tags.is_empty() {
                properties.push(format!("tags {}", list(&link.tags)));
            }
            write_properties(out, &properties);
        }
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| quote(item)).collect();
    format!("[{}]", quoted.join(", "))
}

fn write_properties(out: &mut String, properties: &[String]) {
    if !properties.is_empty() {
        write!(out, " {{ {} }}", properties.join("; ")).unwrap();
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_legal_and_unique() {
        let keys = [
            "Order DB (EU)",
            "db",
            "3d",
            "",
            "tier",
            "Order_DB_EU",
            "é",
            "db_2",
            "db",
        ];
        let keys: Vec<(&str, &str)> = keys.iter().map(|key| (*key, "component")).collect();
        assert_eq!(
            unique_ids(&keys),
            [
                "Order_DB_EU",
                "db",
                "_3d",
                "component",
                "tier_2",
                "Order_DB_EU_2",
                "component_2",
                "db_2",
                "db_3"
            ]
        );
    }

    #[test]
    fn kinds_come_from_tags_technology_shape_then_name() {
        let kind = |tags: &[&str], technology: Option<&str>, shapes: &[&str], name: &str| {
            let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
            let shapes: Vec<String> = shapes.iter().map(|s| s.to_string()).collect();
            infer_kind(&Evidence {
                tags: &tags,
                technology,
                shapes: &shapes,
                name,
            })
        };
        assert_eq!(
            kind(&["Element", "load_balancer"], None, &[], "x"),
            Ok(Kind::LoadBalancer)
        );
        assert_eq!(kind(&["Web Browser"], None, &[], "SPA"), Ok(Kind::Client));
        assert_eq!(
            kind(&[], Some("Oracle Database Schema"), &[], "x"),
            Ok(Kind::Database)
        );
        assert_eq!(
            kind(&[], Some("Apache Kafka"), &["queue"], "Events"),
            Ok(Kind::Stream)
        );
        assert_eq!(kind(&[], None, &["cylinder"], "Orders"), Ok(Kind::Database));
        assert_eq!(kind(&[], None, &[], "Search Service"), Ok(Kind::Service));
        assert_eq!(kind(&[], None, &[], "API Gateway"), Ok(Kind::Gateway));
        let unknown = kind(&["Existing"], Some("Java"), &[], "Web Application").unwrap_err();
        assert_eq!(
            unknown,
            "kind unknown: no kind strata knows in its tags \"Existing\", technology \"Java\", name \"Web Application\""
        );
    }

    #[test]
    fn strings_are_strata_literals() {
        assert_eq!(quote("a \"b\" \\ c\r\nd\te"), r#""a \"b\" \\ c\nd\te""#);
    }
}
