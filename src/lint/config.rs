//! Which rules run, at what severity, with which options: from the design's `lint { … }`
//! block, then the command line (which wins).

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
    /// Most synchronous calls one service may make (LAT402).
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

/// A numeric option: its name, the values it takes, and how to lift the limit altogether.
struct OptionSpec {
    name: &'static str,
    /// More than the most is no design to allow; no limit at all is the rule turned off.
    range: RangeInclusive<usize>,
    example: usize,
    unlimited: &'static str,
    value: fn(&mut Options) -> &mut usize,
}

const OPTIONS: [OptionSpec; 2] = [
    OptionSpec {
        name: "max_sync_depth",
        range: 1..=100,
        example: 4,
        unlimited: "to allow chains of any depth, turn the rule off: `AVL107 off`",
        value: |options| &mut options.max_sync_depth,
    },
    OptionSpec {
        name: "max_sync_fan_out",
        range: 1..=100,
        example: 8,
        unlimited: "to allow any number of calls, turn the rule off: `LAT402 off`",
        value: |options| &mut options.max_sync_fan_out,
    },
];

fn option(name: &str) -> Option<&'static OptionSpec> {
    OPTIONS.iter().find(|option| option.name == name)
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

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Applied in order; a later one wins. `None` turns a rule off.
    overrides: Vec<(String, Option<Severity>)>,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    pub options: Options,
}

/// Whether a selector (code, code prefix, or name in kebab or snake case) names a rule.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    let upper = selector.to_ascii_uppercase();
    rule.code.starts_with(&upper) && !upper.is_empty()
        || selector.to_ascii_lowercase().replace('_', "-") == rule.name
}

fn is_known_selector(selector: &str) -> bool {
    RULES.iter().any(|rule| selects(selector, rule))
}

fn parse_severity(word: &str) -> Result<Option<Severity>, ()> {
    match word {
        "error" => Ok(Some(Severity::Error)),
        "warning" | "warn" => Ok(Some(Severity::Warning)),
        "info" => Ok(Some(Severity::Info)),
        "off" | "ignore" => Ok(None),
        _ => Err(()),
    }
}

fn suggestion(key: &str) -> String {
    let names = RULES
        .iter()
        .flat_map(|rule| [rule.code, rule.name])
        .chain(OPTIONS.iter().map(|option| option.name));
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

impl Config {
    /// The severity `rule` runs at, or `None` when it does not run.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        if let Some(select) = &self.select {
            if !select.iter().any(|s| selects(s, rule)) {
                return None;
            }
        }
        if self.ignore.iter().any(|s| selects(s, rule)) {
            return None;
        }
        let mut severity = Some(rule.severity);
        for (selector, level) in &self.overrides {
            if selects(selector, rule) {
                severity = *level;
            }
        }
        severity
    }

    /// The design's settings, then the command line's. Errors in the design are
    /// diagnostics; errors on the command line are usage errors.
    pub fn new(
        design: &Design,
        command_line: &CommandLine,
    ) -> Result<(Config, Vec<Diagnostic>), String> {
        let mut config = Config::default();
        let diagnostics = config.apply_design(design);
        config.apply_command_line(command_line)?;
        Ok((config, diagnostics))
    }

    fn apply_design(&mut self, design: &Design) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        // What each setting so far applies to, and where it is: a second one is reported.
        let mut seen: Vec<(String, &LintSetting)> = Vec::new();
        for setting in &design.lint_settings {
            let key = setting.key.as_str();
            if option(key).is_none() && !is_known_selector(key) {
                diagnostics.push(unknown_key(setting));
                continue;
            }
            let target = setting_target(key);
            if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target) {
                diagnostics.push(set_twice(setting, first));
                continue;
            }
            seen.push((target, setting));
            let problem = if let Some(option) = option(key) {
                self.apply_option(option, setting)
            } else {
                self.apply_severity(setting)
            };
            diagnostics.extend(problem);
        }
        diagnostics
    }

    fn apply_option(&mut self, option: &OptionSpec, setting: &LintSetting) -> Option<Diagnostic> {
        let key = &setting.key;
        let (min, max) = (option.range.start(), option.range.end());
        let message = match setting.value {
            SettingValue::Number(n) if n.fract() != 0.0 => {
                format!("`{key}` must be a whole number")
            }
            SettingValue::Number(n) if n < *min as f64 => format!("`{key}` must be at least {min}"),
            SettingValue::Number(n) if n > *max as f64 => {
                format!("`{key}` is too large: the most is {max}")
            }
            SettingValue::Number(n) => {
                *(option.value)(&mut self.options) = n as usize;
                return None;
            }
            SettingValue::Word(_) => format!("`{key}` takes a number, not a name"),
        };
        Some(
            Diagnostic::error("E202", message, setting.value_span.clone())
                .with_label(format!("`{key}` takes a whole number from {min} to {max}"))
                .with_help(format!(
                    "e.g. `{key} {}`; {}",
                    option.example, option.unlimited
                )),
        )
    }

    fn apply_severity(&mut self, setting: &LintSetting) -> Option<Diagnostic> {
        let level = match &setting.value {
            SettingValue::Word(word) => parse_severity(word).ok(),
            SettingValue::Number(_) => None,
        };
        match level {
            Some(level) => {
                self.overrides.push((setting.key.clone(), level));
                None
            }
            None => Some(
                Diagnostic::error(
                    "E202",
                    format!("invalid severity for `{}`", setting.key),
                    setting.value_span.clone(),
                )
                .with_label("not a severity")
                .with_help("a severity is `error`, `warning`, `info` or `off`"),
            ),
        }
    }

    fn apply_command_line(&mut self, command_line: &CommandLine) -> Result<(), String> {
        let check = |selector: &String| {
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
        if !command_line.select.is_empty() {
            self.select = Some(command_line.select.clone());
        }
        self.ignore.extend(command_line.ignore.iter().cloned());
        for entry in &command_line.severities {
            let (selector, word) = entry.split_once('=').ok_or_else(|| {
                format!("`--severity {entry}`: write RULE=LEVEL, e.g. AVL101=warning")
            })?;
            check(&selector.to_string())?;
            let level = parse_severity(word).map_err(|()| {
                format!("`--severity {entry}`: the level is error, warning, info or off")
            })?;
            self.overrides.push((selector.to_string(), level));
        }
        for entry in &command_line.options {
            self.apply_option_entry(entry)?;
        }
        Ok(())
    }

    /// `--option NAME=N`: the same options and ranges as in a `lint` block.
    fn apply_option_entry(&mut self, entry: &str) -> Result<(), String> {
        let (name, value) = entry.split_once('=').ok_or_else(|| {
            format!("`--option {entry}`: write OPTION=N, e.g. max_sync_fan_out=8")
        })?;
        let option = option(name).ok_or_else(|| {
            let names: Vec<&str> = OPTIONS.iter().map(|option| option.name).collect();
            format!(
                "`--option {entry}`: unknown option `{name}`; the options are {}",
                names.join(", ")
            )
        })?;
        let (min, max) = (option.range.start(), option.range.end());
        let n = (value.parse::<usize>().ok())
            .filter(|n| option.range.contains(n))
            .ok_or_else(|| {
                format!("`--option {entry}`: `{name}` takes a whole number from {min} to {max}")
            })?;
        *(option.value)(&mut self.options) = n;
        Ok(())
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
    fn options_come_from_the_file() {
        let (config, _) = config(
            "a: service\nlint { max_sync_depth 5; max_sync_fan_out 12 }",
            CommandLine::default(),
        );
        assert_eq!(config.options.max_sync_depth, 5);
        assert_eq!(config.options.max_sync_fan_out, 12);
    }

    #[test]
    fn options_on_the_command_line_win_and_keep_their_ranges() {
        let with = |options: &[&str]| CommandLine {
            options: options.iter().map(|o| o.to_string()).collect(),
            ..CommandLine::default()
        };
        let (config, _) = config(
            "a: service\nlint { max_sync_fan_out 12 }",
            with(&["max_sync_fan_out=7", "max_sync_depth=2"]),
        );
        assert_eq!(config.options.max_sync_fan_out, 7);
        assert_eq!(config.options.max_sync_depth, 2);
        let checked = crate::check(&Source::new("t", "a: service"));
        for (bad, message) in [
            (
                "max_sync_fan_out=0",
                "`--option max_sync_fan_out=0`: `max_sync_fan_out` takes a whole number from 1 to 100",
            ),
            (
                "max_fan_out=8",
                "`--option max_fan_out=8`: unknown option `max_fan_out`; the options are max_sync_depth, max_sync_fan_out",
            ),
            (
                "max_sync_fan_out",
                "`--option max_sync_fan_out`: write OPTION=N, e.g. max_sync_fan_out=8",
            ),
        ] {
            let error = Config::new(&checked.design, &with(&[bad])).err();
            assert_eq!(error.as_deref(), Some(message));
        }
    }

    #[test]
    fn the_fan_out_limit_has_its_own_range_and_help() {
        let (config, errors) = config(
            "a: service\nlint { max_sync_fan_out 101 }",
            CommandLine::default(),
        );
        assert_eq!(errors[0].code, "E202");
        assert_eq!(
            errors[0].message,
            "`max_sync_fan_out` is too large: the most is 100"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("e.g. `max_sync_fan_out 8`; to allow any number of calls, turn the rule off: `LAT402 off`")
        );
        assert_eq!(config.options.max_sync_fan_out, 5);
    }
}
