//! The design graph as a Mermaid flowchart (mermaid.js.org), which GitHub, GitLab and most
//! wikis draw inline: tiers and groups as nested subgraphs, each component a node whose
//! shape stands for its kind and whose class is named after it (so the kind survives in
//! the file and in the drawing), the technology on a second line, asynchronous flows
//! dotted.
//!
//! Mermaid's lexer reads some words as keywords wherever a node id may stand (`end`,
//! `subgraph`, `class`, `style`, `click`…) and subgraphs share the nodes' namespace, so
//! every tier, group and component gets a key from `outline::Keys`. Every label is a
//! double-quoted string in which Mermaid's entity escapes stand for what it would read:
//! `#quot;` for a quote, `#35;` for `#` (which starts an escape), `#lt;`, `#gt;` and
//! `#amp;` (labels are HTML), `#96;` for a backtick (which starts Markdown), and line
//! breaks as `<br>`.

use super::caption;
use super::outline::{Keys, Members, Nesting};
use crate::model::{ComponentId, Design, Kind};
use crate::syntax::ast::FlowMode;
use std::fmt::Write;

/// Mermaid's default `maxEdges`: a chart with more edges is not drawn.
pub const MAX_EDGES: usize = 500;

pub fn to_mermaid(design: &Design) -> String {
    let writer = Writer {
        design,
        keys: Keys::new(design, &RESERVED, str::to_string),
        nesting: Nesting::new(design),
    };
    let mut out = String::from("flowchart TB\n");
    if let Some(name) = &design.system.name {
        // A comment ends at the line's end; the space keeps `%%{` (a directive) from forming.
        writeln!(out, "  %% {}", name.replace(['\n', '\r'], " ")).unwrap();
    }
    for (tier_index, tier) in design.tiers.iter().enumerate() {
        let key = &writer.keys.tiers[tier_index];
        let members = &writer.nesting.in_tier[tier_index];
        writer.write_subgraph(&mut out, key, &tier.title, members, 1);
    }
    writer.write_members(&mut out, &writer.nesting.loose, 1);
    for flow in &design.flows {
        let arrow = match flow.mode {
            FlowMode::Sync => "-->",
            FlowMode::Async => "-.->",
        };
        let from = &writer.keys.components[flow.from];
        let to = &writer.keys.components[flow.to];
        match &flow.label {
            Some(label) => writeln!(out, "  {from} {arrow}|{}| {to}", quote(label)),
            None => writeln!(out, "  {from} {arrow} {to}"),
        }
        .unwrap();
    }
    out
}

struct Writer<'a> {
    design: &'a Design,
    keys: Keys,
    nesting: Nesting,
}

impl Writer<'_> {
    fn write_subgraph(
        &self,
        out: &mut String,
        key: &str,
        title: &str,
        members: &Members,
        depth: usize,
    ) {
        let indent = "  ".repeat(depth);
        writeln!(out, "{indent}subgraph {key}[{}]", quote(title)).unwrap();
        self.write_members(out, members, depth + 1);
        writeln!(out, "{indent}end").unwrap();
    }

    fn write_members(&self, out: &mut String, members: &Members, depth: usize) {
        for &group in &members.groups {
            let key = &self.keys.groups[group];
            let title = &self.design.groups[group].title;
            self.write_subgraph(out, key, title, &self.nesting.in_group[group], depth);
        }
        for &id in &members.components {
            self.write_component(out, id, depth);
        }
    }

    fn write_component(&self, out: &mut String, id: ComponentId, depth: usize) {
        let component = &self.design.components[id];
        let (open, close) = shape(component.kind);
        writeln!(
            out,
            "{}{}{open}{}{close}:::{}",
            "  ".repeat(depth),
            self.keys.components[id],
            quote(&caption(component)),
            component.kind.name()
        )
        .unwrap();
    }
}

/// The brackets of the Mermaid node shape closest to how strata draws the kind.
fn shape(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Client => ("([", "])"),
        Kind::Dns => ("((", "))"),
        Kind::Cdn | Kind::External => (">", "]"),
        Kind::Waf | Kind::LoadBalancer | Kind::Gateway => ("{{", "}}"),
        Kind::Database | Kind::Search | Kind::ObjectStorage => ("[(", ")]"),
        Kind::Queue | Kind::Stream => ("[/", "/]"),
        Kind::Cache => ("[[", "]]"),
        Kind::SecretStore | Kind::ConfigStore => ("[/", "\\]"),
        Kind::Logging => ("[\\", "\\]"),
        Kind::Worker => ("(", ")"),
        Kind::Service
        | Kind::Auth
        | Kind::Metrics
        | Kind::Tracing
        | Kind::Alerting
        | Kind::Component => ("[", "]"),
    }
}

/// Words Mermaid's flowchart lexer reads as keywords where a node id may stand, in lower
/// case (the lexer minds case, the keys are kept off every spelling); those with a hyphen
/// cannot be strata ids.
const RESERVED: [&str; 27] = [
    "end",
    "subgraph",
    "graph",
    "flowchart",
    "direction",
    "style",
    "linkstyle",
    "classdef",
    "class",
    "click",
    "call",
    "href",
    "default",
    "interpolate",
    "acctitle",
    "accdescr",
    "_self",
    "_blank",
    "_parent",
    "_top",
    "v",
    "tb",
    "bt",
    "rl",
    "lr",
    "td",
    "br",
];

/// A Mermaid double-quoted label; an empty one holds a space, since `""` is no string.
fn quote(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("#quot;"),
            '#' => quoted.push_str("#35;"),
            '<' => quoted.push_str("#lt;"),
            '>' => quoted.push_str("#gt;"),
            '&' => quoted.push_str("#amp;"),
            '`' => quoted.push_str("#96;"),
            '\n' => quoted.push_str("<br>"),
            '\r' => {}
            _ => quoted.push(c),
        }
    }
    if quoted.len() == 1 {
        quoted.push(' ');
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_mermaid_would_read() {
        assert_eq!(
            quote("a \"b\" #quot; <i>&</i> `c`\r\nd"),
            "\"a #quot;b#quot; #35;quot; #lt;i#gt;#amp;#lt;/i#gt; #96;c#96;<br>d\""
        );
        assert_eq!(quote(""), "\" \"");
    }
}
