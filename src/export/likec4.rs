//! The design as a LikeC4 model (likec4.dev): a specification declaring an element kind
//! per strata kind used (with its shape) and `tier` and `group` kinds, elements nested per
//! tier and group as in the design, flows as relationships titled with their label, their
//! protocol as technology, asynchronous ones tagged `#async` and dashed, and one view
//! including every element.
//!
//! Element names come from `outline::Keys` (none of LikeC4's keywords, unique without
//! regard to case) and relationships name their ends by full path, so no name is ambiguous.
//! Strings are double-quoted with LikeC4's escapes.

use super::outline::{Keys, Members, Nesting};
use crate::model::{ComponentId, Design, Flow, Kind};
use crate::syntax::ast::FlowMode;
use rustc_hash::FxHashSet;
use std::fmt::Write;

pub fn to_likec4(design: &Design) -> String {
    let keys = Keys::new(design, &RESERVED, legal_name);
    let nesting = Nesting::new(design);
    let mut out = String::new();
    if let Some(name) = &design.system.name {
        // A comment ends at the line's end, so the name is kept on one line.
        writeln!(out, "// {}", name.replace(['\n', '\r'], " ")).unwrap();
    }
    write_specification(&mut out, design);
    out.push_str("\nmodel {\n");
    for (tier_index, tier) in design.tiers.iter().enumerate() {
        let key = &keys.tiers[tier_index];
        writeln!(out, "  {key} = tier {} {{", quote(&tier.title)).unwrap();
        write_members(
            &mut out,
            design,
            &keys,
            &nesting,
            &nesting.in_tier[tier_index],
            2,
        );
        out.push_str("  }\n");
    }
    write_members(&mut out, design, &keys, &nesting, &nesting.loose, 1);
    for flow in &design.flows {
        write_relationship(&mut out, design, &keys, flow);
    }
    out.push_str("}\n");
    write_view(&mut out, design, &keys, &nesting);
    out
}

fn write_specification(out: &mut String, design: &Design) {
    out.push_str("specification {\n  element tier\n  element group\n");
    let used: FxHashSet<Kind> = design.components.iter().map(|c| c.kind).collect();
    for kind in Kind::ALL.into_iter().filter(|kind| used.contains(kind)) {
        match shape(kind) {
            Some(shape) => writeln!(
                out,
                "  element {} {{\n    style {{\n      shape {shape}\n    }}\n  }}",
                kind.name()
            ),
            None => writeln!(out, "  element {}", kind.name()),
        }
        .unwrap();
    }
    out.push_str("  tag async\n}\n");
}

/// The LikeC4 shape closest to how strata draws the kind, where it is not a rectangle.
fn shape(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Client => Some("person"),
        Kind::Database | Kind::Search | Kind::Cache => Some("cylinder"),
        Kind::ObjectStorage => Some("bucket"),
        Kind::SecretStore | Kind::ConfigStore => Some("storage"),
        Kind::Logging => Some("document"),
        Kind::Queue | Kind::Stream => Some("queue"),
        _ => None,
    }
}

fn write_members(
    out: &mut String,
    design: &Design,
    keys: &Keys,
    nesting: &Nesting,
    members: &Members,
    depth: usize,
) {
    let indent = "  ".repeat(depth);
    for &group in &members.groups {
        let title = quote(&design.groups[group].title);
        writeln!(out, "{indent}{} = group {title} {{", keys.groups[group]).unwrap();
        let inner = &nesting.in_group[group];
        write_members(out, design, keys, nesting, inner, depth + 1);
        writeln!(out, "{indent}}}").unwrap();
    }
    for &id in &members.components {
        write_component(out, design, keys, id, &indent);
    }
}

fn write_component(out: &mut String, design: &Design, keys: &Keys, id: ComponentId, indent: &str) {
    let component = &design.components[id];
    // LikeC4 titles a blank title with the element's name; the id says it the same way.
    let title = match component.label.trim().is_empty() {
        true => &component.id,
        false => &component.label,
    };
    let head = format!(
        "{indent}{} = {} {}",
        keys.components[id],
        component.kind.name(),
        quote(title)
    );
    let mut properties = Vec::new();
    if let Some(tech) = &component.tech {
        properties.push(format!("technology {}", quote(tech)));
    }
    if let Some(description) = &component.description {
        properties.push(format!("description {}", quote(description)));
    }
    write_with_body(out, &head, &properties, indent);
}

fn write_relationship(out: &mut String, design: &Design, keys: &Keys, flow: &Flow) {
    let mut head = format!(
        "  {} -> {}",
        keys.path(design, flow.from),
        keys.path(design, flow.to)
    );
    if let Some(label) = &flow.label {
        write!(head, " {}", quote(label)).unwrap();
    }
    let mut properties = Vec::new();
    if flow.mode == FlowMode::Async {
        // Tags come first in a body.
        properties.push("#async".to_string());
    }
    if let Some(protocol) = &flow.protocol {
        properties.push(format!("technology {}", quote(protocol)));
    }
    if flow.mode == FlowMode::Async {
        properties.push("style {\n      line dashed\n    }".to_string());
    }
    write_with_body(out, &head, &properties, "  ");
}

/// A statement, with a body holding its properties one a line when it has any.
fn write_with_body(out: &mut String, head: &str, properties: &[String], indent: &str) {
    out.push_str(head);
    if properties.is_empty() {
        out.push('\n');
        return;
    }
    out.push_str(" {\n");
    for property in properties {
        writeln!(out, "{indent}  {property}").unwrap();
    }
    writeln!(out, "{indent}}}").unwrap();
}

/// One view with every element: `*` is the top level, `name.**` everything inside one.
fn write_view(out: &mut String, design: &Design, keys: &Keys, nesting: &Nesting) {
    out.push_str("\nviews {\n  view index {\n");
    if let Some(name) = &design.system.name {
        writeln!(out, "    title {}", quote(name)).unwrap();
    }
    out.push_str("    include *\n");
    let nested = keys
        .tiers
        .iter()
        .chain(nesting.loose.groups.iter().map(|&g| &keys.groups[g]));
    for key in nested {
        writeln!(out, "    include {key}.**").unwrap();
    }
    out.push_str("  }\n}\n");
}

/// Words of LikeC4's grammar (its keywords, colours, shapes and sizes, which may stand
/// where a name does), `this` and `it`, and the kind `tier`, in lower case.
#[rustfmt::skip]
const RESERVED: [&str; 142] = [
    "alt", "amber", "and", "autolayout", "blue", "border", "bottom", "bottomtop", "break",
    "browser", "bucket", "catch", "color", "component", "crow", "cylinder", "dashed",
    "deployment", "deploymentnode", "description", "diagram", "diamond", "document", "dot",
    "dotted", "dynamic", "dynamicpredicategroup", "element", "else", "exclude", "extend",
    "extends", "finally", "from", "global", "gray", "green", "group", "head", "icon",
    "iconcolor", "iconposition", "icons", "iconsize", "if", "import", "include",
    "includeancestors", "indigo", "instance", "instanceof", "is", "it", "kind", "large", "left",
    "leftright", "lg", "likec4lib", "line", "link", "loop", "max", "md", "medium", "metadata",
    "min", "mobile", "model", "multiple", "muted", "navigateto", "node", "none", "normal",
    "not", "notation", "notes", "odiamond", "odot", "of", "onormal", "opacity", "open", "opt",
    "or", "order", "padding", "par", "parallel", "person", "predicate", "predicategroup",
    "primary", "queue", "rank", "rectangle", "red", "relationship", "rgb", "rgba", "right",
    "rightleft", "same", "secondary", "sequence", "shape", "sink", "size", "sky", "slate", "sm",
    "small", "solid", "source", "specification", "storage", "style", "stylegroup", "summary",
    "tag", "tail", "target", "technology", "textsize", "this", "tier", "title", "top",
    "topbottom", "try", "variant", "vee", "view", "views", "when", "where", "with", "xl",
    "xlarge", "xs", "xsmall",
];

/// LikeC4 names start with a letter after any underscores: `_` becomes `e_`.
fn legal_name(id: &str) -> String {
    match id
        .trim_start_matches('_')
        .starts_with(|c: char| c.is_ascii_alphabetic())
    {
        true => id.to_string(),
        false => format!("e{id}"),
    }
}

/// A LikeC4 string: backslash and quote escaped, line breaks as `\n`.
fn quote(text: &str) -> String {
    super::double_quoted(text, |c| match c {
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_start_with_a_letter_after_any_underscores() {
        assert_eq!(legal_name("_"), "e_");
        assert_eq!(legal_name("__2"), "e__2");
        assert_eq!(legal_name("_api"), "_api");
    }

    #[test]
    fn quoting_escapes_what_likec4_would_read() {
        assert_eq!(quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
    }
}
