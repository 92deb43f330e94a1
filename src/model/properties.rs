//! Property names per declaration, and the conversion of written values into typed ones.

use crate::diagnostics::Diagnostic;
use crate::syntax::ast::{Property, Value, ValueKind};

pub const SYSTEM_PROPERTIES: [&str; 7] =
    ["sla", "p50", "p95", "p99", "dau", "peak_rps", "description"];
pub const COMPONENT_PROPERTIES: [&str; 10] = [
    "tech",
    "replicas",
    "region",
    "zones",
    "availability",
    "latency",
    "managed",
    "description",
    "tags",
    "features",
];
pub const FLOW_PROPERTIES: [&str; 5] = ["protocol", "latency", "optional", "description", "tags"];

/// A converted value, or the diagnostic saying why the written one is wrong.
type Converted<T> = Result<T, Box<Diagnostic>>;

fn invalid(property: &Property, message: String, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error("E105", message, property.value.span.clone())
            .with_label(format!(
                "`{}` takes {}",
                property.name.name,
                expectation(&property.name.name)
            ))
            .with_help(help),
    )
}

/// What a property expects, in words.
fn expectation(name: &str) -> &'static str {
    match name {
        "replicas" | "zones" => "a whole number of at least 1",
        "sla" | "availability" => "a percentage above 0% and at most 100%",
        "p50" | "p95" | "p99" | "latency" => "a duration such as 200ms or 1s",
        "dau" | "peak_rps" => "a whole number",
        "managed" | "optional" => "`true` or `false`",
        "tags" | "features" => "a list such as [a, b]",
        "protocol" => "a protocol name such as https or grpc",
        _ => "a string in quotes",
    }
}

pub fn text(property: &Property) -> Converted<String> {
    match &property.value.kind {
        ValueKind::Str(s) => Ok(s.value.clone()),
        other => Err(invalid(
            property,
            format!("expected a string, found {}", other.describe()),
            "write the text in double quotes",
        )),
    }
}

/// A protocol may be written bare (`https`) or quoted (`"HTTP/2"`).
pub fn protocol(property: &Property) -> Converted<String> {
    match &property.value.kind {
        ValueKind::Ident(name) => Ok(name.clone()),
        ValueKind::Str(s) => Ok(s.value.clone()),
        other => Err(invalid(
            property,
            format!("expected a protocol name, found {}", other.describe()),
            "write it as a name, e.g. `protocol grpc`",
        )),
    }
}

fn parse_number(raw: &str) -> Option<f64> {
    raw.replace('_', "").parse().ok()
}

pub fn count(property: &Property) -> Converted<u32> {
    let number = match &property.value.kind {
        ValueKind::Number(raw) => parse_number(raw),
        other => {
            return Err(invalid(
                property,
                format!("expected a number, found {}", other.describe()),
                "e.g. `replicas 3`",
            ))
        }
    };
    match number {
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(n as u32),
        Some(n) if n.fract() != 0.0 => Err(invalid(
            property,
            format!("`{}` must be a whole number", property.name.name),
            "instances come whole: write 2 or 3, not a fraction",
        )),
        _ => Err(invalid(
            property,
            format!("`{}` must be at least 1", property.name.name),
            "a component runs at least one instance; write the number of instances, e.g. 2",
        )),
    }
}

pub fn whole_number(property: &Property) -> Converted<u64> {
    let number = match &property.value.kind {
        ValueKind::Number(raw) => parse_number(raw),
        other => {
            return Err(invalid(
                property,
                format!("expected a number, found {}", other.describe()),
                "e.g. `dau 10_000_000`",
            ))
        }
    };
    match number {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 1e18 => Ok(n as u64),
        _ => Err(invalid(
            property,
            format!(
                "`{}` must be a whole number, not negative",
                property.name.name
            ),
            "e.g. `dau 10_000_000`",
        )),
    }
}

/// A percentage as a fraction: `99.95%` → 0.9995.
pub fn fraction(property: &Property) -> Converted<f64> {
    let percent = match &property.value.kind {
        ValueKind::Percent(raw) => parse_number(raw.trim_end_matches('%')),
        other => {
            return Err(invalid(
                property,
                format!("expected a percentage, found {}", other.describe()),
                "write it as a percentage, e.g. 99.95%",
            ))
        }
    };
    match percent {
        Some(p) if p > 0.0 && p <= 100.0 => Ok(p / 100.0),
        _ => Err(invalid(
            property,
            format!(
                "`{}` of {} is out of range",
                property.name.name,
                source_text(&property.value)
            ),
            "availability is above 0% and at most 100%, e.g. 99.95%",
        )),
    }
}

/// A duration in milliseconds.
pub fn duration(property: &Property) -> Converted<f64> {
    let ValueKind::Duration(raw) = &property.value.kind else {
        return Err(invalid(
            property,
            format!(
                "expected a duration, found {}",
                property.value.kind.describe()
            ),
            "write a number with its unit: ms, s, m or h, e.g. 200ms",
        ));
    };
    let (number, unit_ms) = if let Some(n) = raw.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1_000.0)
    } else if let Some(n) = raw.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        (raw.trim_end_matches('h'), 3_600_000.0)
    };
    match parse_number(number) {
        Some(n) if n >= 0.0 => Ok(n * unit_ms),
        _ => Err(invalid(
            property,
            "a duration cannot be negative".to_string(),
            "e.g. 200ms",
        )),
    }
}

pub fn boolean(property: &Property) -> Converted<bool> {
    match &property.value.kind {
        ValueKind::Ident(word) if word == "true" => Ok(true),
        ValueKind::Ident(word) if word == "false" => Ok(false),
        _ => Err(invalid(
            property,
            format!(
                "expected `true` or `false`, found {}",
                property.value.kind.describe()
            ),
            "e.g. `managed true` for a provider-run service",
        )),
    }
}

/// A list of names or strings: `[a, "b c"]`.
pub fn names(property: &Property) -> Converted<Vec<String>> {
    let ValueKind::List(values) = &property.value.kind else {
        return Err(invalid(
            property,
            format!("expected a list, found {}", property.value.kind.describe()),
            "write a list in brackets, e.g. [auth, rate_limit]",
        ));
    };
    values
        .iter()
        .map(|value| match &value.kind {
            ValueKind::Ident(name) => Ok(name.clone()),
            ValueKind::Str(s) => Ok(s.value.clone()),
            other => Err(Box::new(
                Diagnostic::error(
                    "E105",
                    format!("expected a name or a string, found {}", other.describe()),
                    value.span.clone(),
                )
                .with_label("list items are names or strings")
                .with_help("e.g. [auth, \"rate limit\"]"),
            )),
        })
        .collect()
}

fn source_text(value: &Value) -> String {
    match &value.kind {
        ValueKind::Number(raw) | ValueKind::Percent(raw) | ValueKind::Duration(raw) => raw.clone(),
        ValueKind::Ident(name) => name.clone(),
        ValueKind::Str(s) => s.raw.clone(),
        ValueKind::List(_) => "a list".to_string(),
    }
}
