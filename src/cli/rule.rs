//! `strata rule`: the rules' documentation.

use super::io;
use clap::{Args, ValueEnum};
use std::process::ExitCode;
use strata::lint::rules::find;
use strata::lint::{docs, RULES};
use strata::model::suggest::closest;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Args)]
pub struct RuleArgs {
    /// A rule's code or name
    #[arg(required_unless_present = "all")]
    rule: Option<String>,
    /// Every rule
    #[arg(long, conflicts_with = "rule")]
    all: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: &RuleArgs) -> ExitCode {
    if args.all {
        return done(io::print(&all(args.format)));
    }
    let selector = args.rule.as_deref().unwrap_or_default();
    let Some(rule) = find(selector) else {
        let names = RULES.iter().flat_map(|r| [r.code, r.name]);
        match closest(selector, names) {
            Some(name) => eprintln!("error: no rule `{selector}`; did you mean `{name}`?"),
            None => eprintln!("error: no rule `{selector}`; `strata rule --all` lists them"),
        }
        return io::failure();
    };
    let text = match args.format {
        Format::Text => docs::text(rule),
        Format::Markdown => docs::markdown(rule),
        Format::Json => format!("{:#}\n", docs::json(rule)),
    };
    done(io::print(&text))
}

fn done(printed: Result<(), ExitCode>) -> ExitCode {
    printed.err().unwrap_or(ExitCode::SUCCESS)
}

fn all(format: Format) -> String {
    match format {
        Format::Text => RULES
            .iter()
            .map(|r| {
                format!(
                    "{:<7} {:<29} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                )
            })
            .collect(),
        Format::Markdown => docs::markdown_all(&RULES),
        Format::Json => format!(
            "{:#}\n",
            serde_json::Value::Array(RULES.iter().map(|r| docs::json(r)).collect())
        ),
    }
}
