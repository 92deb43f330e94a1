//! `strata check`: parse, check and lint designs; print every diagnostic and finding.

use super::io::{self, ReadError, Stream};
use super::ColorChoice;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use strata::diagnostics::{Diagnostic, Severity};
use strata::lint::config::CommandLine;
use strata::lint::{lint, Config};
use strata::report::{self, Entry, FileReport};
use strata::source::Source;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help
    Text,
    /// One line each: file:line:col: severity[CODE]: message
    Concise,
    /// The strata.lint/1 JSON document
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions annotations
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Design files or directories (searched for `*.strata`); `-` for standard input
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// How to print diagnostics and findings
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Run only these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: codes, code prefixes or names, comma-separated
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Set a rule's severity: RULE=error|warning|info|off (repeatable; wins over the file)
    #[arg(long, value_name = "RULE=LEVEL")]
    severity: Vec<String>,
    /// Set a lint option: max_sync_depth=N or max_sync_fan_out=N (repeatable; wins over the file)
    #[arg(long, value_name = "OPTION=N")]
    option: Vec<String>,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Exit 0 even when findings reach --fail-on (errors in the design itself still exit 2)
    #[arg(long)]
    exit_zero: bool,
}

pub fn run(args: &CheckArgs, color: ColorChoice) -> ExitCode {
    let command_line = CommandLine {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severities: args.severity.clone(),
        options: args.option.clone(),
    };
    let files = match io::design_files(&args.files) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return io::failure();
        }
    };
    let mut reports = Vec::new();
    let mut broken = false;
    for path in &files {
        let source = match io::read_source(path) {
            Ok(source) => source,
            Err(ReadError::Design(design)) => {
                let (source, diagnostic) = *design;
                reports.push(FileReport {
                    source,
                    entries: vec![diagnostic.into()],
                });
                broken = true;
                continue;
            }
            Err(ReadError::Io { message, help }) => {
                // Reported like any other problem, so machine formats list the file too.
                let diagnostic = Diagnostic::error("E010", message, 0..0)
                    .with_label("this file could not be read")
                    .with_help(help);
                let source = Source::new(io::display_name(path), "");
                reports.push(FileReport {
                    source,
                    entries: vec![diagnostic.into()],
                });
                broken = true;
                continue;
            }
        };
        let checked = strata::check(&source);
        let mut entries: Vec<Entry> = checked
            .diagnostics
            .iter()
            .cloned()
            .map(Entry::from)
            .collect();
        broken |= checked.has_errors();
        if !checked.has_errors() {
            let (config, config_errors) = match Config::new(&checked.design, &command_line) {
                Ok(config) => config,
                Err(usage) => {
                    eprintln!("error: {usage}");
                    return io::failure();
                }
            };
            let linted = lint(&checked.design, &checked.parsed.comments, &source, &config);
            broken |= !config_errors.is_empty() || !linted.diagnostics.is_empty();
            entries.extend(
                config_errors
                    .into_iter()
                    .chain(linted.diagnostics)
                    .map(Entry::from),
            );
            entries.extend(linted.findings.into_iter().map(Entry::from));
        }
        reports.push(FileReport { source, entries });
    }
    if let Err(code) = print(&reports, args.format, io::use_color(color, Stream::Stdout)) {
        return code;
    }
    summarize(files.len(), &reports);
    if broken {
        io::failure()
    } else if !args.exit_zero && reaches(&reports, args.fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print(reports: &[FileReport], format: Format, color: bool) -> Result<(), ExitCode> {
    let text = match format {
        Format::Text => report::text(reports, color),
        Format::Concise => report::concise(reports),
        Format::Json => report::json(reports),
        Format::Sarif => report::sarif(reports),
        Format::Github => report::github(reports),
    };
    io::print(&text)
}

fn reaches(reports: &[FileReport], fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    reports
        .iter()
        .flat_map(|r| &r.entries)
        .any(|e| e.diagnostic.severity >= threshold)
}

/// One line on standard error, so machine formats keep standard output to themselves.
fn summarize(files: usize, reports: &[FileReport]) {
    let (errors, warnings, infos) = report::counts(reports);
    let files = match files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    if errors + warnings + infos == 0 {
        eprintln!("{files} checked: no problems");
    } else {
        eprintln!(
            "{files} checked: {errors} error{}, {warnings} warning{}, {infos} info",
            plural(errors),
            plural(warnings)
        );
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
