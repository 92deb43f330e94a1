//! The design graph as a PlantUML component diagram (plantuml.com): tiers as packages,
//! groups as rectangles inside them, each component the PlantUML element closest to its
//! kind (`database`, `queue`, `actor`, `cloud`…) with the kind as its stereotype, the
//! technology on a second line, asynchronous flows dashed.
//!
//! PlantUML reads its element and command words (`component`, `database`, `note`, `left`…)
//! without regard to case, so every tier, group and component gets an alias from
//! `outline::Keys` kept off them. Labels are double-quoted display strings (flow labels
//! follow a colon) written with PlantUML's `<U+XXXX>` escapes for what it would read: the
//! quote, the backslash, `<` `>` `&` (Creole's HTML and entities; a flow label ending in `>`
//! would also turn into an arrowhead), Creole's `~ [ ] ^ | %` and `$`, and the markup
//! characters `* / - _ = # '` where they double up or begin a line.

use super::caption;
use super::outline::{Keys, Members, Nesting};
use crate::model::{ComponentId, Design, Kind};
use crate::syntax::ast::FlowMode;
use std::fmt::Write;

pub fn to_plantuml(design: &Design) -> String {
    let writer = Writer {
        design,
        keys: Keys::new(design, &RESERVED, str::to_string),
        nesting: Nesting::new(design),
    };
    let mut out = String::from("@startuml\n");
    if let Some(name) = &design.system.name {
        // A comment ends at the line's end, so the name is kept on one line.
        writeln!(out, "' {}", name.replace(['\n', '\r'], " ")).unwrap();
    }
    for (tier_index, tier) in design.tiers.iter().enumerate() {
        let key = &writer.keys.tiers[tier_index];
        let members = &writer.nesting.in_tier[tier_index];
        writer.write_container(&mut out, "package", key, &tier.title, members, 0);
    }
    writer.write_members(&mut out, &writer.nesting.loose, 0);
    for flow in &design.flows {
        let arrow = match flow.mode {
            FlowMode::Sync => "-->",
            FlowMode::Async => "..>",
        };
        let from = &writer.keys.components[flow.from];
        let to = &writer.keys.components[flow.to];
        write!(out, "{from} {arrow} {to}").unwrap();
        // PlantUML takes no empty label after the colon.
        if let Some(label) = flow.label.as_ref().filter(|label| !label.is_empty()) {
            write!(out, " : {}", escape(label)).unwrap();
        }
        out.push('\n');
    }
    out.push_str("@enduml\n");
    out
}

struct Writer<'a> {
    design: &'a Design,
    keys: Keys,
    nesting: Nesting,
}

impl Writer<'_> {
    fn write_container(
        &self,
        out: &mut String,
        element: &str,
        key: &str,
        title: &str,
        members: &Members,
        depth: usize,
    ) {
        let indent = "  ".repeat(depth);
        writeln!(out, "{indent}{element} {} as {key} {{", display(title)).unwrap();
        self.write_members(out, members, depth + 1);
        writeln!(out, "{indent}}}").unwrap();
    }

    fn write_members(&self, out: &mut String, members: &Members, depth: usize) {
        for &group in &members.groups {
            let key = &self.keys.groups[group];
            let title = &self.design.groups[group].title;
            let inner = &self.nesting.in_group[group];
            self.write_container(out, "rectangle", key, title, inner, depth);
        }
        for &id in &members.components {
            self.write_component(out, id, depth);
        }
    }

    fn write_component(&self, out: &mut String, id: ComponentId, depth: usize) {
        let component = &self.design.components[id];
        writeln!(
            out,
            "{}{} {} <<{}>> as {}",
            "  ".repeat(depth),
            element(component.kind),
            display(&caption(component)),
            component.kind.name(),
            self.keys.components[id]
        )
        .unwrap();
    }
}

/// The PlantUML element closest to how strata draws the kind; each is in PlantUML releases
/// as old as Debian's (1.2020), which has no `hexagon` or `person`.
fn element(kind: Kind) -> &'static str {
    match kind {
        Kind::Client => "actor",
        Kind::Dns => "usecase",
        Kind::Cdn | Kind::External => "cloud",
        Kind::Waf => "boundary",
        Kind::LoadBalancer | Kind::Gateway => "node",
        Kind::Database | Kind::Search => "database",
        Kind::ObjectStorage => "storage",
        Kind::Queue | Kind::Stream => "queue",
        Kind::Cache => "stack",
        Kind::SecretStore => "artifact",
        Kind::ConfigStore => "file",
        Kind::Logging => "collections",
        Kind::Worker => "agent",
        Kind::Service
        | Kind::Auth
        | Kind::Metrics
        | Kind::Tracing
        | Kind::Alerting
        | Kind::Component => "component",
    }
}

/// Words PlantUML reads as elements, commands or directions where an alias may stand, in
/// lower case.
const RESERVED: [&str; 58] = [
    "abstract",
    "action",
    "actor",
    "agent",
    "allowmixing",
    "annotation",
    "artifact",
    "as",
    "boundary",
    "bottom",
    "caption",
    "card",
    "circle",
    "class",
    "cloud",
    "collections",
    "component",
    "control",
    "database",
    "down",
    "end",
    "endlegend",
    "entity",
    "enum",
    "file",
    "folder",
    "footer",
    "frame",
    "header",
    "hexagon",
    "hide",
    "interface",
    "json",
    "label",
    "left",
    "legend",
    "map",
    "namespace",
    "node",
    "note",
    "object",
    "of",
    "on",
    "package",
    "person",
    "queue",
    "rectangle",
    "remove",
    "right",
    "scale",
    "show",
    "skinparam",
    "stack",
    "storage",
    "title",
    "together",
    "up",
    "usecase",
];

/// Characters PlantUML reads anywhere in a label.
const ALWAYS_ESCAPED: &str = "\"\\<>&~[]^|%$";
/// Creole markup characters, which mark up text when doubled (`**bold**`, `--strike--`)
/// or at a line's start (`* item`, `= heading`, `# item`, `'` comment).
const MARKUP: &str = "*/-_=#'";

/// A double-quoted display string; an empty one holds a space, since PlantUML refuses `""`.
fn display(text: &str) -> String {
    match escape(text) {
        escaped if escaped.is_empty() => "\" \"".to_string(),
        escaped => format!("\"{escaped}\""),
    }
}

/// A label as PlantUML shows it verbatim, for a display string or after a flow's colon.
fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|&c| c != '\r').collect();
    let mut escaped = String::new();
    for (index, &c) in chars.iter().enumerate() {
        let line_start = index == 0 || chars[index - 1] == '\n';
        let doubled = (index > 0 && chars[index - 1] == c) || chars.get(index + 1) == Some(&c);
        match c {
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            _ if ALWAYS_ESCAPED.contains(c) || MARKUP.contains(c) && (line_start || doubled) => {
                write!(escaped, "<U+{:04X}>", u32::from(c)).unwrap()
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_plain_text_and_escapes_what_plantuml_would_read() {
        assert_eq!(
            escape("Orders API v2.1 (eu-west-1) / read: 5"),
            "Orders API v2.1 (eu-west-1) / read: 5"
        );
        assert_eq!(
            escape("\"a\" \\n <b>&</b> $x"),
            "<U+0022>a<U+0022> <U+005C>n <U+003C>b<U+003E><U+0026><U+003C>/b<U+003E> <U+0024>x"
        );
        assert_eq!(
            escape("**b** --s-- x\r\n* y\t'z"),
            "<U+002A><U+002A>b<U+002A><U+002A> <U+002D><U+002D>s<U+002D><U+002D> x\\n<U+002A> y\\t'z"
        );
        assert_eq!(escape("'c"), "<U+0027>c");
        assert_eq!(display(""), "\" \"");
    }
}
