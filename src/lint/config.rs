//! Which rules run, at what severity, with which options. Settings come in layers, each
//! over the ones below: `strata.toml` files (an extended one first), the design's
//! `lint { … }` block, then the command line (which wins).

use super::{Rule, RULES};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::suggest::closest;
use crate::model::{Design, LintSetting, SettingValue};
use crate::source::quoted;
use std::ops::RangeInclusive;

/// Numeric options some rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Longest allowed chain of synchronous calls between services (AVL107).
    pub max_sync_depth: usize,
    /// Most synchronous calls one service may wait on (LAT402).
    pub max_sync_fan_out: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_sync_depth: 3,
            max_sync_fan_out: 5,
        }
    }
}

/// A numeric option: its name, the values it takes, and its field in [`Options`]. Every
/// place settings are read from (a `lint` block, `strata.toml`) reads options through
/// this table.
pub struct OptionSpec {
    pub name: &'static str,
    pub values: RangeInclusive<usize>,
    /// How to do without any limit, for the help of a value out of range.
    pub unlimited: &'static str,
    pub get: fn(&Options) -> usize,
    pub set: fn(&mut Options, usize),
}

// More than the most is no design to allow; no limit at all is the rule turned off.
pub const OPTIONS: [OptionSpec; 2] = [
    OptionSpec {
        name: "max_sync_depth",
        values: 1..=100,
        unlimited: "to allow chains of any depth, turn the rule off: `AVL107 off`",
        get: |options| options.max_sync_depth,
        set: |options, value| options.max_sync_depth = value,
    },
    OptionSpec {
        name: "max_sync_fan_out",
        values: 1..=100,
        unlimited: "to allow any number of calls, turn the rule off: `LAT402 off`",
        get: |options| options.max_sync_fan_out,
        set: |options, value| options.max_sync_fan_out = value,
    },
];

/// The option called `name`, if there is one.
pub fn option(name: &str) -> Option<&'static OptionSpec> {
    OPTIONS.iter().find(|spec| spec.name == name)
}

/// What the command line asks for, as written.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `RULE=LEVEL` entries.
    pub severities: Vec<String>,
    /// `OPTION=N` entries.
    pub options: Vec<String>,
}

/// Settings from one place: a configuration file, the design's `lint` block, or the
/// command line. A layer applies over the ones below it: its severities first, then its
/// `select` (which replaces the selection so far), then its `ignore`.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Where the settings come from, as `--show-settings` names it.
    pub origin: String,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// Applied in order; a later one wins. `None` turns a rule off; a severity turns a
    /// rule that a layer below left out back on.
    pub severities: Vec<(String, Option<Severity>)>,
    /// Option values by name, each checked against its [`OptionSpec`].
    pub options: Vec<(&'static str, usize)>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Lowest precedence first.
    layers: Vec<Layer>,
    pub options: Options,
}

/// Whether a selector (code, code prefix, or name in kebab or snake case) names a rule.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    let upper = selector.to_ascii_uppercase();
    rule.code.starts_with(&upper) && !upper.is_empty()
        || selector.to_ascii_lowercase().replace('_', "-") == rule.name
}

pub fn is_known_selector(selector: &str) -> bool {
    RULES.iter().any(|rule| selects(selector, rule))
}

/// The words a setting gives a rule: its severity, or `off` (`None`); the first four are
/// the ones to write, the rest are read too.
pub const LEVELS: [(&str, Option<Severity>); 6] = [
    ("error", Some(Severity::Error)),
    ("warning", Some(Severity::Warning)),
    ("info", Some(Severity::Info)),
    ("off", None),
    ("warn", Some(Severity::Warning)),
    ("ignore", None),
];

fn parse_severity(word: &str) -> Result<Option<Severity>, ()> {
    LEVELS
        .iter()
        .find(|(level, _)| *level == word)
        .map(|(_, severity)| *severity)
        .ok_or(())
}

/// "Did you mean …?" for a name that is no rule or option.
pub fn suggestion(key: &str) -> String {
    let names = RULES
        .iter()
        .flat_map(|rule| [rule.code, rule.name])
        .chain(OPTIONS.iter().map(|spec| spec.name));
    match closest(key, names) {
        Some(name) => format!("did you mean `{name}`?"),
        None => "name a rule by code (AVL101), code prefix (AVL) or name (single-replica-component); `strata rule --all` lists them".to_string(),
    }
}

/// What a setting applies to: one option, one rule (however it is named), or the rules of
/// a code prefix. Two settings for the same thing are one too many.
fn setting_target(key: &str) -> String {
    if option(key).is_some() {
        return key.to_string();
    }
    let mut selected = RULES.iter().filter(|rule| selects(key, rule));
    match (selected.next(), selected.next()) {
        (Some(rule), None) => rule.code.to_string(),
        _ => key.to_ascii_uppercase(),
    }
}

fn unknown_key(setting: &LintSetting) -> Diagnostic {
    Diagnostic::error(
        "E201",
        format!("unknown rule or option `{}`", quoted(&setting.key)),
        setting.key_span.clone(),
    )
    .with_label("no rule has this code or name")
    .with_help(suggestion(&setting.key))
}

fn set_twice(again: &LintSetting, first: &LintSetting) -> Diagnostic {
    let first_label = if first.key == again.key {
        "first set here".to_string()
    } else {
        format!("first set here, as `{}`", first.key)
    };
    Diagnostic::error(
        "E204",
        format!("`{}` is set twice", again.key),
        again.key_span.clone(),
    )
    .with_label("set again here")
    .with_related(first.key_span.start..first.value_span.end, first_label)
    .with_help("keep one of the two")
}

fn option_value(spec: &OptionSpec, setting: &LintSetting) -> Result<usize, Box<Diagnostic>> {
    let key = spec.name;
    let (min, max) = (*spec.values.start(), *spec.values.end());
    let message = match setting.value {
        SettingValue::Number(n) if n.fract() != 0.0 => format!("`{key}` must be a whole number"),
        SettingValue::Number(n) if n < min as f64 => format!("`{key}` must be at least {min}"),
        SettingValue::Number(n) if n > max as f64 => {
            format!("`{key}` is too large: the most is {max}")
        }
        SettingValue::Number(n) => return Ok(n as usize),
        SettingValue::Word(_) => format!("`{key}` takes a number, not a name"),
    };
    Err(Box::new(
        Diagnostic::error("E202", message, setting.value_span.clone())
            .with_label(format!("`{key}` takes a whole number from {min} to {max}"))
            .with_help(format!("a whole number such as 4; {}", spec.unlimited)),
    ))
}

fn severity_value(setting: &LintSetting) -> Result<Option<Severity>, Box<Diagnostic>> {
    let level = match &setting.value {
        SettingValue::Word(word) => parse_severity(word).ok(),
        SettingValue::Number(_) => None,
    };
    level.ok_or_else(|| {
        Box::new(
            Diagnostic::error(
                "E202",
                format!("invalid severity for `{}`", setting.key),
                setting.value_span.clone(),
            )
            .with_label("not a severity")
            .with_help("a severity is `error`, `warning`, `info` or `off`"),
        )
    })
}

impl Layer {
    /// Settings as a `lint` block writes them, rules and options by name. Each bad one is
    /// left out and reported; of two for the same thing, the first counts.
    pub fn from_settings(
        origin: impl Into<String>,
        settings: &[LintSetting],
    ) -> (Layer, Vec<Diagnostic>) {
        let mut layer = Layer {
            origin: origin.into(),
            ..Layer::default()
        };
        let mut diagnostics = Vec::new();
        // What each setting so far applies to, and where it is: a second one is reported.
        let mut seen: Vec<(String, &LintSetting)> = Vec::new();
        for setting in settings {
            let key = setting.key.as_str();
            let spec = option(key);
            if spec.is_none() && !is_known_selector(key) {
                diagnostics.push(unknown_key(setting));
                continue;
            }
            let target = setting_target(key);
            if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target) {
                diagnostics.push(set_twice(setting, first));
                continue;
            }
            seen.push((target, setting));
            let applied = match spec {
                Some(spec) => {
                    option_value(spec, setting).map(|value| layer.options.push((spec.name, value)))
                }
                None => severity_value(setting)
                    .map(|level| layer.severities.push((setting.key.clone(), level))),
            };
            diagnostics.extend(applied.err().map(|diagnostic| *diagnostic));
        }
        (layer, diagnostics)
    }

    /// What the command line asks for; a mistake in it is a usage error.
    pub fn from_command_line(command_line: &CommandLine) -> Result<Layer, String> {
        let check = |selector: &str| {
            if is_known_selector(selector) {
                Ok(())
            } else {
                Err(format!(
                    "unknown rule `{selector}`: {}",
                    suggestion(selector)
                ))
            }
        };
        for selector in command_line.select.iter().chain(&command_line.ignore) {
            check(selector)?;
        }
        let mut layer = Layer {
            origin: "the command line".to_string(),
            select: (!command_line.select.is_empty()).then(|| command_line.select.clone()),
            ignore: command_line.ignore.clone(),
            ..Layer::default()
        };
        for entry in &command_line.severities {
            let (selector, word) = entry.split_once('=').ok_or_else(|| {
                format!("`--severity {entry}`: write RULE=LEVEL, e.g. AVL101=warning")
            })?;
            check(selector)?;
            let level = parse_severity(word).map_err(|()| {
                format!("`--severity {entry}`: the level is error, warning, info or off")
            })?;
            layer.severities.push((selector.to_string(), level));
        }
        for entry in &command_line.options {
            layer.options.push(option_entry(entry)?);
        }
        Ok(layer)
    }
}

/// `--option NAME=N`: the same options and ranges as in a `lint` block.
fn option_entry(entry: &str) -> Result<(&'static str, usize), String> {
    let (name, value) = entry
        .split_once('=')
        .ok_or_else(|| format!("`--option {entry}`: write OPTION=N, e.g. max_sync_fan_out=8"))?;
    let spec = option(name).ok_or_else(|| {
        let names: Vec<&str> = OPTIONS.iter().map(|spec| spec.name).collect();
        format!(
            "`--option {entry}`: unknown option `{name}`; the options are {}",
            names.join(", ")
        )
    })?;
    let (min, max) = (spec.values.start(), spec.values.end());
    let n = value
        .parse::<usize>()
        .ok()
        .filter(|n| spec.values.contains(n))
        .ok_or_else(|| {
            format!("`--option {entry}`: `{name}` takes a whole number from {min} to {max}")
        })?;
    Ok((spec.name, n))
}

impl Config {
    /// The severity `rule` runs at, or `None` when it does not run.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        self.resolve(rule).0
    }

    /// The severity `rule` runs at, and the layer that last decided it (`None`: nothing
    /// set it, so it runs at its default).
    pub fn resolve(&self, rule: &Rule) -> (Option<Severity>, Option<&Layer>) {
        let mut selected = true;
        let mut level = Some(rule.severity);
        let mut decided_by = None;
        for layer in &self.layers {
            for (selector, set) in &layer.severities {
                if selects(selector, rule) {
                    selected |= set.is_some();
                    level = *set;
                    decided_by = Some(layer);
                }
            }
            if let Some(select) = &layer.select {
                selected = select.iter().any(|s| selects(s, rule));
                decided_by = Some(layer);
            }
            if layer.ignore.iter().any(|s| selects(s, rule)) {
                selected = false;
                decided_by = Some(layer);
            }
        }
        (level.filter(|_| selected), decided_by)
    }

    /// The layer that set an option last, if any did.
    pub fn option_origin(&self, name: &str) -> Option<&Layer> {
        self.layers
            .iter()
            .rev()
            .find(|layer| layer.options.iter().any(|(set, _)| *set == name))
    }

    /// The layers, lowest precedence first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Settings from these layers, lowest precedence first.
    pub fn from_layers(layers: Vec<Layer>) -> Config {
        let mut options = Options::default();
        for (name, value) in layers.iter().flat_map(|layer| &layer.options) {
            if let Some(spec) = option(name) {
                (spec.set)(&mut options, *value);
            }
        }
        Config { layers, options }
    }

    /// The design's settings, then the command line's. Errors in the design are
    /// diagnostics; errors on the command line are usage errors.
    pub fn new(
        design: &Design,
        command_line: &CommandLine,
    ) -> Result<(Config, Vec<Diagnostic>), String> {
        Config::layered(Vec::new(), design, command_line)
    }

    /// `below` (a project's configuration files), then the design's settings, then the
    /// command line's.
    pub fn layered(
        mut below: Vec<Layer>,
        design: &Design,
        command_line: &CommandLine,
    ) -> Result<(Config, Vec<Diagnostic>), String> {
        let (design_layer, diagnostics) =
            Layer::from_settings("the design's lint block", &design.lint_settings);
        below.push(design_layer);
        below.push(Layer::from_command_line(command_line)?);
        Ok((Config::from_layers(below), diagnostics))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn config(text: &str, command_line: CommandLine) -> (Config, Vec<Diagnostic>) {
        let checked = crate::check(&Source::new("t", text));
        Config::new(&checked.design, &command_line).unwrap()
    }

    fn rule(code: &str) -> &'static Rule {
        RULES.iter().find(|r| r.code == code).unwrap()
    }

    #[test]
    fn selectors_match_codes_prefixes_and_names() {
        let r = rule("AVL101");
        assert!(selects("AVL101", r) && selects("AVL", r) && selects("avl1", r));
        assert!(selects("single-replica-component", r) && selects("single_replica_component", r));
        assert!(!selects("AVL102", r) && !selects("", r));
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let (config, errors) = config(
            "a: service\nlint { AVL101 off; REQ error }",
            CommandLine {
                severities: vec!["AVL101=info".into()],
                ..CommandLine::default()
            },
        );
        assert!(errors.is_empty());
        assert_eq!(config.severity(rule("AVL101")), Some(Severity::Info));
        assert_eq!(config.severity(rule("REQ007")), Some(Severity::Error));
    }

    #[test]
    fn select_and_ignore_narrow_the_rules() {
        let (config, _) = config(
            "a: service",
            CommandLine {
                select: vec!["AVL".into()],
                ignore: vec!["AVL101".into()],
                ..CommandLine::default()
            },
        );
        assert_eq!(config.severity(rule("AVL101")), None);
        assert!(config.severity(rule("AVL102")).is_some());
        assert_eq!(config.severity(rule("REQ001")), None);
    }

    #[test]
    fn unknown_rules_and_bad_levels_are_reported_with_a_suggestion() {
        let (_, errors) = config(
            "a: service\nlint { AVL1O1 off; AVL101 loud; max_sync_depth 0 }",
            CommandLine::default(),
        );
        let codes: Vec<_> = errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E201", "E202", "E202"]);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `AVL101`?"));
        let checked = crate::check(&Source::new("t", "a: service"));
        let bad = CommandLine {
            select: vec!["NOPE9".into()],
            ..CommandLine::default()
        };
        assert!(Config::new(&checked.design, &bad).is_err());
    }

    #[test]
    fn a_setting_given_twice_is_reported_with_the_first() {
        let (config, errors) = config(
            "a: service\nlint { max_sync_depth 4; AVL101 off; AVL1 info; max_sync_depth 5; single_replica_component warning }",
            CommandLine::default(),
        );
        let codes: Vec<_> = errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E204", "E204"]);
        assert_eq!(errors[0].related[0].span, 18..34);
        assert_eq!(errors[1].related[0].message, "first set here, as `AVL101`");
        assert_eq!(config.options.max_sync_depth, 4, "the first one counts");
    }

    #[test]
    fn options_out_of_range_give_the_range() {
        for (value, message) in [
            ("0", "`max_sync_depth` must be at least 1"),
            ("-3", "`max_sync_depth` must be at least 1"),
            ("2.5", "`max_sync_depth` must be a whole number"),
            (
                "100000000000000000000",
                "`max_sync_depth` is too large: the most is 100",
            ),
            ("deep", "`max_sync_depth` takes a number, not a name"),
        ] {
            let (config, errors) = config(
                &format!("a: service\nlint {{ max_sync_depth {value} }}"),
                CommandLine::default(),
            );
            assert_eq!(errors[0].message, message);
            assert_eq!(
                errors[0].primary.message,
                "`max_sync_depth` takes a whole number from 1 to 100"
            );
            assert_eq!(config.options.max_sync_depth, 3);
        }
    }

    #[test]
    fn a_higher_layer_turns_rules_back_on_and_off_stays_off_under_a_select() {
        let below = Layer {
            origin: "strata.toml".into(),
            ignore: vec!["AVL101".into(), "AVL102".into()],
            options: vec![("max_sync_depth", 6)],
            ..Layer::default()
        };
        let checked = crate::check(&Source::new(
            "t",
            "a: service\nlint { AVL101 warning; AVL103 off }",
        ));
        let command_line = CommandLine {
            select: vec!["AVL".into()],
            ..CommandLine::default()
        };
        let (config, _) = Config::layered(vec![below], &checked.design, &command_line).unwrap();
        let (severity, layer) = config.resolve(rule("AVL101"));
        assert_eq!(severity, Some(Severity::Warning));
        assert_eq!(layer.unwrap().origin, "the command line");
        assert_eq!(
            config.severity(rule("AVL102")),
            Some(Severity::Error),
            "a select replaces the selection below, its ignores too"
        );
        assert_eq!(
            config.severity(rule("AVL103")),
            None,
            "a select does not undo `off`"
        );
        assert_eq!(config.options.max_sync_depth, 6);
        assert_eq!(
            config.option_origin("max_sync_depth").unwrap().origin,
            "strata.toml"
        );
    }

    #[test]
    fn options_come_from_the_file() {
        let (config, _) = config(
            "a: service\nlint { max_sync_depth 5 }",
            CommandLine::default(),
        );
        assert_eq!(config.options.max_sync_depth, 5);
    }
}
