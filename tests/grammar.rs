//! Keeps `grammar/strata.ebnf` true: its examples parse and check clean, its terminals
//! are exactly the lexer's and parser's, and its name lists are exactly the checker's.

use std::collections::BTreeSet;
use strata::model::properties::{
    COMPONENT_PROPERTIES, FLOW_PROPERTIES, JOURNEY_PROPERTIES, SYSTEM_PROPERTIES,
};
use strata::model::Kind;
use strata::source::Source;
use strata::syntax::lexer::PUNCTUATION;

const GRAMMAR: &str = include_str!("../grammar/strata.ebnf");
const KEYWORDS: [&str; 6] = ["import", "system", "lint", "journey", "tier", "group"];
/// Terminals of the lexical rules (duration, rate and size units and comment openers).
const LEXICAL: [&str; 15] = [
    "ms", "s", "m", "h", "d", "rps", "B", "KB", "MB", "GB", "TB", "PB", "#", "//", "%",
];

fn examples() -> Vec<&'static str> {
    GRAMMAR
        .split("(* example:")
        .skip(1)
        .map(|rest| rest.split("end example").next().unwrap())
        .collect()
}

/// The quoted terminals on the right-hand side of one rule.
fn rule_terminals(rule: &str) -> BTreeSet<String> {
    let rules = rules();
    let start = rules
        .find(&format!("\n{rule} "))
        .unwrap_or_else(|| panic!("no rule `{rule}`"));
    let body = &rules[start..];
    let body = &body[..body.find(';').unwrap()];
    quoted(body)
}

fn quoted(text: &str) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_example_in_the_grammar_checks_clean() {
    let examples = examples();
    assert!(examples.len() >= 2);
    for example in examples {
        let checked = strata::check(&Source::new("example", example));
        assert!(
            checked.diagnostics.is_empty(),
            "{example}\n{:?}",
            checked.diagnostics
        );
        assert!(!checked.design.components.is_empty());
    }
}

/// The grammar's rules alone: comments `(* … *)` and special sequences `? … ?` removed.
fn rules() -> String {
    let mut text = GRAMMAR.to_string();
    for (open, close) in [("(*", "*)"), ("?", "?")] {
        while let Some(start) = text.find(open) {
            let end =
                start + open.len() + text[start + open.len()..].find(close).unwrap() + close.len();
            text.replace_range(start..end, " ");
        }
    }
    text
}

#[test]
fn the_grammar_quotes_exactly_the_terminals_the_parser_knows() {
    let names = Kind::ALL
        .map(Kind::name)
        .into_iter()
        .chain(SYSTEM_PROPERTIES)
        .chain(COMPONENT_PROPERTIES)
        .chain(FLOW_PROPERTIES)
        .chain(JOURNEY_PROPERTIES);
    let known: BTreeSet<String> = PUNCTUATION
        .into_iter()
        .chain(KEYWORDS)
        .chain(LEXICAL)
        .chain(names)
        .map(str::to_string)
        .collect();
    assert_eq!(quoted(&rules()), known);
}

#[test]
fn the_grammar_lists_exactly_the_kinds_and_properties_the_checker_accepts() {
    let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(rule_terminals("kind"), set(&Kind::ALL.map(Kind::name)));
    assert_eq!(rule_terminals("system_property"), set(&SYSTEM_PROPERTIES));
    assert_eq!(
        rule_terminals("component_property"),
        set(&COMPONENT_PROPERTIES)
    );
    assert_eq!(rule_terminals("flow_property"), set(&FLOW_PROPERTIES));
    assert_eq!(rule_terminals("journey_property"), set(&JOURNEY_PROPERTIES));
}

#[test]
fn every_construct_of_the_language_appears_in_an_example() {
    let all = examples().join("\n");
    for construct in [
        "system", "tier", "group", "journey", "->", "~>", ",", ";", "[", "%", "ms", "rps", "//",
        ":",
    ] {
        assert!(all.contains(construct), "no example uses `{construct}`");
    }
}
