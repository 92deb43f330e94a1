//! The syntax tree: what was written, with spans, before any meaning is checked.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
    /// Written in quotes where an id belongs (`a -> "B"`): the model reports the slip
    /// once it knows which component was meant.
    pub quoted: bool,
}

/// A string literal: its resolved text and the literal as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Str {
    pub value: String,
    pub raw: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Import(ImportDecl),
    System(SystemDecl),
    Tier(Container),
    Group(Container),
    Component(ComponentDecl),
    Flow(FlowDecl),
    Journey(JourneyDecl),
    Lint(LintDecl),
}

impl Item {
    pub fn span(&self) -> &Span {
        match self {
            Item::Import(import) => &import.span,
            Item::System(system) => &system.span,
            Item::Tier(container) | Item::Group(container) => &container.span,
            Item::Component(component) => &component.span,
            Item::Flow(flow) => &flow.span,
            Item::Journey(journey) => &journey.span,
            Item::Lint(lint) => &lint.span,
        }
    }
}

/// `import "shared/observability.strata"`: another file's declarations, part of this
/// design. The path is relative to the importing file; the loader reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDecl {
    pub path: Str,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SystemDecl {
    pub name: Str,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// A tier or a group: an id, an optional title, and members.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub id: Ident,
    pub title: Option<Str>,
    pub members: Vec<Item>,
    pub span: Span,
    /// The closing `}`; comments before it stay inside the block when formatting.
    pub close: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComponentDecl {
    pub id: Ident,
    pub kind: Ident,
    pub label: Option<Str>,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowMode {
    Sync,
    Async,
}

impl FlowMode {
    pub fn arrow(self) -> &'static str {
        match self {
            FlowMode::Sync => "->",
            FlowMode::Async => "~>",
        }
    }
}

/// `a, b -> c ~> d : "label" { ... }`: stages of endpoints joined by arrows.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowDecl {
    pub first: Vec<Ident>,
    pub hops: Vec<(FlowMode, Vec<Ident>)>,
    pub label: Option<Str>,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// `journey checkout "Checkout" { shoppers -> lb -> api -> order; sla 99.95% }`: a request
/// that matters, as the declared flows it takes, with its own targets.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyDecl {
    pub id: Ident,
    pub title: Option<Str>,
    /// Steps and properties in the order written.
    pub members: Vec<JourneyMember>,
    pub span: Span,
    /// The closing `}`; comments before it stay inside the block when formatting.
    pub close: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JourneyMember {
    /// Flows the journey takes, written as a flow is (`a -> b, c ~> d`). A label or
    /// properties are kept here so the model can say they belong to the flow itself.
    Step(FlowDecl),
    Property(Property),
}

impl JourneyMember {
    pub fn span(&self) -> &Span {
        match self {
            JourneyMember::Step(step) => &step.span,
            JourneyMember::Property(property) => &property.span,
        }
    }
}

/// `lint { AVL101 off; "missing-cache" warning; max_sync_depth 4 }`: lint settings kept
/// in the design file. Keys are rule codes, code prefixes, rule names or option names.
#[derive(Debug, Clone, PartialEq)]
pub struct LintDecl {
    pub settings: Vec<LintSetting>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LintSetting {
    pub key: LintKey,
    pub value: Value,
    pub span: Span,
}

/// A setting's key: a bare name (`AVL101`, `missing_cache`) or a quoted one (`"missing-cache"`).
#[derive(Debug, Clone, PartialEq)]
pub enum LintKey {
    Name(Ident),
    Quoted(Str),
}

impl LintKey {
    pub fn text(&self) -> &str {
        match self {
            LintKey::Name(ident) => &ident.name,
            LintKey::Quoted(string) => &string.value,
        }
    }

    pub fn span(&self) -> &Span {
        match self {
            LintKey::Name(ident) => &ident.span,
            LintKey::Quoted(string) => &string.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: Ident,
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// Numbers keep the text they were written with, so formatting never changes them.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(Str),
    Number(String),
    Percent(String),
    Duration(String),
    /// A number with a unit of rate or size: `2000rps`, `20GB`.
    Quantity(String),
    Ident(String),
    List(Vec<Value>),
    /// Digits run into letters (`1e10`, `2min`): kept so the statement parses; the model
    /// says what is wrong with it.
    BadNumber(String),
}

impl ValueKind {
    /// What kind of value this is, in words, for error messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Str(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Percent(_) => "a percentage",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Quantity(_) => "a rate or a size",
            ValueKind::Ident(_) => "a name",
            ValueKind::List(_) => "a list",
            ValueKind::BadNumber(_) => "a number strata cannot read",
        }
    }
}
