//! The design graph as Graphviz DOT, tiers as clusters and groups as nested clusters, so
//! anyone can lay out the same design with `dot` and compare.

use crate::model::{ComponentId, Design, GroupId, Kind};
use crate::syntax::ast::FlowMode;
use std::fmt::Write;

pub fn to_dot(design: &Design) -> String {
    let mut out = String::new();
    let name = design.system.name.as_deref().unwrap_or("design");
    writeln!(out, "digraph {} {{", quote(name)).unwrap();
    out.push_str("  graph [rankdir=TB, compound=true, fontname=\"Helvetica\", newrank=true];\n");
    out.push_str("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (tier_index, tier) in design.tiers.iter().enumerate() {
        writeln!(
            out,
            "  subgraph {} {{",
            quote(&format!("cluster_{}", tier.id))
        )
        .unwrap();
        writeln!(out, "    label={};", quote(&tier.title)).unwrap();
        let top_groups = design
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.tier == Some(tier_index) && g.parent.is_none())
            .map(|(id, _)| id);
        for group in top_groups {
            write_group(&mut out, design, group, 2);
        }
        for &component in &tier.components {
            if design.components[component].group.is_none() {
                write_node(&mut out, design, component, 2);
            }
        }
        out.push_str("  }\n");
    }
    let loose_groups = design
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.tier.is_none() && g.parent.is_none())
        .map(|(id, _)| id);
    for group in loose_groups {
        write_group(&mut out, design, group, 1);
    }
    for (id, component) in design.components.iter().enumerate() {
        if component.tier.is_none() && component.group.is_none() {
            write_node(&mut out, design, id, 1);
        }
    }
    for flow in &design.flows {
        let mut attributes = Vec::new();
        if let Some(label) = &flow.label {
            attributes.push(format!("label={}", quote(label)));
        }
        if flow.mode == FlowMode::Async {
            attributes.push("style=dashed".to_string());
        }
        write!(
            out,
            "  {} -> {}",
            quote(&design.components[flow.from].id),
            quote(&design.components[flow.to].id)
        )
        .unwrap();
        if !attributes.is_empty() {
            write!(out, " [{}]", attributes.join(", ")).unwrap();
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}

fn write_group(out: &mut String, design: &Design, group: GroupId, depth: usize) {
    let indent = "  ".repeat(depth);
    let g = &design.groups[group];
    writeln!(
        out,
        "{indent}subgraph {} {{",
        quote(&format!("cluster_{}", g.id))
    )
    .unwrap();
    writeln!(out, "{indent}  label={};", quote(&g.title)).unwrap();
    let children = design
        .groups
        .iter()
        .enumerate()
        .filter(|(_, child)| child.parent == Some(group))
        .map(|(id, _)| id);
    for child in children {
        write_group(out, design, child, depth + 1);
    }
    for &component in &g.components {
        if design.components[component].group == Some(group) {
            write_node(out, design, component, depth + 1);
        }
    }
    writeln!(out, "{indent}}}").unwrap();
}

fn write_node(out: &mut String, design: &Design, id: ComponentId, depth: usize) {
    let component = &design.components[id];
    let mut label = component.label.clone();
    if let Some(tech) = &component.tech {
        label.push('\n');
        label.push_str(tech);
    }
    writeln!(
        out,
        "{}{} [label={}, shape={}];",
        "  ".repeat(depth),
        quote(&component.id),
        quote(&label),
        shape(component.kind)
    )
    .unwrap();
}

fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Database | Kind::Search | Kind::ObjectStorage => "cylinder",
        Kind::Queue | Kind::Stream => "cds",
        Kind::Client => "component",
        Kind::Cache => "box3d",
        Kind::Cdn | Kind::External | Kind::Dns => "ellipse",
        Kind::LoadBalancer | Kind::Gateway | Kind::Waf => "hexagon",
        Kind::SecretStore => "octagon",
        Kind::ConfigStore => "note",
        _ => "box",
    }
}

/// A DOT string literal; a newline becomes DOT's centred line break.
fn quote(text: &str) -> String {
    super::double_quoted(text, |c| match c {
        '\n' => Some("\\n"),
        _ => None,
    })
}
