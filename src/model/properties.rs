//! Property names per declaration, and the conversion of written values into typed ones.

use super::suggest::closest;
use super::{Access, CacheRole, Compliance, Consistency, Failover, Replication, SystemType};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{Property, Value, ValueKind};
use crate::syntax::lexer::written_number;

pub const SYSTEM_PROPERTIES: [&str; 14] = [
    "sla",
    "p50",
    "p95",
    "p99",
    "dau",
    "actions_per_user",
    "peak_rps",
    "peak_factor",
    "design_factor",
    "description",
    "type",
    "compliance",
    "rpo",
    "rto",
];
pub const COMPONENT_PROPERTIES: [&str; 30] = [
    "tech",
    "replicas",
    "region",
    "zones",
    "standby",
    "availability",
    "latency",
    "managed",
    "description",
    "tags",
    "features",
    "role",
    "replication",
    "failover",
    "backup",
    "rpo",
    "rto",
    "encrypted",
    "persistence",
    "dead_letter",
    "consistency",
    "capacity",
    "hit_ratio",
    "instance",
    "record_size",
    "write_rate",
    "growth_per_day",
    "retention",
    "storage_class",
    "egress_per_month",
];

/// Properties that say how a data store or broker keeps and recovers its data.
pub const RECOVERY_PROPERTIES: [&str; 5] = ["replication", "failover", "backup", "rpo", "rto"];
pub const FLOW_PROPERTIES: [&str; 11] = [
    "protocol",
    "latency",
    "optional",
    "every_request",
    "description",
    "tags",
    "timeout",
    "retries",
    "circuit_breaker",
    "access",
    "share",
];
pub const JOURNEY_PROPERTIES: [&str; 11] = [
    "sla",
    "p50",
    "p95",
    "p99",
    "description",
    "consistency",
    "dau",
    "actions_per_user",
    "peak_rps",
    "peak_factor",
    "design_factor",
];

const BOOLEANS: [(&str, bool); 2] = [("true", true), ("false", false)];
const CACHE_ROLES: [(&str, CacheRole); 2] = [
    ("store", CacheRole::Store),
    ("lookaside", CacheRole::LookAside),
];
const REPLICATIONS: [(&str, Replication); 2] =
    [("sync", Replication::Sync), ("async", Replication::Async)];
const FAILOVERS: [(&str, Failover); 2] = [
    ("automatic", Failover::Automatic),
    ("manual", Failover::Manual),
];
const CONSISTENCIES: [(&str, Consistency); 3] = [
    ("saga", Consistency::Saga),
    ("outbox", Consistency::Outbox),
    ("two_phase_commit", Consistency::TwoPhaseCommit),
];
const ACCESSES: [(&str, Access); 3] = [
    ("read", Access::Read),
    ("write", Access::Write),
    ("read_write", Access::ReadWrite),
];

/// The words a property takes as its value (`managed` takes `true` or `false`); none for
/// one that takes numbers, durations, text or names of the writer's own.
pub fn value_words(property: &str) -> Vec<&'static str> {
    fn words<T, const N: usize>(table: [(&'static str, T); N]) -> Vec<&'static str> {
        table.into_iter().map(|(word, _)| word).collect()
    }
    match property {
        "managed" | "optional" | "every_request" | "encrypted" | "persistence" | "dead_letter"
        | "circuit_breaker" | "backup" => words(BOOLEANS),
        "role" => words(CACHE_ROLES),
        "replication" => words(REPLICATIONS),
        "failover" | "standby" => words(FAILOVERS),
        "consistency" => words(CONSISTENCIES),
        "access" => words(ACCESSES),
        "type" => SystemType::ALL.map(SystemType::name).to_vec(),
        "compliance" => Compliance::ALL.map(Compliance::name).to_vec(),
        _ => Vec::new(),
    }
}

/// A converted value, or the diagnostic saying why the written one is wrong.
pub(super) type Converted<T> = Result<T, Box<Diagnostic>>;

pub(super) fn invalid(property: &Property, message: String, help: &str) -> Box<Diagnostic> {
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
fn expectation(name: &str) -> String {
    let whole =
        |(min, max): (u64, u64)| format!("a whole number from {min} to {}", written_number(max));
    let fixed = match name {
        "replicas" => return whole(COUNT_RANGE),
        "zones" => return whole(ZONE_RANGE),
        "retries" => return whole(RETRY_RANGE),
        "dau" | "peak_rps" => return whole(WHOLE_NUMBER_RANGE),
        "sla" | "availability" => "a percentage above 0% and at most 100%",
        "p50" | "p95" | "p99" | "latency" => "a duration such as 200ms or 1s",
        "retention" => "a duration such as 30d or 365d",
        "capacity" | "write_rate" => "a rate such as 2000rps",
        "record_size" | "growth_per_day" | "egress_per_month" => "a size such as 100B, 1KB or 20GB",
        "share" | "hit_ratio" => "a percentage from 0% to 100%",
        "actions_per_user" => "a number above 0",
        "peak_factor" | "design_factor" => "a number of at least 1",
        "instance" => "an instance type in quotes, such as \"c6g.large\"",
        "storage_class" => "a storage class of the price table, such as gp3",
        "rpo" | "rto" => "a duration such as 30s, 15m or 4h",
        "timeout" => "a duration longer than 0, such as 500ms or 2s",
        "type" => "a kind of system such as ecommerce, banking or internal",
        "compliance" => "a list of regimes such as [hipaa, gdpr]",
        _ if !value_words(name).is_empty() => return alternatives(&value_words(name)),
        "tags" | "features" => "a list such as [a, b]",
        "protocol" => "a protocol name such as https or grpc",
        _ => "a string in quotes",
    };
    fixed.to_string()
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
    bare_or_quoted(
        property,
        "a protocol name",
        "write it as a name, e.g. `protocol grpc`",
    )
}

/// A name written bare or quoted; `what` was expected, and `help` shows it.
pub fn bare_or_quoted(property: &Property, what: &str, help: &str) -> Converted<String> {
    match &property.value.kind {
        ValueKind::Ident(name) => Ok(name.clone()),
        ValueKind::Str(s) => Ok(s.value.clone()),
        other => Err(invalid(
            property,
            format!("expected {what}, found {}", other.describe()),
            help,
        )),
    }
}

fn parse_number(raw: &str) -> Option<f64> {
    raw.replace('_', "").parse().ok()
}

/// Instances: at least one, at most what a `u32` holds.
const COUNT_RANGE: (u64, u64) = (1, u32::MAX as u64);
/// Zones are named by letter, a to z.
const ZONE_RANGE: (u64, u64) = (1, 26);
/// Daily users and requests per second: any whole number a `u64` holds.
const WHOLE_NUMBER_RANGE: (u64, u64) = (0, u64::MAX);

/// Help for a value that is not a number, not whole, or under the minimum.
struct WholeHelp {
    not_a_number: &'static str,
    fraction: &'static str,
    below: &'static str,
}

pub fn count(property: &Property) -> Converted<u32> {
    let help = WholeHelp {
        not_a_number: "e.g. `replicas 3`",
        fraction: "instances come whole: write 2 or 3, not a fraction",
        below: "a component runs at least one instance; write the number of instances, e.g. 2",
    };
    let n = whole_in_range(property, COUNT_RANGE, &help)?;
    Ok(u32::try_from(n).expect("COUNT_RANGE ends at u32::MAX"))
}

/// How many zones of its region a component's instances are spread over.
pub fn zones(property: &Property) -> Converted<u32> {
    let help = WholeHelp {
        not_a_number: "e.g. `zones 3`",
        fraction: "zones come whole: write 2 or 3, not a fraction",
        below: "a component runs in at least one zone; write how many its instances are spread over, e.g. 3",
    };
    let n = whole_in_range(property, ZONE_RANGE, &help)?;
    Ok(u32::try_from(n).expect("ZONE_RANGE ends at 26"))
}

pub fn whole_number(property: &Property) -> Converted<u64> {
    let example = "e.g. `dau 10_000_000`";
    let help = WholeHelp {
        not_a_number: example,
        fraction: example,
        below: example,
    };
    whole_in_range(property, WHOLE_NUMBER_RANGE, &help)
}

/// A whole number from `min` to `max`; the message says which way a wrong one misses.
fn whole_in_range(property: &Property, (min, max): (u64, u64), help: &WholeHelp) -> Converted<u64> {
    let name = &property.name.name;
    let ValueKind::Number(raw) = &property.value.kind else {
        return Err(invalid(
            property,
            format!(
                "expected a number, found {}",
                property.value.kind.describe()
            ),
            help.not_a_number,
        ));
    };
    match read_whole(raw) {
        Whole::Value(n) if n > max => Err(too_large(property, raw, max)),
        Whole::TooLarge => Err(too_large(property, raw, max)),
        Whole::Value(n) if n >= min => Ok(n),
        Whole::Fraction => Err(invalid(
            property,
            format!("`{name}` must be a whole number"),
            help.fraction,
        )),
        Whole::Negative if min == 0 => Err(invalid(
            property,
            format!("`{name}` cannot be negative"),
            help.below,
        )),
        Whole::Value(_) | Whole::Negative => Err(invalid(
            property,
            format!("`{name}` must be at least {min}"),
            help.below,
        )),
    }
}

fn too_large(property: &Property, raw: &str, max: u64) -> Box<Diagnostic> {
    invalid(
        property,
        format!("`{}` of {raw} is too large", property.name.name),
        &format!(
            "the largest `{}` strata accepts is {}",
            property.name.name,
            written_number(max)
        ),
    )
}

/// A number token's text read as a whole number.
enum Whole {
    Value(u64),
    Negative,
    Fraction,
    /// More than a `u64` holds.
    TooLarge,
}

/// Reads the digits exactly: through `f64`, numbers past 2^53 would round, and a number
/// past `u64::MAX` would be mistaken for a small or negative one.
fn read_whole(raw: &str) -> Whole {
    let digits = raw.replace('_', "");
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits.as_str()),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if fraction.bytes().any(|digit| digit != b'0') {
        return Whole::Fraction;
    }
    match integer.parse::<u64>() {
        Ok(0) => Whole::Value(0),
        Ok(_) if negative => Whole::Negative,
        Ok(n) => Whole::Value(n),
        Err(_) if negative => Whole::Negative,
        // The lexer gives digits only, so the one way to fail is overflow.
        Err(_) => Whole::TooLarge,
    }
}

/// A percentage as a fraction: `99.95%` → 0.9995.
pub fn fraction(property: &Property) -> Converted<f64> {
    let (written, percent) = match &property.value.kind {
        ValueKind::Percent(raw) => {
            let digits = raw.trim_end_matches('%');
            (digits, parse_number(digits))
        }
        other => {
            return Err(invalid(
                property,
                format!("expected a percentage, found {}", other.describe()),
                "write it as a percentage, e.g. 99.95%",
            ))
        }
    };
    match percent {
        // Read as a fraction from the written digits, so 99.9% is the double nearest
        // 0.999, not 99.9 / 100 (0.9990000000000001), and figures print without drift.
        Some(p) if p > 0.0 && p <= 100.0 => {
            Ok(parse_number(&format!("{written}e-2")).unwrap_or(p / 100.0))
        }
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
            "write a number with its unit: ms, s, m, h or d, e.g. 200ms",
        ));
    };
    let (number, unit_ms) = if let Some(n) = raw.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1_000.0)
    } else if let Some(n) = raw.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = raw.strip_suffix('d') {
        (n, 86_400_000.0)
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
    one_of(
        property,
        BOOLEANS,
        &format!("write `{0} true` or `{0} false`", property.name.name),
    )
}

/// What a cache holds: `store` (the only copy), `lookaside` (a copy; the default).
pub fn cache_role(property: &Property) -> Converted<CacheRole> {
    one_of(
        property,
        CACHE_ROLES,
        "`role store` for a cache that holds the only copy (sessions, carts, timelines); \
         `role lookaside` (the default) for a copy of data kept elsewhere",
    )
}

pub fn replication(property: &Property) -> Converted<Replication> {
    one_of(
        property,
        REPLICATIONS,
        "`replication sync` when a write waits for its copies (no data lost on failover); \
         `replication async` when copies lag behind",
    )
}

pub fn failover(property: &Property) -> Converted<Failover> {
    one_of(
        property,
        FAILOVERS,
        "`failover automatic` when a replica takes over by itself; `failover manual` when \
         someone promotes it",
    )
}

/// How traffic reaches a region's standby copy when the active region fails.
pub fn standby(property: &Property) -> Converted<Failover> {
    one_of(
        property,
        FAILOVERS,
        "`standby automatic` when the global router sends traffic to this region by itself \
         once the active one fails; `standby manual` when someone switches it",
    )
}

/// One of a few bare words, each standing for a value.
fn one_of<T: Copy, const N: usize>(
    property: &Property,
    words: [(&str, T); N],
    help: &str,
) -> Converted<T> {
    if let ValueKind::Ident(written) = &property.value.kind {
        if let Some(&(_, value)) = words.iter().find(|(word, _)| word == written) {
            return Ok(value);
        }
    }
    Err(invalid(
        property,
        format!(
            "expected {}, found {}",
            alternatives(&words.map(|(word, _)| word)),
            property.value.kind.describe()
        ),
        help,
    ))
}

/// `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn alternatives(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|word| format!("`{word}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// How a write spanning several data stores is kept consistent.
pub fn consistency(property: &Property) -> Converted<Consistency> {
    one_of(
        property,
        CONSISTENCIES,
        "`consistency saga` (local transactions, each undone by a compensating step), \
         `consistency outbox` (the change and its event in one transaction) or \
         `consistency two_phase_commit`",
    )
}

/// What a flow into a data store does with it.
pub fn access(property: &Property) -> Converted<Access> {
    one_of(
        property,
        ACCESSES,
        "`access read` when the caller only reads, `access write` when it only writes, \
         `access read_write` when it does both",
    )
}

/// What kind of system it is: a row of seed 003 §5's tables.
pub fn system_type(property: &Property) -> Converted<SystemType> {
    let words = SystemType::ALL.map(|t| (t.name(), t));
    let help = match &property.value.kind {
        ValueKind::Ident(written) => closest(written, words.map(|(name, _)| name)),
        _ => None,
    }
    .map_or_else(
        || "the types are the rows of the guide's targets tables (§5)".to_string(),
        |name| format!("did you mean `{name}`?"),
    );
    one_of(property, words, &help)
}

/// How long a caller waits: a duration longer than zero.
pub fn timeout(property: &Property) -> Converted<f64> {
    let milliseconds = duration(property)?;
    if milliseconds > 0.0 {
        return Ok(milliseconds);
    }
    Err(invalid(
        property,
        "a timeout of 0 gives the call no time at all".to_string(),
        "write how long the caller waits for an answer, e.g. `timeout 2s`",
    ))
}

/// Retries of a failed call: at most a hundred, more is a retry storm, not a policy.
const RETRY_RANGE: (u64, u64) = (0, 100);

pub fn retries(property: &Property) -> Converted<u32> {
    let help = WholeHelp {
        not_a_number: "e.g. `retries 3`",
        fraction: "retries come whole: write 2 or 3, not a fraction",
        below: "write how many times a failed call is tried again, e.g. 3, or 0 for none",
    };
    let n = whole_in_range(property, RETRY_RANGE, &help)?;
    Ok(u32::try_from(n).expect("RETRY_RANGE ends at 100"))
}

/// The regimes a system's data falls under: `[hipaa, gdpr]`.
pub fn compliance(property: &Property) -> Converted<Vec<Compliance>> {
    let names = Compliance::ALL.map(Compliance::name);
    let ValueKind::List(values) = &property.value.kind else {
        return Err(invalid(
            property,
            format!("expected a list, found {}", property.value.kind.describe()),
            "write the regimes in brackets, e.g. `compliance [hipaa]`",
        ));
    };
    let regime = |value: &Value| {
        let written = match &value.kind {
            ValueKind::Ident(name) => Some(name.as_str()),
            ValueKind::Str(s) => Some(s.value.as_str()),
            _ => None,
        };
        if let Some(regime) =
            written.and_then(|w| Compliance::ALL.into_iter().find(|c| c.name() == w))
        {
            return Ok(regime);
        }
        let help = match written.and_then(|w| closest(w, names)) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("strata knows {}", alternatives(&names)),
        };
        Err(Box::new(
            Diagnostic::error(
                "E105",
                format!("expected a compliance regime, found {}", source_text(value)),
                value.span.clone(),
            )
            .with_label("not a regime strata knows")
            .with_help(help),
        ))
    };
    values.iter().map(regime).collect()
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
        ValueKind::Number(raw)
        | ValueKind::Percent(raw)
        | ValueKind::Duration(raw)
        | ValueKind::Quantity(raw)
        | ValueKind::BadNumber(raw) => raw.clone(),
        ValueKind::Ident(name) => name.clone(),
        ValueKind::Str(s) => s.raw.clone(),
        ValueKind::List(_) => "a list".to_string(),
    }
}

/// The error for the first number in a value that strata cannot read (digits run into
/// letters: `1e10`, `0x10`, `2min`), saying what is wrong with it.
pub fn unreadable_number(value: &Value) -> Option<Diagnostic> {
    match &value.kind {
        ValueKind::BadNumber(raw) => Some(bad_number(raw, value.span.clone())),
        ValueKind::List(values) => values.iter().find_map(unreadable_number),
        _ => None,
    }
}

fn bad_number(raw: &str, span: Span) -> Diagnostic {
    let unsigned = raw.trim_start_matches('-');
    let sign = &raw[..raw.len() - unsigned.len()];
    let (message, label, help) = if let Some((notation, digits, radix)) = radix_notation(unsigned) {
        let help = match u64::from_str_radix(&digits.replace('_', ""), radix) {
            Ok(n) => format!("write it in decimal: `{sign}{}`", written_number(n)),
            Err(_) => "write it in decimal digits".to_string(),
        };
        let message = format!("{notation} numbers are not supported");
        (message, "strata reads decimal numbers", help)
    } else if let Some((mantissa, exponent, unit)) = exponent_notation(unsigned) {
        let help = match plain_decimal(mantissa, exponent) {
            Some(plain) => format!("write it out: `{sign}{plain}{unit}`"),
            None => "write the number out in decimal digits, e.g. `10_000` or `0.001`".to_string(),
        };
        let message = "exponent notation is not supported".to_string();
        (message, "strata reads plain decimal numbers", help)
    } else {
        let letter = unsigned
            .find(|c: char| c.is_ascii_alphabetic())
            .expect("a bad number has a letter");
        let (number, unit) = unsigned.split_at(letter);
        let mut help = "numbers take no unit; durations take `ms`, `s`, `m`, `h` or `d`, \
                        rates `rps`, sizes `B`, `KB`, `MB`, `GB` or `TB`, and percentages `%`"
            .to_string();
        if let Some(known) = duration_unit(unit) {
            help.push_str(&format!(": write `{sign}{number}{known}`"));
        }
        (
            format!("unknown unit `{unit}`"),
            "not a unit strata knows",
            help,
        )
    };
    Diagnostic::error("E105", message, span)
        .with_label(label)
        .with_help(help)
}

/// `0x1F`, `0o17`, `0b101`: the notation's name, its digits and their radix.
fn radix_notation(unsigned: &str) -> Option<(&'static str, &str, u32)> {
    let (notation, radix) = match unsigned.get(..2)? {
        "0x" | "0X" => ("hexadecimal", 16),
        "0o" | "0O" => ("octal", 8),
        "0b" | "0B" => ("binary", 2),
        _ => return None,
    };
    Some((notation, &unsigned[2..], radix))
}

/// `1.5e3`, `1e-5`, `2e3ms`: the mantissa, the exponent and what follows it (a unit).
fn exponent_notation(unsigned: &str) -> Option<(&str, i32, &str)> {
    let (mantissa, rest) = unsigned.split_once(['e', 'E'])?;
    let is_decimal = |c: char| c.is_ascii_digit() || c == '_' || c == '.';
    let signed = rest.len() - rest.trim_start_matches(['+', '-']).len();
    let digits = rest[signed..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(rest.len(), |end| signed + end);
    if !mantissa.chars().all(is_decimal) || digits == signed {
        return None;
    }
    let (exponent, unit) = rest.split_at(digits);
    let unit = match unit {
        "" | "ms" | "s" | "m" | "h" | "d" => unit,
        other => duration_unit(other)?,
    };
    Some((mantissa, exponent.parse().ok()?, unit))
}

/// Exponents beyond this are not written out in a suggestion.
const LONGEST_EXPONENT: u32 = 30;

/// `mantissa × 10^exponent` in plain decimal digits (whole numbers grouped by three).
fn plain_decimal(mantissa: &str, exponent: i32) -> Option<String> {
    if exponent.unsigned_abs() > LONGEST_EXPONENT {
        return None;
    }
    let mantissa = mantissa.replace('_', "");
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((&mantissa, ""));
    let digits = format!("{integer}{fraction}");
    // Where the decimal point falls in `digits`, counted from their start.
    let point = integer.len() as i64 + i64::from(exponent);
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, part) = digits.split_at(point as usize);
        format!("{whole}.{part}")
    };
    let text = match text.split_once('.') {
        Some((whole, part)) if !part.trim_end_matches('0').is_empty() => {
            let whole = whole.trim_start_matches('0');
            let whole = if whole.is_empty() { "0" } else { whole };
            return Some(format!("{whole}.{}", part.trim_end_matches('0')));
        }
        Some((whole, _)) => whole.to_string(),
        None => text,
    };
    Some(match text.parse::<u64>() {
        Ok(n) => written_number(n),
        Err(_) => text.trim_start_matches('0').to_string(),
    })
}

/// The duration unit a common spelling of one means (`min` → `m`).
fn duration_unit(written: &str) -> Option<&'static str> {
    Some(match written {
        "msec" | "msecs" | "millis" | "millisecond" | "milliseconds" => "ms",
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" => "h",
        "day" | "days" => "d",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_are_written_out_in_plain_decimal() {
        assert_eq!(plain_decimal("1", 10).as_deref(), Some("10_000_000_000"));
        assert_eq!(plain_decimal("1.5", 3).as_deref(), Some("1_500"));
        assert_eq!(plain_decimal("1", -5).as_deref(), Some("0.00001"));
        assert_eq!(plain_decimal("2.50", -1).as_deref(), Some("0.25"));
        assert_eq!(
            plain_decimal("1", 25).as_deref(),
            Some("10000000000000000000000000")
        );
        assert_eq!(plain_decimal("1", 400), None);
    }

    #[test]
    fn bad_numbers_say_what_is_wrong() {
        let message = |raw: &str| {
            let diagnostic = bad_number(raw, 0..raw.len());
            (diagnostic.message, diagnostic.help.unwrap_or_default())
        };
        assert_eq!(
            message("0x10"),
            (
                "hexadecimal numbers are not supported".into(),
                "write it in decimal: `16`".into()
            )
        );
        assert_eq!(message("-1e3").1, "write it out: `-1_000`");
        assert_eq!(message("1.5E+2ms").1, "write it out: `150ms`");
        assert_eq!(message("1e1mins").1, "write it out: `10m`");
        assert_eq!(message("1e1x").0, "unknown unit `e1x`");
        let (unit, help) = message("2min");
        assert_eq!(unit, "unknown unit `min`");
        assert!(help.ends_with("write `2m`"), "{help}");
        assert_eq!(message("5k").0, "unknown unit `k`");
    }
}
