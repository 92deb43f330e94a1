//! The design graph as D2 (d2lang.com): tiers and groups as nested containers, each kind a
//! D2 class that gives its shape, so the kind survives in the file and shapes are declared
//! once; asynchronous flows dashed.
//!
//! D2 keys are case-insensitive and some names (`shape`, `label`, `style`, `near`, `_`…)
//! are keywords even where a container is expected, so each tier, group and component gets
//! a key from `outline::Keys`, unique without regard to case and no keyword. Every label is a
//! double-quoted string with D2's escapes, `$` included (it would start a substitution).

use super::caption;
use super::outline::{Keys, Members, Nesting};
use crate::model::{ComponentId, Design, Kind};
use crate::syntax::ast::FlowMode;
use rustc_hash::FxHashSet;
use std::fmt::Write;

pub fn to_d2(design: &Design) -> String {
    let keys = Keys::new(design, &RESERVED, str::to_string);
    let nesting = Nesting::new(design);
    let mut out = String::new();
    if let Some(name) = &design.system.name {
        // A comment ends at the line's end, so the name is kept on one line.
        writeln!(out, "# {}", name.replace(['\n', '\r'], " ")).unwrap();
    }
    out.push_str("direction: down\n");
    write_classes(&mut out, design);
    for (tier_index, tier) in design.tiers.iter().enumerate() {
        writeln!(out, "{}: {} {{", keys.tiers[tier_index], quote(&tier.title)).unwrap();
        let members = &nesting.in_tier[tier_index];
        write_members(&mut out, design, &keys, &nesting, members, 1);
        out.push_str("}\n");
    }
    write_members(&mut out, design, &keys, &nesting, &nesting.loose, 0);
    for flow in &design.flows {
        write!(
            out,
            "{} -> {}",
            keys.path(design, flow.from),
            keys.path(design, flow.to)
        )
        .unwrap();
        match (&flow.label, flow.mode) {
            (None, FlowMode::Sync) => {}
            (Some(label), FlowMode::Sync) => write!(out, ": {}", quote(label)).unwrap(),
            (None, FlowMode::Async) => out.push_str(": {style.stroke-dash: 3}"),
            (Some(label), FlowMode::Async) => {
                write!(out, ": {} {{style.stroke-dash: 3}}", quote(label)).unwrap()
            }
        }
        out.push('\n');
    }
    out
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
        writeln!(out, "{indent}{}: {title} {{", keys.groups[group]).unwrap();
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
    let mut fields = vec![format!("class: {}", component.kind.name())];
    if component.replicas > 1 {
        // D2 draws a shape with `multiple` as a stack of copies.
        fields.push("style.multiple: true".to_string());
    }
    let details = details(design, id);
    if !details.is_empty() {
        fields.push(format!("tooltip: {}", quote(&details.join("\n"))));
    }
    writeln!(
        out,
        "{indent}{}: {} {{{}}}",
        keys.components[id],
        quote(&caption(component)),
        fields.join("; ")
    )
    .unwrap();
}

/// What the drawing cannot show of a component, for its tooltip.
fn details(design: &Design, id: ComponentId) -> Vec<String> {
    let component = &design.components[id];
    let mut details = Vec::new();
    if component.replicas > 1 {
        details.push(format!("{} replicas", component.replicas));
    }
    if component.managed {
        details.push("managed".to_string());
    }
    if let Some(region) = &component.region {
        details.push(format!("region {region}"));
    }
    if let Some(description) = &component.description {
        details.push(description.clone());
    }
    details
}

/// One class per kind the design uses, in the kinds' order, holding its shape.
fn write_classes(out: &mut String, design: &Design) {
    let used: FxHashSet<Kind> = design.components.iter().map(|c| c.kind).collect();
    if used.is_empty() {
        return;
    }
    out.push_str("classes: {\n");
    for kind in Kind::ALL.into_iter().filter(|kind| used.contains(kind)) {
        writeln!(out, "  {}: {{{}}}", kind.name(), shape(kind)).unwrap();
    }
    out.push_str("}\n");
}

/// The D2 shape (and style) closest to how strata draws the kind.
fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "shape: person",
        Kind::Dns => "shape: oval",
        Kind::Cdn | Kind::External => "shape: cloud",
        Kind::Waf | Kind::LoadBalancer | Kind::Gateway => "shape: hexagon",
        Kind::Database | Kind::Search | Kind::ObjectStorage => "shape: cylinder",
        Kind::Queue | Kind::Stream => "shape: queue",
        Kind::Cache => "shape: rectangle; style.3d: true",
        Kind::SecretStore => "shape: package",
        Kind::ConfigStore => "shape: page",
        Kind::Logging => "shape: document",
        Kind::Service
        | Kind::Auth
        | Kind::Worker
        | Kind::Metrics
        | Kind::Tracing
        | Kind::Alerting
        | Kind::Component => "shape: rectangle",
    }
}

/// Names D2 reads as keywords wherever a key may stand (d2ast's reserved keywords and `_`,
/// the parent container), in lower case; those with a hyphen or a leading digit cannot be
/// strata ids.
const RESERVED: [&str; 31] = [
    "_",
    "label",
    "shape",
    "icon",
    "constraint",
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
    "opacity",
    "stroke",
    "fill",
    "font",
    "bold",
    "italic",
    "underline",
    "shadow",
    "multiple",
    "animated",
    "filled",
];

/// A D2 double-quoted string: backslash, quote and `$` escaped, line breaks as `\n`.
fn quote(text: &str) -> String {
    super::double_quoted(text, |c| match c {
        '$' => Some("\\$"),
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
    fn quoting_escapes_what_d2_would_read() {
        assert_eq!(quote("a \"b\" \\ ${c}\nd"), r#""a \"b\" \\ \${c}\nd""#);
    }
}
