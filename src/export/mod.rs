//! Exports of the design graph: JSON (a stable, documented schema), Graphviz DOT, D2,
//! Mermaid, PlantUML, Structurizr DSL and LikeC4.

use crate::model::Component;

pub mod d2;
pub mod dot;
pub mod json;
pub mod likec4;
pub mod mermaid;
mod outline;
pub mod plantuml;
pub mod structurizr;

/// A fraction as a percentage with no floating-point noise: 0.9995 → 99.95.
pub(crate) fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e6).round() / 1e6
}

/// A component's label with its technology, if any, on a second line.
pub(crate) fn caption(component: &Component) -> String {
    match &component.tech {
        Some(tech) => format!("{}\n{tech}", component.label),
        None => component.label.clone(),
    }
}

/// `text` as a double-quoted string: `"` and `\` escaped with a backslash, and each
/// character for which `escape` gives the target's own spelling spelled that way.
pub(crate) fn double_quoted(text: &str, escape: fn(char) -> Option<&'static str>) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match (c, escape(c)) {
            ('"', _) => quoted.push_str("\\\""),
            ('\\', _) => quoted.push_str("\\\\"),
            (_, Some(written)) => quoted.push_str(written),
            (c, None) => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
