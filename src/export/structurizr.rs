//! The design as a Structurizr DSL workspace (docs.structurizr.com/dsl): clients as people,
//! external components as software systems of their own, and one software system for the
//! design holding a container per other component; tiers and groups as Structurizr groups,
//! nested through the `structurizr.groupSeparator` property (without it groups do not
//! nest), and the tiers' order in a `strata.tiers` property; each kind a tag that the styles give a shape; flows as relationships with their
//! label as description, their protocol as technology, and `async` as a tag drawn dashed.
//! One container view of the system shows everything, laid out automatically.
//!
//! Identifiers come from `outline::Keys`: unique without regard to case (the DSL folds
//! case) and none of the DSL's keywords. Strings are double-quoted with backslash and quote
//! escaped; the DSL is read line by line, so line breaks become spaces.

use super::outline::{Keys, Members, Nesting};
use crate::model::{ComponentId, Design, Kind};
use crate::syntax::ast::FlowMode;
use rustc_hash::FxHashSet;
use std::fmt::Write;

/// The identifier of the software system holding the design's containers.
const SYSTEM: &str = "system";

/// The model property listing the tiers' titles in order, joined by the group separator.
pub const TIER_ORDER: &str = "strata.tiers";

/// Where a component goes: people and external systems sit in the model beside the design's
/// software system, everything else is a container inside it.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Model,
    System,
}

fn place_of(kind: Kind) -> Place {
    match kind {
        Kind::Client | Kind::External => Place::Model,
        _ => Place::System,
    }
}

pub fn to_structurizr(design: &Design) -> String {
    let name = design
        .system
        .name
        .as_deref()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or("System");
    let writer = Writer {
        design,
        keys: Keys::new(design, &RESERVED, str::to_string),
        nesting: Nesting::new(design),
        names: names(design, name),
    };
    let mut out = String::new();
    write!(out, "workspace {}", quote(name)).unwrap();
    if let Some(description) = &design.system.description {
        write!(out, " {}", quote(description)).unwrap();
    }
    out.push_str(" {\n    model {\n");
    let separator = group_separator(design);
    writeln!(
        out,
        "        properties {{\n            \"structurizr.groupSeparator\" {}",
        quote(&separator)
    )
    .unwrap();
    if !design.tiers.is_empty() {
        // The DSL keeps no order among groups split between the model (people, external
        // systems) and the software system (containers): the tiers' order is said here,
        // for `strata import` to read back.
        let titles: Vec<&str> = design.tiers.iter().map(|t| t.title.as_str()).collect();
        writeln!(
            out,
            "            \"{TIER_ORDER}\" {}",
            quote(&titles.join(&separator))
        )
        .unwrap();
    }
    out.push_str("        }\n");
    writer.write_outline(&mut out, Place::Model, 2);
    writeln!(out, "        {SYSTEM} = softwareSystem {} {{", quote(name)).unwrap();
    writer.write_outline(&mut out, Place::System, 3);
    out.push_str("        }\n");
    writer.write_relationships(&mut out);
    out.push_str("    }\n    views {\n");
    writer.write_view(&mut out);
    write_styles(&mut out, design);
    out.push_str("    }\n}\n");
    out
}

struct Writer<'a> {
    design: &'a Design,
    keys: Keys,
    nesting: Nesting,
    names: Vec<String>,
}

/// Each component's element name. The DSL wants a name, and one unique among the people
/// and software systems of the model, and among the containers of a system: a blank label
/// gives way to the id, a label taken already gets the id after it (and a number after
/// that if even that is taken).
fn names(design: &Design, system: &str) -> Vec<String> {
    let mut taken_in_model = FxHashSet::from_iter([system.to_string()]);
    let mut taken_in_system = FxHashSet::default();
    let mut names = Vec::with_capacity(design.components.len());
    for component in &design.components {
        let taken = match place_of(component.kind) {
            Place::Model => &mut taken_in_model,
            Place::System => &mut taken_in_system,
        };
        let label = match component.label.trim().is_empty() {
            true => &component.id,
            false => &component.label,
        };
        let mut name = label.clone();
        let mut count = 1;
        while taken.contains(&name) {
            name = format!("{label} ({})", component.id);
            if count > 1 {
                write!(name, " ({count})").unwrap();
            }
            count += 1;
        }
        taken.insert(name.clone());
        names.push(name);
    }
    names
}

impl Writer<'_> {
    /// The components placed at `place`, in their tiers' and groups' Structurizr groups.
    fn write_outline(&self, out: &mut String, place: Place, depth: usize) {
        for (tier, members) in self.design.tiers.iter().zip(&self.nesting.in_tier) {
            self.write_group(out, &tier.title, members, place, depth);
        }
        self.write_members(out, &self.nesting.loose, place, depth);
    }

    fn write_group(
        &self,
        out: &mut String,
        title: &str,
        members: &Members,
        place: Place,
        depth: usize,
    ) {
        if !self.holds(members, place) {
            return;
        }
        let indent = "    ".repeat(depth);
        writeln!(out, "{indent}group {} {{", quote(title)).unwrap();
        self.write_members(out, members, place, depth + 1);
        writeln!(out, "{indent}}}").unwrap();
    }

    fn write_members(&self, out: &mut String, members: &Members, place: Place, depth: usize) {
        for &group in &members.groups {
            let title = &self.design.groups[group].title;
            let inner = &self.nesting.in_group[group];
            self.write_group(out, title, inner, place, depth);
        }
        let indent = "    ".repeat(depth);
        for &id in &members.components {
            if place == place_of(self.design.components[id].kind) {
                writeln!(out, "{indent}{}", self.element(id)).unwrap();
            }
        }
    }

    /// Whether any component placed at `place` is among the members, however deep.
    fn holds(&self, members: &Members, place: Place) -> bool {
        let design = self.design;
        members
            .components
            .iter()
            .any(|&id| place_of(design.components[id].kind) == place)
            || members
                .groups
                .iter()
                .any(|&group| self.holds(&self.nesting.in_group[group], place))
    }

    fn element(&self, id: ComponentId) -> String {
        let component = &self.design.components[id];
        let description = component.description.as_deref();
        let kind = Some(component.kind.name());
        let (keyword, fields) = match component.kind {
            Kind::Client => ("person", vec![description, kind]),
            Kind::External => ("softwareSystem", vec![description, kind]),
            _ => (
                "container",
                vec![description, component.tech.as_deref(), kind],
            ),
        };
        format!(
            "{} = {keyword} {}{}",
            self.keys.components[id],
            quote(&self.names[id]),
            arguments(&fields)
        )
    }

    fn write_relationships(&self, out: &mut String) {
        for flow in &self.design.flows {
            let tag = (flow.mode == FlowMode::Async).then_some("async");
            let fields = [flow.label.as_deref(), flow.protocol.as_deref(), tag];
            writeln!(
                out,
                "        {} -> {}{}",
                self.keys.components[flow.from],
                self.keys.components[flow.to],
                arguments(&fields)
            )
            .unwrap();
        }
    }

    /// A container view of the design's system; `include *` brings in the people and
    /// systems related to its containers, and the rest are named so every component shows.
    fn write_view(&self, out: &mut String) {
        writeln!(out, "        container {SYSTEM} \"containers\" {{").unwrap();
        out.push_str("            include *\n");
        let unrelated: Vec<&str> = (0..self.design.components.len())
            .filter(|&id| place_of(self.design.components[id].kind) == Place::Model)
            .map(|id| self.keys.components[id].as_str())
            .collect();
        if !unrelated.is_empty() {
            writeln!(out, "            include {}", unrelated.join(" ")).unwrap();
        }
        out.push_str("            autoLayout tb\n        }\n");
    }
}

/// The positional arguments after an element's or relationship's first ones: each given
/// one quoted, a missing one before a given one as `""`, missing ones at the end left out.
fn arguments(fields: &[Option<&str>]) -> String {
    let given = fields
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |i| i + 1);
    fields[..given]
        .iter()
        .map(|field| format!(" {}", quote(field.unwrap_or(""))))
        .collect()
}

/// The styles: each kind used a shape, relationships solid unless asynchronous (the DSL
/// draws every relationship dashed by default).
fn write_styles(out: &mut String, design: &Design) {
    let used: FxHashSet<Kind> = design.components.iter().map(|c| c.kind).collect();
    out.push_str("        styles {\n");
    for kind in Kind::ALL.into_iter().filter(|kind| used.contains(kind)) {
        writeln!(
            out,
            "            element \"{}\" {{\n                shape {}\n            }}",
            kind.name(),
            shape(kind)
        )
        .unwrap();
    }
    out.push_str(concat!(
        "            relationship \"Relationship\" {\n                dashed false\n            }\n",
        "            relationship \"async\" {\n                dashed true\n            }\n",
        "        }\n"
    ));
}

/// The Structurizr shape closest to how strata draws the kind.
fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "Person",
        Kind::Dns => "Ellipse",
        Kind::Waf | Kind::LoadBalancer | Kind::Gateway => "Hexagon",
        Kind::Database | Kind::Search | Kind::Cache => "Cylinder",
        Kind::ObjectStorage => "Bucket",
        Kind::Queue | Kind::Stream => "Pipe",
        Kind::SecretStore | Kind::ConfigStore | Kind::Logging => "Folder",
        Kind::Service | Kind::Auth | Kind::Worker => "RoundedBox",
        Kind::Cdn
        | Kind::Metrics
        | Kind::Tracing
        | Kind::Alerting
        | Kind::External
        | Kind::Component => "Box",
    }
}

/// A separator for nested group names that no tier or group title contains, so a title
/// is never split into levels: `/`, or as many slashes as it takes.
fn group_separator(design: &Design) -> String {
    let titles = || {
        let tiers = design.tiers.iter().map(|t| t.title.as_str());
        tiers.chain(design.groups.iter().map(|g| g.title.as_str()))
    };
    let mut separator = "/".to_string();
    while titles().any(|title| title.contains(&separator)) {
        separator.push('/');
    }
    separator
}

/// Words the DSL reads as keywords where an identifier may stand, in lower case, and the
/// design's own software system.
const RESERVED: [&str; 32] = [
    SYSTEM,
    "this",
    "workspace",
    "model",
    "views",
    "enterprise",
    "group",
    "person",
    "softwaresystem",
    "container",
    "component",
    "element",
    "relationship",
    "deploymentenvironment",
    "deploymentgroup",
    "deploymentnode",
    "infrastructurenode",
    "softwaresysteminstance",
    "containerinstance",
    "name",
    "description",
    "technology",
    "tags",
    "url",
    "properties",
    "perspectives",
    "include",
    "exclude",
    "autolayout",
    "styles",
    "title",
    "configuration",
];

/// A DSL string: backslash and quote escaped, line breaks (which would end the statement)
/// as spaces.
fn quote(text: &str) -> String {
    super::double_quoted(text, |c| match c {
        '\n' | '\r' => Some(" "),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_and_keeps_one_line() {
        assert_eq!(quote("a \"b\" \\ c\r\nd"), r#""a \"b\" \\ c  d""#);
    }

    #[test]
    fn names_are_given_and_unique_where_the_dsl_needs_them() {
        let source = crate::source::Source::new(
            "names.strata".to_string(),
            concat!(
                "system \"Shop\"\n",
                "shop: external \"Shop\"\nuser: client \"\"\n",
                "a: service \"API\"\nb: service \"API\"\nc: service \"API (b)\"\n",
            )
            .to_string(),
        );
        let checked = crate::check(&source);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        assert_eq!(
            names(&checked.design, "Shop"),
            ["Shop (shop)", "user", "API", "API (b)", "API (b) (c)"]
        );
    }

    #[test]
    fn arguments_fill_gaps_and_drop_what_trails() {
        assert_eq!(arguments(&[None, Some("Go"), None]), r#" "" "Go""#);
        assert_eq!(arguments(&[None, None]), "");
    }
}
